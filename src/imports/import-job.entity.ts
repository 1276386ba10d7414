import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** An import uploaded through the admin API, run by the worker role. */
@Entity({ name: 'imports' })
@Index('imports_created_idx', ['createdAt'])
export class ImportJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  siteId!: string;

  @Column({ type: 'varchar', length: 16 })
  format!: string;

  /** `uploading`, `queued`, `running`, `completed` or `failed`. */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'bigint', default: 0 })
  bytes!: string;

  /** `{ read, imported, skipped, duplicates, ratePerSecond }`, updated while it runs. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  progress!: Record<string, number>;

  /** The summary the CLI prints, once finished. */
  @Column({ type: 'jsonb', nullable: true })
  summary!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

/** The uploaded file, in chunks (PostgreSQL, not Redis: jobs carry the import id only). */
@Entity({ name: 'import_chunks' })
export class ImportChunkEntity {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey(() => ImportJobEntity, { onDelete: 'CASCADE' })
  importId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'bytea' })
  data!: Buffer;
}
