import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CommentEntity } from '../comments/model/comment.entity.js';

export type AppealStatus = 'open' | 'upheld' | 'reversed';

/** An author's complaint against a decision on their comment (one per decision). */
@Entity({ name: 'appeals' })
@Index('appeals_decision_idx', ['decisionId'], { unique: true })
@Index('appeals_site_status_created_idx', ['siteId', 'status', 'createdAt', 'id'])
@Index('appeals_comment_idx', ['commentId'])
export class AppealEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CommentEntity, { onDelete: 'CASCADE' })
  commentId!: string;

  @Column({ type: 'varchar', length: 64 })
  siteId!: string;

  /** The decision appealed: its row in `moderation_actions`. */
  @Column({ type: 'bigint' })
  decisionId!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: AppealStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  decidedBy!: string | null;

  /** The moderator's internal note; never shown to the author. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}
