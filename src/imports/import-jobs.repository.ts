import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface ImportJobView {
  id: string;
  siteId: string;
  format: string;
  status: 'uploading' | 'queued' | 'running' | 'completed' | 'failed';
  bytes: number;
  progress: Record<string, number>;
  summary: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const VIEW = `id, site_id AS "siteId", format, status, bytes::float8 AS bytes, progress, summary,
  error, created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

type Row = Omit<ImportJobView, 'createdAt' | 'startedAt' | 'finishedAt'> & {
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

const view = (r: Row): ImportJobView => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

/** Uploaded imports and their files (chunks of bytea). */
@Injectable()
export class ImportJobsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(siteId: string, format: string, actor: string): Promise<string> {
    const rows: Array<{ id: string }> = await this.db.query(
      `INSERT INTO imports (site_id, format, status, actor) VALUES ($1, $2, 'uploading', $3)
       RETURNING id`,
      [siteId, format, actor],
    );
    return rows[0].id;
  }

  async addChunk(id: string, seq: number, data: Buffer): Promise<void> {
    await this.db.query(
      `WITH c AS (INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, $2, $3))
       UPDATE imports SET bytes = bytes + $4 WHERE id = $1`,
      [id, seq, data, data.length],
    );
  }

  async chunks(
    id: string,
    fromSeq: number,
    limit: number,
  ): Promise<Array<{ seq: number; data: Buffer }>> {
    return this.db.query(
      `SELECT seq, data FROM import_chunks WHERE import_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
      [id, fromSeq, limit],
    );
  }

  /** Moves the import from one of `from` to `to`; false when it was not there. */
  async transition(
    id: string,
    from: string[],
    to: string,
    fields: { summary?: unknown; error?: string | null } = {},
  ): Promise<boolean> {
    const [, count]: [unknown, number] = await this.db.query(
      `UPDATE imports SET status = $3::varchar,
         started_at = CASE WHEN $3::varchar = 'running' THEN now() ELSE started_at END,
         finished_at = CASE WHEN $3::varchar IN ('completed', 'failed') THEN now() ELSE finished_at END,
         summary = COALESCE($4::jsonb, summary), error = COALESCE($5::text, error)
       WHERE id = $1 AND status = ANY($2::varchar[])`,
      [
        id,
        from,
        to,
        fields.summary === undefined ? null : JSON.stringify(fields.summary),
        fields.error ?? null,
      ],
    );
    return count > 0;
  }

  async setProgress(id: string, progress: Record<string, number>): Promise<void> {
    await this.db.query(`UPDATE imports SET progress = $2 WHERE id = $1`, [
      id,
      JSON.stringify(progress),
    ]);
  }

  async dropFile(id: string): Promise<void> {
    await this.db.query(`DELETE FROM import_chunks WHERE import_id = $1`, [id]);
  }

  async actor(id: string): Promise<string | null> {
    const rows: Array<{ actor: string }> = await this.db.query(
      `SELECT actor FROM imports WHERE id = $1`,
      [id],
    );
    return rows[0]?.actor ?? null;
  }

  async find(id: string): Promise<ImportJobView | null> {
    const rows: Row[] = await this.db.query(`SELECT ${VIEW} FROM imports WHERE id = $1`, [id]);
    return rows[0] ? view(rows[0]) : null;
  }

  async list(limit: number): Promise<ImportJobView[]> {
    const rows: Row[] = await this.db.query(
      `SELECT ${VIEW} FROM imports ORDER BY created_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map(view);
  }
}
