import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ServiceUnavailableError } from '../common/errors/domain.errors.js';

/**
 * The built console, `console/dist/` at the project root (made by `npm run build`). This file
 * sits at `src/console/` (Jest) or `dist/console/` (compiled), both two levels below the root.
 */
export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

export type ConsoleAssetName = 'app.js' | 'app.css';

export interface ConsoleAsset {
  body: string;
  etag: string;
  /** A short content hash, put in the page's asset URLs so a new build is fetched at once. */
  version: string;
}

/** Reads the bundle once and serves it from memory. */
@Injectable()
export class ConsoleService {
  private readonly assets = new Map<ConsoleAssetName, ConsoleAsset>();

  constructor(@InjectPinoLogger(ConsoleService.name) private readonly logger: PinoLogger) {
    if (!this.load('app.js') || !this.load('app.css')) {
      this.logger.warn(
        { path: CONSOLE_DIST },
        'The moderator console is not built; /moderate answers 503 until it is (npm run build)',
      );
    }
  }

  asset(name: ConsoleAssetName): ConsoleAsset {
    // Built after the process started (development): pick it up then, once.
    const asset = this.assets.get(name) ?? this.load(name);
    if (!asset) throw new ServiceUnavailableError('The moderator console is not available.');
    return asset;
  }

  private load(name: ConsoleAssetName): ConsoleAsset | null {
    let body: string;
    try {
      body = readFileSync(`${CONSOLE_DIST}${name}`, 'utf8');
    } catch {
      return null;
    }
    const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    const asset = { body, etag: `"c-${version}"`, version };
    this.assets.set(name, asset);
    return asset;
  }
}

/** RFC 9110 If-None-Match: a list of entity tags (weak comparison) or `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === bare);
}
