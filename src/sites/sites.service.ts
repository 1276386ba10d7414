import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
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

/** How long the HTTP edge (CORS) may use a site's settings before reading them again. */
const EDGE_CACHE_MS = 5_000;

@Injectable()
export class SitesService {
  private readonly edgeCache = new Map<string, { site: Site | null; until: number }>();

  constructor(
    private readonly sites: SitesRepository,
    private readonly audit: AuditService,
  ) {}

  async get(siteId: string): Promise<Site> {
    const row = await this.sites.findById(siteId);
    if (!row) throw new SiteNotFoundError(siteId);
    return toSite(row);
  }

  /**
   * A possibly slightly stale view (≤ 5 s) for per-request edge decisions such as CORS,
   * where a database read per request would cost more than it is worth. Null if unknown.
   */
  async getCached(siteId: string, now = Date.now()): Promise<Site | null> {
    const hit = this.edgeCache.get(siteId);
    if (hit && hit.until > now) return hit.site;
    const row = await this.sites.findById(siteId);
    const site = row ? toSite(row) : null;
    if (this.edgeCache.size > 10_000) this.edgeCache.clear();
    this.edgeCache.set(siteId, { site, until: now + EDGE_CACHE_MS });
    return site;
  }

  async list(): Promise<Site[]> {
    return (await this.sites.listAll()).map(toSite);
  }

  async put(
    principal: Principal,
    siteId: string,
    dto: PutSiteDto,
  ): Promise<{ site: Site; created: boolean }> {
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
    await this.audit.record({
      actor: principal.actor,
      action: created ? 'site.create' : 'site.update',
      targetType: 'site',
      targetId: siteId,
      siteId,
      details: { name: dto.name, allowedOrigins: site.allowedOrigins, settings: site.settings },
    });
    this.edgeCache.delete(siteId);
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
