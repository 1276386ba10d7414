import { ApiProperty } from '@nestjs/swagger';
import { COMMENT_STATUSES } from '../../comments/model/comment-status.js';

export class ExportedReasonDto {
  @ApiProperty()
  code!: string;

  @ApiProperty({ required: false })
  message?: string;

  @ApiProperty({ required: false })
  weight?: number;
}

export class ExportedDecisionDto {
  @ApiProperty({ example: 'reject' })
  action!: string;

  @ApiProperty({ enum: COMMENT_STATUSES, nullable: true })
  from!: string | null;

  @ApiProperty({ enum: COMMENT_STATUSES })
  to!: string;

  @ApiProperty({ type: String, nullable: true, description: "The moderator's own words" })
  reason!: string | null;

  @ApiProperty({ type: [ExportedReasonDto] })
  reasons!: ExportedReasonDto[];

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class ExportedBanDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null: every site' })
  siteId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Masked: bans never hold the address' })
  email!: string | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class ExportedCommentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  siteId!: string;

  @ApiProperty()
  articleId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentId!: string | null;

  @ApiProperty({ enum: COMMENT_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  website!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The public tag (keyed per site)' })
  avatar!: string | null;

  @ApiProperty()
  body!: string;

  @ApiProperty()
  bodyHtml!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt!: string | null;

  @ApiProperty({ type: [ExportedReasonDto], description: 'Why the rules decided as they did' })
  moderationReasons!: ExportedReasonDto[];

  @ApiProperty({ type: [ExportedDecisionDto], description: 'Every decision about the comment' })
  decisions!: ExportedDecisionDto[];
}

export class PrivacyExportDto {
  @ApiProperty()
  email!: string;

  @ApiProperty({ type: [ExportedCommentDto] })
  comments!: ExportedCommentDto[];

  @ApiProperty({ type: [ExportedBanDto], description: 'Bans of the address (masked)' })
  bans!: ExportedBanDto[];

  @ApiProperty({ type: () => [ConsentRecordDto], description: 'Reply-mail consent, per site' })
  subscriptions!: ConsentRecordDto[];
}

export class ConsentRecordDto {
  @ApiProperty()
  siteId!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Date of consent',
  })
  confirmedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  unsubscribedAt!: string | null;
}

export class PrivacyEraseDto {
  @ApiProperty({ minimum: 0, description: 'Comments whose author data was removed' })
  erased!: number;
}
