import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ServiceUnavailableError } from '../common/errors/domain.errors.js';

/**
 * The built widget, `widget/dist/widget.js` at the project root (made by `npm run build`).
 * This file sits at `src/widget/` (Jest) or `dist/widget/` (compiled), both two levels below
 * the root, so the same relative URL finds it from either.
 */
export const WIDGET_BUNDLE_PATH = fileURLToPath(
  new URL('../../widget/dist/widget.js', import.meta.url),
);

export interface WidgetBundle {
  body: string;
  etag: string;
}

/** Reads the bundle once at start and serves it from memory. */
@Injectable()
export class WidgetService {
  private bundle: WidgetBundle | null;

  constructor(@InjectPinoLogger(WidgetService.name) private readonly logger: PinoLogger) {
    this.bundle = this.load();
    if (!this.bundle) {
      this.logger.warn(
        { path: WIDGET_BUNDLE_PATH },
        'The widget is not built; /widget.js answers 503 until it is (npm run build)',
      );
    }
  }

  script(): WidgetBundle {
    // Built after the process started (development): pick it up then, once.
    this.bundle ??= this.load();
    if (!this.bundle) throw new ServiceUnavailableError('The comments widget is not available.');
    return this.bundle;
  }

  private load(): WidgetBundle | null {
    let body: string;
    try {
      body = readFileSync(WIDGET_BUNDLE_PATH, 'utf8');
    } catch {
      return null;
    }
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
    return { body, etag: `"w-${hash}"` };
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
