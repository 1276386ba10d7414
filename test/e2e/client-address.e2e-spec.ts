import { DataSource } from 'typeorm';
import { CryptoService } from '../../src/common/crypto/crypto.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

async function storedIpIndex(t: TestApp, forwardedFor: string): Promise<string> {
  const res = await t.http
    .post(`/v1/sites/default/articles/${uniqueArticle()}/comments`)
    .set('content-type', 'application/json')
    .set('X-Forwarded-For', forwardedFor)
    .send(makeComment());
  expect(res.status).toBe(202);
  const [row] = await t.app
    .get(DataSource)
    .query(`SELECT ip_index FROM comments WHERE id = $1`, [res.body.id]);
  return (row.ip_index as Buffer).toString('hex');
}

describe('TRUST_PROXY decides which client address is believed', () => {
  it('believes X-Forwarded-For from a trusted proxy', async () => {
    const t = await createTestApp({ role: 'api', env: { TRUST_PROXY: 'loopback' } });
    try {
      const crypto = t.app.get(CryptoService);
      expect(await storedIpIndex(t, '203.0.113.7')).toBe(
        crypto.ipIndex('203.0.113.7').toString('hex'),
      );
    } finally {
      await t.close();
    }
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const t = await createTestApp({ role: 'api' });
    try {
      const crypto = t.app.get(CryptoService);
      const stored = await storedIpIndex(t, '203.0.113.7');
      expect(stored).not.toBe(crypto.ipIndex('203.0.113.7').toString('hex'));
      expect(
        ['127.0.0.1', '::ffff:127.0.0.1', '::1'].map((ip) => crypto.ipIndex(ip).toString('hex')),
      ).toContain(stored);
    } finally {
      await t.close();
    }
  });
});
