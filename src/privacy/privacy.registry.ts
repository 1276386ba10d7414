import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Whose data a privacy request is about. */
export interface DataSubject {
  /** The address's blind indexes, under every configured key. */
  emailIndexes: Buffer[];
  /** The subject's comments, found (by the module that owns them) before anything changes. */
  commentIds: string[];
}

/**
 * One owner's part of data subject requests (the comments module, events, spam, trust, …).
 * Each implements what applies to the data it keeps; `PrivacyService` only orchestrates.
 */
export interface PrivacyParticipant {
  /** For logs. */
  readonly name: string;
  /** The subject's comments: answered by the module that owns `comments`. */
  findComments?(emailIndexes: Buffer[]): Promise<string[]>;
  /** What this module holds of the subject, as sections of the export (`{ bans: […] }`). */
  export?(subject: DataSubject): Promise<Record<string, unknown>>;
  /**
   * First step of an erase, committed on its own: the comments are deleted through the status
   * change, so their `comment.deleted` events go out.
   */
  withdraw?(subject: DataSubject, actor: string): Promise<void>;
  /** Forgets the subject, in the erase's one transaction; counts for the audit row. */
  erase?(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>>;
  /** After the erase committed: copies outside PostgreSQL (the published event stream). */
  afterErase?(subject: DataSubject): Promise<void>;
}

/**
 * Where privacy participants register (each owning module's provider calls `register(this)`
 * from `onModuleInit`), so export and erase never query another module's tables.
 */
@Injectable()
export class PrivacyRegistry {
  private readonly participants: PrivacyParticipant[] = [];

  register(participant: PrivacyParticipant): void {
    if (!this.participants.includes(participant)) this.participants.push(participant);
  }

  all(): readonly PrivacyParticipant[] {
    return this.participants;
  }
}
