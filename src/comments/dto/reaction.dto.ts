import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ReactionDto {
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
