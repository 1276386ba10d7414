import { DataSource } from 'typeorm';
import { CryptoService } from '../../src/common/crypto/crypto.service.js';
import { loadConfig } from '../../src/config/app.config.js';
import { rotateWebhookSecrets } from '../../src/events/webhooks/webhook-secrets.rotation.js';
import { auth } from '../utils/api.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('webhook endpoint secrets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
  });
  afterAll(() => t.close());

  it('are stored encrypted and re-encrypted under a new SECRET_KEY', async () => {
    const res = await t.http
      .post('/v1/admin/webhooks')
      .set(auth())
      .send({ url: 'https://hooks.example/comments', events: ['comment.approved'] });
    expect(res.status).toBe(201);
    const secret: string = res.body.secret;
    const db = t.app.get(DataSource);
    const [stored] = await db.query(
      `SELECT secret_ciphertext AS c, secret_key_id AS k FROM webhook_endpoints`,
    );
    expect(stored.c.toString('latin1')).not.toContain(secret.slice(6));
    expect(t.app.get(CryptoService).decryptText(stored.c, stored.k)).toBe(secret);

    const rotated = new CryptoService(
      loadConfig({
        SECRET_KEY: Buffer.from('w'.repeat(40)).toString('base64'),
        SECRET_KEY_PREVIOUS: t.config.secrets.current.toString('base64'),
      }),
    );
    expect(await rotateWebhookSecrets(db, rotated)).toBe(1);
    expect(await rotateWebhookSecrets(db, rotated)).toBe(0);
    const [after] = await db.query(
      `SELECT secret_ciphertext AS c, secret_key_id AS k FROM webhook_endpoints`,
    );
    expect(after.k).toBe(rotated.currentKeyId);
    expect(rotated.decryptText(after.c, after.k)).toBe(secret);
  });
});
