import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Whose data a privacy request is about. */
export interface DataSubject {
  /** The address's blind indexes, under every configured key. */
  emailIndexes: Buffer[];
  /** The subject's comments, found (by the module that owns them) before anything changes. */
  commentIds: string[];
  /**
   * The blind indexes of the addresses those comments were sent from (found before the erase
   * scrubs them): the rate limits and velocity facts kept about them go too.
   */
  ipIndexes: Buffer[];
}

/** The subject's email and address blind indexes, as hex (as counters' keys spell them). */
export function blindIndexes(subject: DataSubject): string[] {
  return [...subject.emailIndexes, ...subject.ipIndexes].map((index) => index.toString('hex'));
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
  /** The addresses (blind indexes) the subject's comments came from: the comments module. */
  findAddresses?(commentIds: string[]): Promise<Buffer[]>;
  /** What this module holds of the subject, as sections of the export (`{ bans: […] }`). */
  export?(subject: DataSubject): Promise<Record<string, unknown>>;
  /**
   * First step of an erase, committed on its own: the comments are deleted through the status
   * change, so their `comment.deleted` events go out.
   */
  withdraw?(subject: DataSubject, actor: string): Promise<void>;
  /** Forgets the subject, in the erase's one transaction; counts for the audit row. */
  erase?(subject: DataSubject, tx: EntityManager): Promise<Record<string, number>>;
  /**
   * After the erase committed: copies in the transport (the published event stream, counters
   * keyed by the subject's blind indexes).
   */
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
