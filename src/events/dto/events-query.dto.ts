import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { COMMENT_EVENT_TYPES, type CommentEventType } from '../cloud-event.js';
import { SEQUENCE_PATTERN } from '../sequence.js';

/** `a,b` (or `types=a&types=b`) → `['a', 'b']`; anything else is left to the validators. */
function commaList({ value }: { value: unknown }): unknown {
  const parts: unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
  return parts
    .flatMap((part): unknown[] => (typeof part === 'string' ? part.split(',') : [part]))
    .map((part): unknown => (typeof part === 'string' ? part.trim() : part))
    .filter((part) => part !== '');
}

export class EventsQueryDto {
  @ApiPropertyOptional({
    description: 'Return events after this sequence (the `next` of the previous page)',
    default: '0',
    pattern: '^[0-9]{1,20}$',
    example: '0',
  })
  @IsOptional()
  @Matches(SEQUENCE_PATTERN, { message: 'after must be a sequence number' })
  after: string = '0';

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({
    description: 'Comma-separated event types (default: all)',
    example: 'comment.approved,comment.deleted',
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(COMMENT_EVENT_TYPES.length)
  @IsIn(COMMENT_EVENT_TYPES, { each: true, message: 'each type must be a comment event type' })
  types?: CommentEventType[];
}
