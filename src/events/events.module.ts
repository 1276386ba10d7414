import { Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository.js';

/** Comment events: the transactional outbox (relay, stream, webhooks and SSE build on it). */
@Module({
  providers: [OutboxRepository],
  exports: [OutboxRepository],
})
export class EventsModule {}
