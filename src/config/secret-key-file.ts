import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** The default place of the generated key: beside the service's local data, git-ignored. */
export const DEFAULT_SECRET_KEY_FILE = '.data/secret.key';

export interface GeneratedKey {
  /** base64, as SECRET_KEY would be given. */
  value: string;
  path: string;
  /** Created by this call (first start); false when an earlier start had created it. */
  created: boolean;
}

/**
 * Without SECRET_KEY (development only), the service runs on a random key of its own instead of
 * a key anyone can read in the source: made on first start, kept in `path` (mode 0600, its
 * folder 0700) so that restarts can still read what they encrypted. Several processes starting
 * together agree on one key: the file is written under a temporary name and linked into place,
 * which fails for all but the first.
 */
export function readOrCreateKeyFile(path: string): GeneratedKey {
  const existing = readKey(path);
  if (existing !== null) return { value: existing, path, created: false };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString('base64');
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${value}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
    return { value, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { value: readKey(path) ?? value, path, created: false };
  } finally {
    unlinkSync(temporary);
  }
}

function readKey(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Nobody but the owner reads it (a copy restored without its mode, say).
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return text.trim();
}
