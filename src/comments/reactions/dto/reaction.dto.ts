import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

/** A reader's optional identity for likes and flags: counted by SSO `sub`, not by address. */
export class ReaderIdentityDto {
  @ApiPropertyOptional({
    description:
      "The publisher's signed identity (JWT, HS256, as at submit): the reader is counted by its " +
      '`sub` instead of the client address. Required where the site sets `identity.requireSso`.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 8192, { message: 'identity must be a token of 1 to 8192 characters' })
  identity?: string;
}

export class ReactionDto extends ReaderIdentityDto {
  @ApiProperty({ enum: ['like'] })
  @IsIn(['like'])
  type!: 'like';
}

export class ReactionQueryDto {
  @ApiPropertyOptional({ enum: ['like'], default: 'like' })
  @IsOptional()
  @IsIn(['like'])
  type = 'like' as const;
}

export class ReactionResultDto {
  @ApiProperty({ description: "The comment's likes now", example: 3 })
  likes!: number;
}
