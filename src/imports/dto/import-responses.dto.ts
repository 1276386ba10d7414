import { ApiProperty } from '@nestjs/swagger';

export class ImportErrorDto {
  @ApiProperty({ required: false, example: 66, description: 'Line of the file, when known' })
  line?: number;

  @ApiProperty({ example: 'orphan: post 6 belongs to thread 1337, which does not exist' })
  message!: string;
}

export class ImportSummaryDto {
  @ApiProperty({ example: 1200 })
  imported!: number;

  @ApiProperty({ example: 3, description: 'Pingbacks, trackbacks, bad records and orphans' })
  skipped!: number;

  @ApiProperty({ example: 0, description: 'Comments imported before (by their origin)' })
  duplicates!: number;

  @ApiProperty({ type: [ImportErrorDto] })
  errors!: ImportErrorDto[];
}

export class ImportJobDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'default' })
  siteId!: string;

  @ApiProperty({ enum: ['wxr', 'disqus', 'jsonl'] })
  format!: string;

  @ApiProperty({ enum: ['uploading', 'queued', 'running', 'completed', 'failed'] })
  status!: string;

  @ApiProperty({ example: 8416, description: 'Size of the uploaded file' })
  bytes!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'While it runs: read, imported, skipped, duplicates, errors, ratePerSecond…',
  })
  progress!: Record<string, number>;

  @ApiProperty({ type: () => ImportSummaryDto, nullable: true })
  summary!: ImportSummaryDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed (nothing imported)' })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
}

export class ImportJobListDto {
  @ApiProperty({ type: [ImportJobDto] })
  items!: ImportJobDto[];
}
