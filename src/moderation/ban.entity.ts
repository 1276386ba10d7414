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

  /**
   * Legacy: the banned email or address, encrypted. Bans made before hashes-only kept it;
   * `BansService` replaces it with the masked forms at start. Always null for new bans.
   */
  @Column({ type: 'bytea', nullable: true })
  valueCiphertext!: Buffer | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  valueKeyId!: string | null;

  /** What listings show of the banned email (`t***@e***.com`), never the address itself. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  emailMasked!: string | null;

  /** What listings show of the banned address (`203.0.113.x`, `2001:db8:1:2::/64`). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ipMasked!: string | null;

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
