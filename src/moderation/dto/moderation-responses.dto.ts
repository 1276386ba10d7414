import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { PublicCommentDto } from '../../comments/views/comment-responses.dto.js';
import { COMMENT_STATUSES } from '../../comments/model/comment-status.js';

export class ReasonDto {
  @ApiProperty({ example: 'links' })
  code!: string;

  @ApiProperty({ example: '3 links (at most 2 allowed)' })
  message!: string;

  @ApiPropertyOptional({ description: 'Contribution to the spam score (spam signals)' })
  weight?: number;

  @ApiPropertyOptional({
    description: "A model's score behind the reason (the calibrated toxicity, for `toxicity`)",
    minimum: 0,
    maximum: 1,
  })
  score?: number;
}

export class AuthorHistoryDto {
  @ApiProperty({ minimum: 0 })
  approved!: number;

  @ApiProperty({ minimum: 0 })
  rejected!: number;

  @ApiProperty({ minimum: 0 })
  spam!: number;

  @ApiProperty({ minimum: 0 })
  total!: number;
}

/** Open reader flags of a comment (trust and safety). */
export class FlagSummaryDto {
  @ApiProperty({ minimum: 0 })
  count!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    example: { abuse: 2 },
  })
  reasons!: Record<string, number>;
}

/** An earlier text of an edited comment. */
export class CommentVersionDto {
  @ApiProperty()
  body!: string;

  @ApiProperty()
  bodyHtml!: string;

  @ApiProperty({ format: 'date-time', description: 'When the author replaced it' })
  replacedAt!: string;
}

export class ModerationItemDto extends PublicCommentDto {
  @ApiProperty({ example: 'default' })
  siteId!: string;

  @ApiProperty({ example: 'hello' })
  articleId!: string;

  @ApiProperty({ enum: COMMENT_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null once erased' })
  email!: string | null;

  @ApiProperty({ description: 'The text as written' })
  body!: string;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  spamScore!: number | null;

  @ApiProperty({ type: [ReasonDto] })
  reasons!: ReasonDto[];

  @ApiProperty({ description: 'Featured by a moderator' })
  declare featured: boolean;

  @ApiProperty({
    type: () => AuthorHistoryDto,
    nullable: true,
    description: "The author's comments on this site; null when the email was erased",
  })
  authorHistory!: AuthorHistoryDto | null;

  @ApiProperty({ type: () => FlagSummaryDto, description: 'Open reader flags' })
  flags!: FlagSummaryDto;

  @ApiProperty({
    type: () => VerifiedIdentityDto,
    nullable: true,
    description: "The publisher's login vouched for the author (SSO); null without",
  })
  identity!: VerifiedIdentityDto | null;
}

export class VerifiedIdentityDto {
  @ApiProperty({ description: "The publisher's user id (`sub` of the identity token)" })
  sub!: string;

  @ApiProperty({ enum: [true] })
  verified!: true;
}

export class HistoryEntryDto {
  @ApiProperty({ example: 'token:0192…' })
  actor!: string;

  @ApiProperty({ example: 'approve' })
  action!: string;

  @ApiProperty({ enum: COMMENT_STATUSES, nullable: true, type: String })
  from!: string | null;

  @ApiProperty({ enum: COMMENT_STATUSES })
  to!: string;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: [ReasonDto] })
  reasons!: ReasonDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: "Statement of reasons: the decision's code",
  })
  reasonCode!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class ModerationItemWithHistoryDto extends ModerationItemDto {
  @ApiProperty({ type: [HistoryEntryDto], description: 'Every status change, oldest first' })
  history!: HistoryEntryDto[];

  @ApiProperty({ type: [CommentVersionDto], description: 'Earlier texts of an edited comment' })
  versions!: CommentVersionDto[];
}

export class ModerationPageDto {
  @ApiProperty({ type: [ModerationItemDto] })
  items!: ModerationItemDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ModerationCountsDto {
  @ApiProperty({
    type: 'object',
    properties: {
      held: { type: 'integer', minimum: 0 },
      spam: { type: 'integer', minimum: 0 },
      approved: { type: 'integer', minimum: 0 },
      rejected: { type: 'integer', minimum: 0 },
    },
    required: ['held', 'spam', 'approved', 'rejected'],
  })
  counts!: Record<'held' | 'spam' | 'approved' | 'rejected', number>;
}

export class BulkDoneDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: COMMENT_STATUSES })
  status!: string;
}

export class BulkFailedDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Why this one was not changed', example: 'not-found' })
  error!: string;
}

export class BulkResultsDto {
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [{ $ref: getSchemaPath(BulkDoneDto) }, { $ref: getSchemaPath(BulkFailedDto) }],
    },
  })
  results!: Array<BulkDoneDto | BulkFailedDto>;
}

export class BanDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null: every site' })
  siteId!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Masked (`t***@e***.org`): bans hold keyed hashes, never the address; null for a ban outside a site-scoped token’s sites',
  })
  email!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Masked (`203.0.113.x`, `2001:db8:x:x::/64`); null as for email',
  })
  ip!: string | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: string | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class BanListDto {
  @ApiProperty({ type: [BanDto] })
  items!: BanDto[];
}
