import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, type AuditEntry } from '../../audit/audit.service.js';
import { CryptoService } from '../../common/crypto/crypto.service.js';
import type { AppConfig } from '../../config/app.config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import {
  inProcessRenderer,
  threadRenderer,
  type BatchRenderer,
  type RenderInput,
  type RenderOutput,
} from './bulk-render.js';
import { childPath, pathSegment, rootKeyOf } from '../model/comment-path.js';
import type { CommentStatus } from '../model/comment-status.js';
import type { Reason } from '../model/comment.entity.js';
import {
  CommentsBulkRepository,
  type BulkCommentRow,
  type KnownComment,
} from './comments-bulk.repository.js';
import { ThreadCache } from '../thread/thread.cache.js';

/** Rows per INSERT statement (PostgreSQL takes arrays of any length; this bounds memory). */
const INSERT_ROWS = 2000;
/** Rows rendered (worker thread) or inserted at once beyond the batch being prepared. */
const IN_FLIGHT = 2;

type Shell = Omit<BulkCommentRow, keyof RenderOutput>;

export type { KnownComment } from './comments-bulk.repository.js';

/** An imported comment, as the importer read it from its source. */
export interface ImportedComment {
  /** The id to give it (the importer checks it is free). */
  id: string;
  articleId: string;
  /** Its parent, already stored (in this import or an earlier one), or null for a root. */
  parent: KnownComment | null;
  /** Where it came from (format and id there), remembered to recognise it later; or null. */
  origin: { format: string; id: string } | null;
  createdAt: Date;
  authorName: string | null;
  email: string | null;
  website: string | null;
  ip: string | null;
  /** HTML from another system (sanitised here), or this service's own body and its HTML. */
  content: { html: string } | { body: string; bodyHtml: string };
  status: Exclude<CommentStatus, 'pending'>;
  publishedAt?: Date | null;
  deletedAt?: Date | null;
  /** When an editor featured it (approved comments only). */
  featuredAt?: Date | null;
  spamScore?: number | null;
  spamReasons?: Reason[];
  moderationReasons?: Reason[];
}

/** One import's transaction: rows go in batch by batch; nothing is visible before the end. */
export interface ImportSession {
  /** The site's comments imported before from these origins, keyed `format NUL id`. */
  known(origins: ReadonlyArray<{ format: string; id: string }>): Promise<Map<string, KnownComment>>;
  /** The site's comments with these ids. */
  own(ids: string[]): Promise<Map<string, KnownComment>>;
  /** Which of these ids are taken already. */
  taken(ids: string[]): Promise<Set<string>>;
  /**
   * Builds the row exactly as intake would (path, HTML, encrypted email, indexes) and queues
   * it; its replies may be prepared at once.
   */
  prepare(comment: ImportedComment): KnownComment;
  /** Inserts what was prepared (parents before replies), in multi-row statements. */
  flush(): Promise<number>;
  /** An audit entry in the same transaction. */
  audit(entry: AuditEntry): Promise<void>;
}

/** An exported comment: everything needed to restore it, the email decrypted. */
export interface ExportedComment {
  id: string;
  articleId: string;
  parentId: string | null;
  status: CommentStatus;
  createdAt: Date;
  publishedAt: Date | null;
  deletedAt: Date | null;
  featuredAt: Date | null;
  authorName: string | null;
  email: string | null;
  website: string | null;
  body: string;
  bodyHtml: string;
  spamScore: number | null;
  spamReasons: Reason[];
  moderationReasons: Reason[];
  source: { format: string; id: string } | null;
}

/**
 * Bulk paths on comments (imports and exports). The rows are those intake writes, built from
 * the same pieces (path segments, the renderer's allow-list, the crypto service's ciphertext,
 * blind indexes and avatar tags); no per-comment event is emitted, and article counts, thread
 * versions and cached threads are right once the import commits.
 */
@Injectable()
export class CommentsBulkService {
  private readonly logger = new Logger(CommentsBulkService.name);

