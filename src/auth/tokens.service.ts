import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import {
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
} from '../common/errors/domain.errors.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { ApiTokenEntity, TokenRole } from './api-token.entity.js';
import type { Principal } from './principal.js';
import { TokensRepository } from './tokens.repository.js';

export interface TokenView {
  id: string;
  name: string;
  role: TokenRole;
  siteIds: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** null: valid until revoked. */
  expiresAt: string | null;
}

@Injectable()
export class TokensService {
  private readonly adminTokenHash: Buffer | null;

  constructor(
    private readonly tokens: TokensRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminTokenHash = config.adminToken ? CryptoService.hashToken(config.adminToken) : null;
  }

  /** The principal behind a bearer token, or null. Constant-time for the bootstrap token. */
  async authenticate(token: string): Promise<Principal | null> {
    if (!token || token.length > 512) return null;
    const hash = CryptoService.hashToken(token);
    if (this.adminTokenHash && timingSafeEqual(hash, this.adminTokenHash)) {
      return { tokenId: 'bootstrap', role: 'admin', siteIds: null, actor: 'bootstrap-admin' };
    }
    // Looked up by hash: equality on a digest leaks nothing useful about the token.
    const row = await this.tokens.findActiveByHash(hash);
    if (!row) return null;
    // Admin is global: an admin row limited to sites (minted before such tokens were refused)
    // would reach every site through the admin routes, which never look at sites. Fail closed.
    if (row.role === 'admin' && row.siteIds !== null) return null;
    await this.tokens.touchLastUsed(row.id);
    return { tokenId: row.id, role: row.role, siteIds: row.siteIds, actor: `token:${row.id}` };
  }

  /**
   * Whether a principal authenticated earlier still holds (its token not revoked since): open
   * streams ask this every few seconds. The bootstrap token lives as long as the process.
   */
  async stillValid(principal: Principal): Promise<boolean> {
    if (principal.tokenId === 'bootstrap') return this.adminTokenHash !== null;
    return this.tokens.isActive(principal.tokenId);
  }

  async create(
    actor: Principal,
    input: { name: string; role: TokenRole; siteIds?: string[] | null; expiresAt?: string },
    now = new Date(),
  ): Promise<{ id: string; token: string }> {
    const siteIds = input.siteIds ?? null;
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt <= now) {
      throw new ValidationFailedError([
        { field: 'expiresAt', message: 'expiresAt must be in the future' },
      ]);
    }
    // The DTO refuses both already; kept here so that no other caller can mint either.
    if (siteIds !== null && input.role === 'admin') {
      throw new ValidationFailedError([
        { field: 'siteIds', message: 'an admin token is global and cannot be limited to sites' },
      ]);
    }
    if (siteIds !== null && siteIds.length === 0) {
      throw new ValidationFailedError([
        { field: 'siteIds', message: 'siteIds must name at least one site' },
      ]);
    }
    assertNotBroader(actor, { role: input.role, siteIds });
    const token = CryptoService.newToken();
    const row = await this.tokens.create({
      name: input.name,
      role: input.role,
      siteIds: siteIds ? [...new Set(siteIds)] : null,
      tokenHash: CryptoService.hashToken(token),
      expiresAt,
    });
    await this.audit.record({
      actor: actor.actor,
      action: 'token.create',
      targetType: 'token',
      targetId: row.id,
      details: {
        name: row.name,
        role: row.role,
        siteIds: row.siteIds,
        expiresAt: row.expiresAt?.toISOString() ?? null,
      },
    });
    return { id: row.id, token };
  }

  async list(): Promise<TokenView[]> {
    return (await this.tokens.listActive()).map(toView);
  }

  async revoke(actor: Principal, id: string): Promise<void> {
    if (!(await this.tokens.revoke(id))) throw new NotFoundError('There is no such token.');
    await this.audit.record({
      actor: actor.actor,
      action: 'token.revoke',
      targetType: 'token',
      targetId: id,
    });
  }
}

/**
 * A token never creates one that reaches more than itself: a caller limited to sites may only
 * create tokens limited to (some of) its own sites, and never an admin token. Only admins create
 * tokens and admins are global, so today this only guards against a future caller.
 */
export function assertNotBroader(
  actor: Pick<Principal, 'role' | 'siteIds'>,
  wanted: { role: TokenRole; siteIds: string[] | null },
): void {
  if (actor.role !== 'admin' && wanted.role === 'admin') {
    throw new ForbiddenError('Only an admin token may create an admin token.');
  }
  if (actor.siteIds === null) return;
  const own = actor.siteIds;
  if (
    wanted.role === 'admin' ||
    wanted.siteIds === null ||
    wanted.siteIds.some((s) => !own.includes(s))
  ) {
    throw new ForbiddenError(
      'A token limited to sites may not create a token that reaches more sites.',
    );
  }
}

function toView(row: ApiTokenEntity): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    siteIds: row.siteIds,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}
