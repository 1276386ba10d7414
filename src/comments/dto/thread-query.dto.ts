import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ThreadQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['oldest', 'newest'], default: 'oldest' })
  @IsOptional()
  @IsIn(['oldest', 'newest'])
  sort: 'oldest' | 'newest' = 'oldest';
}

export class CountsQueryDto {
  @ApiProperty({ description: 'Comma-separated article ids (up to 100)', example: 'a-1,a-2' })
  @IsString()
  @MaxLength(20200)
  articles!: string;
}

export class ReceiptQueryDto {
  @ApiProperty({ description: 'The receipt from the submit response' })
  @IsString()
  @MaxLength(200)
  receipt!: string;
}
