import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { WorkerComments } from '../comments/pipeline/worker-comments.port.js';
import type { NotificationFacts } from '../comments/pipeline/worker-comments.port.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SitesService } from '../sites/sites.service.js';
import type { RelayedEvent } from '../events/relay-target.js';
import type { MailJob } from './mail.queue.js';
import { confirmationMail, digestMail, replyMail, type ReplyForMail } from './mail-templates.js';
import { MailTransport } from './mail.transport.js';
import { SubscriptionTokens } from './subscription-tokens.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

export type MailOutcome = 'sent' | 'skipped' | { notBefore: Date };

const DIGEST_MAX_ITEMS = 50;

/**
 * The mail worker's rules: who gets which mail and when. Each method reads what it needs by id,
 * decrypts an address only right before handing the message to SMTP, and logs ids only.
 */
@Injectable()
export class NotificationMailer {
  constructor(
    private readonly comments: WorkerComments,
    private readonly sites: SitesService,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly tokens: SubscriptionTokens,
    private readonly crypto: CryptoService,
    private readonly transport: MailTransport,
    private readonly logger: PinoLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    logger.setContext(NotificationMailer.name);
  }

  /**
   * The mail jobs a batch of comment events calls for: a submitted comment that asked for
   * replies → a confirmation; a published reply → a reply notification; a held comment on a
   * site with moderator addresses → its digest.
   */
  async jobsFor(batch: readonly RelayedEvent[]): Promise<MailJob[]> {
    const jobs: MailJob[] = [];
    const submitted: string[] = [];
    for (const event of batch) {
      const comment = event.cloudEvent.data.comment as
        { id?: string; parentId?: string | null } | undefined;
      if (!comment?.id) continue;
      if (event.type === 'comment.submitted') submitted.push(comment.id);
      else if (event.type === 'comment.approved' && comment.parentId) {
        jobs.push({ id: `reply-${comment.id}`, data: { kind: 'reply', commentId: comment.id } });
      } else if (event.type === 'comment.held') {
        const site = await this.sites.getCached(event.siteId);
        if (site?.settings.notifications.moderatorEmails.length) {
          jobs.push({
            id: `digest-${event.siteId}-${event.sequence}`,
            data: { kind: 'digest', siteId: event.siteId },
          });
        }
      }
    }
    if (submitted.length) {
      for (const c of await this.comments.notificationFacts(submitted)) {
        if (c.notifyReplies) {
          jobs.push({ id: `confirm-${c.id}`, data: { kind: 'confirm', commentId: c.id } });
        }
      }
    }
    return jobs;
  }

  /** Double opt-in: one confirmation mail per address and site, at most one a day. */
  async sendConfirmation(commentId: string, jobId: string, now = new Date()): Promise<MailOutcome> {
    const [comment] = await this.comments.notificationFacts([commentId]);
    const email = comment && this.addressOf(comment);
    if (!comment?.notifyReplies || !comment.emailIndex || !email) return 'skipped';
    const subscription = await this.subscriptions.upsert(comment.siteId, comment.emailIndex);
    if (!(await this.subscriptions.claimConfirmation(subscription.id, jobId, now))) {
      return 'skipped'; // confirmed already, or a confirmation went less than a day ago
    }
    const site = await this.sites.get(comment.siteId);
    const token = this.tokens.sign('confirm', subscription.id, now);
    const mail = confirmationMail({
      siteName: site.name,
      confirmUrl: `${this.config.mail.publicUrl}/v1/subscriptions/confirm?token=${token}`,
    });
    await this.transport.send({
      to: [email],
      ...mail,
      senderName: site.settings.notifications.senderName,
    });
    this.logger.info({ commentId, subscriptionId: subscription.id }, 'Confirmation mail sent');
    return 'sent';
  }

  /**
   * A reply was published: if it answers a confirmed subscriber's comment (and is not their
   * own), it is recorded and the subscriber's replies in that thread are sent — at most one
   * mail per subscriber and thread per REPLY_MAIL_INTERVAL_S; later replies wait and go together.
   */
  async notifyReply(replyId: string, now = new Date()): Promise<MailOutcome> {
    const [reply] = await this.comments.notificationFacts([replyId]);
    if (!reply || reply.status !== 'approved' || !reply.parentId) return 'skipped';
    const [parent] = await this.comments.notificationFacts([reply.parentId]);
    if (!parent?.notifyReplies || !parent.emailIndex || !parent.emailCiphertext) return 'skipped';
    if (isOwnReply(reply, parent)) return 'skipped';
    // By every key's index of the address: a key rotation may be half done.
    const address = this.addressOf(parent);
    const indexes = address ? this.crypto.emailIndexes(address) : [parent.emailIndex];
    const subscription = await this.subscriptions.findActive(parent.siteId, indexes);
    if (!subscription) return 'skipped';
    await this.subscriptions.addReply({
      replyId,
      subscriptionId: subscription.id,
      parentId: parent.id,
      articleId: parent.articleId,
    });
    return this.sendReplies(subscription.id, parent.siteId, parent.articleId, now);
  }

