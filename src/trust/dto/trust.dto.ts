import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ReaderIdentityDto } from '../../comments/reactions/dto/reaction.dto.js';
import { SITE_ID_PATTERN } from '../../common/http/identifiers.js';
import { FLAG_REASONS, type FlagReason } from '../comment-flag.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class FlagDto extends ReaderIdentityDto {
  @ApiProperty({ enum: FLAG_REASONS })
  @IsIn(FLAG_REASONS, { message: `reason must be one of: ${FLAG_REASONS.join(', ')}` })
  reason!: FlagReason;

  @ApiPropertyOptional({ maxLength: 1000 })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  detail?: string;

  @ApiPropertyOptional({ description: 'A contact address (encrypted; moderators only)' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email?: string;
}

export class FlagResponseDto {
  @ApiProperty()
  id!: string;
}

export class ReceiptBodyDto {
  @ApiProperty({ description: 'The receipt the submission returned' })
  @IsString()
  @MaxLength(100)
  receipt!: string;
}

export class EditCommentDto extends ReceiptBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 10000 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'body must not be empty' })
  @MaxLength(10000)
  body!: string;
}

export class AppealDto extends ReceiptBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'message must not be empty' })
  @MaxLength(2000)
  message!: string;
}

export class DeleteCommentQueryDto {
  @ApiProperty()
  @IsString()
  @MaxLength(100)
  receipt!: string;
}

export class AppealsQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;

  @ApiPropertyOptional({ enum: ['open', 'upheld', 'reversed'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'upheld', 'reversed'])
  status: 'open' | 'upheld' | 'reversed' = 'open';

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

export const APPEAL_ACTIONS = ['uphold', 'reverse'] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];

export class AppealDecisionDto {
  @ApiProperty({ enum: APPEAL_ACTIONS })
  @IsIn(APPEAL_ACTIONS)
  action!: AppealAction;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Internal note; the author never sees it' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class TransparencyQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;

  @ApiPropertyOptional({ description: 'RFC 3339; default: 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an RFC 3339 timestamp' })
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339; default: now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an RFC 3339 timestamp' })
  to?: string;
}
