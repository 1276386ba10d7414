import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  confirmForm(
    @Query('token') token: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string {
    html(reply);
    return confirmPage(typeof token === 'string' ? token.slice(0, 200) : '');
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ "confirmed": true }' })
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
  @ApiOkResponse({ description: '{ "unsubscribed": true }' })
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
