import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  type Type,
} from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-route.decorator.js';
import { ConfirmedDto, UnsubscribedDto } from './dto/subscription-responses.dto.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  confirmedPage,
  confirmPage,
  unsubscribedPage,
  unsubscribePage,
} from './subscription-pages.js';
import { SubscriptionsService } from './subscriptions.service.js';

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * The links in mail. GETs only show a page with a button (mail scanners follow links); the
 * POSTs act. Both POSTs take JSON or a form (the page's button, RFC 8058 one-click clients).
 */
@ApiTags('public')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Get('confirm')
  @ApiExcludeEndpoint() // a page, not the API
  confirmForm(
    @Query('token') token: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    html(reply);
    return confirmPage(typeof token === 'string' ? token.slice(0, 200) : '');
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm reply notifications (double opt-in)',
    operationId: 'confirmSubscription',
    description:
      'The button of the page behind the link in the confirmation mail. JSON `{ "token" }` or a ' +
      'form; a form is answered with an HTML page.',
  })
  @JsonOrPage(ConfirmedDto, 'Confirm reply notifications (double opt-in)')
  @ApiProblems(404)
  async confirm(
    @Body() body: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ confirmed: true } | string> {
    const result = await this.subscriptions.confirm(body?.token);
    if (!isForm(request)) return result;
    html(reply);
    return confirmedPage();
  }

  @Get('unsubscribe')
  @ApiExcludeEndpoint() // a page, not the API
  unsubscribeForm(
    @Query('token') token: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    html(reply);
    return unsubscribePage(typeof token === 'string' ? token.slice(0, 200) : '');
  }

  /** RFC 8058: a POST of `List-Unsubscribe=One-Click` to the List-Unsubscribe URL. */
  @Post('unsubscribe')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stop reply notifications (RFC 8058 one-click)',
    operationId: 'unsubscribe',
    description:
      'The `List-Unsubscribe` URL of reply mail: a POST of `List-Unsubscribe=One-Click` (a form) ' +
      'or JSON. A form is answered with an HTML page.',
  })
  @JsonOrPage(UnsubscribedDto, 'Stop reply notifications (RFC 8058 one-click)')
  @ApiProblems(404)
  async unsubscribe(
    @Query('token') queryToken: unknown,
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ unsubscribed: true } | string> {
    const result = await this.subscriptions.unsubscribe(queryToken ?? body?.token);
    if (!isForm(request)) return result;
    html(reply);
    return unsubscribedPage();
  }
}

/** 200: JSON for API clients, an HTML page for a form sent by a browser. */
function JsonOrPage(type: Type<unknown>, description: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(type),
    ApiResponse({
      status: 200,
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(type) } },
        'text/html': { schema: { type: 'string' } },
      },
    }),
  );
}

function isForm(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && FORM.test(type);
}

function html(reply: FastifyReply): void {
  void reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow');
}
