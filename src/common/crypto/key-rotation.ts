import type { DataSource, EntityManager } from 'typeorm';
import type { CryptoService } from './crypto.service.js';

type Tx = Pick<EntityManager, 'query'>;

/** What a rotation may use: the database, the keys, and a way to tell the other owners. */
export interface KeyRotationContext {
  db: DataSource;
  crypto: CryptoService;
  /** An address got a new blind index: owners that keep only the index follow (same tx). */
  emailReindexed: (tx: Tx, from: Buffer, to: Buffer) => Promise<void>;
  /** Comments got new avatar tags: owners that keep copies of them follow (same tx). */
  avatarsChanged: (
    tx: Tx,
    changes: ReadonlyArray<{ commentId: string; tag: string }>,
  ) => Promise<void>;
  /** Progress of a long rotation (`done` of `total`), for the CLI's bar. */
  progress: (name: string, done: number, total?: number) => void;
}

/**
 * One owner's part of `npm run keys:rotate` (after SECRET_KEY changed, the former key in
 * SECRET_KEY_PREVIOUS): what it keeps under an older key, encrypted or keyed, moves to the
 * current one. Each owning module implements it for its own tables; the CLI only orchestrates.
 */
export interface KeyRotation {
  /** For the report (`emails`, `bans`, …). */
  readonly name: string;
  /** Rotates what this owner keeps; answers how many rows changed. Safe to stop and run again. */
  rotateKeys?(ctx: KeyRotationContext): Promise<number>;
  /** Follows another owner's re-indexed address (rows that keep only its blind index). */
  followEmailIndex?(tx: Tx, from: Buffer, to: Buffer): Promise<void>;
  /** Follows comments' new avatar tags (copies of them, e.g. in stored events). */
  followAvatars?(tx: Tx, changes: ReadonlyArray<{ commentId: string; tag: string }>): Promise<void>;
}

/** Runs every rotation in order; answers how many rows each changed, by name. */
export async function runKeyRotations(
  rotations: readonly KeyRotation[],
  db: DataSource,
  crypto: CryptoService,
  progress: KeyRotationContext['progress'] = () => undefined,
): Promise<Record<string, number>> {
  const ctx: KeyRotationContext = {
    db,
    crypto,
    progress,
    async emailReindexed(tx, from, to) {
      for (const r of rotations) await r.followEmailIndex?.(tx, from, to);
    },
    async avatarsChanged(tx, changes) {
      for (const r of rotations) await r.followAvatars?.(tx, changes);
    },
  };
  const counts: Record<string, number> = {};
  for (const rotation of rotations) {
    if (rotation.rotateKeys) counts[rotation.name] = await rotation.rotateKeys(ctx);
  }
  return counts;
}
