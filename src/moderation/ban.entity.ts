import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A ban of an author by email or client address, both only as blind indexes. */
@Entity({ name: 'bans' })
@Index('bans_email_index_idx', ['emailIndex'], { where: 'email_index IS NOT NULL' })
@Index('bans_ip_index_idx', ['ipIndex'], { where: 'ip_index IS NOT NULL' })
export class BanEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** null: every site. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  siteId!: string | null;

  @Column({ type: 'bytea', nullable: true })
  emailIndex!: Buffer | null;

  /** The banned email or address as the moderator gave it, encrypted (AES-256-GCM). */
  @Column({ type: 'bytea' })
  valueCiphertext!: Buffer;

  @Column({ type: 'varchar', length: 16 })
  valueKeyId!: string;

  @Column({ type: 'bytea', nullable: true })
  ipIndex!: Buffer | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'varchar', length: 100 })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
