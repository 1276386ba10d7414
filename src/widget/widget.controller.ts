import { Controller, Get, Header, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ValidationFailedError } from '../common/errors/domain.errors.js';
import { sendBuiltAsset } from '../common/http/built-asset.js';
import { SITE_ID_PATTERN } from '../common/http/identifiers.js';
import { ArticleIdPipe } from '../common/http/params.js';
import { demoPage } from './demo-page.js';
import { WidgetService } from './widget.service.js';

/** The embeddable script and a sample article page that embeds it. Not part of the JSON API. */
@ApiExcludeController()
@Controller()
export class WidgetController {
  constructor(private readonly widget: WidgetService) {}

  @Get('widget.js')
  script(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string | undefined {
    return sendBuiltAsset(
      reply,
      this.widget.script(),
      'application/javascript; charset=utf-8',
      ifNoneMatch,
    );
  }

  @Get('demo/:articleId')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  demo(
    @Param('articleId', ArticleIdPipe) articleId: string,
    @Query('site') site: string | undefined,
    @Query('lang') lang: string | undefined,
    @Query('theme') theme: string | undefined,
  ): string {
    if (site !== undefined && (typeof site !== 'string' || !SITE_ID_PATTERN.test(site))) {
      throw new ValidationFailedError([
        { field: 'site', message: 'site must match ^[a-z0-9][a-z0-9-]{0,63}$' },
      ]);
    }
    if (
      lang !== undefined &&
      (typeof lang !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,2}$/.test(lang))
    ) {
      throw new ValidationFailedError([
        { field: 'lang', message: 'lang must be a language tag such as de or fr-CA' },
      ]);
    }
    if (theme !== undefined && !['auto', 'light', 'dark'].includes(theme)) {
      throw new ValidationFailedError([
        { field: 'theme', message: 'theme must be one of auto, light, dark' },
      ]);
    }
    return demoPage({ siteId: site ?? 'default', articleId, lang, theme });
  }
}
