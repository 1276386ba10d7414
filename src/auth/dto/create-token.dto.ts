import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { TOKEN_ROLES, type TokenRole } from '../api-token.entity.js';
import { SITE_ID_PATTERN } from '../../common/http/identifiers.js';

/**
 * Admin is global by design (docs/api.md, "Admin (role admin)"): no admin route looks at a token's
 * sites, so an admin token "limited" to sites would in truth reach every site. Refused.
 */
@ValidatorConstraint({ name: 'siteIdsNotForAdmin' })
class SiteIdsNotForAdmin implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    return (args.object as { role?: unknown }).role !== 'admin';
  }

  defaultMessage(): string {
    return 'an admin token is global and cannot be limited to sites; use a moderator or service token';
  }
}

export class CreateTokenDto {
  @ApiProperty({ example: 'Night desk moderators' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: TOKEN_ROLES })
  @IsIn(TOKEN_ROLES)
  role!: TokenRole;

  @ApiPropertyOptional({
    type: [String],
    description:
      'Limit a moderator or service token to these sites (leave out for every site); not allowed for admin tokens',
  })
  @IsOptional()
  @Validate(SiteIdsNotForAdmin)
  @IsArray()
  // An empty list must not silently mean "every site".
  @ArrayMinSize(1, { message: 'siteIds must name at least one site; leave it out for every site' })
  @ArrayMaxSize(100)
  @Matches(SITE_ID_PATTERN, {
    each: true,
    message: 'each site id must match ^[a-z0-9][a-z0-9-]{0,63}$',
  })
  siteIds?: string[] | null;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'The token is refused after this (its open streams end); omit for no expiry',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expiresAt must be an RFC 3339 date-time' })
  expiresAt?: string;
}
