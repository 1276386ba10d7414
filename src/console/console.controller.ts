import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { consolePage } from './console-page.js';
import { sendBuiltAsset } from '../common/http/built-asset.js';
import { ConsoleService, type ConsoleAssetName } from './console.service.js';

const TYPES: Record<ConsoleAssetName, string> = {
  'app.js': 'application/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The moderator console: a page and its two assets. Not part of the JSON API. */
@ApiExcludeController()
@Controller('moderate')
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get()
  page(@Res({ passthrough: true }) reply: FastifyReply): string {
    const script = this.console.asset('app.js');
    const styles = this.console.asset('app.css');
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-robots-tag', 'noindex, nofollow');
    return consolePage({ script: script.version, styles: styles.version });
  }

  @Get('app.js')
  script(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string | undefined {
    return this.send('app.js', ifNoneMatch, reply);
  }

  @Get('app.css')
  styles(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string | undefined {
    return this.send('app.css', ifNoneMatch, reply);
  }

  private send(
    name: ConsoleAssetName,
    ifNoneMatch: string | undefined,
    reply: FastifyReply,
  ): string | undefined {
    return sendBuiltAsset(reply, this.console.asset(name), TYPES[name], ifNoneMatch);
  }
}