  private async sendReplies(
    subscriptionId: string,
    siteId: string,
    articleId: string,
    now: Date,
  ): Promise<MailOutcome> {
    const site = await this.sites.get(siteId);
    const result = await this.subscriptions.inWindow(
      `reply/${subscriptionId}/${articleId}`,
      this.config.mail.replyIntervalMs,
      now,
      async (tx) => {
        const pending = await this.subscriptions.unsentReplies(tx, subscriptionId, articleId);
        if (!pending.length) return { sent: false, value: 'skipped' as const };
        const allIds = pending.map((p) => p.replyId);
        // Unsubscribed meanwhile: honoured at once, nothing goes.
        if (!(await this.subscriptions.activeFor(tx, subscriptionId))) {
          await this.subscriptions.markSent(tx, allIds, now);
          return { sent: false, value: 'skipped' as const };
        }
        const facts = await this.comments.notificationFacts([
          ...allIds,
          ...new Set(pending.map((p) => p.parentId)),
        ]);
        const byId = new Map(facts.map((f) => [f.id, f]));
        const replies = allIds
          .map((id) => byId.get(id))
          .filter((r): r is NotificationFacts => r?.status === 'approved');
        const recipient = pending
          .map((p) => byId.get(p.parentId))
          .map((p) => (p ? this.addressOf(p) : null))
          .find((a): a is string => Boolean(a));
        if (!replies.length || !recipient) {
          await this.subscriptions.markSent(tx, allIds, now);
          return { sent: false, value: 'skipped' as const };
        }
        const unsubscribeUrl = `${this.config.mail.publicUrl}/v1/subscriptions/unsubscribe?token=${this.tokens.sign('unsubscribe', subscriptionId)}`;
        const mail = replyMail({
          siteName: site.name,
          replies: replies.map((r): ReplyForMail => ({
            authorName: r.authorName ?? 'Someone',
            body: r.body,
            url: commentUrl(site.settings.notifications.articleUrl, r.articleId, r.id),
          })),
          unsubscribeUrl,
        });
        await this.transport.send({
          to: [recipient],
          ...mail,
          senderName: site.settings.notifications.senderName,
          headers: {
            // RFC 8058 one-click unsubscribe (RFC 2369 List-Unsubscribe).
            'List-Unsubscribe': `<${unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
        await this.subscriptions.markSent(tx, allIds, now);
        this.logger.info(
          { subscriptionId, articleId, replies: replies.length },
          'Reply notification sent',
        );
        return { sent: true, value: 'sent' as const };
      },
    );
    return 'notBefore' in result ? { notBefore: result.notBefore } : result.value;
  }

  /** The moderators' digest of comments held since the last one, at most every N minutes. */
  async sendDigest(siteId: string, now = new Date()): Promise<MailOutcome> {
    const site = await this.sites.get(siteId);
    const { moderatorEmails, moderatorDigestMinutes, senderName } = site.settings.notifications;
    if (!moderatorEmails.length) return 'skipped';
    const result = await this.subscriptions.inWindow(
      `digest/${siteId}`,
      Math.round(moderatorDigestMinutes * 60_000),
      now,
      async (_tx, coveredUntil) => {
        const held = await this.comments.heldSince(siteId, coveredUntil, now, DIGEST_MAX_ITEMS + 1);
        if (!held.length) return { sent: false, value: 'skipped' as const };
        const shown = held.slice(0, DIGEST_MAX_ITEMS);
        const mail = digestMail({
          siteName: site.name,
          held: shown,
          more: held.length > DIGEST_MAX_ITEMS,
          consoleUrl: `${this.config.mail.publicUrl}/moderate`,
        });
        await this.transport.send({ to: moderatorEmails, ...mail, senderName });
        this.logger.info({ siteId, held: shown.length }, 'Moderator digest sent');
        // With more than fit, the next digest starts after the last one shown.
        const until = held.length > DIGEST_MAX_ITEMS ? shown.at(-1)!.heldAt : now;
        return { sent: true, coveredUntil: until, value: 'sent' as const };
      },
    );
    return 'notBefore' in result ? { notBefore: result.notBefore } : result.value;
  }

  private addressOf(c: NotificationFacts): string | null {
    return c.emailCiphertext && c.emailKeyId
      ? this.crypto.decryptEmail(c.emailCiphertext, c.emailKeyId)
      : null;
  }
}

/** Never mail a subscriber about their own replies (same address, or same SSO subject). */
function isOwnReply(reply: NotificationFacts, parent: NotificationFacts): boolean {
  if (reply.emailIndex && parent.emailIndex && reply.emailIndex.equals(parent.emailIndex)) {
    return true;
  }
  return Boolean(reply.identitySub && reply.identitySub === parent.identitySub);
}

/** `notifications.articleUrl` with its placeholders filled, or null when the site set none. */
export function commentUrl(
  template: string | null,
  articleId: string,
  commentId: string,
): string | null {
  if (!template) return null;
  return template
    .replaceAll('{articleId}', encodeURIComponent(articleId))
    .replaceAll('{commentId}', encodeURIComponent(commentId));
}
