import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { SiteEntity } from '../../sites/site.entity.js';

/** An article (page) comments hang under; created on its first comment or by an admin. */
@Entity({ name: 'articles' })
export class ArticleEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  @ForeignKey(() => SiteEntity, { onDelete: 'CASCADE' })
  siteId!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  articleId!: string;

  @Column({ type: 'boolean', default: false })
  closed!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  firstCommentAt!: Date | null;

  /** Approved comments, kept in the same transaction as every publish and take-down. */
  @Column({ type: 'integer', default: 0 })
  approvedCount!: number;

  /** Bumped whenever the public thread changes; the ETag and the cache key derive from it. */
  @Column({ type: 'bigint', default: 0 })
  threadVersion!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
