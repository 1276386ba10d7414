import type { KeyRotation } from '../common/crypto/key-rotation.js';

/**
 * A flag's contact address (a reader who asked to hear back) is encrypted like an author's:
 * re-encrypted under the current key with its blind index recomputed. Safe to run again.
 */
export const flagContactsKeyRotation: KeyRotation = {
  name: 'flag contacts',
  async rotateKeys({ db, crypto }) {
    const rows: Array<{ id: string; ciphertext: Buffer; keyId: string }> = await db.query(
      `SELECT id, email_ciphertext AS ciphertext, email_key_id AS "keyId" FROM comment_flags
       WHERE email_ciphertext IS NOT NULL AND email_key_id <> $1`,
      [crypto.currentKeyId],
    );
    for (const row of rows) {
      const email = crypto.decryptEmail(row.ciphertext, row.keyId);
      const encrypted = crypto.encryptEmail(email);
      await db.query(
        `UPDATE comment_flags SET email_ciphertext = $2, email_key_id = $3, email_index = $4
         WHERE id = $1 AND email_key_id = $5`,
        [row.id, encrypted.ciphertext, encrypted.keyId, crypto.emailIndex(email), row.keyId],
      );
    }
    return rows.length;
  },
};
