import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsDateString,
  IsEmail,
  IsIP,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { SITE_ID_PATTERN } from '../../common/http/identifiers.js';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateBanDto {
  @ApiPropertyOptional({ description: 'Omit to ban on every site (unscoped tokens only)' })
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;

  @ApiPropertyOptional({ example: 'troll@example.com' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email?: string;

  @ApiPropertyOptional({ example: '203.0.113.7' })
  @Transform(trim)
  @IsOptional()
  @IsIP(undefined, { message: 'ip must be an IPv4 or IPv6 address' })
  ip?: string;

  @ApiProperty({ example: 'Repeated abuse' })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Omit for a permanent ban' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expiresAt must be an RFC 3339 date-time' })
  expiresAt?: string;
}

export class BanQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;
}
