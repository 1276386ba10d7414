import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { NotFoundError } from '../common/errors/domain.errors.js';
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
    await this.tokens.touchLastUsed(row.id);
    return { tokenId: row.id, role: row.role, siteIds: row.siteIds, actor: `token:${row.id}` };
  }

  async create(
    actor: Principal,
    input: { name: string; role: TokenRole; siteIds?: string[] | null },
  ): Promise<{ id: string; token: string }> {
    const token = CryptoService.newToken();
    const row = await this.tokens.create({
      name: input.name,
      role: input.role,
      siteIds: input.siteIds?.length ? input.siteIds : null,
      tokenHash: CryptoService.hashToken(token),
    });
    await this.audit.record({
      actor: actor.actor,
      action: 'token.create',
      targetType: 'token',
      targetId: row.id,
      details: { name: row.name, role: row.role, siteIds: row.siteIds },
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

function toView(row: ApiTokenEntity): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    siteIds: row.siteIds,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
