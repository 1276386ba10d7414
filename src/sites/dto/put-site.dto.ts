// Over 300 lines on purpose: the site settings' validated shape, one DTO class per settings
// group, each field with its bounds and OpenAPI description; it mirrors site-settings.ts.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { ModerationMode } from '../site-settings.js';
import { IsReasonTexts } from './reason-texts.validator.js';

export class ModerationSettingsDto {
  @ApiPropertyOptional({ enum: ['pre', 'trusted', 'post'], default: 'trusted' })
  @IsOptional()
  @IsIn(['pre', 'trusted', 'post'])
  mode?: ModerationMode;

  @ApiPropertyOptional({ default: 2, description: 'Hold comments with more links than this' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxLinks?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  holdWords?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  blockWords?: string[];

  @ApiPropertyOptional({ default: 5 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  maxDepth?: number;

  @ApiPropertyOptional({ type: Number, nullable: true, default: null })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  closeAfterDays?: number | null;

  @ApiPropertyOptional({ default: true, description: 'Hold comments with profanity' })
  @IsOptional()
  @IsBoolean()
  holdProfanity?: boolean;

  @ApiPropertyOptional({
    default: true,
    description: 'Hold comments the local toxicity model rates abusive (reason `toxicity`)',
  })
  @IsOptional()
  @IsBoolean()
  holdToxicity?: boolean;

  @ApiPropertyOptional({
    default: 0.5,
    description:
      "Calibrated toxicity at or above which a comment is held (0.5: the model's own threshold)",
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  toxicityThreshold?: number;

  @ApiPropertyOptional({
    default: 3,
    description: 'Distinct reader flags that hold a published comment for a moderator',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  flagThreshold?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Statement of reasons: code → public text (defaults: spam, abuse, off-topic, personal-data, illegal, other)',
  })
  @IsOptional()
  @IsReasonTexts()
  reasons?: Record<string, string>;

  @ApiPropertyOptional({ default: 14, description: 'Days after a decision to appeal it' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  appealDays?: number;

  @ApiPropertyOptional({ default: 15, description: 'Minutes after submission to edit it' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  editWindowMinutes?: number;
}

export class RetentionSettingsDto {
  @ApiPropertyOptional({
    default: 30,
    description: 'Days after which client-address hashes are removed (0: at the next run)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(36500)
  ipDays?: number;

  @ApiPropertyOptional({
    default: 90,
    description: 'Days after which rejected and spam comments are deleted (0: at the next run)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(36500)
  rejectedDays?: number;
}

export class SpamSettingsDto {
  @ApiPropertyOptional({ default: 0.97, description: 'At or above: spam' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  spamThreshold?: number;

  @ApiPropertyOptional({ default: 0.5, description: 'At or above (below spamThreshold): held' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  holdThreshold?: number;

  @ApiPropertyOptional({
    default: 20,
    description: 'Comments an hour from one address before it counts against them',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxPerHourPerIp?: number;

  @ApiPropertyOptional({
    default: 5,
    description: 'Comments an hour from one email before it counts against them',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxPerHourPerEmail?: number;
}

export class RateLimitSettingsDto {
  @ApiPropertyOptional({ default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  perIpPerMinute?: number;

  @ApiPropertyOptional({ default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  perEmailPerMinute?: number;
}

export class IdentitySettingsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 32,
    writeOnly: true,
    description:
      'HS256 secret for identity tokens (write-only; omitted keeps the stored one, null removes it)',
  })
  @IsOptional()
  @IsString()
  @Length(32, 512, { message: 'ssoSecret must be 32 to 512 characters' })
  ssoSecret?: string | null;

  @ApiPropertyOptional({ default: false, description: 'Refuse comments without an identity' })
  @IsOptional()
  @IsBoolean()
  requireSso?: boolean;

  /** In answers only (no validator: a request that sends it is refused). */
  @ApiPropertyOptional({ readOnly: true, description: 'Whether an SSO secret is set' })
  declare ssoSecretSet?: boolean;
}

export class NotificationSettingsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://news.example/articles/{articleId}#comment-{commentId}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/\S+$/, { message: 'articleUrl must be an http(s) URL' })
  articleUrl?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Receive the digest of held comments' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @MaxLength(254, { each: true })
  @IsEmail({}, { each: true, message: 'each moderator email must be a valid email address' })
  moderatorEmails?: string[];

  @ApiPropertyOptional({ default: 15, description: 'At most one digest this often (minutes)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.05)
  @Max(10080)
  moderatorDigestMinutes?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "Sender name of this site's mail",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}<>"]*$/u, {
    message: 'senderName must not contain control characters, <, > or "',
  })
  senderName?: string | null;
}

export class SiteSettingsDto {
  @ApiPropertyOptional({ type: ModerationSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ModerationSettingsDto)
  moderation?: ModerationSettingsDto;

  @ApiPropertyOptional({ type: SpamSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SpamSettingsDto)
  spam?: SpamSettingsDto;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  requireProofOfWork?: boolean;

  @ApiPropertyOptional({ default: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxBodyLength?: number;

  @ApiPropertyOptional({ type: RateLimitSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitSettingsDto)
  rateLimit?: RateLimitSettingsDto;

  @ApiPropertyOptional({ type: RetentionSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RetentionSettingsDto)
  retention?: RetentionSettingsDto;

  @ApiPropertyOptional({ type: IdentitySettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => IdentitySettingsDto)
  identity?: IdentitySettingsDto;

  @ApiPropertyOptional({ type: NotificationSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationSettingsDto)
  notifications?: NotificationSettingsDto;
}

export class PutSiteDto {
  @ApiProperty({ example: 'The Daily Example' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['https://news.example'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  @Matches(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, {
    each: true,
    message: 'each allowed origin must be scheme://host[:port], without a path',
  })
  allowedOrigins?: string[];

  @ApiPropertyOptional({ type: SiteSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SiteSettingsDto)
  settings?: SiteSettingsDto;
}

export class PutArticleDto {
  @ApiProperty({ description: 'Refuse new comments on this article' })
  @IsBoolean()
  closed!: boolean;
}
