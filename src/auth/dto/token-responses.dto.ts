import { ApiProperty } from '@nestjs/swagger';
import { TOKEN_ROLES } from '../api-token.entity.js';

export class CreatedTokenDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The token itself: shown in this response only' })
  token!: string;
}

export class TokenDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: TOKEN_ROLES })
  role!: string;

  @ApiProperty({ type: [String], nullable: true, description: 'null: every site' })
  siteIds!: string[] | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Refused after this; null: until revoked',
  })
  expiresAt!: string | null;
}

export class TokenListDto {
  @ApiProperty({ type: [TokenDto] })
  items!: TokenDto[];
}
