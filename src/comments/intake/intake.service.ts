import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ChallengeService } from '../../challenge/challenge.service.js';
import { CryptoService } from '../../common/crypto/crypto.service.js';
import {
  CommentsClosedError,
  IdempotencyConflictError,
  ParentNotFoundError,
  ReplyTooDeepError,
  ValidationFailedError,
} from '../../common/errors/domain.errors.js';
import { sourceOf } from '../../events/cloud-event.js';
import { InvalidIdentityError, verifyIdentity } from '../../identity/sso-identity.js';
import { OutboxWaker } from '../../events/outbox-waker.js';
import { CommentPipelineQueue } from '../../queue/comment-pipeline.queue.js';
import { SitesService } from '../../sites/sites.service.js';
import { childPath, pathSegment, rootKeyOf } from '../model/comment-path.js';
import { renderCommentBody } from '../model/comment-renderer.js';
import { toPublicComment } from '../views/comment-views.js';
import type { SubmitCommentDto } from './dto/submit-comment.dto.js';
import { IntakeRepository, type NewComment } from './intake.repository.js';
import { SubmitRateLimiter } from './submit-rate-limiter.js';

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

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

/** The public submit: validation, idempotency, rate limits, the insert with its event. */
@Injectable()
export class IntakeService {
  constructor(
    private readonly comments: IntakeRepository,
    private readonly sites: SitesService,
    private readonly crypto: CryptoService,
    private readonly pipeline: CommentPipelineQueue,
    private readonly challenges: ChallengeService,
    private readonly rateLimiter: SubmitRateLimiter,
    private readonly waker: OutboxWaker,
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
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
