import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { SITE_ID_PATTERN } from '../../common/http/identifiers.js';

export class StreamQueryDto {
  @ApiPropertyOptional({ description: 'Only this site (else every site of the token)' })
  @IsOptional()
  @Matches(SITE_ID_PATTERN, { message: 'siteId must match ^[a-z0-9][a-z0-9-]{0,63}$' })
  siteId?: string;
}
