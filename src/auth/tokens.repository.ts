import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ApiTokenEntity, type TokenRole } from './api-token.entity.js';

@Injectable()
export class TokensRepository {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly repo: Repository<ApiTokenEntity>,
  ) {}

  /** A token neither revoked nor expired. */
  async findActiveByHash(tokenHash: Buffer, now = new Date()): Promise<ApiTokenEntity | null> {
    const row = await this.repo.findOne({ where: { tokenHash, revokedAt: IsNull() } });
    return row && (row.expiresAt === null || row.expiresAt > now) ? row : null;
  }

  async isActive(id: string): Promise<boolean> {
    const rows: unknown[] = await this.repo.query(
      `SELECT 1 FROM api_tokens
       WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [id],
    );
    return rows.length > 0;
  }

  /** Records use, at most once a minute per token, so reads do not become writes. */
  async touchLastUsed(id: string): Promise<void> {
    await this.repo.query(
      `UPDATE api_tokens SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  create(input: {
    name: string;
    role: TokenRole;
    siteIds: string[] | null;
    tokenHash: Buffer;
    expiresAt: Date | null;
  }): Promise<ApiTokenEntity> {
    return this.repo.save(this.repo.create({ ...input, lastUsedAt: null, revokedAt: null }));
  }

  listActive(): Promise<ApiTokenEntity[]> {
    return this.repo.find({ where: { revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }
}
