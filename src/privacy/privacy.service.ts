import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { CryptoService } from '../common/crypto/crypto.service.js';
import { PrivacyRegistry, type DataSubject } from './privacy.registry.js';

/** The export: the address and each participant's sections (`comments`, `bans`, …). */
export type PrivacyExport = { email: string } & Record<string, unknown>;

/**
 * Data subject requests by email: export everything, or erase it. Both audited. Every owning
 * module answers for its own tables through the `PrivacyRegistry`; this only orchestrates.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly crypto: CryptoService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  private async subjectOf(email: string): Promise<DataSubject> {
    const emailIndexes = this.crypto.emailIndexes(email);
    const found = await Promise.all(
      this.registry.all().map((p) => p.findComments?.(emailIndexes) ?? Promise.resolve([])),
    );
    const commentIds = [...new Set(found.flat())];
    const addresses = await Promise.all(
      this.registry.all().map((p) => p.findAddresses?.(commentIds) ?? Promise.resolve([])),
    );
    const ipIndexes = new Map(addresses.flat().map((ip) => [ip.toString('hex'), ip]));
    return { emailIndexes, commentIds, ipIndexes: [...ipIndexes.values()] };
  }

  async export(principal: Principal, email: string): Promise<PrivacyExport> {
    const subject = await this.subjectOf(email);
    const sections = await Promise.all(
      this.registry.all().map((p) => p.export?.(subject) ?? Promise.resolve({})),
    );
    await this.audit.record({
      actor: principal.actor,
      action: 'privacy.export',
      targetType: 'privacy',
      details: { comments: subject.commentIds.length },
    });
    return Object.assign({ email: email.trim().toLowerCase() }, ...sections) as PrivacyExport;
  }

  /**
   * Every comment of the address is deleted (a `comment.deleted` event tells consumers to
   * forget it; the thread keeps a tombstone where replies hang off it), then every participant
   * forgets the address in one transaction (its name, email, website, address and body, from
   * the comments and from the stored events; lessons, appeal texts, flag contacts, bans,
   * subscriptions), then the published stream's copies go. Running it again finishes an
   * interrupted erase.
   */
  async erase(principal: Principal, email: string): Promise<{ erased: number }> {
    const subject = await this.subjectOf(email);
    const participants = this.registry.all();
    for (const p of participants) await p.withdraw?.(subject, principal.actor);
    const counts = await this.db.transaction(async (tx) => {
      const all: Record<string, number> = {};
      for (const p of participants) Object.assign(all, await p.erase?.(subject, tx));
      return all;
    });
    for (const p of participants) await p.afterErase?.(subject);
    await this.audit.record({
      actor: principal.actor,
      action: 'privacy.erase',
      targetType: 'privacy',
      details: { erased: subject.commentIds.length, ...counts },
    });
    return { erased: subject.commentIds.length };
  }
}
