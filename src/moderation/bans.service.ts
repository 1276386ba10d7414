import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { canAccessSite, type Principal } from '../auth/principal.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import {
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
} from '../common/errors/domain.errors.js';
import { SitesService } from '../sites/sites.service.js';
import { BansRepository, type BanRow } from './bans.repository.js';
import type { CreateBanDto } from './dto/ban.dto.js';

export interface BanView {
  id: string;
  siteId: string | null;
  email: string | null;
  ip: string | null;
  reason: string;
  expiresAt: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
}

/** Bans by email or client address; matched by blind index, so nothing is stored in clear. */
@Injectable()
export class BansService {
  constructor(
    private readonly bans: BansRepository,
    private readonly crypto: CryptoService,
    private readonly sites: SitesService,
    private readonly audit: AuditService,
  ) {}

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
    const value = this.crypto.encryptText(
      JSON.stringify({ email: dto.email?.toLowerCase() ?? null, ip: dto.ip ?? null }),
    );
    const row = await this.bans.insert({
      siteId: dto.siteId ?? null,
      emailIndex: dto.email ? this.crypto.emailIndex(dto.email) : null,
      ipIndex: dto.ip ? this.crypto.ipIndex(dto.ip) : null,
      valueCiphertext: value.ciphertext,
      valueKeyId: value.keyId,
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
    return this.toView(row, now);
  }

  async list(principal: Principal, siteId?: string, now = new Date()): Promise<BanView[]> {
    if (siteId && !canAccessSite(principal, siteId)) {
      throw new ForbiddenError('This token may not moderate that site.');
    }
    const rows = await this.bans.list(siteId ? [siteId] : principal.siteIds);
    return rows.map((row) => this.toView(row, now));
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

  /** The active ban that matches an author's blind indexes on a site, if any. */
  findActive(
    siteId: string,
    author: { emailIndex: Buffer | null; ipIndex: Buffer | null },
    now: Date,
  ): Promise<{ id: string; reason: string } | null> {
    const emails = author.emailIndex ? [author.emailIndex] : [];
    const ips = author.ipIndex ? [author.ipIndex] : [];
    if (!emails.length && !ips.length) return Promise.resolve(null);
    return this.bans.findActive(siteId, emails, ips, now);
  }

  private toView(row: BanRow, now: Date): BanView {
    const value = JSON.parse(this.crypto.decryptText(row.valueCiphertext, row.valueKeyId)) as {
      email: string | null;
      ip: string | null;
    };
    return {
      id: row.id,
      siteId: row.siteId,
      email: value.email,
      ip: value.ip,
      reason: row.reason,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      active: row.expiresAt === null || row.expiresAt > now,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
    };
  }
}
