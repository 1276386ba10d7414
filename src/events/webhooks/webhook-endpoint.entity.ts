import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A registered webhook receiver. The signing secret is stored encrypted (AES-256-GCM under
 * SECRET_KEY, see CryptoService.encryptText) and shown once, when the endpoint is created.
 */
@Entity({ name: 'webhook_endpoints' })
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** Event types this endpoint receives (`comment.approved`, …). */
  @Column({ type: 'varchar', length: 64, array: true })
  events!: string[];

  /** null: every site. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  siteId!: string | null;

  @Column({ type: 'bytea' })
  secretCiphertext!: Buffer;

  @Column({ type: 'varchar', length: 16 })
  secretKeyId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Set by DELETE: no new deliveries, pending ones are dropped; the log stays until retention. */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
