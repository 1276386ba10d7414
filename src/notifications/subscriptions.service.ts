import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.errors.js';
import { SubscriptionTokens } from './subscription-tokens.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/** 404 `/problems/invalid-link`: a forged, mangled or expired link from a mail. */
export class InvalidSubscriptionLinkError extends DomainError {
  readonly status = 404;
  readonly slug = 'invalid-link';
  readonly title = 'This link is not valid';
  constructor() {
    super('This link is not valid or has expired.');
  }
}

/** Readers' answers to our mails (confirm, unsubscribe) and what other modules ask of them. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly repo: SubscriptionsRepository,
    private readonly tokens: SubscriptionTokens,
  ) {}

  /** Double opt-in: records consent with its date. Idempotent. */
  async confirm(token: unknown, now = new Date()): Promise<{ confirmed: true }> {
    const id = this.tokens.verify('confirm', token, now);
    if (!id || !(await this.repo.confirm(id, now))) throw new InvalidSubscriptionLinkError();
    return { confirmed: true };
  }

  /** RFC 8058 one-click: no more reply mail to the address on that site, from now on. */
  async unsubscribe(token: unknown, now = new Date()): Promise<{ unsubscribed: true }> {
    const id = this.tokens.verify('unsubscribe', token, now);
    if (!id || !(await this.repo.unsubscribe(id, now))) throw new InvalidSubscriptionLinkError();
    return { unsubscribed: true };
  }

  /** Trusted mode: has each address been confirmed by mail on its site? (One query.) */
  async haveConfirmedAddresses(
    authors: Array<{ siteId: string; emailIndex: Buffer | null }>,
  ): Promise<boolean[]> {
    const known = authors.flatMap((a, i) =>
      a.emailIndex ? [{ i, siteId: a.siteId, emailIndex: a.emailIndex }] : [],
    );
    const confirmed = await this.repo.everConfirmedAll(known);
    const answer = authors.map(() => false);
    known.forEach(({ i }, k) => (answer[i] = confirmed[k]));
    return answer;
  }

  /** Export: the address's consent records, per site. */
  async exportAddress(
    emailIndexes: Buffer[],
  ): Promise<Array<{ siteId: string; confirmedAt: string | null; unsubscribedAt: string | null }>> {
    return (await this.repo.findByEmailIndexes(emailIndexes)).map((r) => ({
      siteId: r.siteId,
      confirmedAt: r.confirmedAt?.toISOString() ?? null,
      unsubscribedAt: r.unsubscribedAt?.toISOString() ?? null,
    }));
  }
}
