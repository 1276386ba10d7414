import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CommentEntity } from '../comments/model/comment.entity.js';

export const FLAG_REASONS = [
  'spam',
  'abuse',
  'off-topic',
  'personal-data',
  'illegal',
  'other',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** `open` until a moderator decides: `dismissed` (the comment stays) or `actioned` (it went). */
export type FlagStatus = 'open' | 'dismissed' | 'actioned';

/** A reader's report of a published comment (notice and action). */
@Entity({ name: 'comment_flags' })
@Index('comment_flags_reader_idx', ['commentId', 'readerKey'], { unique: true })
@Index('comment_flags_open_idx', ['commentId'], { where: `status = 'open'` })
@Index('comment_flags_site_created_idx', ['siteId', 'createdAt'])
@Index('comment_flags_email_index_idx', ['emailIndex'], { where: 'email_index IS NOT NULL' })
export class CommentFlagEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => CommentEntity, { onDelete: 'CASCADE' })
  commentId!: string;

  @Column({ type: 'varchar', length: 64 })
  siteId!: string;

  /**
   * Who flagged, as a keyed hash (the client address's blind index, or of an SSO `sub`): one
   * flag per reader. Cleared by the retention run (`retention.ipDays`) once the flag is closed.
   */
  @Column({ type: 'bytea', nullable: true })
  readerKey!: Buffer | null;

  @Column({ type: 'varchar', length: 32 })
  reason!: FlagReason;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  /** An optional contact address, encrypted like every email (AES-256-GCM). */
  @Column({ type: 'bytea', nullable: true })
  emailCiphertext!: Buffer | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  emailKeyId!: string | null;

  /** Blind index of the contact address, so a privacy erase by email finds it. */
  @Column({ type: 'bytea', nullable: true })
  emailIndex!: Buffer | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: FlagStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
