import type { FastifyCorsOptions } from '@fastify/cors';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SitesService, type Site } from './sites.service.js';

const SITE_ROUTE = /^\/v1\/sites\/([a-z0-9][a-z0-9-]{0,63})\//;
/** Public routes that name no site: allowed for any site's origins. */
const SITELESS_PUBLIC_ROUTE =
  /^\/v1\/(comments\/[^/?]+(\/reactions|\/flags|\/appeal)?|challenge)(\?|$)/;
const ALL_SITES_MS = 5_000;

const ALLOWED: Omit<FastifyCorsOptions, 'origin'> = {
  // PATCH and DELETE: the author's edit and delete by receipt; DELETE: taking back a like.
  methods: ['GET', 'POST', 'PATCH', 'DELETE'],
  allowedHeaders: ['Content-Type', 'Idempotency-Key', 'If-None-Match', 'Last-Event-ID'],
  exposedHeaders: ['ETag', 'Retry-After'],
  maxAge: 600,
  credentials: false,
};

/**
 * CORS on the public routes allows exactly the site's `allowedOrigins`; moderator and admin
 * routes allow no other origin at all.
 */
@Injectable()
export class SiteCorsPolicy {
  private everyOrigin: { origins: Set<string>; until: number } | null = null;

  constructor(private readonly sites: SitesService) {}

  async optionsFor(request: FastifyRequest): Promise<FastifyCorsOptions> {
    const origin = request.headers.origin;
    if (!origin) return { origin: false };
    const site = SITE_ROUTE.exec(request.url)?.[1];
    let allowed = false;
    if (site) {
      const found = await this.sites.getCached(site);
      allowed = found !== null && this.allows(found, origin);
    } else if (SITELESS_PUBLIC_ROUTE.test(request.url)) {
      allowed = (await this.allOrigins()).has(origin);
    }
    return allowed ? { ...ALLOWED, origin } : { origin: false };
  }

  /** Whether a site's public routes allow this origin. */
  allows(site: Site, origin: string): boolean {
    return site.allowedOrigins.includes(origin);
  }

  private async allOrigins(now = Date.now()): Promise<Set<string>> {
    if (this.everyOrigin && this.everyOrigin.until > now) return this.everyOrigin.origins;
    const origins = new Set((await this.sites.list()).flatMap((s) => s.allowedOrigins));
    this.everyOrigin = { origins, until: now + ALL_SITES_MS };
    return origins;
  }
}
