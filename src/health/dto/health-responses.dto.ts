import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

const CHECKS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
    additionalProperties: true,
  },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
};

export class LiveDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

export class TransportHealthDto {
  @ApiProperty({
    enum: ['redis', 'postgres'],
    description:
      'What carries queues, pub/sub, counters and the thread cache: Redis (REDIS_URL set) or ' +
      'PostgreSQL alone (REDIS_URL unset, or TRANSPORT=postgres).',
  })
  name!: 'redis' | 'postgres';

  @ApiProperty({
    description:
      'Whether events are published to the Redis Stream; off with the PostgreSQL transport ' +
      '(the pull API, webhooks and live streams remain).',
  })
  eventStream!: boolean;
}

/** @nestjs/terminus's health check result, and the transport this process runs on. */
export class ReadyDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty(CHECKS)
  info!: Record<string, unknown>;

  @ApiProperty(CHECKS)
  error!: Record<string, unknown>;

  @ApiProperty(CHECKS)
  details!: Record<string, unknown>;

  @ApiProperty({ type: TransportHealthDto })
  transport!: TransportHealthDto;
}
