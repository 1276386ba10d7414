import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import { modePhase } from './mode.phase.js';

describe('modePhase', () => {
  describe('in pre mode', () => {
    it('holds a first-time author', () => {
      const decision = modePhase(
        makeModerationContext({ settings: { moderation: { mode: 'pre' } } }),
      );
      expect(decision?.status).toBe('held');
      expect(decision?.reasons).toEqual([{ code: 'mode-pre', message: expect.any(String) }]);
    });

    it('holds an author with an approved comment too', () => {
      const decision = modePhase(
        makeModerationContext({
          hasApprovedComment: true,
          settings: { moderation: { mode: 'pre' } },
        }),
      );
      expect(decision?.status).toBe('held');
      expect(decision?.reasons[0]?.code).toBe('mode-pre');
    });
  });

  describe('in trusted mode', () => {
    it('is what a site without a stored mode gets: the first comment held, a trusted author approved', () => {
      // Settings as stored for a site that never chose a mode (nothing, or a partial object).
      for (const settings of [
        undefined,
        {},
        { moderation: {} },
        { moderation: { mode: undefined } },
      ]) {
        expect(modePhase(makeModerationContext({ settings }))).toEqual({
          status: 'held',
          reasons: [{ code: 'first-comment', message: expect.any(String) }],
        });
        expect(modePhase(makeModerationContext({ settings, hasApprovedComment: true }))).toEqual({
          status: 'approved',
          reasons: [{ code: 'trusted-author', message: expect.any(String) }],
        });
      }
    });

    it('holds a first-time author', () => {
      const decision = modePhase(makeModerationContext({ hasApprovedComment: false }));
      expect(decision?.status).toBe('held');
      expect(decision?.reasons).toEqual([{ code: 'first-comment', message: expect.any(String) }]);
    });

    it('approves an author with an approved comment', () => {
      const decision = modePhase(makeModerationContext({ hasApprovedComment: true }));
      expect(decision?.status).toBe('approved');
      expect(decision?.reasons).toEqual([{ code: 'trusted-author', message: expect.any(String) }]);
    });
  });

  describe('in post mode', () => {
    it.each([false, true])(
      'approves (author has an approved comment: %s)',
      (hasApprovedComment) => {
        const decision = modePhase(
          makeModerationContext({ hasApprovedComment, settings: { moderation: { mode: 'post' } } }),
        );
        expect(decision?.status).toBe('approved');
        expect(decision?.reasons).toEqual([{ code: 'mode-post', message: expect.any(String) }]);
      },
    );
  });

  it.each(['pre', 'trusted', 'post'] as const)(
    'always decides in %s mode, with a readable reason',
    (mode) => {
      const decision = modePhase(makeModerationContext({ settings: { moderation: { mode } } }));
      expect(decision).not.toBeNull();
      expect(decision!.reasons.length).toBeGreaterThan(0);
      for (const reason of decision!.reasons) expect(reason.message.length).toBeGreaterThan(0);
    },
  );
});
