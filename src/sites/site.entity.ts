import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SiteSettingsInput } from './site-settings.js';

@Entity({ name: 'sites' })
export class SiteEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  allowedOrigins!: string[];

  /** Only what an admin set; defaults are merged on read (see site-settings.ts). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings!: SiteSettingsInput;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
