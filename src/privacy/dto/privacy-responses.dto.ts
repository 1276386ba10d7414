import { ApiProperty } from '@nestjs/swagger';
import { COMMENT_STATUSES } from '../../comments/comment-status.js';

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

  @ApiProperty()
  body!: string;

  @ApiProperty()
  bodyHtml!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt!: string | null;
}

export class PrivacyExportDto {
  @ApiProperty()
  email!: string;

  @ApiProperty({ type: [ExportedCommentDto] })
  comments!: ExportedCommentDto[];

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
