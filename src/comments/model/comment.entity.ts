import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ArticleEntity } from '../articles/article.entity.js';
import { COMMENT_STATUSES, type CommentStatus } from './comment-status.js';

export interface Reason {
  /** Machine-readable code, e.g. `links`, `honeypot`, `mode-pre`. */
  code: string;
  /** Human-readable explanation for moderators. */
  message: string;
  /** Contribution to the spam score, when the reason is a spam signal. */
  weight?: number;
  /** A model's score behind the reason (the calibrated toxicity, for `toxicity`). */
  score?: number;
}

@Entity({ name: 'comments' })
@ForeignKey(() => ArticleEntity, ['siteId', 'articleId'], ['siteId', 'articleId'])
@Index('comments_thread_idx', ['siteId', 'articleId', 'path'])
@Index('comments_thread_newest_idx', ['siteId', 'articleId', 'rootKey', 'path'])
@Index('comments_status_created_idx', ['status', 'createdAt', 'id'])
@Index('comments_site_status_created_idx', ['siteId', 'status', 'createdAt', 'id'])
@Index('comments_email_index_idx', ['emailIndex', 'siteId', 'status'])
@Index('comments_identity_sub_idx', ['identitySub', 'siteId', 'status'], {
  where: 'identity_sub IS NOT NULL',
})
@Index('comments_parent_idx', ['parentId'], { where: 'parent_id IS NOT NULL' })
@Index('comments_featured_idx', ['siteId', 'articleId', 'path'], {
  where: 'featured_at IS NOT NULL',
})
@Index('comments_idempotency_idx', ['siteId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Its site: `articles` references `sites`, so no key of its own (see LeanerCommentWrites). */
  @Column({ type: 'varchar', length: 64 })
  siteId!: string;

  @Column({ type: 'varchar', length: 200 })
  articleId!: string;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => CommentEntity)
  parentId!: string | null;

  @Column({ type: 'smallint' })
  depth!: number;

  /** Materialised path of fixed-width, time-ordered segments: byte order = depth-first order. */
  @Column({ type: 'text', collation: 'C' })
  path!: string;

  /** The thread root's segment, to order roots newest first while replies stay oldest first. */
  @Column({ type: 'text', collation: 'C' })
  rootKey!: string;

  @Column({ type: 'text', nullable: true })
  authorName!: string | null;

  @Column({ type: 'text', nullable: true })
  authorWebsite!: string | null;

  /** Public keyed tag of the author, never recomputable from the email without the key. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  authorAvatar!: string | null;

  /** AES-256-GCM: iv | tag | ciphertext. */
  @Column({ type: 'bytea', nullable: true })
  emailCiphertext!: Buffer | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  emailKeyId!: string | null;

  /** HMAC-SHA-256 of the normalised address. */
  @Column({ type: 'bytea', nullable: true })
  emailIndex!: Buffer | null;

  /** HMAC-SHA-256 of the client address; the address itself is never stored. */
  @Column({ type: 'bytea', nullable: true })
  ipIndex!: Buffer | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  bodyHtml!: string;

  @Column({ type: 'enum', enum: COMMENT_STATUSES, enumName: 'comment_status', default: 'pending' })
  status!: CommentStatus;

  @Column({ type: 'real', nullable: true })
  spamScore!: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  spamReasons!: Reason[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  moderationReasons!: Reason[];

  /** The honeypot field was filled in at submission. */
  @Column({ type: 'boolean', default: false })
  honeypot!: boolean;

  /** Proof of work: null when none was sent, else whether it verified. */
  @Column({ type: 'boolean', nullable: true })
  powVerified!: boolean | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  idempotencyKey!: string | null;

  /** Keyed fingerprint of the submitted body, to tell an idempotent replay from a conflict. */
  @Column({ type: 'bytea', nullable: true })
  requestFingerprint!: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** The author's last edit (by receipt); after `publishedAt`, the edit awaits re-approval. */
  @Column({ type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  /**
   * Ids of the author's earlier comments whose receipts came with this one (verified at
   * intake): trusted mode trusts the author if one of them is approved on the site.
   */
  @Column({ type: 'uuid', array: true, nullable: true })
  trustReceipts!: string[] | null;

  /** Featured by a moderator ("editors' pick"), when; shown as such while approved. */
  @Column({ type: 'timestamptz', nullable: true })
  featuredAt!: Date | null;

  /** The `sub` of the publisher's verified identity token (SSO), or null. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  identitySub!: string | null;

  /** The author asked to be mailed replies (`notify: "replies"`, double opt-in). */
  @Column({ type: 'boolean', default: false })
  notifyReplies!: boolean;
}
