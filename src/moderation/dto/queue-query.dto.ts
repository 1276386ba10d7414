import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { COMMENT_STATUSES, type CommentStatus } from '../../comments/model/comment-status.js';
import { ARTICLE_ID_PATTERN, SITE_ID_PATTERN } from '../../common/http/identifiers.js';

export class QueueQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;

  @ApiPropertyOptional({ enum: COMMENT_STATUSES, default: 'held' })
  @IsOptional()
  @IsIn(COMMENT_STATUSES)
  status: CommentStatus = 'held';

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ARTICLE_ID_PATTERN, { message: 'articleId must match ^[A-Za-z0-9._~:-]{1,200}$' })
  articleId?: string;

  @ApiPropertyOptional({
    enum: ['oldest', 'newest'],
    default: 'oldest',
    description: 'oldest first (the work queues) or newest first (recent decisions)',
  })
  @IsOptional()
  @IsIn(['oldest', 'newest'])
  order: 'oldest' | 'newest' = 'oldest';

  @ApiPropertyOptional({
    description: 'Only comments with open reader flags (illegal-content flags first)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'flagged must be true or false' })
  flagged?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
