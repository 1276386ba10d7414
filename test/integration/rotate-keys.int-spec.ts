import { DataSource } from 'typeorm';
import { rotateBanKeys, rotateKeys } from '../../src/cli/rotate-keys.js';
import { CryptoService } from '../../src/common/crypto/crypto.service.js';
import { loadConfig } from '../../src/config/app.config.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { submit } from '../utils/api.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../utils/test-app.js';

describe('key rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
  });
  afterAll(() => t.close());

  it('re-encrypts every email under the new key and re-indexes it', async () => {
    const emails = ['one@example.org', 'two@example.org'];
    for (const email of emails) {
      expect((await submit(t, uniqueArticle(), makeComment({ email }))).status).toBe(202);
    }
    const oldKey = t.config.secrets.current.toString('base64');
    const newKey = Buffer.from('n'.repeat(40)).toString('base64');
    const rotatedConfig = loadConfig({ SECRET_KEY: newKey, SECRET_KEY_PREVIOUS: oldKey });
    const crypto = new CryptoService(rotatedConfig);
    const db = t.app.get(DataSource);

    const ban = await t.http
      .post('/v1/moderation/bans')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ email: 'two@example.org', ip: '192.0.2.5', reason: 'test' });
    expect(ban.status).toBe(201);

    // A confirmed reply-mail subscription (it keeps only the blind index) follows its comments.
    await db.query(
      `INSERT INTO subscriptions (site_id, email_index, confirmed_at) VALUES ('default', $1, now())`,
      [new CryptoService(t.config).emailIndex('one@example.org')],
    );

    expect(await rotateKeys(db, crypto)).toBe(2);
    const [subscription] = await db.query(`SELECT email_index FROM subscriptions`);
    expect(subscription.email_index.toString('hex')).toBe(
      crypto.emailIndex('one@example.org').toString('hex'),
    );
    expect(await rotateBanKeys(db, crypto)).toBe(1);
    expect(await rotateBanKeys(db, crypto)).toBe(0);
    const [banRow] = await db.query(`SELECT email_index, ip_index FROM bans`);
    expect(banRow.email_index.toString('hex')).toBe(
      crypto.emailIndex('two@example.org').toString('hex'),
    );
    expect(banRow.ip_index.toString('hex')).toBe(crypto.ipIndex('192.0.2.5').toString('hex'));
    expect(await rotateKeys(db, crypto)).toBe(0);

    const rows = await db.query(
      `SELECT email_ciphertext, email_key_id, email_index FROM comments ORDER BY created_at`,
    );
    const onlyNewKey = new CryptoService(loadConfig({ SECRET_KEY: newKey }));
    expect(rows.map((r: { email_key_id: string }) => r.email_key_id)).toEqual([
      onlyNewKey.currentKeyId,
      onlyNewKey.currentKeyId,
    ]);
    expect(
      rows.map((r: { email_ciphertext: Buffer; email_key_id: string }) =>
        onlyNewKey.decryptEmail(r.email_ciphertext, r.email_key_id),
      ),
    ).toEqual(emails);
    expect(rows.map((r: { email_index: Buffer }) => r.email_index.toString('hex'))).toEqual(
      emails.map((e) => onlyNewKey.emailIndex(e).toString('hex')),
    );
  });
});
