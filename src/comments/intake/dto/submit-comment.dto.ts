import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

/** With an identity token the token names the author: body values for them are ignored. */
const withoutIdentity = (o: { identity?: unknown }): boolean =>
  o.identity === undefined || o.identity === null || o.identity === '';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
/** Invisible control characters (NUL and friends, not tab or newlines) cannot be stored or shown. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const trimBody = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.replace(CONTROL, '').trim() : value;
const trimToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() || undefined : value;

/** `<comment id>.<receipt>`, as the 202 answer gave them. */
const RECEIPT_PROOF =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\.[A-Za-z0-9_-]{24}$/;

/** "Leave a Reply". Unknown fields (status, spamScore, siteId, …) are refused with a 400. */
export class SubmitCommentDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    example: 'Ann',
    description: 'Required unless `identity` is sent',
  })
  @Transform(trim)
  @ValidateIf(withoutIdentity)
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({
    maxLength: 254,
    example: 'ann@example.com',
    description: 'Never published; required unless `identity` is sent',
  })
  @Transform(trim)
  @ValidateIf(withoutIdentity)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email!: string;

  @ApiPropertyOptional({ maxLength: 2048, example: 'https://ann.example' })
  @Transform(trimToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true },
    { message: 'website must be an http or https URL' },
  )
  website?: string;

  @ApiProperty({ minLength: 1, maxLength: 10000, example: 'Thanks for the piece.' })
  @Transform(trimBody)
  @IsString()
  @Length(1, 10000, { message: 'body must be 1 to 10000 characters' })
  body!: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'parentId must be a comment id (UUID)' })
  parentId?: string | null;

  @ApiPropertyOptional({ description: 'Honeypot: leave empty' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  hp?: string;

  @ApiPropertyOptional({ description: 'ALTCHA proof-of-work payload (when the site requires it)' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  altcha?: string;

  @ApiPropertyOptional({
    description:
      "The publisher's signed identity (JWT, HS256; claims sub, email, name, exp, website?)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 8192, { message: 'identity must be a token of 1 to 8192 characters' })
  identity?: string;

  @ApiPropertyOptional({
    enum: ['replies'],
    description: 'Mail me replies to this comment (after I confirm my address)',
  })
  @IsOptional()
  @IsIn(['replies'], { message: 'notify must be "replies"' })
  notify?: 'replies';

  @ApiPropertyOptional({
    description:
      "Receipts of the author's own earlier comments (`<id>.<receipt>`, up to 10): in `trusted` " +
      'mode an author with an approved one on the site (same address) is published without review',
    type: [String],
    maxItems: 10,
    example: ['0b8e0f1c-2f5e-4c7a-9d55-2a4f8a9e1c3b.q2Vx0aQ8yJm3b4n5c6d7e8f9'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10, { message: 'receipts must list at most 10 receipts' })
  @IsString({ each: true })
  @Matches(RECEIPT_PROOF, { each: true, message: 'each receipt must be "<comment id>.<receipt>"' })
  receipts?: string[];
}

export class SubmitCommentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ['pending'] })
  status!: 'pending';

  @ApiProperty({ description: 'Opaque; lets the author read the status of this comment' })
  receipt!: string;
}
