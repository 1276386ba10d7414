import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { COMMENT_STATUSES, type CommentStatus } from './comment-status.js';
import { CommentEntity } from './comment.entity.js';
import type { Reason } from './comment.entity.js';

/** The audit log: one row per status change, written in the transaction that makes it. */
@Entity({ name: 'moderation_actions' })
@Index('moderation_actions_comment_idx', ['commentId', 'id'])
export class ModerationActionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CommentEntity, { onDelete: 'CASCADE' })
  commentId!: string;

  @Column({ type: 'varchar', length: 64 })
  siteId!: string;

  /** `system:spam`, `system:moderation`, `system:sweeper` or `token:<id>`. */
  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  /** What was done: `submit`, `score`, `approve`, `reject`, `spam`, `hold`, `delete`, … */
  @Column({ type: 'varchar', length: 32 })
  action!: string;

  @Column({
    type: 'enum',
    enum: COMMENT_STATUSES,
    enumName: 'comment_status',
    nullable: true,
  })
  fromStatus!: CommentStatus | null;

  @Column({ type: 'enum', enum: COMMENT_STATUSES, enumName: 'comment_status' })
  toStatus!: CommentStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  reasons!: Reason[];

  /** Statement of reasons: the site's code for the decision (`abuse`, …, or an automated one). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  reasonCode!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
