import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

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

  @ApiPropertyOptional({
    enum: ['oldest', 'newest', 'top'],
    default: 'oldest',
    description: '`top`: root threads by likes, then newest',
  })
  @IsOptional()
  @IsIn(['oldest', 'newest', 'top'])
  sort: 'oldest' | 'newest' | 'top' = 'oldest';

  @ApiPropertyOptional({ description: 'Only the featured comments', default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  featured?: boolean;
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
