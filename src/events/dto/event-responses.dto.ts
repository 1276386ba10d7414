import { ApiProperty } from '@nestjs/swagger';
import { COMMENT_EVENT_TYPES } from '../cloud-event.js';
import { WEBHOOK_DELIVERY_STATUSES } from '../webhooks/webhook-delivery.entity.js';

/** A CloudEvent 1.0 in structured JSON mode, with the `sequence` extension. */
export class CloudEventDto {
  @ApiProperty({ enum: ['1.0'] })
  specversion!: '1.0';

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '/sites/default' })
  source!: string;

  @ApiProperty({ enum: COMMENT_EVENT_TYPES, example: 'comment.approved' })
  type!: string;

  @ApiProperty({ description: 'The comment id', example: 'comments/0192…' })
  subject!: string;

  @ApiProperty({ format: 'date-time' })
  time!: string;

  @ApiProperty({ enum: ['application/json'] })
  datacontenttype!: 'application/json';

  @ApiProperty({
    pattern: '^[0-9]{20}$',
    example: '00000000000000000042',
    description:
      'Position in the event log, zero-padded to 20 digits so that it sorts as text (the CloudEvents sequence extension)',
  })
  sequence!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'See docs/events.md' })
  data!: Record<string, unknown>;
}

export class EventsPageDto {
  @ApiProperty({ type: [CloudEventDto] })
  events!: CloudEventDto[];

  @ApiProperty({
    pattern: '^[0-9]+$',
    description: 'Pass as `after` to continue (equal to `after` when nothing is new yet)',
  })
  next!: string;
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uri' })
  url!: string;

  @ApiProperty({ enum: COMMENT_EVENT_TYPES, isArray: true })
  events!: string[];

  @ApiProperty({ type: String, nullable: true, description: 'null: every site' })
  siteId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookEndpointDto] })
  items!: WebhookEndpointDto[];
}

export class WebhookAttemptDto {
  @ApiProperty({ minimum: 1 })
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: Number, nullable: true, description: "The receiver's HTTP status" })
  statusCode!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed (never the body)' })
  error!: string | null;

  @ApiProperty({ minimum: 0 })
  durationMs!: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  endpointId!: string;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ pattern: '^[0-9]{20}$', example: '00000000000000000042' })
  sequence!: string;

  @ApiProperty({ enum: COMMENT_EVENT_TYPES })
  type!: string;

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES })
  status!: string;

  @ApiProperty({ minimum: 0 })
  attempts!: number;

  @ApiProperty({ type: Number, nullable: true })
  lastStatusCode!: number | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;

  @ApiProperty({ type: [WebhookAttemptDto], description: 'Every attempt, oldest first' })
  attemptLog!: WebhookAttemptDto[];
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] })
  items!: WebhookDeliveryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
