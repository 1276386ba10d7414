import type { KeyRotation } from '../common/crypto/key-rotation.js';

/** Reply-mail subscriptions keep only the blind index: they follow their comments' address. */
export const subscriptionsKeyRotation: KeyRotation = {
  name: 'subscriptions',
  async followEmailIndex(tx, from, to) {
    await tx.query(
      `UPDATE subscriptions s SET email_index = $2 WHERE email_index = $1
         AND NOT EXISTS (SELECT 1 FROM subscriptions t
                         WHERE t.site_id = s.site_id AND t.email_index = $2)`,
      [from, to],
    );
  },
};
