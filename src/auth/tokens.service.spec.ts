import { CryptoService } from '../common/crypto/crypto.service.js';
import { ForbiddenError, ValidationFailedError } from '../common/errors/domain.errors.js';
import type { AppConfig } from '../config/app.config.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ApiTokenEntity } from './api-token.entity.js';
import type { Principal } from './principal.js';
import type { TokensRepository } from './tokens.repository.js';
import { assertNotBroader, TokensService } from './tokens.service.js';

const GLOBAL_ADMIN: Principal = {
  tokenId: 'bootstrap',
  role: 'admin',
  siteIds: null,
  actor: 'bootstrap-admin',
};

function service(rows: Partial<ApiTokenEntity>[] = []) {
  const created: unknown[] = [];
  const repo = {
    findActiveByHash: (hash: Buffer) =>
      Promise.resolve(
        (rows.find((r) => r.tokenHash?.equals(hash)) as ApiTokenEntity | undefined) ?? null,
      ),
    touchLastUsed: () => Promise.resolve(),
    create: (input: Record<string, unknown>) => {
      created.push(input);
      return Promise.resolve({ id: 'new-id', ...input } as unknown as ApiTokenEntity);
    },
  } as unknown as TokensRepository;
  const audit = { record: () => Promise.resolve() } as unknown as AuditService;
  return {
    tokens: new TokensService(repo, audit, { adminToken: null } as unknown as AppConfig),
    created,
  };
}

describe('TokensService', () => {
  it('refuses to mint an admin token limited to sites, whoever asks', async () => {
    const { tokens, created } = service();
    await expect(
      tokens.create(GLOBAL_ADMIN, { name: 'x', role: 'admin', siteIds: ['default'] }),
    ).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(
      tokens.create(GLOBAL_ADMIN, { name: 'x', role: 'moderator', siteIds: [] }),
    ).rejects.toBeInstanceOf(ValidationFailedError);
    expect(created).toEqual([]);
  });

  it('mints global admins and scoped moderators', async () => {
    const { tokens, created } = service();
    await tokens.create(GLOBAL_ADMIN, { name: 'a', role: 'admin' });
    await tokens.create(GLOBAL_ADMIN, { name: 'm', role: 'moderator', siteIds: ['a', 'a', 'b'] });
    expect(created).toEqual([
      expect.objectContaining({ role: 'admin', siteIds: null }),
      expect.objectContaining({ role: 'moderator', siteIds: ['a', 'b'] }),
    ]);
  });

  it('does not authenticate a stored admin token limited to sites', async () => {
    const legacy = CryptoService.newToken();
    const moderator = CryptoService.newToken();
    const { tokens } = service([
      { id: 'l', role: 'admin', siteIds: ['default'], tokenHash: CryptoService.hashToken(legacy) },
      {
        id: 'm',
        role: 'moderator',
        siteIds: ['default'],
        tokenHash: CryptoService.hashToken(moderator),
      },
    ]);
    expect(await tokens.authenticate(legacy)).toBeNull();
    expect(await tokens.authenticate(moderator)).toMatchObject({
      role: 'moderator',
      siteIds: ['default'],
    });
  });
});

describe('assertNotBroader', () => {
  const scoped = (role: Principal['role'], siteIds: string[]) => ({ role, siteIds });

  it('lets a global admin create anything', () => {
    for (const wanted of [
      { role: 'admin' as const, siteIds: null },
      { role: 'moderator' as const, siteIds: null },
      { role: 'service' as const, siteIds: ['a'] },
    ]) {
      expect(() => assertNotBroader(GLOBAL_ADMIN, wanted)).not.toThrow();
    }
  });

  it.each([
    ['a scoped caller, an admin', scoped('moderator', ['a']), 'admin', null],
    ['a scoped caller, an unscoped token', scoped('moderator', ['a']), 'moderator', null],
    ['a scoped caller, another site', scoped('service', ['a']), 'service', ['a', 'b']],
    ['a global moderator, an admin', { role: 'moderator' as const, siteIds: null }, 'admin', null],
  ] as const)('refuses %s', (_what, actor, role, siteIds) => {
    expect(() =>
      assertNotBroader(actor, { role, siteIds: siteIds === null ? null : [...siteIds] }),
    ).toThrow(ForbiddenError);
  });

  it('lets a scoped caller create a token within its own sites', () => {
    expect(() =>
      assertNotBroader(scoped('moderator', ['a', 'b']), { role: 'moderator', siteIds: ['b'] }),
    ).not.toThrow();
  });
});
