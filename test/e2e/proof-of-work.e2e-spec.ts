import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { DataSource } from 'typeorm';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { putSite, submit, waitForStatus } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('proof of work (ALTCHA)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { POW_MAX_COUNTER: '2000' } });
    await putSite(t, 'pow-site', {
      name: 'PoW',
      settings: { requireProofOfWork: true, moderation: { mode: 'post' } },
    });
  });
  afterAll(() => t.close());

  async function solvedPayload(): Promise<string> {
    const res = await t.http.get('/v1/challenge');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const challenge = res.body as Challenge;
    expect(challenge.signature).toEqual(expect.any(String));
    const solution = await solveChallenge({ challenge, deriveKey });
    expect(solution).not.toBeNull();
    return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
  }

  const powOf = async (id: string) =>
    (await t.app.get(DataSource).query(`SELECT pow_verified FROM comments WHERE id = $1`, [id]))[0]
      .pow_verified as boolean | null;

  it('accepts a solved challenge once and publishes the comment', async () => {
    const payload = await solvedPayload();
    const first = await submit(
      t,
      uniqueArticle(),
      { ...makeComment(), altcha: payload },
      { siteId: 'pow-site' },
    );
    expect(first.status).toBe(202);
    expect(await powOf(first.body.id)).toBe(true);
    const published = await waitForStatus(t, first.body.id, ['approved', 'held', 'spam']);
    expect(published.status).toBe('approved');

    const replay = await submit(
      t,
      uniqueArticle(),
      { ...makeComment(), altcha: payload },
      { siteId: 'pow-site' },
    );
    expect(replay.status).toBe(202);
    expect(await powOf(replay.body.id)).toBe(false);
    const held = await waitForStatus(t, replay.body.id, ['approved', 'held', 'spam']);
    expect(held.status).not.toBe('approved');
    expect(held.reasons.map((r: { code: string }) => r.code)).toContain('pow-invalid');
  });

  it('holds a comment without proof where the site requires it', async () => {
    const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'pow-site' });
    expect(res.status).toBe(202);
    expect(await powOf(res.body.id)).toBeNull();
    const item = await waitForStatus(t, res.body.id, ['approved', 'held', 'spam']);
    expect(item.status).toBe('held');
    expect(item.reasons.map((r: { code: string }) => r.code)).toContain('pow-missing');
  });

  it('rejects a forged solution', async () => {
    const res = await t.http.get('/v1/challenge');
    const forged = Buffer.from(
      JSON.stringify({
        challenge: res.body,
        solution: { counter: 1, derivedKey: '00'.repeat(32) },
      }),
    ).toString('base64');
    const sub = await submit(
      t,
      uniqueArticle(),
      { ...makeComment(), altcha: forged },
      { siteId: 'pow-site' },
    );
    expect(sub.status).toBe(202);
    expect(await powOf(sub.body.id)).toBe(false);
  });
});
