import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CommentEntity } from './comment.entity.js';

/** A comment's earlier text, kept when its author edits it (moderators see every version). */
@Entity({ name: 'comment_revisions' })
@Index('comment_revisions_comment_idx', ['commentId', 'id'])
export class CommentRevisionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CommentEntity, { onDelete: 'CASCADE' })
  commentId!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  bodyHtml!: string;

  /** When this text was replaced. */
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
