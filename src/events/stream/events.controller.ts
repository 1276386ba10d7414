import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { EventsQueryDto } from '../dto/events-query.dto.js';
import { EventsService, type EventsPage } from './events.service.js';
import { ApiRoute } from '../../common/openapi/api-route.decorator.js';
import { EventsPageDto } from '../dto/event-responses.dto.js';

@ApiTags('events')
@Auth('service', 'admin')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** CloudEvents after `after`, oldest first; continue with `after=<next>`. */
  @Get()
  @ApiRoute({ summary: 'Read the event log', operationId: 'listEvents', type: EventsPageDto })
  list(
    @Query() query: EventsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventsPage> {
    return this.events.page(query, principal);
  }
}
