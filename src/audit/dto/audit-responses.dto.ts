import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty({ pattern: '^[0-9]+$', description: 'Increasing' })
  id!: string;

  @ApiProperty({ example: 'admin' })
  actor!: string;

  @ApiProperty({ example: 'ban.create' })
  action!: string;

  @ApiProperty({ example: 'ban' })
  targetType!: string;

  @ApiProperty({ type: String, nullable: true })
  targetId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  siteId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];
}
