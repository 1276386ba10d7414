import type { KeyRotation } from '../../common/crypto/key-rotation.js';

const BATCH = 500;

/**
 * Every stored email re-encrypted under the current key and its blind index recomputed, in
 * batches, so that look-ups (trusted authors, privacy requests, bans) match again; owners that
 * keep only the index (subscriptions) follow in the same transaction.
 */
export const commentEmailsRotation: KeyRotation = {
  name: 'emails',
  async rotateKeys({ db, crypto, emailReindexed, progress }) {
    const [{ total }] = await db.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total FROM comments
       WHERE email_ciphertext IS NOT NULL AND email_key_id <> $1`,
      [crypto.currentKeyId],
    );
    let rotated = 0;
    for (;;) {
      const rows: Array<{
        id: string;
        ciphertext: Buffer;
        keyId: string;
        oldIndex: Buffer | null;
      }> = await db.query(
        `SELECT id, email_ciphertext AS ciphertext, email_key_id AS "keyId",
                  email_index AS "oldIndex" FROM comments
           WHERE email_ciphertext IS NOT NULL AND email_key_id <> $1
           ORDER BY id LIMIT $2`,
        [crypto.currentKeyId, BATCH],
      );
      if (rows.length === 0) return rotated;
      await db.transaction(async (tx) => {
        for (const row of rows) {
          const email = crypto.decryptEmail(row.ciphertext, row.keyId);
          const encrypted = crypto.encryptEmail(email);
          const index = crypto.emailIndex(email);
          await tx.query(
            `UPDATE comments SET email_ciphertext = $2, email_key_id = $3, email_index = $4
             WHERE id = $1 AND email_key_id = $5`,
            [row.id, encrypted.ciphertext, encrypted.keyId, index, row.keyId],
          );
          if (row.oldIndex) await emailReindexed(tx, row.oldIndex, index);
        }
      });
      rotated += rows.length;
      progress('emails', rotated, total);
    }
  },
};

/**
 * Every author's avatar tag recomputed under the current key and keyed by site (tags made
 * before were the same on every site, so they linked one reader across sites; after a key
 * rotation they would change for new comments only); copies of the tags (stored events) follow.
 * Idempotent: only tags that differ are written.
 */
export const commentAvatarsRotation: KeyRotation = {
  name: 'avatars',
  async rotateKeys({ db, crypto, avatarsChanged }) {
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
          commentId: row.id,
          old: row.avatar,
          tag: crypto.avatarTag(row.siteId, crypto.decryptEmail(row.ciphertext, row.keyId)),
        }))
        .filter((u) => u.tag !== u.old);
      if (!updates.length) continue;
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE comments c SET author_avatar = v.tag
           FROM unnest($1::uuid[], $2::text[]) AS v(id, tag)
           WHERE c.id = v.id AND c.author_avatar IS NOT NULL`,
          [updates.map((u) => u.commentId), updates.map((u) => u.tag)],
        );
        await avatarsChanged(tx, updates);
      });
      changed += updates.length;
    }
  },
};
