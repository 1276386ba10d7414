import { Injectable } from '@nestjs/common';
import { SiteNotFoundError, ValidationFailedError } from '../common/errors/domain.errors.js';
import type { PutSiteDto } from './dto/put-site.dto.js';
import { resolveSettings, type SiteSettings, type SiteSettingsInput } from './site-settings.js';
import type { SiteEntity } from './site.entity.js';
import { SitesRepository } from './sites.repository.js';

export interface Site {
  id: string;
  name: string;
  allowedOrigins: string[];
  settings: SiteSettings;
  createdAt: string;
  updatedAt: string;
}

@Injectable()
export class SitesService {
  constructor(private readonly sites: SitesRepository) {}

  async get(siteId: string): Promise<Site> {
    const row = await this.sites.findById(siteId);
    if (!row) throw new SiteNotFoundError(siteId);
    return toSite(row);
  }

  async list(): Promise<Site[]> {
    return (await this.sites.listAll()).map(toSite);
  }

  async put(siteId: string, dto: PutSiteDto): Promise<{ site: Site; created: boolean }> {
    const settings = (dto.settings ?? {}) as SiteSettingsInput;
    const effective = resolveSettings(settings);
    if (effective.spam.holdThreshold > effective.spam.spamThreshold) {
      throw new ValidationFailedError([
        {
          field: 'settings.spam.holdThreshold',
          message: 'holdThreshold must not exceed spamThreshold',
        },
      ]);
    }
    const { site, created } = await this.sites.upsert({
      id: siteId,
      name: dto.name,
      allowedOrigins: dto.allowedOrigins ?? [],
      settings: JSON.parse(JSON.stringify(settings)) as SiteSettingsInput,
    });
    return { site: toSite(site), created };
  }
}

function toSite(row: SiteEntity): Site {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: row.allowedOrigins,
    settings: resolveSettings(row.settings),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
