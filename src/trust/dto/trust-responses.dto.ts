import { ApiProperty } from '@nestjs/swagger';
import { ModerationItemDto } from '../../moderation/dto/moderation-responses.dto.js';

/** Response DTOs of the trust-and-safety routes (OpenAPI only: services return plain objects). */
export class AppealItemDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  commentId!: string;

  @ApiProperty({ description: "The author's message" })
  message!: string;

  @ApiProperty({ enum: ['open', 'upheld', 'reversed'] })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ type: () => ModerationItemDto, nullable: true })
  comment!: ModerationItemDto | null;
}

export class AppealPageDto {
  @ApiProperty({ type: [AppealItemDto] })
  items!: AppealItemDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

const COUNTS = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } as const;

export class DecisionCountsDto {
  @ApiProperty({ ...COUNTS, example: { reject: 3 } })
  automated!: Record<string, number>;

  @ApiProperty({ ...COUNTS, example: { approve: 10, reject: 2 } })
  human!: Record<string, number>;
}

export class FlagCountsDto {
  @ApiProperty({ minimum: 0 })
  received!: number;

  @ApiProperty({ ...COUNTS })
  byReason!: Record<string, number>;

  @ApiProperty({ minimum: 0, description: 'Flags whose comment was taken down' })
  actioned!: number;
}

export class AppealCountsDto {
  @ApiProperty({ minimum: 0 })
  received!: number;

  @ApiProperty({ minimum: 0 })
  upheld!: number;

  @ApiProperty({ minimum: 0 })
  reversed!: number;
}

export class TransparencyReportDto {
  @ApiProperty({ type: String, nullable: true })
  siteId!: string | null;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: () => DecisionCountsDto })
  decisions!: DecisionCountsDto;

  @ApiProperty({ ...COUNTS, description: 'Decisions by statement-of-reasons code' })
  reasons!: Record<string, number>;

  @ApiProperty({ type: () => FlagCountsDto })
  flags!: FlagCountsDto;

  @ApiProperty({ type: () => AppealCountsDto })
  appeals!: AppealCountsDto;

  @ApiProperty({ type: Number, nullable: true })
  medianMinutesToDecision!: number | null;
}

export class RetentionResultDto {
  @ApiProperty({ ...COUNTS, example: { ipHashes: 12, rejectedComments: 3 } })
  removed!: Record<string, number>;

  @ApiProperty({ format: 'date-time' })
  ranAt!: string;
}