  constructor(
    private readonly repo: CommentsBulkRepository,
    private readonly crypto: CryptoService,
    private readonly audits: AuditService,
    private readonly threadCache: ThreadCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async importSession<T>(siteId: string, work: (session: ImportSession) => Promise<T>): Promise<T> {
    const articles = new Map<string, { approved: number; first: Date }>();
    let shells: Shell[] = [];
    let inputs: RenderInput[] = [];
    /** Batches on their way: rendered, then inserted in order. */
    const inflight: Array<Promise<void>> = [];
    let last: Promise<void> = Promise.resolve();
    const renderer: BatchRenderer =
      threadRenderer(this.config.secrets) ?? inProcessRenderer(this.crypto);
    const drain = async () => {
      await Promise.all(inflight.splice(0));
    };
    try {
      const result = await this.repo.transaction(async (manager: EntityManager) => {
        const session: ImportSession = {
          // Earlier imports are committed: looked up on the pool, so these reads do not wait
          // behind this import's own inserts (the importer keeps track of what it wrote).
          known: (origins) => this.repo.findSources(this.repo.pool, siteId, origins),
          own: (ids) => this.repo.findOwn(this.repo.pool, siteId, ids),
          taken: (ids) => this.repo.takenIds(this.repo.pool, ids),
          prepare: (comment) => {
            const shell = this.shellOf(comment);
            shells.push(shell);
            inputs.push({
              siteId,
              email: comment.email,
              ip: comment.ip,
              content: comment.content,
            });
            const stats = articles.get(shell.articleId) ?? {
              approved: 0,
              first: shell.createdAt,
            };
            if (shell.status === 'approved') stats.approved++;
            if (shell.createdAt < stats.first) stats.first = shell.createdAt;
            articles.set(shell.articleId, stats);
            return {
              id: shell.id,
              articleId: shell.articleId,
              path: shell.path,
              depth: shell.depth,
            };
          },
          flush: async () => {
            const batch = shells;
            const count = batch.length;
            if (count === 0) return 0;
            // Rendering (a worker thread) and inserting overlap with preparing the next batch.
            const rendered = renderer.render(inputs);
            shells = [];
            inputs = [];
            const previous = last;
            last = (async () => {
              const out = await rendered;
              await previous; // inserts in order: parents before their replies
              const rows = batch.map((shell, i) => ({ ...shell, ...out[i] }));
              for (let i = 0; i < rows.length; i += INSERT_ROWS) {
                await this.repo.insert(manager, siteId, rows.slice(i, i + INSERT_ROWS));
              }
            })();
            last.catch(() => undefined);
            inflight.push(last);
            while (inflight.length > IN_FLIGHT) await inflight.shift();
            return count;
          },
          audit: async (entry) => {
            await drain(); // one statement at a time on the transaction's connection
            await this.audits.record(entry, manager);
          },
        };
        let out: T;
        try {
          out = await work(session);
          await session.flush();
        } finally {
          // Never leave the transaction with a statement still running on it.
          await Promise.allSettled(inflight);
        }
        await drain();
        await this.repo.finishArticles(manager, siteId, articles);
        return out;
      });
      for (const articleId of articles.keys()) {
        await this.threadCache.invalidate(siteId, articleId).catch((error: Error) => {
          this.logger.warn(`Thread cache invalidation failed (pages expire): ${error.message}`);
        });
      }
      return result;
    } finally {
      await renderer.close();
    }
  }

  /** The row without what the renderer computes (body HTML, ciphertext, keyed tags). */
  private shellOf(c: ImportedComment): Shell {
    const path = childPath(c.parent?.path ?? null, pathSegment(c.createdAt, c.id));
    const published = c.status === 'approved' || c.status === 'deleted' ? c.createdAt : null;
    return {
      id: c.id,
      articleId: c.articleId,
      parentId: c.parent?.id ?? null,
      depth: c.parent ? c.parent.depth + 1 : 0,
      path,
      rootKey: rootKeyOf(path),
      authorName: c.authorName,
      authorWebsite: c.website,
      status: c.status,
      spamScore: c.spamScore ?? null,
      spamReasons: c.spamReasons ?? [],
      moderationReasons: c.moderationReasons ?? [],
      createdAt: c.createdAt,
      publishedAt: c.publishedAt !== undefined ? c.publishedAt : published,
      deletedAt:
        c.deletedAt !== undefined ? c.deletedAt : c.status === 'deleted' ? new Date() : null,
      featuredAt: c.status === 'approved' ? (c.featuredAt ?? null) : null,
      origin: c.origin,
    };
  }

  /** Every comment of a site, threads in order (parents first), emails decrypted. */
  async *exportSite(siteId: string, batch = 1000): AsyncGenerator<ExportedComment> {
    let after: { articleId: string; path: string } | null = null;
    for (;;) {
      const rows = await this.repo.exportPage(siteId, after, batch);
      for (const r of rows) {
        yield {
          id: r.id,
          articleId: r.articleId,
          parentId: r.parentId,
          status: r.status,
          createdAt: r.createdAt,
          publishedAt: r.publishedAt,
          deletedAt: r.deletedAt,
          featuredAt: r.featuredAt,
          authorName: r.authorName,
          email:
            r.emailCiphertext && r.emailKeyId
              ? this.crypto.decryptEmail(r.emailCiphertext, r.emailKeyId)
              : null,
          website: r.authorWebsite,
          body: r.body,
          bodyHtml: r.bodyHtml,
          spamScore: r.spamScore,
          spamReasons: r.spamReasons,
          moderationReasons: r.moderationReasons,
          source: r.sourceFormat && r.sourceId ? { format: r.sourceFormat, id: r.sourceId } : null,
        };
      }
      if (rows.length < batch) return;
      const last = rows[rows.length - 1];
      after = { articleId: last.articleId, path: last.path };
    }
  }
}
