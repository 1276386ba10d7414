// `npm run keys:rotate`: after SECRET_KEY changed (old key moved to SECRET_KEY_PREVIOUS),
// re-encrypts every stored email under the current key and recomputes its blind index, in
// batches, so that look-ups (trusted authors, privacy requests, bans) match again. Safe to
// stop and run again; the service keeps running meanwhile.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { loadConfig } from '../config/app.config.js';
import { databaseOptions } from '../database/database.options.js';
import { rotateWebhookSecrets } from '../events/webhook-secrets.rotation.js';
import { progress } from '../common/cli/progress.js';

const BATCH = 500;

export async function rotateKeys(
  db: DataSource,
  crypto: CryptoService,
  onBatch?: (rotated: number) => void,
): Promise<number> {
  let rotated = 0;
  for (;;) {
    const rows: Array<{ id: string; ciphertext: Buffer; keyId: string; oldIndex: Buffer | null }> =
      await db.query(
        `SELECT id, email_ciphertext AS ciphertext, email_key_id AS "keyId",
              email_index AS "oldIndex" FROM comments
       WHERE email_ciphertext IS NOT NULL AND email_key_id <> $1
       ORDER BY id LIMIT $2`,
        [crypto.currentKeyId, BATCH],
      );
    if (rows.length === 0) return rotated;
    await db.transaction(async (manager) => {
      for (const row of rows) {
        const email = crypto.decryptEmail(row.ciphertext, row.keyId);
        const encrypted = crypto.encryptEmail(email);
        await manager.query(
          `UPDATE comments SET email_ciphertext = $2, email_key_id = $3, email_index = $4
           WHERE id = $1 AND email_key_id = $5`,
          [row.id, encrypted.ciphertext, encrypted.keyId, crypto.emailIndex(email), row.keyId],
        );
        // Reply-mail subscriptions keep only the blind index: they follow their comments.
        if (row.oldIndex) {
          await manager.query(
            `UPDATE subscriptions s SET email_index = $2 WHERE email_index = $1
               AND NOT EXISTS (SELECT 1 FROM subscriptions t
                               WHERE t.site_id = s.site_id AND t.email_index = $2)`,
            [row.oldIndex, crypto.emailIndex(email)],
          );
        }
      }
    });
    rotated += rows.length;
    onBatch?.(rotated);
  }
}

/** Bans keep the banned email or address encrypted: re-encrypt and re-index them too. */
export async function rotateBanKeys(db: DataSource, crypto: CryptoService): Promise<number> {
  const rows: Array<{ id: string; ciphertext: Buffer; keyId: string }> = await db.query(
    `SELECT id, value_ciphertext AS ciphertext, value_key_id AS "keyId" FROM bans
     WHERE value_key_id <> $1`,
    [crypto.currentKeyId],
  );
  for (const row of rows) {
    const plain = crypto.decryptText(row.ciphertext, row.keyId);
    const value = JSON.parse(plain) as { email: string | null; ip: string | null };
    const encrypted = crypto.encryptText(plain);
    await db.query(
      `UPDATE bans SET value_ciphertext = $2, value_key_id = $3, email_index = $4, ip_index = $5
       WHERE id = $1 AND value_key_id = $6`,
      [
        row.id,
        encrypted.ciphertext,
        encrypted.keyId,
        value.email ? crypto.emailIndex(value.email) : null,
        value.ip ? crypto.ipIndex(value.ip) : null,
        row.keyId,
      ],
    );
  }
  return rows.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  const db = new DataSource(databaseOptions(config));
  await db.initialize();
  try {
    const crypto = new CryptoService(config);
    const bar = progress('keys:rotate');
    const [{ total }] = await db.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM comments
       WHERE email_ciphertext IS NOT NULL AND email_key_id <> $1`,
      [crypto.currentKeyId],
    );
    bar.step(`${total} email address(es) to re-encrypt under key ${crypto.currentKeyId}`);
    const n = await rotateKeys(db, crypto, (done) => bar.update(done, total, 'emails'));
    bar.step('re-encrypting bans');
    const bans = await rotateBanKeys(db, crypto);
    bar.step('re-encrypting webhook secrets');
    const webhooks = await rotateWebhookSecrets(db, crypto);
    bar.done();
    process.stdout.write(
      `Re-encrypted ${n} email address(es), ${bans} ban(s) and ${webhooks} webhook secret(s) ` +
        `under key ${crypto.currentKeyId}\n`,
    );
  } finally {
    await db.destroy();
  }
}
