import { ApiProperty } from '@nestjs/swagger';
import { SiteSettingsDto } from './put-site.dto.js';

export class SiteDto {
  @ApiProperty({ example: 'default' })
  id!: string;

  @ApiProperty({ example: 'The Daily Example' })
  name!: string;

  @ApiProperty({ type: [String], example: ['https://news.example'] })
  allowedOrigins!: string[];

  @ApiProperty({ type: () => SiteSettingsDto, description: 'Every setting, defaults filled in' })
  settings!: SiteSettingsDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class SiteListDto {
  @ApiProperty({ type: [SiteDto] })
  items!: SiteDto[];
}
