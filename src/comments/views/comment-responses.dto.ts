import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Response DTOs of the public comment routes (OpenAPI only: services return plain objects). */
export class PublicAuthorDto {
  @ApiProperty({ example: 'Ann' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'https://ann.example' })
  website!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Avatar image URL (or a data: URL)' })
  avatar!: string | null;
}

export class PublicCommentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentId!: string | null;

  @ApiProperty({ minimum: 0, example: 0 })
  depth!: number;

  @ApiProperty({
    type: () => PublicAuthorDto,
    nullable: true,
    description: 'null on a tombstone (a removed comment that still holds replies)',
  })
  author!: PublicAuthorDto | null;

  @ApiProperty({ description: 'Sanitised HTML; empty on a tombstone' })
  bodyHtml!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  publishedAt!: string | null;

  @ApiPropertyOptional({ enum: [true], description: 'Present (true) on tombstones only' })
  deleted?: true;

  @ApiPropertyOptional({
    description: 'Featured by a moderator (public thread; tombstones carry neither this nor likes)',
  })
  featured?: boolean;

  @ApiPropertyOptional({ minimum: 0, description: "Readers' likes (public thread)" })
  likes?: number;
}

export class ThreadPageDto {
  @ApiProperty({ example: 'default' })
  siteId!: string;

  @ApiProperty({ example: 'hello' })
  articleId!: string;

  @ApiProperty({ minimum: 0, description: 'Published comments of the article' })
  count!: number;

  @ApiProperty({
    description: 'No new comments are accepted (closed by an admin, or closeAfterDays passed)',
  })
  closed!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;

  @ApiProperty({ type: [PublicCommentDto] })
  comments!: PublicCommentDto[];
}

export class CommentCountsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { hello: 3 },
    description: 'Published comments per article id asked for',
  })
  counts!: Record<string, number>;
}

/** Statement of reasons: what the author reads about the decision on their comment. */
export class DecisionStatementDto {
  @ApiProperty({ example: 'abuse' })
  reasonCode!: string;

  @ApiProperty({ description: "The site's public text for the code" })
  explanation!: string;

  @ApiProperty({ format: 'date-time' })
  decidedAt!: string;

  @ApiProperty({ description: 'Decided by the rules or filters, not a person' })
  automated!: boolean;
}

export class AppealStateDto {
  @ApiProperty({ format: 'date-time', description: 'The last moment to appeal' })
  until!: string;

  @ApiProperty({ type: String, nullable: true, enum: ['open', 'upheld', 'reversed'] })
  status!: string | null;
}

export class ReceiptStatusDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['pending', 'awaiting_moderation', 'published', 'rejected'] })
  status!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Until when PATCH is allowed' })
  editableUntil?: string;

  @ApiPropertyOptional({ type: () => DecisionStatementDto })
  decision?: DecisionStatementDto;

  @ApiPropertyOptional({ type: () => AppealStateDto, nullable: true })
  appeal?: AppealStateDto | null;
}

export class ArticleDto {
  @ApiProperty({ example: 'default' })
  siteId!: string;

  @ApiProperty({ example: 'hello' })
  articleId!: string;

  @ApiProperty()
  closed!: boolean;

  @ApiProperty({ minimum: 0 })
  count!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstCommentAt!: string | null;
}
