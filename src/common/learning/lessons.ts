import {
  Column,
  PrimaryColumn,
  UpdateDateColumn,
  type DataSource,
  type EntityManager,
} from 'typeorm';

/**
 * What moderators taught a classifier (spam, toxicity): one row per comment, only hashed
 * feature ids, never text. Each model's table is an entity extending this one.
 */
export abstract class LessonEntity<L extends string> {
  @PrimaryColumn({ type: 'uuid' })
  commentId!: string;

  @Column({ type: 'varchar', length: 8 })
  label!: L;

  @Column({ type: 'varchar', length: 64 })
  featureSpace!: string;

  /** The site whose moderator taught it: a lesson changes scores on that site only. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  siteId!: string | null;

  @Column({ type: 'integer', array: true })
  features!: number[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

export interface LessonRow<L extends string> {
  label: L;
  features: number[];
  /** The site whose moderator taught it; null for a lesson of a comment long gone. */
  siteId: string | null;
}

export interface NewLesson<L extends string> {
  commentId: string;
  siteId: string;
  label: L;
  featureSpace: string;
  features: readonly number[];
}

/** Every query on one lessons table (`spam_feedback`, `toxicity_feedback`). */
export abstract class LessonsRepository<L extends string> {
  protected constructor(
    private readonly db: DataSource,
    private readonly table: 'spam_feedback' | 'toxicity_feedback',
  ) {}

  /** One row per comment: a later decision on the same comment replaces the earlier one. */
  async upsert(manager: EntityManager, row: NewLesson<L>): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table} (comment_id, label, feature_space, features, site_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (comment_id) DO UPDATE SET label = EXCLUDED.label,
         feature_space = EXCLUDED.feature_space, features = EXCLUDED.features,
         site_id = EXCLUDED.site_id, updated_at = now()`,
      [row.commentId, row.label, row.featureSpace, row.features, row.siteId],
    );
  }

  /** Every lesson of the feature space, in a stable order (rebuilds are deterministic). */
  findAll(featureSpace: string): Promise<Array<LessonRow<L>>> {
    return this.db.query(
      `SELECT label, features, site_id AS "siteId" FROM ${this.table}
       WHERE feature_space = $1 ORDER BY comment_id`,
      [featureSpace],
    );
  }

  /** Privacy erase: lessons hold hashed words of the subject's comments; they go too. */
  async deleteForComments(tx: EntityManager, commentIds: string[]): Promise<void> {
    await tx.query(`DELETE FROM ${this.table} WHERE comment_id = ANY($1::uuid[])`, [commentIds]);
  }
}
