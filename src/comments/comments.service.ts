import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { ChallengeService } from '../challenge/challenge.service.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import {
  CommentsClosedError,
  IdempotencyConflictError,
  ParentNotFoundError,
  ReplyTooDeepError,
  ValidationFailedError,
} from '../common/errors/domain.errors.js';
import { ARTICLE_ID_PATTERN } from '../common/http/identifiers.js';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor.js';
import { sourceOf } from '../events/cloud-event.js';
import { InvalidIdentityError, verifyIdentity } from '../identity/sso-identity.js';
import { OutboxWaker } from '../events/outbox-waker.js';
import { CommentPipelineQueue } from '../queue/comment-pipeline.queue.js';
import { SitesService } from '../sites/sites.service.js';
import { childPath, isValidPath, pathSegment, rootKeyOf } from './comment-path.js';
import { renderCommentBody } from './comment-renderer.js';
import type { Reason } from './comment.entity.js';
import {
  toPublicComment,
  toThreadComment,
  type CommentRow,
  type PublicComment,
} from './comment.mapper.js';
import {
  CommentsRepository,
  type NotificationFacts,
  type ArticleState,
  type NewComment,
  type ThreadPosition,
  type ThreadSort,
} from './comments.repository.js';
import type { SubmitCommentDto } from './dto/submit-comment.dto.js';
import { SubmitRateLimiter } from './submit-rate-limiter.js';
import { cachedEtag, etagMatches, threadVariant } from './thread-etag.js';
import { ThreadCache } from './thread.cache.js';

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
const MAX_COUNT_IDS = 100;

export interface SubmitContext {
  /** The client address as the trusted-proxy settings make it out. */
  ip: string | null;
  idempotencyKey: string | null;
  now?: Date;
}

export interface SubmitResult {
  id: string;
  status: 'pending';
  receipt: string;
}

export interface ThreadPage {
  siteId: string;
  articleId: string;
  count: number;
  /** No new comments are accepted (closed by an admin, or `closeAfterDays` passed). */
  closed: boolean;
  nextCursor: string | null;
  comments: PublicComment[];
}

export interface ThreadQuery {
  sort: ThreadSort;
  limit: number;
  cursor?: string;
  /** Only the featured comments (approved, featured by a moderator). */
  featured?: boolean;
}

