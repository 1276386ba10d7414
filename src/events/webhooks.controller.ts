import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ResourceIdPipe } from '../common/http/params.js';
import { CreateWebhookDto, CreateWebhookResponseDto } from './dto/create-webhook.dto.js';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto.js';
import {
  WebhooksService,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from './webhooks.service.js';

@ApiTags('admin')
@Auth('admin')
@Controller('v1/admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Registers an endpoint; the signing secret is in this response only. */
  @Post()
  @ApiCreatedResponse({ type: CreateWebhookResponseDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateWebhookDto,
  ): Promise<{ id: string; secret: string }> {
    return this.webhooks.create(principal, dto);
  }

  @Get()
  async list(): Promise<{ items: WebhookEndpointView[] }> {
    return { items: await this.webhooks.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ResourceIdPipe) id: string,
  ): Promise<void> {
    await this.webhooks.remove(principal, id);
  }

  /** Every delivery of the endpoint, newest event first, with each attempt. */
  @Get(':id/deliveries')
  deliveries(
    @Param('id', ResourceIdPipe) id: string,
    @Query() query: DeliveriesQueryDto,
  ): Promise<{ items: WebhookDeliveryView[]; nextCursor: string | null }> {
    return this.webhooks.deliveries(id, query);
  }
}
