import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ServiceUnavailableError } from '../common/errors/domain.errors.js';
import { loadBuiltAsset, type BuiltAsset } from '../common/http/built-asset.js';

/**
 * The built widget, `widget/dist/widget.js` at the project root (made by `npm run build`).
 * This file sits at `src/widget/` (Jest) or `dist/widget/` (compiled), both two levels below
 * the root, so the same relative URL finds it from either.
 */
export const WIDGET_BUNDLE_PATH = fileURLToPath(
  new URL('../../widget/dist/widget.js', import.meta.url),
);

/** Reads the bundle once at start and serves it from memory. */
@Injectable()
export class WidgetService {
  private bundle: BuiltAsset | null;

  constructor(@InjectPinoLogger(WidgetService.name) private readonly logger: PinoLogger) {
    this.bundle = this.load();
    if (!this.bundle) {
      this.logger.warn(
        { path: WIDGET_BUNDLE_PATH },
        'The widget is not built; /widget.js answers 503 until it is (npm run build)',
      );
    }
  }

  script(): BuiltAsset {
    // Built after the process started (development): pick it up then, once.
    this.bundle ??= this.load();
    if (!this.bundle) throw new ServiceUnavailableError('The comments widget is not available.');
    return this.bundle;
  }

  private load(): BuiltAsset | null {
    return loadBuiltAsset(WIDGET_BUNDLE_PATH, 'w', 22);
  }
}
