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

/** @nestjs/terminus's health check result. */
export class ReadyDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty(CHECKS)
  info!: Record<string, unknown>;

  @ApiProperty(CHECKS)
  error!: Record<string, unknown>;

  @ApiProperty(CHECKS)
  details!: Record<string, unknown>;
}
