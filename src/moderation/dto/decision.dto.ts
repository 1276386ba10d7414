import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

/** `dismiss` (trust and safety) clears the open reader flags of a published comment. */
export const DECISION_ACTIONS = ['approve', 'reject', 'spam', 'dismiss'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export class DecisionDto {
  @ApiProperty({ enum: DECISION_ACTIONS })
  @IsIn(DECISION_ACTIONS)
  action!: DecisionAction;

  @ApiPropertyOptional({ maxLength: 1000 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({
    description:
      "Statement of reasons: one of the site's `moderation.reasons` codes (reject default: other)",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'reasonCode must be a reason code' })
  reasonCode?: string;
}

export class BulkDecisionDto extends DecisionDto {
  @ApiProperty({ type: [String], maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  ids!: string[];
}
