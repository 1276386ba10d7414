// `npm run keys:rotate`: after SECRET_KEY changed (old key moved to SECRET_KEY_PREVIOUS),
// re-encrypts every stored email under the current key and recomputes its blind index, in
// batches, so that look-ups (trusted authors, privacy requests, bans) match again; recomputes
// avatar tags (keyed by site and the current key). Safe to stop and run again; the service
// keeps running meanwhile. Run it once after upgrading too: avatars made before were the same
// on every site.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { loadConfig } from '../config/app.config.js';
import { databaseOptions } from '../database/database.options.js';
import { rotateWebhookSecrets } from '../events/webhooks/webhook-secrets.rotation.js';
import { maskEmail, maskIp } from '../moderation/ban-mask.js';
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

/**
 * Recomputes every author's avatar tag under the current key and keyed by site (tags made
 * before were the same on every site, so they linked one reader across sites; after a key
 * rotation they would change for new comments only), in the comments and in the events stored
 * about them. Idempotent: only tags that differ are written. Returns how many changed.
 */
export async function rekeyAvatars(db: DataSource, crypto: CryptoService): Promise<number> {
  let changed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: Array<{
      id: string;
      siteId: string;
      avatar: string | null;
      ciphertext: Buffer;
      keyId: string;
    }> = await db.query(
      `SELECT id, site_id AS "siteId", author_avatar AS avatar, email_ciphertext AS ciphertext,
              email_key_id AS "keyId"
       FROM comments WHERE email_ciphertext IS NOT NULL AND id > $1 ORDER BY id LIMIT $2`,
      [after, BATCH],
    );
    if (rows.length === 0) return changed;
    after = rows[rows.length - 1].id;
    const updates = rows
      .map((row) => ({
        id: row.id,
        old: row.avatar,
        tag: crypto.avatarTag(row.siteId, crypto.decryptEmail(row.ciphertext, row.keyId)),
      }))
      .filter((u) => u.tag !== u.old);
    if (!updates.length) continue;
    await db.transaction(async (manager) => {
      const ids = updates.map((u) => u.id);
      const tags = updates.map((u) => u.tag);
      await manager.query(
        `UPDATE comments c SET author_avatar = v.tag
         FROM unnest($1::uuid[], $2::text[]) AS v(id, tag)
         WHERE c.id = v.id AND c.author_avatar IS NOT NULL`,
        [ids, tags],
      );
      await manager.query(
        `UPDATE outbox_events o SET data = jsonb_set(o.data, '{comment,author,avatar}',
                                                     to_jsonb(v.tag))
         FROM unnest($1::uuid[], $2::text[]) AS v(id, tag)
         WHERE o.subject = 'comments/' || v.id
           AND jsonb_typeof(o.data->'comment'->'author') = 'object'`,
        [ids, tags],
      );
    });
    changed += updates.length;
  }
}

/**
 * Bans hold keyed hashes only (never the address), so they cannot be re-hashed under a new key:
 * the moderation worker matches email bans under every configured key while the former key is
 * in SECRET_KEY_PREVIOUS. What this does is finish the older bans that still hold the
 * encrypted address: re-hashed under the current key, masked, and the ciphertext dropped (the
 * service also does this at start).
 */
export async function rotateBanKeys(db: DataSource, crypto: CryptoService): Promise<number> {
  const rows: Array<{ id: string; ciphertext: Buffer; keyId: string }> = await db.query(
    `SELECT id, value_ciphertext AS ciphertext, value_key_id AS "keyId" FROM bans
     WHERE value_ciphertext IS NOT NULL`,
  );
  for (const row of rows) {
    const value = JSON.parse(crypto.decryptText(row.ciphertext, row.keyId)) as {
      email: string | null;
      ip: string | null;
    };
    await db.query(
      `UPDATE bans SET value_ciphertext = NULL, value_key_id = NULL, email_index = $2,
         ip_index = $3, email_masked = $4, ip_masked = $5
       WHERE id = $1 AND value_ciphertext IS NOT NULL`,
      [
        row.id,
        value.email ? crypto.emailIndex(value.email) : null,
        value.ip ? crypto.ipIndex(value.ip) : null,
        value.email ? maskEmail(value.email) : null,
        value.ip ? maskIp(value.ip) : null,
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
    const avatars = await rekeyAvatars(db, crypto);
    process.stdout.write(
      `Re-encrypted ${n} email address(es), ${bans} ban(s) and ${webhooks} webhook secret(s) ` +
        `under key ${crypto.currentKeyId}; ${avatars} avatar tag(s) recomputed per site\n`,
    );
  } finally {
    await db.destroy();
  }
}
