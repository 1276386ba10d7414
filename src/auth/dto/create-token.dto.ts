import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { TOKEN_ROLES, type TokenRole } from '../api-token.entity.js';
import { SITE_ID_PATTERN } from '../../common/http/identifiers.js';

export class CreateTokenDto {
  @ApiProperty({ example: 'Night desk moderators' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: TOKEN_ROLES })
  @IsIn(TOKEN_ROLES)
  role!: TokenRole;

  @ApiPropertyOptional({ type: [String], description: 'Limit the token to these sites' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SITE_ID_PATTERN, {
    each: true,
    message: 'each site id must match ^[a-z0-9][a-z0-9-]{0,63}$',
  })
  siteIds?: string[] | null;
}
