import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { CommentEntity } from './comment.entity.js';

/**
 * Where an imported comment came from (its format and its id there), so that importing the
 * same file again adds nothing. Comments written by this service have no row here.
 */
@Entity({ name: 'comment_sources' })
@Index('comment_sources_source_idx', ['siteId', 'format', 'sourceId'], { unique: true })
export class CommentSourceEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => CommentEntity, { onDelete: 'CASCADE' })
  commentId!: string;

  @Column({ type: 'varchar', length: 64 })
  siteId!: string;

  /** `wxr`, `disqus` or `jsonl`. */
  @Column({ type: 'varchar', length: 16 })
  format!: string;

  /** The comment's id in the source (scoped as the format needs, e.g. post and comment id). */
  @Column({ type: 'text' })
  sourceId!: string;
}
