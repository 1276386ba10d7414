import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const TOKEN_ROLES = ['admin', 'moderator', 'service'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Bearer tokens; only a SHA-256 of each is stored, the token itself is shown once. */
@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'enum', enum: TOKEN_ROLES, enumName: 'api_token_role' })
  role!: TokenRole;

  /** null: every site. */
  @Column({ type: 'varchar', length: 64, array: true, nullable: true })
  siteIds!: string[] | null;

  @Column({ type: 'bytea', unique: true })
  tokenHash!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** After this the token is refused (and its open streams end); null: until revoked. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
