import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
} from 'class-validator';
import { SITE_ID_PATTERN } from '../../common/http/identifiers.js';
import { COMMENT_EVENT_TYPES, type CommentEventType } from '../cloud-event.js';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://search.example/hooks/comments' })
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http or https URL' },
  )
  url!: string;

  @ApiProperty({ enum: COMMENT_EVENT_TYPES, isArray: true, example: ['comment.approved'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(COMMENT_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(COMMENT_EVENT_TYPES, { each: true })
  events!: CommentEventType[];

  @ApiPropertyOptional({ description: 'Only events of this site (default: every site)' })
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;
}

export class CreateWebhookResponseDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({
    description: 'Signing secret (Standard Webhooks, `whsec_<base64>`); shown only here',
  })
  secret!: string;
}
