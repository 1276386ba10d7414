import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { SiteSettingsInput } from './site-settings.js';
import { SiteEntity } from './site.entity.js';

@Injectable()
export class SitesRepository {
  constructor(@InjectRepository(SiteEntity) private readonly repo: Repository<SiteEntity>) {}

  findById(id: string): Promise<SiteEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  listAll(): Promise<SiteEntity[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }

  /** Creates or replaces a site; tells which it was. */
  async upsert(input: {
    id: string;
    name: string;
    allowedOrigins: string[];
    settings: SiteSettingsInput;
  }): Promise<{ site: SiteEntity; created: boolean }> {
    const rows: Array<{ created: boolean }> = await this.repo.query(
      `INSERT INTO sites (id, name, allowed_origins, settings) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,
         allowed_origins = EXCLUDED.allowed_origins, settings = EXCLUDED.settings, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [input.id, input.name, input.allowedOrigins, input.settings],
    );
    const site = await this.findById(input.id);
    return { site: site!, created: rows[0].created };
  }
}
