import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FAVICON_PNG_BASE64, FAVICON_SVG, faviconIco } from './favicon.js';

const ICO = faviconIco(Buffer.from(FAVICON_PNG_BASE64, 'base64'));

/** The service's icon (not part of the JSON API). */
@ApiExcludeController()
@Controller()
export class FaviconController {
  @Get('favicon.svg')
  @Header('content-type', 'image/svg+xml; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  svg(): string {
    return FAVICON_SVG;
  }

  @Get('favicon.ico')
  @Header('content-type', 'image/x-icon')
  @Header('cache-control', 'public, max-age=86400')
  ico(): Buffer {
    return ICO;
  }
}
