import type { DataSource } from 'typeorm';
import type { CryptoService } from '../../common/crypto/crypto.service.js';
import type { KeyRotation } from '../../common/crypto/key-rotation.js';

/**
 * For `npm run keys:rotate`: re-encrypts every webhook endpoint secret still under an older
 * key (SECRET_KEY_PREVIOUS) under the current one. Safe to stop and run again.
 */
export async function rotateWebhookSecrets(db: DataSource, crypto: CryptoService): Promise<number> {
  const rows: Array<{ id: string; ciphertext: Buffer; keyId: string }> = await db.query(
    `SELECT id, secret_ciphertext AS ciphertext, secret_key_id AS "keyId"
     FROM webhook_endpoints WHERE secret_key_id <> $1`,
    [crypto.currentKeyId],
  );
  for (const row of rows) {
    const encrypted = crypto.encryptText(crypto.decryptText(row.ciphertext, row.keyId));
    await db.query(
      `UPDATE webhook_endpoints SET secret_ciphertext = $2, secret_key_id = $3
       WHERE id = $1 AND secret_key_id = $4`,
      [row.id, encrypted.ciphertext, encrypted.keyId, row.keyId],
    );
  }
  return rows.length;
}

/** The events module's part of `npm run keys:rotate`. */
export const webhookSecretsKeyRotation: KeyRotation = {
  name: 'webhook secrets',
  rotateKeys: ({ db, crypto }) => rotateWebhookSecrets(db, crypto),
};
