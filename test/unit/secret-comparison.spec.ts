import { jest } from '@jest/globals';
import * as nodeCrypto from 'node:crypto';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';

/**
 * Every secret the service checks (reader receipts, the bootstrap admin token, stored API
 * tokens, the metrics token, mail-link MACs, webhook signatures) is checked through the real
 * code path, as a property: the right value is accepted, every value of the same length that
 * differs anywhere is refused, and the decision is made by `crypto.timingSafeEqual` on the
 * whole value (recorded here by wrapping it), the same number of times whatever the input.
 * A `===`, a `Buffer.equals`, a comparison with itself or a short-circuit fails one of these.
 * No timing is measured: constant time is the primitive's promise, the tests check it is used.
 */
const compared: Array<{ given: Buffer; expected: Buffer }> = [];
jest.unstable_mockModule('node:crypto', () => ({
  ...nodeCrypto,
  timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView): boolean => {
    compared.push({ given: Buffer.from(a as Uint8Array), expected: Buffer.from(b as Uint8Array) });
    return nodeCrypto.timingSafeEqual(a, b);
  },
}));

const { loadConfig } = await import('../../src/config/app.config.js');
const { CryptoService } = await import('../../src/common/crypto/crypto.service.js');
const { TokensService } = await import('../../src/auth/tokens.service.js');
const { MetricsController } = await import('../../src/metrics/metrics.controller.js');
const { SubscriptionTokens } = await import('../../src/notifications/subscription-tokens.js');
const { signWebhook, verifyWebhook, newWebhookSecret } =
  await import('../../src/events/webhook-signature.js');
type TokensRepository = import('../../src/auth/tokens.repository.js').TokensRepository;
type AuditService = import('../../src/audit/audit.service.js').AuditService;
type MetricsService = import('../../src/metrics/metrics.service.js').MetricsService;

const ADMIN = 'admin-token-0123456789abcdefghij';
const METRICS = 'metrics-token-0123456789abcdefgh';
const config = loadConfig({
  SECRET_KEY: randomBytes(32).toString('base64'),
  // A rotation in progress: receipts and mail links are checked against both keys.
  SECRET_KEY_PREVIOUS: randomBytes(32).toString('base64'),
  ADMIN_TOKEN: ADMIN,
  METRICS_TOKEN: METRICS,
});
const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** A change of one byte of `value` (anywhere, by any non-zero difference). */
const byteFlip = (length: number) =>
  fc.record({
    at: fc.integer({ min: 0, max: length - 1 }),
    by: fc.integer({ min: 1, max: 255 }),
  });
const flipped = (value: Buffer, { at, by }: { at: number; by: number }): Buffer => {
  const copy = Buffer.from(value);
  copy[at] = copy[at] ^ by;
  return copy;
};

/** A change of one character of a token string, to another printable character. */
const charChange = (length: number) =>
  fc.record({
    at: fc.integer({ min: 0, max: length - 1 }),
    to: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  });
const changed = (value: string, { at, to }: { at: number; to: string }): string =>
  value.slice(0, at) + (value[at] === to ? (to === 'A' ? 'B' : 'A') : to) + value.slice(at + 1);

/** Runs `check` and returns what it decided with the comparisons it made. */
function recording<T>(check: () => T): { result: T; calls: typeof compared } {
  compared.length = 0;
  const result = check();
  return { result, calls: compared.splice(0) };
}
async function recordingAsync<T>(check: () => Promise<T>): Promise<{
  result: T;
  calls: typeof compared;
}> {
  compared.length = 0;
  const result = await check();
  return { result, calls: compared.splice(0) };
}

