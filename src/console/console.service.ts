import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ServiceUnavailableError } from '../common/errors/domain.errors.js';
import { loadBuiltAsset, type BuiltAsset } from '../common/http/built-asset.js';

/**
 * The built console, `console/dist/` at the project root (made by `npm run build`). This file
 * sits at `src/console/` (Jest) or `dist/console/` (compiled), both two levels below the root.
 */
export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

export type ConsoleAssetName = 'app.js' | 'app.css';

/** `version` goes in the page's asset URLs, so a new build is fetched at once. */
export type ConsoleAsset = BuiltAsset;

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
    const asset = loadBuiltAsset(`${CONSOLE_DIST}${name}`, 'c');
    if (asset) this.assets.set(name, asset);
    return asset;
  }
}
