import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { ResourceIdPipe } from '../../common/http/params.js';
import { CreateWebhookDto, CreateWebhookResponseDto } from '../dto/create-webhook.dto.js';
import { DeliveriesQueryDto } from '../dto/deliveries-query.dto.js';
import {
  WebhooksService,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from './webhooks.service.js';
import { ApiRoute } from '../../common/openapi/api-route.decorator.js';
import { WebhookDeliveryPageDto, WebhookListDto } from '../dto/event-responses.dto.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Registers an endpoint; the signing secret is in this response only. */
  @Post()
  @ApiRoute({
    summary: 'Register a webhook endpoint',
    operationId: 'createWebhook',
    status: 201,
    type: CreateWebhookResponseDto,
    problems: [400, 404],
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateWebhookDto,
  ): Promise<{ id: string; secret: string }> {
    return this.webhooks.create(principal, dto);
  }

  @Get()
  @ApiRoute({
    summary: 'List webhook endpoints',
    operationId: 'listWebhooks',
    type: WebhookListDto,
  })
  async list(): Promise<{ items: WebhookEndpointView[] }> {
    return { items: await this.webhooks.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Remove a webhook endpoint',
    operationId: 'deleteWebhook',
    status: 204,
    problems: [404],
  })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<void> {
    await this.webhooks.remove(principal, id);
  }

  /** Every delivery of the endpoint, newest event first, with each attempt. */
  @Get(':id/deliveries')
  @ApiRoute({
    summary: "List a webhook endpoint's deliveries",
    operationId: 'listWebhookDeliveries',
    type: WebhookDeliveryPageDto,
    problems: [404],
  })
  deliveries(
    @Param('id', ResourceIdPipe) id: string,
    @Query() query: DeliveriesQueryDto,
  ): Promise<{ items: WebhookDeliveryView[]; nextCursor: string | null }> {
    return this.webhooks.deliveries(id, query);
  }
}
