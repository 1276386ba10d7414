import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface AuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  siteId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditView extends Required<Omit<AuditEntry, 'details'>> {
  id: string;
  details: Record<string, unknown>;
  at: string;
}

/** Writes and reads the audit log (in the caller's transaction when given one). */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await (manager ?? this.db.manager).query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, site_id, reason, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.actor,
        entry.action,
        entry.targetType,
        entry.targetId ?? null,
        entry.siteId ?? null,
        entry.reason ?? null,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }

  async list(filter: { targetType?: string; limit: number }): Promise<AuditView[]> {
    const rows: Array<{
      id: string;
      actor: string;
      action: string;
      targetType: string;
      targetId: string | null;
      siteId: string | null;
      reason: string | null;
      details: Record<string, unknown>;
      createdAt: Date;
    }> = await this.db.query(
      `SELECT id, actor, action, target_type AS "targetType", target_id AS "targetId",
              site_id AS "siteId", reason, details, created_at AS "createdAt"
       FROM audit_log WHERE ($1::varchar IS NULL OR target_type = $1)
       ORDER BY id DESC LIMIT $2`,
      [filter.targetType ?? null, filter.limit],
    );
    return rows.map(({ createdAt, ...row }) => ({ ...row, at: createdAt.toISOString() }));
  }
}
