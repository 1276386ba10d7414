import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { SITE_ID_PATTERN } from '../../common/http/identifiers.js';

export class CountsQueryDto {
  @ApiPropertyOptional({ description: 'Omit to count every site the token may moderate' })
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;
}
