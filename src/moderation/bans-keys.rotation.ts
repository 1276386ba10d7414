import type { DataSource } from 'typeorm';
import type { CryptoService } from '../common/crypto/crypto.service.js';
import type { KeyRotation } from '../common/crypto/key-rotation.js';
import { maskEmail, maskIp } from './ban-mask.js';

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

/** The moderation module's part of `npm run keys:rotate`. */
export const banKeysRotation: KeyRotation = {
  name: 'bans',
  rotateKeys: ({ db, crypto }) => rotateBanKeys(db, crypto),
};
