import { DataSource } from 'typeorm';
import { KEY_ROTATIONS } from '../../src/cli/rotate-keys.js';
import { runKeyRotations } from '../../src/common/crypto/key-rotation.js';
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

    // A reader's flag with a contact address, encrypted under the former key.
    const former = new CryptoService(t.config);
    const contact = former.encryptEmail('reader@example.org');
    const [{ id: commentId }] = await db.query(`SELECT id FROM comments LIMIT 1`);
    await db.query(
      `INSERT INTO comment_flags (comment_id, site_id, reason, email_ciphertext, email_key_id,
         email_index) VALUES ($1, 'default', 'spam', $2, $3, $4)`,
      [commentId, contact.ciphertext, contact.keyId, former.emailIndex('reader@example.org')],
    );

    const rotate = () => runKeyRotations(KEY_ROTATIONS, db, crypto);
    expect(await rotate()).toMatchObject({ emails: 2, 'flag contacts': 1, bans: 0 });
    const [flag] = await db.query(
      `SELECT email_ciphertext, email_key_id, email_index FROM comment_flags`,
    );
    const newOnly = new CryptoService(loadConfig({ SECRET_KEY: newKey }));
    expect(newOnly.decryptEmail(flag.email_ciphertext, flag.email_key_id)).toBe(
      'reader@example.org',
    );
    expect(flag.email_index.toString('hex')).toBe(
      newOnly.emailIndex('reader@example.org').toString('hex'),
    );
    const [subscription] = await db.query(`SELECT email_index FROM subscriptions`);
    expect(subscription.email_index.toString('hex')).toBe(
      crypto.emailIndex('one@example.org').toString('hex'),
    );
    // Bans hold hashes only: nothing to re-encrypt (they match under the former key while it
    // is in SECRET_KEY_PREVIOUS); an older ban that held the encrypted address is finished.
    const oldCrypto = new CryptoService(loadConfig({ SECRET_KEY: oldKey }));
    const legacy = oldCrypto.encryptText(JSON.stringify({ email: 'three@example.org', ip: null }));
    await db.query(
      `INSERT INTO bans (email_index, value_ciphertext, value_key_id, reason, created_by)
       VALUES ($1, $2, $3, 'legacy', 'test')`,
      [oldCrypto.emailIndex('three@example.org'), legacy.ciphertext, legacy.keyId],
    );
    expect((await rotate()).bans).toBe(1);
    expect(await rotate()).toMatchObject({ emails: 0, 'flag contacts': 0, bans: 0 });
    const [banRow] = await db.query(
      `SELECT email_index, email_masked, value_ciphertext FROM bans WHERE reason = 'legacy'`,
    );
    expect(banRow.email_index.toString('hex')).toBe(
      crypto.emailIndex('three@example.org').toString('hex'),
    );
    expect(banRow).toMatchObject({ email_masked: 't***@e***.org', value_ciphertext: null });

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

  it('recomputes avatar tags per site, in comments and stored events (tags from before linked sites)', async () => {
    const db = t.app.get(DataSource);
    // The first test rotated the stored addresses to a new key: read them with both keys.
    const crypto = new CryptoService(
      loadConfig({
        SECRET_KEY: Buffer.from('n'.repeat(40)).toString('base64'),
        SECRET_KEY_PREVIOUS: t.config.secrets.current.toString('base64'),
      }),
    );
    const email = 'linked@example.org';
    const res = await submit(t, uniqueArticle(), makeComment({ email }));
    expect(res.status).toBe(202);
    // As a comment stored before avatars were keyed by site: one tag for every site.
    await db.query(`UPDATE comments SET author_avatar = 'deadbeef' WHERE id = $1`, [res.body.id]);
    await db.query(
      `UPDATE outbox_events SET data = jsonb_set(data, '{comment,author,avatar}', '"deadbeef"')
       WHERE subject = $1`,
      [`comments/${res.body.id}`],
    );
    expect((await runKeyRotations(KEY_ROTATIONS, db, crypto)).avatars).toBeGreaterThanOrEqual(1);
    expect((await runKeyRotations(KEY_ROTATIONS, db, crypto)).avatars).toBe(0);
    const expected = crypto.avatarTag('default', email);
    const [row] = await db.query(`SELECT author_avatar FROM comments WHERE id = $1`, [res.body.id]);
    expect(row.author_avatar).toBe(expected);
    const events = await db.query(
      `SELECT data->'comment'->'author'->>'avatar' AS avatar FROM outbox_events WHERE subject = $1`,
      [`comments/${res.body.id}`],
    );
    expect(events.map((e: { avatar: string }) => e.avatar)).toEqual([expected]);
  });
});
