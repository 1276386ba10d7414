import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import { spamScorePhase } from './spam-score.phase.js';

describe('spamScorePhase', () => {
  it('uses a hold threshold of 0.5 by default', () => {
    expect(makeModerationContext().settings.spam.holdThreshold).toBe(0.5);
  });

  it.each([0, 0.2, 0.4999])('does not decide on a score of %s', (spamScore) => {
    expect(spamScorePhase(makeModerationContext({ spamScore }))).toBeNull();
  });

  it('holds a score exactly at the hold threshold', () => {
    const decision = spamScorePhase(makeModerationContext({ spamScore: 0.5 }));
    expect(decision?.status).toBe('held');
    expect(decision?.reasons).toEqual([
      { code: 'spam-doubtful', message: expect.stringContaining('0.50') },
    ]);
  });

  it.each([0.51, 0.75, 0.89])('holds a score of %s above the hold threshold', (spamScore) => {
    expect(spamScorePhase(makeModerationContext({ spamScore }))?.status).toBe('held');
  });

  it("uses the site's holdThreshold", () => {
    const settings = { spam: { holdThreshold: 0.3 } };
    expect(spamScorePhase(makeModerationContext({ spamScore: 0.29, settings }))).toBeNull();
    const decision = spamScorePhase(makeModerationContext({ spamScore: 0.3, settings }));
    expect(decision?.status).toBe('held');
    expect(decision?.reasons[0]?.message).toContain('0.3');
  });
});