@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly sites: SitesService,
    private readonly crypto: CryptoService,
    private readonly pipeline: CommentPipelineQueue,
    private readonly challenges: ChallengeService,
    private readonly audit: AuditService,
    private readonly rateLimiter: SubmitRateLimiter,
    private readonly waker: OutboxWaker,
    private readonly threadCache: ThreadCache,
  ) {}

  /**
   * Accepts a reply: validated, committed in PostgreSQL together with its `comment.submitted`
   * event, then queued for the spam worker. Returns only once the comment is committed.
   */
  async submit(
    siteId: string,
    articleId: string,
    dto: SubmitCommentDto,
    ctx: SubmitContext,
  ): Promise<SubmitResult> {
    const site = await this.sites.get(siteId);
    const settings = site.settings;
    // The publisher's signed identity names the author; without one, the body does.
    let identitySub: string | null = null;
    if (dto.identity) {
      const identity = await verifyIdentity(dto.identity, settings.identity.ssoSecret, ctx.now);
      identitySub = identity.sub;
      dto = {
        ...dto,
        name: identity.name,
        email: identity.email,
        website: identity.website ?? undefined,
      };
    } else if (settings.identity.requireSso) {
      throw new InvalidIdentityError('This site accepts comments only with an identity token.');
    }
    if (dto.body.length > settings.maxBodyLength) {
      throw new ValidationFailedError([
        { field: 'body', message: `body must be at most ${settings.maxBodyLength} characters` },
      ]);
    }

    const fingerprint = ctx.idempotencyKey ? this.crypto.fingerprint({ articleId, ...dto }) : null;
    if (ctx.idempotencyKey && fingerprint) {
      const replay = await this.replay(siteId, ctx.idempotencyKey, fingerprint, ctx.now);
      if (replay) return replay;
    }

    const ipIndex = ctx.ip ? this.crypto.ipIndex(ctx.ip) : null;
    const emailIndex = this.crypto.emailIndex(dto.email);
    await this.rateLimiter.consume([
      ...(ipIndex
        ? [{ kind: 'ip', siteId, subject: ipIndex, perMinute: settings.rateLimit.perIpPerMinute }]
        : []),
      {
        kind: 'email',
        siteId,
        subject: emailIndex,
        perMinute: settings.rateLimit.perEmailPerMinute,
      },
    ]);

    const now = ctx.now ?? new Date();

    const id = randomUUID();
    const segment = pathSegment(now, id);
    let parentPath: string | null = null;
    let depth = 0;
    if (dto.parentId) {
      const parent = await this.comments.findParent(dto.parentId);
      if (
        !parent ||
        parent.siteId !== siteId ||
        parent.articleId !== articleId ||
        parent.status !== 'approved'
      ) {
        throw new ParentNotFoundError();
      }
      depth = parent.depth + 1;
      if (depth > settings.moderation.maxDepth) {
        throw new ReplyTooDeepError(settings.moderation.maxDepth);
      }
      parentPath = parent.path;
    }
    const path = childPath(parentPath, segment);
    // Verified here (it needs the challenge's one-time use); scored by the spam worker.
    const powVerified = dto.altcha ? await this.challenges.verify(dto.altcha) : null;
    const email = this.crypto.encryptEmail(dto.email);
    const comment: NewComment = {
      id,
      siteId,
      articleId,
      parentId: dto.parentId ?? null,
      depth,
      path,
      rootKey: rootKeyOf(path),
      authorName: dto.name,
      authorWebsite: dto.website ?? null,
      authorAvatar: this.crypto.avatarTag(siteId, dto.email),
      emailCiphertext: email.ciphertext,
      emailKeyId: email.keyId,
      emailIndex,
      ipIndex,
      body: dto.body,
      bodyHtml: renderCommentBody(dto.body),
      honeypot: Boolean(dto.hp && dto.hp.length > 0),
      powVerified,
      idempotencyKey: ctx.idempotencyKey,
      requestFingerprint: fingerprint,
      createdAt: now,
      trustReceipts: this.verifiedReceipts(dto.receipts),
      identitySub,
      notifyReplies: dto.notify === 'replies',
    };

    const event = {
      eventId: randomUUID(),
      source: sourceOf(siteId),
      data: {
        comment: {
          ...toPublicComment({ ...comment, status: 'pending', publishedAt: null }),
          siteId,
          articleId,
          status: 'pending',
        },
        previousStatus: null,
        reasons: [],
      },
    };
    try {
      let outcome = await this.comments.insertWithEvent(
        comment,
        event,
        settings.moderation.closeAfterDays,
      );
      // A concurrent first comment created the article meanwhile: now it is there.
      if (!outcome.seen) {
        outcome = await this.comments.insertWithEvent(
          comment,
          event,
          settings.moderation.closeAfterDays,
        );
      }
      if (!outcome.inserted) throw new CommentsClosedError();
      this.waker.wake();
    } catch (error) {
      // Two requests with one Idempotency-Key raced: the loser answers like a replay.
      if (ctx.idempotencyKey && fingerprint && isUniqueViolation(error)) {
        const replay = await this.replay(siteId, ctx.idempotencyKey, fingerprint, ctx.now);
        if (replay) return replay;
      }
      throw error;
    }

    await this.pipeline.enqueue('spam', id);
    return { id, status: 'pending', receipt: this.crypto.receiptFor(id) };
  }

  private async replay(
    siteId: string,
    key: string,
    fingerprint: Buffer,
    now = new Date(),
  ): Promise<SubmitResult | null> {
    const earlier = await this.comments.findByIdempotencyKey(siteId, key);
    if (!earlier) return null;
    const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
    if (earlier.createdAt < expiredBefore) {
      await this.comments.releaseIdempotencyKey(siteId, key, expiredBefore);
      return null;
    }
    if (!earlier.requestFingerprint.equals(fingerprint)) throw new IdempotencyConflictError();
    return { id: earlier.id, status: 'pending', receipt: this.crypto.receiptFor(earlier.id) };
  }

  /** The public thread: approved comments only, depth-first, keyset-paginated. */
  private async pageOf(
    siteId: string,
    articleId: string,
    article: ArticleState | null,
    query: ThreadQuery,
    closeAfterDays: number | null,
  ): Promise<ThreadPage> {
    const closed = isClosed(article, closeAfterDays);
    const empty: ThreadPage = {
      siteId,
      articleId,
      count: 0,
      closed,
      nextCursor: null,
      comments: [],
    };
    const kind = `thread:${query.sort}${query.featured ? ':featured' : ''}`;
    const after = query.cursor ? decodeThreadCursor(query.cursor, kind) : null;
    if (!article) return empty;
    const rows = await this.comments.findPublishedPage(
      siteId,
      articleId,
      query.sort,
      after,
      query.limit + 1,
      query.featured ?? false,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor(kind, {
            p: last.path,
            r: last.rootKey,
            ...(last.rootLikes !== undefined ? { s: last.rootLikes } : {}),
          })
        : null;
    return {
      siteId,
      articleId,
      count: article.approvedCount,
      closed,
      nextCursor,
      comments: page.map(toThreadComment),
    };
  }

  /**
   * The thread with its ETag; `page` is null when the client's `If-None-Match` still holds,
   * and the cached JSON bytes when the published-thread cache has it. Without Redis, the ETag
   * derives from the article's thread version in PostgreSQL (read before the page, so it is
   * never newer than what it labels).
   */
  async readThread(
    siteId: string,
    articleId: string,
    query: ThreadQuery,
    ifNoneMatch: string | undefined,
  ): Promise<{ etag: string; page: ThreadPage | Buffer | null }> {
    const { settings } = await this.sites.get(siteId);
    const closeAfterDays = settings.moderation.closeAfterDays;
    const variant = threadVariant(query);
    const cached = await this.threadCache.lookup(siteId, articleId, variant).catch(() => undefined);
    if (cached) {
      const etag = cachedEtag(cached.generation, variant);
      if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { etag, page: null };
      if (cached.page) return { etag, page: cached.page };
      const article = await this.comments.findArticle(siteId, articleId);
      const page = await this.pageOf(siteId, articleId, article, query, closeAfterDays);
      this.threadCache
        .store(siteId, articleId, cached.generation, variant, JSON.stringify(page))
        .catch(() => undefined);
      return { etag, page };
    }
    // Without Redis: likes change no thread version, so the ETag labels the page's content.
    const article = await this.comments.findArticle(siteId, articleId);
    if (cached === null && article) {
      // Redis is up but has no generation yet: only an article that exists gets one (reads of
      // made-up ids create no keys), then its page is cached as usual.
      const generation = await this.threadCache
        .ensureGeneration(siteId, articleId)
        .catch(() => null);
      if (generation !== null) {
        const etag = cachedEtag(generation, variant);
        if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { etag, page: null };
        const page = await this.pageOf(siteId, articleId, article, query, closeAfterDays);
        this.threadCache
          .store(siteId, articleId, generation, variant, JSON.stringify(page))
          .catch(() => undefined);
        return { etag, page };
      }
    }
    const page = await this.pageOf(siteId, articleId, article, query, closeAfterDays);
    const json = JSON.stringify(page);
    const etag = `W/"v${article?.threadVersion ?? '0'}-${variant}-${contentTag(json)}"`;
    if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) return { etag, page: null };
    return { etag, page: Buffer.from(json) };
  }

  async counts(siteId: string, articlesParam: string): Promise<{ counts: Record<string, number> }> {
    const ids = [
      ...new Set(
        articlesParam
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (ids.length === 0 || ids.length > MAX_COUNT_IDS) {
      throw new ValidationFailedError([
        { field: 'articles', message: `articles must list 1 to ${MAX_COUNT_IDS} article ids` },
      ]);
    }
    const bad = ids.find((id) => !ARTICLE_ID_PATTERN.test(id));
    if (bad !== undefined) {
      throw new ValidationFailedError([
        { field: 'articles', message: 'each article id must match ^[A-Za-z0-9._~:-]{1,200}$' },
      ]);
    }
    await this.sites.get(siteId);
    const found = await this.comments.countsFor(siteId, ids);
    return { counts: Object.fromEntries(ids.map((id) => [id, found.get(id) ?? 0])) };
  }

  async setArticleClosed(
    principal: Principal,
    siteId: string,
    articleId: string,
    closed: boolean,
  ): Promise<ArticleView> {
    await this.sites.get(siteId);
    const article = await this.comments.setArticleClosed(siteId, articleId, closed);
    // The thread says whether it is closed.
    await this.threadCache.invalidate(siteId, articleId).catch(() => undefined);
    await this.audit.record({
      actor: principal.actor,
      action: closed ? 'article.close' : 'article.open',
      targetType: 'article',
      targetId: articleId,
      siteId,
    });
    return {
      siteId,
      articleId,
      closed: article.closed,
      count: article.approvedCount,
      firstCommentAt: article.firstCommentAt?.toISOString() ?? null,
    };
  }

  /**
   * Queues again every comment still pending after `olderThanMs` (its job was lost with Redis,
   * or a process died holding it). Scored comments go to moderation, others to spam. One
   * pending four times that long has a job that will not finish: it gets a second one.
   */
  async requeueStalePending(olderThanMs: number, now = new Date()): Promise<number> {
    const stale = await this.comments.findStalePending(new Date(now.getTime() - olderThanMs), 500);
    let queued = 0;
    for (const { id, scored, updatedAt } of stale) {
      const stuck = now.getTime() - updatedAt.getTime() > 4 * olderThanMs;
      if ((await this.pipeline.requeue(scored ? 'moderation' : 'spam', id, stuck)) === 'queued') {
        queued++;
      }
    }
    return queued;
  }

  /** The full row, for the workers. */
  findForProcessing(id: string): Promise<CommentRow | null> {
    return this.comments.findById(id);
  }

  /** Stores the spam verdict on a pending comment; false if it was already scored or moved on. */
  recordSpamScore(id: string, score: number, reasons: Reason[]): Promise<boolean> {
    return this.comments.recordSpamScore(id, score, reasons);
  }

  /**
   * Trusted mode: did the author send the receipt of an approved comment of theirs on this
   * site (same address)? The receipts were verified at intake; approval is checked now.
   */
  hasApprovedByReceipt(
    comment: Pick<CommentRow, 'id' | 'siteId' | 'emailIndex' | 'trustReceipts'>,
  ): Promise<boolean> {
    if (!comment.emailIndex || !comment.trustReceipts?.length) return Promise.resolve(false);
    return this.comments.anyApprovedOf(
      comment.siteId,
      comment.trustReceipts,
      [comment.emailIndex],
      comment.id,
    );
  }

  /**
   * Trusted mode, for an address confirmed by mail: has it an approved comment on the site?
   * (Never trust on its own: only after the confirmation proved the reader reads that mailbox.)
   */
  addressHasApproved(comment: Pick<CommentRow, 'id' | 'siteId' | 'emailIndex'>): Promise<boolean> {
    if (!comment.emailIndex) return Promise.resolve(false);
    return this.comments.addressHasApproved(comment.siteId, [comment.emailIndex], comment.id);
  }

  /** Trusted mode: has this verified author (SSO `sub`) an approved comment on the site? */
  subjectHasApproved(comment: Pick<CommentRow, 'id' | 'siteId' | 'identitySub'>): Promise<boolean> {
    if (!comment.identitySub) return Promise.resolve(false);
    return this.comments.subjectHasApproved(comment.siteId, comment.identitySub, comment.id);
  }

  /** For reply notifications: author facts of the given comments (with the ciphertext). */
  notificationFacts(ids: string[]): Promise<NotificationFacts[]> {
    return this.comments.findNotificationFacts(ids);
  }

  /** For the moderators' digest: comments of a site held in (since, until], oldest first. */
  heldSince(siteId: string, since: Date | null, until: Date, limit = 100) {
    return this.comments.findHeldSince(siteId, since, until, limit);
  }

  /** The comment ids of `<id>.<receipt>` proofs whose receipt is genuine (others are ignored). */
  private verifiedReceipts(proofs: string[] | undefined): string[] | null {
    if (!proofs?.length) return null;
    const ids = new Set<string>();
    for (const proof of proofs) {
      const [id, receipt] = proof.split('.');
      if (id && receipt && this.crypto.verifyReceipt(id.toLowerCase(), receipt)) {
        ids.add(id.toLowerCase());
      }
    }
    return ids.size ? [...ids] : null;
  }

  // The author's view of their own comment (GET /v1/comments/{id}?receipt=) is the trust
  // module's AuthorService.receipt: it adds the statement of reasons and the appeal.
}

export interface ArticleView {
  siteId: string;
  articleId: string;
  closed: boolean;
  count: number;
  firstCommentAt: string | null;
}

const MAX_INT4 = 2_147_483_647;

function decodeThreadCursor(cursor: string, kind: string): ThreadPosition {
  const { p, r, s } = decodeCursor<{ p: string; r: string; s?: number }>(
    kind,
    cursor,
    (v): v is { p: string; r: string; s?: number } =>
      typeof v.p === 'string' &&
      typeof v.r === 'string' &&
      isValidPath(v.p) &&
      isValidPath(v.r) &&
      // Likes are an int4 sum: a larger value can only be forged (and PostgreSQL would refuse it).
      (v.s === undefined ||
        (Number.isSafeInteger(v.s) && (v.s as number) >= 0 && (v.s as number) <= MAX_INT4)),
  );
  return { path: p, rootKey: r, rootLikes: s };
}

/** Closed by an admin, or `closeAfterDays` after the article's first comment. */
export function isClosed(
  article: Pick<ArticleState, 'closed' | 'firstCommentAt'> | null,
  closeAfterDays: number | null,
  now = Date.now(),
): boolean {
  if (!article) return false;
  if (article.closed) return true;
  if (closeAfterDays === null || !article.firstCommentAt) return false;
  return now >= article.firstCommentAt.getTime() + closeAfterDays * 24 * 3600 * 1000;
}

function contentTag(json: string): string {
  return createHash('sha1').update(json).digest('base64url').slice(0, 12);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
