import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { EventsQueryDto } from './dto/events-query.dto.js';
import { EventsService, type EventsPage } from './events.service.js';

@ApiTags('events')
@Auth('service', 'admin')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** CloudEvents after `after`, oldest first; continue with `after=<next>`. */
  @Get()
  list(
    @Query() query: EventsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventsPage> {
    return this.events.page(query, principal);
  }
}
