import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AuditService } from '../audit/audit.service.js';
import { canAccessSite, type Principal } from '../auth/principal.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import {
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
} from '../common/errors/domain.errors.js';
import { SitesService } from '../sites/sites.service.js';
import { maskEmail, maskIp } from './ban-mask.js';
import { BansRepository, type BanRow } from './bans.repository.js';
import type { CreateBanDto } from './dto/ban.dto.js';

export interface BanView {
  id: string;
  siteId: string | null;
  /**
   * Masked (`t***@e***.com`): the address itself is never stored. Null for a token limited
   * to sites when the ban is not one of its sites' (a ban on every site, say).
   */
  email: string | null;
  /** Masked (`203.0.113.x`, `2001:db8:x:x::/64`); null as for `email`. */
  ip: string | null;
  reason: string;
  expiresAt: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
}

/**
 * Bans by email or client address (IPv6: its /64). Stored as keyed hashes (blind indexes) and a
 * masked form for listings only: the address itself is never stored, so a ban can be matched
 * but not read back.
 */
@Injectable()
export class BansService implements OnApplicationBootstrap {
  constructor(
    private readonly bans: BansRepository,
    private readonly crypto: CryptoService,
    private readonly sites: SitesService,
    private readonly audit: AuditService,
    @InjectPinoLogger(BansService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * Bans made before hashes-only still hold the encrypted address: replace it by the masked
   * forms (recomputing the hashes under the current key). Idempotent; every replica may run it.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      let converted = 0;
      for (;;) {
        const rows = await this.bans.findLegacy(200);
        if (!rows.length) break;
        for (const row of rows) {
          const value = JSON.parse(this.crypto.decryptText(row.ciphertext, row.keyId)) as {
            email: string | null;
            ip: string | null;
          };
          await this.bans.replaceLegacyValue(row.id, {
            emailMasked: value.email ? maskEmail(value.email) : null,
            ipMasked: value.ip ? maskIp(value.ip) : null,
            emailIndex: value.email ? this.crypto.emailIndex(value.email) : null,
            ipIndex: value.ip ? this.crypto.ipIndex(value.ip) : null,
          });
          converted++;
        }
      }
      if (converted) this.logger.info({ converted }, 'Bans now hold hashes only');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Could not convert the older bans');
    }
  }

  async create(principal: Principal, dto: CreateBanDto, now = new Date()): Promise<BanView> {
    if (!dto.email && !dto.ip) {
      throw new ValidationFailedError([
        { field: 'email', message: 'give an email, an ip, or both' },
      ]);
    }
    if (dto.expiresAt && new Date(dto.expiresAt) <= now) {
      throw new ValidationFailedError([
        { field: 'expiresAt', message: 'expiresAt must be in the future' },
      ]);
    }
    if (dto.siteId) {
      if (!canAccessSite(principal, dto.siteId)) {
        throw new ForbiddenError('This token may not moderate that site.');
      }
      await this.sites.get(dto.siteId);
    } else if (principal.siteIds !== null) {
      throw new ForbiddenError('A site-scoped token must name the site of the ban.');
    }
    const row = await this.bans.insert({
      siteId: dto.siteId ?? null,
      emailIndex: dto.email ? this.crypto.emailIndex(dto.email) : null,
      ipIndex: dto.ip ? this.crypto.ipIndex(dto.ip) : null,
      emailMasked: dto.email ? maskEmail(dto.email) : null,
      ipMasked: dto.ip ? maskIp(dto.ip) : null,
      reason: dto.reason,
      expiresAt: dto.expiresAt ? new Date(dto.expiresAt) : null,
      createdBy: principal.actor,
    });
    await this.audit.record({
      actor: principal.actor,
      action: 'ban.create',
      targetType: 'ban',
      targetId: row.id,
      siteId: row.siteId,
      reason: dto.reason,
      details: {
        byEmail: Boolean(dto.email),
        byIp: Boolean(dto.ip),
        expiresAt: dto.expiresAt ?? null,
      },
    });
    return this.toView(principal, row, now);
  }

  async list(principal: Principal, siteId?: string, now = new Date()): Promise<BanView[]> {
    if (siteId && !canAccessSite(principal, siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    const rows = await this.bans.list(siteId ? [siteId] : principal.siteIds);
    return rows.map((row) => this.toView(principal, row, now));
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const row = await this.bans.findById(id);
    if (!row) throw new NotFoundError('There is no such ban.');
    if (row.siteId === null ? principal.siteIds !== null : !canAccessSite(principal, row.siteId)) {
      throw new ForbiddenError('This token may not lift that ban.');
    }
    await this.bans.delete(id);
    await this.audit.record({
      actor: principal.actor,
      action: 'ban.delete',
      targetType: 'ban',
      targetId: id,
      siteId: row.siteId,
    });
  }

  /**
   * For each author (a worker's batch), the active ban that matches their blind indexes on
   * their site, if any: one query for the whole batch.
   */
  findActiveAll(
    authors: Array<{
      siteId: string;
      emailIndex: Buffer | null;
      ipIndex: Buffer | null;
      emailCiphertext?: Buffer | null;
      emailKeyId?: string | null;
    }>,
    now: Date,
  ): Promise<Array<{ id: string; reason: string } | null>> {
    return this.bans.findActiveAll(
      authors.map((author) => {
        let emails = author.emailIndex ? [author.emailIndex] : [];
        // During a key rotation, bans hashed under a former key (bans cannot be re-hashed: they
        // do not hold the address) still match: the author's address is hashed under every key.
        if (this.crypto.keyCount > 1 && author.emailCiphertext && author.emailKeyId) {
          emails = this.crypto.emailIndexes(
            this.crypto.decryptEmail(author.emailCiphertext, author.emailKeyId),
          );
        }
        return { siteId: author.siteId, emails, ips: author.ipIndex ? [author.ipIndex] : [] };
      }),
      now,
    );
  }

  /** Bans of an address (privacy export): what was banned, where, why and until when. */
  async forEmail(email: string, now = new Date()): Promise<BanView[]> {
    const rows = await this.bans.findByEmailIndexes(this.crypto.emailIndexes(email));
    return rows.map((row) => this.toView(null, row, now));
  }

  /** `principal` null: the whole view (privacy export, done by an admin). */
  private toView(principal: Principal | null, row: BanRow, now: Date): BanView {
    // A site-scoped token sees bans that apply on its sites, but not whom a ban outside its
    // sites (or on every site) names.
    const mine =
      principal === null ||
      principal.siteIds === null ||
      (row.siteId !== null && canAccessSite(principal, row.siteId));
    return {
      id: row.id,
      siteId: row.siteId,
      email: mine ? row.emailMasked : null,
      ip: mine ? row.ipMasked : null,
      reason: row.reason,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      active: row.expiresAt === null || row.expiresAt > now,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
    };
  }
}
