import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { SiteNotFoundError, ValidationFailedError } from '../common/errors/domain.errors.js';
import type { PutSiteDto } from './dto/put-site.dto.js';
import {
  redactSettings,
  resolveSettings,
  type SiteSettings,
  type SiteSettingsInput,
} from './site-settings.js';
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

/**
 * How long a process may use a site's settings before reading them again. A change made
 * through this process applies at once; other processes see it within this time.
 */
const SITE_CACHE_MS = 5_000;

@Injectable()
export class SitesService {
  /** Unknown sites too (as null): requests for made-up site ids must not each reach the database. */
  private readonly cache = new Map<string, { site: Site | null; until: number }>();

  constructor(
    private readonly sites: SitesRepository,
    private readonly audit: AuditService,
  ) {}

  /** A site's settings, read at most every 5 s per process (every comment needs them). */
  async get(siteId: string, now = Date.now()): Promise<Site> {
    const site = await this.getCached(siteId, now);
    if (!site) throw new SiteNotFoundError(siteId);
    return site;
  }

  /** A site as stored right now (admin reads). */
  async getFresh(siteId: string): Promise<Site> {
    const row = await this.sites.findById(siteId);
    if (!row) throw new SiteNotFoundError(siteId);
    return toSite(row);
  }

  /** Like `get`, but null for an unknown site (the CORS policy asks about any path). */
  async getCached(siteId: string, now = Date.now()): Promise<Site | null> {
    const hit = this.cache.get(siteId);
    if (hit && hit.until > now) return hit.site;
    const row = await this.sites.findById(siteId);
    const site = row ? toSite(row) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(siteId, { site, until: now + SITE_CACHE_MS });
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
    // The SSO secret is write-only, so a client that read the site cannot send it back:
    // leaving it out keeps the stored one (null removes it).
    if (settings.identity?.ssoSecret === undefined) {
      const stored = (await this.sites.findById(siteId))?.settings?.identity?.ssoSecret;
      if (typeof stored === 'string') {
        settings.identity = { ...settings.identity, ssoSecret: stored };
      }
    }
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
      details: {
        name: dto.name,
        allowedOrigins: site.allowedOrigins,
        settings: redactSettings(resolveSettings(site.settings)),
      },
    });
    this.cache.delete(siteId);
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

/** A site as admins read it: the SSO secret never leaves (only whether one is set). */
export function adminView(
  site: Site,
): Omit<Site, 'settings'> & { settings: Record<string, unknown> } {
  return { ...site, settings: redactSettings(site.settings) };
}
