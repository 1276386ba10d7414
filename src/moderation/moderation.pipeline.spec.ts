import { jest } from '@jest/globals';
import {
  bodyWithLinks,
  makeModerationContext,
} from '../../test/factories/moderation-context.factory.js';
import { MODERATION_PHASES, moderate } from './moderation.pipeline.js';
import { modePhase } from './phases/mode.phase.js';
import type { ModerationPhase, PhaseDecision } from './phases/moderation-phase.js';

describe('moderate', () => {
  it('runs the mode phase last, so every comment gets a decision', () => {
    expect(MODERATION_PHASES.at(-1)).toBe(modePhase);
  });

  it('approves a clean comment from a trusted author in trusted mode', () => {
    const decision = moderate(makeModerationContext({ hasApprovedComment: true }));
    expect(decision.status).toBe('approved');
    expect(decision.reasons.map((r) => r.code)).toEqual(['trusted-author']);
  });

  it('holds a first-time author in trusted mode', () => {
    expect(moderate(makeModerationContext()).reasons.map((r) => r.code)).toEqual(['first-comment']);
  });

  it('holds a trusted author whose comment has too many links', () => {
    const decision = moderate(
      makeModerationContext({ hasApprovedComment: true, body: bodyWithLinks(3) }),
    );
    expect(decision.status).toBe('held');
    expect(decision.reasons.map((r) => r.code)).toEqual(['too-many-links']);
  });

  it('holds a doubtful spam score even in post mode', () => {
    const decision = moderate(
      makeModerationContext({ spamScore: 0.6, settings: { moderation: { mode: 'post' } } }),
    );
    expect(decision.status).toBe('held');
    expect(decision.reasons.map((r) => r.code)).toEqual(['spam-doubtful']);
  });

  it('reports the spam score before the links when both object', () => {
    const decision = moderate(
      makeModerationContext({ spamScore: 0.7, body: bodyWithLinks(4), hasApprovedComment: true }),
    );
    expect(decision.reasons.map((r) => r.code)).toEqual(['spam-doubtful']);
  });

  it('approves a clean comment in post mode', () => {
    const decision = moderate(
      makeModerationContext({ body: bodyWithLinks(2), settings: { moderation: { mode: 'post' } } }),
    );
    expect(decision.status).toBe('approved');
    expect(decision.reasons.map((r) => r.code)).toEqual(['mode-post']);
  });

  it('holds everything in pre mode', () => {
    const decision = moderate(
      makeModerationContext({
        hasApprovedComment: true,
        settings: { moderation: { mode: 'pre' } },
      }),
    );
    expect(decision.status).toBe('held');
    expect(decision.reasons.map((r) => r.code)).toEqual(['mode-pre']);
  });

  it('gives every decision at least one reason with a code and a message', () => {
    const contexts = [
      makeModerationContext(),
      makeModerationContext({ hasApprovedComment: true }),
      makeModerationContext({ spamScore: 0.8 }),
      makeModerationContext({ body: bodyWithLinks(5) }),
      makeModerationContext({ settings: { moderation: { mode: 'pre' } } }),
      makeModerationContext({ settings: { moderation: { mode: 'post' } } }),
    ];
    for (const context of contexts) {
      const { reasons } = moderate(context);
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons) {
        expect(reason.code).toMatch(/^[a-z-]+$/);
        expect(reason.message.length).toBeGreaterThan(0);
      }
    }
  });

  it('does not change the context it decides on', () => {
    const context = makeModerationContext({ body: bodyWithLinks(3), spamScore: 0.2 });
    const before = JSON.stringify(context);
    moderate(context);
    expect(JSON.stringify(context)).toBe(before);
  });

  describe("the site's word lists (moderation.holdWords / moderation.blockWords)", () => {
    const post = (words: { holdWords?: string[]; blockWords?: string[] }) => ({
      moderation: { mode: 'post' as const, ...words },
    });

    it("holds a comment containing one of the site's holdWords", () => {
      const decision = moderate(
        makeModerationContext({
          body: 'Best casino bonuses here',
          hasApprovedComment: true,
          settings: post({ holdWords: ['casino'] }),
        }),
      );
      expect(decision.status).toBe('held');
    });

    it("does not publish a comment containing one of the site's blockWords", () => {
      const decision = moderate(
        makeModerationContext({
          body: 'You are a blockedslur',
          hasApprovedComment: true,
          settings: post({ blockWords: ['blockedslur'] }),
        }),
      );
      expect(['rejected', 'spam']).toContain(decision.status);
    });

    it('publishes a comment that contains none of the words', () => {
      const decision = moderate(
        makeModerationContext({
          body: 'A calm and thoughtful reply',
          settings: post({ holdWords: ['casino'], blockWords: ['blockedslur'] }),
        }),
      );
      expect(decision.status).toBe('approved');
    });
  });

  describe('with given phases', () => {
    const rejected: PhaseDecision = {
      status: 'rejected',
      reasons: [{ code: 'first', message: 'first' }],
    };
    const spam: PhaseDecision = {
      status: 'spam',
      reasons: [{ code: 'second', message: 'second' }],
    };

    it('lets the first decisive phase win and skips the rest', () => {
      const undecided = jest.fn<ModerationPhase>(() => null);
      const later = jest.fn<ModerationPhase>(() => spam);
      const decision = moderate(makeModerationContext(), [undecided, () => rejected, later]);
      expect(decision).toBe(rejected);
      expect(undecided).toHaveBeenCalledTimes(1);
      expect(later).not.toHaveBeenCalled();
    });

    it('passes every phase the same context', () => {
      const context = makeModerationContext();
      const seen: unknown[] = [];
      moderate(context, [(c) => (seen.push(c), null), (c) => (seen.push(c), spam)]);
      expect(seen).toEqual([context, context]);
      expect(seen[0]).toBe(context);
    });

    it('throws when no phase decides', () => {
      expect(() => moderate(makeModerationContext(), [() => null])).toThrow(
        /mode phase must be last/,
      );
      expect(() => moderate(makeModerationContext(), [])).toThrow();
    });
  });
});
