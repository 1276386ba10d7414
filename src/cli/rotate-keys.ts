// `npm run keys:rotate`: after SECRET_KEY changed (old key moved to SECRET_KEY_PREVIOUS), every
// owner of encrypted or keyed data moves it to the current key: comments' emails (their blind
// indexes too, so that look-ups match again; subscriptions follow), flag contacts, older bans,
// webhook secrets, and avatar tags (keyed by site; stored events follow). Safe to stop and run
// again; the service keeps running meanwhile. Run it once after upgrading too: avatars made
// before were the same on every site.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import {
  commentAvatarsRotation,
  commentEmailsRotation,
} from '../comments/privacy/comments-keys.rotation.js';
import { progress } from '../common/cli/progress.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { runKeyRotations, type KeyRotation } from '../common/crypto/key-rotation.js';
import { databaseOptions } from '../database/database.options.js';
import { storedEventsKeyRotation } from '../events/outbox-keys.rotation.js';
import { webhookSecretsKeyRotation } from '../events/webhooks/webhook-secrets.rotation.js';
import { banKeysRotation } from '../moderation/bans-keys.rotation.js';
import { subscriptionsKeyRotation } from '../notifications/subscriptions-keys.rotation.js';
import { flagContactsKeyRotation } from '../trust/flag-contacts-keys.rotation.js';
import { cliConfig } from './cli-config.js';

/** Every owner's part, in order (emails before avatars: both read the addresses). */
export const KEY_ROTATIONS: readonly KeyRotation[] = [
  commentEmailsRotation,
  subscriptionsKeyRotation,
  flagContactsKeyRotation,
  banKeysRotation,
  webhookSecretsKeyRotation,
  commentAvatarsRotation,
  storedEventsKeyRotation,
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const { config, release } = await cliConfig();
  const db = new DataSource(databaseOptions(config));
  await db.initialize();
  try {
    const crypto = new CryptoService(config);
    const bar = progress('keys:rotate');
    bar.step(`rotating to key ${crypto.currentKeyId}`);
    const counts = await runKeyRotations(KEY_ROTATIONS, db, crypto, (name, done, total) =>
      bar.update(done, total ?? null, name),
    );
    bar.done();
    const report = Object.entries(counts)
      .map(([name, n]) => `${n} ${name}`)
      .join(', ');
    process.stdout.write(`Moved to key ${crypto.currentKeyId}: ${report}\n`);
  } finally {
    await db.destroy();
    await release();
  }
}
