import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { COMMENT_STATUSES } from '../model/comment-status.js';
import {
  blindIndexes,
  PrivacyRegistry,
  type DataSubject,
  type PrivacyParticipant,
} from '../../privacy/privacy.registry.js';
import { Counters } from '../../redis/counters.js';
import { CommentStateService } from '../state/comment-state.service.js';
import { toSubjectExportComment } from '../views/comment-private-views.js';
import { CommentsPrivacyRepository } from './comments-privacy.repository.js';

const NOT_DELETED = COMMENT_STATUSES.filter((s) => s !== 'deleted');

/**
 * The comments module's part of data subject requests: it finds the subject's comments,
 * exports them with every decision about them, deletes them through the status change (so
 * `comment.deleted` goes out), and scrubs their author data, reasons and earlier versions.
 */
@Injectable()
export class CommentsPrivacyTask implements PrivacyParticipant, OnModuleInit {
  readonly name = 'comments';

  constructor(
    private readonly registry: PrivacyRegistry,
    private readonly repo: CommentsPrivacyRepository,
    private readonly state: CommentStateService,
    private readonly counters: Counters,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async findComments(emailIndexes: Buffer[]): Promise<string[]> {
    return (await this.repo.findIds(emailIndexes)).map((r) => r.id);
  }

  findAddresses(commentIds: string[]): Promise<Buffer[]> {
    return this.repo.findIpIndexes(commentIds);
  }

  async export(subject: DataSubject): Promise<Record<string, unknown>> {
    const [rows, decisions] = await Promise.all([
      this.repo.findComments(subject.commentIds),
      this.repo.findDecisions(subject.commentIds),
    ]);
    return { comments: rows.map((r) => toSubjectExportComment(r, decisions)) };
  }

  async withdraw(subject: DataSubject, actor: string): Promise<void> {
    for (const commentId of subject.commentIds) {
      await this.state.transition({
        commentId,
        from: NOT_DELETED,
        to: 'deleted',
        actor,
        action: 'erase',
        reasons: [{ code: 'privacy-erase', message: 'Erased at the author’s request' }],
      });
    }
  }

  async erase(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>> {
    await this.repo.scrub(tx, subject.commentIds);
    return {};
  }

  /** The submission rate limits kept under the subject's address and email (`rl:…`) go. */
  async afterErase(subject: DataSubject): Promise<void> {
    await this.counters.forget('rl', blindIndexes(subject));
  }
}