describe('secrets are compared whole, in constant time', () => {
  it('reader receipts: the right one verifies, any other of its length does not, each key compared', () => {
    const crypto = new CryptoService(config);
    const id = randomUUID();
    const receipt = crypto.receiptFor(id);
    const right = recording(() => crypto.verifyReceipt(id, receipt));
    expect(right.result).toBe(true);
    // Both keys, without stopping at the first match.
    expect(right.calls.map((c) => c.given.toString('base64url'))).toEqual([receipt, receipt]);
    fc.assert(
      fc.property(byteFlip(18), (flip) => {
        const wrong = flipped(Buffer.from(receipt, 'base64url'), flip).toString('base64url');
        const { result, calls } = recording(() => crypto.verifyReceipt(id, wrong));
        expect(result).toBe(false);
        expect(calls.map((c) => c.given.toString('base64url'))).toEqual([wrong, wrong]);
        expect(calls.map((c) => c.expected.length)).toEqual([18, 18]);
      }),
    );
  });

  it('the bootstrap admin token: by digest, in constant time; any other token of its length is not admin', async () => {
    const lookedUp: Buffer[] = [];
    const repo = {
      findActiveByHash: (hash: Buffer) => {
        lookedUp.push(hash);
        return Promise.resolve(null);
      },
      touchLastUsed: () => Promise.resolve(),
    } as unknown as TokensRepository;
    const tokens = new TokensService(repo, {} as AuditService, config);
    const right = await recordingAsync(() => tokens.authenticate(ADMIN));
    expect(right.result).toMatchObject({ tokenId: 'bootstrap', role: 'admin' });
    expect(right.calls).toEqual([{ given: sha256(ADMIN), expected: sha256(ADMIN) }]);
    await fc.assert(
      fc.asyncProperty(charChange(ADMIN.length), async (change) => {
        const wrong = changed(ADMIN, change);
        lookedUp.length = 0;
        const { result, calls } = await recordingAsync(() => tokens.authenticate(wrong));
        expect(result).toBeNull();
        expect(calls).toEqual([{ given: sha256(wrong), expected: sha256(ADMIN) }]);
        // Stored tokens are found by the SHA-256 of the token, never by the token itself.
        expect(lookedUp).toEqual([sha256(wrong)]);
      }),
    );
  });

  it('the metrics token: by digest, in constant time; any other bearer of its length is refused', async () => {
    const metrics = { render: () => Promise.resolve('# metrics') } as unknown as MetricsService;
    const controller = new MetricsController(metrics, config);
    const right = await recordingAsync(() => controller.render(`Bearer ${METRICS}`));
    expect(right.result).toBe('# metrics');
    expect(right.calls).toEqual([{ given: sha256(METRICS), expected: sha256(METRICS) }]);
    await fc.assert(
      fc.asyncProperty(charChange(METRICS.length), async (change) => {
        const wrong = changed(METRICS, change);
        compared.length = 0;
        await expect(
          Promise.resolve().then(() => controller.render(`Bearer ${wrong}`)),
        ).rejects.toThrow(/METRICS_TOKEN/);
        expect(compared.splice(0)).toEqual([{ given: sha256(wrong), expected: sha256(METRICS) }]);
      }),
    );
  });

  it('mail links: the signed MAC verifies, any other of its length does not, each key compared', () => {
    const links = new SubscriptionTokens(new CryptoService(config));
    const id = randomUUID();
    const token = links.sign('unsubscribe', id);
    const mac = token.split('.')[3];
    const right = recording(() => links.verify('unsubscribe', token));
    expect(right.result).toBe(id);
    expect(right.calls.map((c) => c.given.toString())).toEqual([mac, mac]);
    fc.assert(
      fc.property(charChange(mac.length), (change) => {
        const wrongMac = changed(mac, change);
        const wrong = `${token.slice(0, token.length - mac.length)}${wrongMac}`;
        const { result, calls } = recording(() => links.verify('unsubscribe', wrong));
        expect(result).toBeNull();
        expect(calls.map((c) => c.given.toString())).toEqual([wrongMac, wrongMac]);
      }),
    );
  });

  it('webhook signatures: the right one verifies, any other of its length does not', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'comment.approved', data: { id: randomUUID() } });
    const now = 1_800_000_000;
    const headers = (signature: string) => ({ id: 'msg_1', timestamp: String(now), signature });
    const signature = signWebhook(secret, 'msg_1', now, body);
    const expected = Buffer.from(signature.slice(3), 'base64');
    const right = recording(() =>
      verifyWebhook(secret, headers(signature), body, { nowSeconds: now }),
    );
    expect(right.result).toBe(true);
    expect(right.calls).toEqual([{ given: expected, expected }]);
    fc.assert(
      fc.property(byteFlip(expected.length), (flip) => {
        const wrong = flipped(expected, flip);
        const { result, calls } = recording(() =>
          verifyWebhook(secret, headers(`v1,${wrong.toString('base64')}`), body, {
            nowSeconds: now,
          }),
        );
        expect(result).toBe(false);
        expect(calls).toEqual([{ given: wrong, expected }]);
      }),
    );
  });
});
