import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import { moderate } from '../moderation.pipeline.js';
import { toxicityPhase } from './toxicity.phase.js';

describe('toxicityPhase', () => {
  it('holds toxicity by default at the calibrated 0.5', () => {
    const { moderation } = makeModerationContext().settings;
    expect(moderation.holdToxicity).toBe(true);
    expect(moderation.toxicityThreshold).toBe(0.5);
  });

  it.each([undefined, null])(
    'does not decide on a comment that was not scored (%s)',
    (toxicity) => {
      expect(toxicityPhase(makeModerationContext({ toxicity }))).toBeNull();
    },
  );

  it.each([0, 0.3, 0.4999])('does not decide on a toxicity of %s', (toxicity) => {
    expect(toxicityPhase(makeModerationContext({ toxicity }))).toBeNull();
  });

  it('holds a toxicity exactly at the threshold, with the reason and its score', () => {
    expect(toxicityPhase(makeModerationContext({ toxicity: 0.5 }))).toEqual({
      status: 'held',
      reasons: [
        {
          code: 'toxicity',
          message: "Toxicity 0.50 is at or above the site's threshold 0.5",
          score: 0.5,
        },
      ],
    });
  });

  it('rounds the score to four digits and never shows a score above the real one', () => {
    const decision = toxicityPhase(makeModerationContext({ toxicity: 0.87656 }));
    expect(decision?.reasons[0]).toMatchObject({ score: 0.8766 });
    expect(decision?.reasons[0]?.message).toContain('0.87 ');
  });

  it("uses the site's threshold", () => {
    const settings = { moderation: { toxicityThreshold: 0.8 } };
    expect(toxicityPhase(makeModerationContext({ toxicity: 0.79, settings }))).toBeNull();
    const decision = toxicityPhase(makeModerationContext({ toxicity: 0.8, settings }));
    expect(decision?.status).toBe('held');
    expect(decision?.reasons[0]?.message).toContain('threshold 0.8');
  });

  it('does nothing when the site turned it off', () => {
    const settings = { moderation: { holdToxicity: false } };
    expect(toxicityPhase(makeModerationContext({ toxicity: 1, settings }))).toBeNull();
  });

  it('runs after the word rules and before the links and the mode', () => {
    const post = { moderation: { mode: 'post' as const, holdWords: ['embargo'] } };
    expect(
      moderate(makeModerationContext({ toxicity: 0.9, body: 'the embargo', settings: post }))
        .reasons[0]?.code,
    ).toBe('hold-word');
    expect(
      moderate(makeModerationContext({ toxicity: 0.9, body: 'damn shit', settings: post }))
        .reasons[0]?.code,
    ).toBe('profanity');
    const links = Array.from({ length: 5 }, (_, i) => `https://s${i}.example`).join(' ');
    expect(
      moderate(makeModerationContext({ toxicity: 0.9, body: links, settings: post })).reasons[0]
        ?.code,
    ).toBe('toxicity');
    expect(moderate(makeModerationContext({ toxicity: 0.9, settings: post })).status).toBe('held');
    expect(moderate(makeModerationContext({ toxicity: 0.1, settings: post })).status).toBe(
      'approved',
    );
  });
});
