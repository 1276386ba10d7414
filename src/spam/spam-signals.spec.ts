import type { Reason } from '../comments/model/comment.entity.js';
import { renderCommentBody } from '../comments/model/comment-renderer.js';
import {
  classifierSignal,
  combine,
  disposableEmailSignal,
  duplicateSignal,
  honeypotSignal,
  isDisposableDomain,
  linksSignal,
  NO_FACTS,
  proofOfWorkSignal,
  repetitionSignal,
  scoreSignals,
  shortenerSignal,
  shoutingSignal,
  blockWordSignal,
  velocitySignal,
  type SpamFacts,
  type SpamInput,
} from './spam-signals.js';

function input(body: string, extra: Partial<SpamInput> = {}): SpamInput {
  return {
    body,
    bodyHtml: renderCommentBody(body),
    authorName: 'Reader',
    authorWebsite: null,
    honeypot: false,
    powVerified: null,
    ...extra,
  };
}

const SETTINGS = {
  requireProofOfWork: false,
  moderation: { blockWords: [] as string[] },
  spam: { maxPerHourPerIp: 20, maxPerHourPerEmail: 5 },
};
const facts = (extra: Partial<SpamFacts> = {}): SpamFacts => ({ ...NO_FACTS, ...extra });
const links = (n: number): string =>
  Array.from({ length: n }, (_, i) => `https://shop${i}.example/deal`).join(' ');
const weighted = (...weights: (number | undefined)[]): Reason[] =>
  weights.map((weight, i) => ({ code: `r${i}`, message: `reason ${i}`, weight }));
const score = (i: SpamInput, f: Partial<SpamFacts> = {}, s = SETTINGS) =>
  scoreSignals(i, facts(f), s);

describe('scoreSignals', () => {
  it('scores a plain comment 0 with no reasons when nothing is known', () => {
    expect(score(input('Thanks for the piece.'))).toEqual({ score: 0, reasons: [] });
  });

  it('lets a filled honeypot decide: score 1', () => {
    const verdict = score(input('Thanks for the piece.', { honeypot: true }));
    expect(verdict.score).toBe(1);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['honeypot']);
  });

  it('carries the classifier probability as a reason and combines it with the signals', () => {
    const alone = score(input('plain'), { classifier: { probability: 0.6, feedbackShift: 0 } });
    expect(alone.score).toBe(0.6);
    const withLinks = score(input(links(2)), {
      classifier: { probability: 0.6, feedbackShift: 0 },
    });
    expect(withLinks.score).toBeCloseTo(1 - 0.4 * 0.7, 4);
    expect(withLinks.reasons.map((r) => r.code)).toEqual(['classifier', 'links']);
  });

  it('stays in [0, 1] whatever is stacked up', () => {
    const verdict = score(
      input(`FREE MONEY FREE MONEY FREE MONEY ${links(9)} https://bit.ly/x`, { honeypot: true }),
      { classifier: { probability: 0.99, feedbackShift: 2 }, ipVelocity: 99, sameBody: 9 },
    );
    expect(verdict.score).toBeLessThanOrEqual(1);
    expect(verdict.score).toBeGreaterThanOrEqual(0.99);
  });
});

describe('signals', () => {
  it('classifier: says when moderators moved the score', () => {
    const taught = classifierSignal(
      input('x'),
      facts({ classifier: { probability: 0.8, feedbackShift: 1.2 } }),
      SETTINGS,
    );
    expect(taught?.message).toMatch(/80 % spam; moderators' feedback raised it/);
    expect(classifierSignal(input('x'), facts(), SETTINGS)).toBeNull();
  });

  it('links: more links weigh more, up to a cap', () => {
    const weights = [1, 2, 3, 4, 5, 9].map((n) => linksSignal(input(links(n)))!.weight);
    expect(weights).toEqual([0.15, 0.3, 0.45, 0.6, 0.6, 0.6]);
    expect(linksSignal(input('no links'))).toBeNull();
  });

  it('link shorteners: in the body or as the website', () => {
    expect(shortenerSignal(input('see https://bit.ly/abc'))?.code).toBe('link-shortener');
    expect(shortenerSignal(input('hi', { authorWebsite: 'https://tinyurl.com/x' }))?.weight).toBe(
      0.5,
    );
    expect(shortenerSignal(input('see https://example.org/bit.ly'))).toBeNull();
  });

  it('proof of work: missing where required, forged anywhere', () => {
    const required = { ...SETTINGS, requireProofOfWork: true };
    expect(proofOfWorkSignal(input('x'), facts(), SETTINGS)).toBeNull();
    expect(proofOfWorkSignal(input('x'), facts(), required)?.code).toBe('pow-missing');
    expect(proofOfWorkSignal(input('x', { powVerified: true }), facts(), required)).toBeNull();
    const forged = proofOfWorkSignal(input('x', { powVerified: false }), facts(), SETTINGS);
    expect(forged?.code).toBe('pow-invalid');
    expect(forged!.weight!).toBeGreaterThan(0.5);
  });

  it('duplicates: the same long text again weighs more than a short "+1"', () => {
    const long = 'Earn money from home, visit my profile for details today';
    expect(duplicateSignal(input(long), facts({ sameBody: 1 }), SETTINGS)).toBeNull();
    const again = duplicateSignal(input(long), facts({ sameBody: 2 }), SETTINGS)!;
    const thrice = duplicateSignal(input(long), facts({ sameBody: 4 }), SETTINGS)!;
    const short = duplicateSignal(input('Great piece!'), facts({ sameBody: 2 }), SETTINGS)!;
    expect(again.weight).toBe(0.4);
    expect(thrice.weight!).toBeGreaterThan(again.weight!);
    expect(short.weight!).toBeLessThan(again.weight!);
  });

  it('velocity: free up to the site allowance an hour, then rising', () => {
    expect(velocitySignal(input('x'), facts({ ipVelocity: 20 }), SETTINGS)).toBeNull();
    expect(velocitySignal(input('x'), facts({ ipVelocity: 22 }), SETTINGS)?.weight).toBeCloseTo(
      0.2,
    );
    expect(velocitySignal(input('x'), facts({ emailVelocity: 7 }), SETTINGS)?.weight).toBeCloseTo(
      0.2,
    );
    expect(velocitySignal(input('x'), facts({ emailVelocity: 30 }), SETTINGS)).toMatchObject({
      weight: 0.6,
      message: expect.stringContaining('email address'),
    });
  });

  it('disposable email domains from the maintained list', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('example.org')).toBe(false);
    expect(
      disposableEmailSignal(input('x'), facts({ emailDomain: 'Mailinator.com' }), SETTINGS)?.code,
    ).toBe('disposable-email');
    expect(
      disposableEmailSignal(input('x'), facts({ emailDomain: 'gmail.com' }), SETTINGS),
    ).toBeNull();
  });

  it('site block words, seen through zero-width characters', () => {
    const settings = { ...SETTINGS, moderation: { blockWords: ['viagra'] } };
    expect(blockWordSignal(input('cheap v\u200biagra'), facts(), settings)?.weight).toBe(0.95);
    expect(blockWordSignal(input('cheap pills'), facts(), settings)).toBeNull();
  });

  it('shouting and repetition', () => {
    expect(
      shoutingSignal(input('THIS IS THE BEST OFFER YOU WILL EVER SEE'), facts(), SETTINGS)?.code,
    ).toBe('all-caps');
    expect(
      shoutingSignal(input('NASA and the ESA agree on this one, mostly.'), facts(), SETTINGS),
    ).toBeNull();
    expect(repetitionSignal(input('sub sub sub sub sub sub'), facts(), SETTINGS)?.code).toBe(
      'repetition',
    );
    expect(repetitionSignal(input('wowwwwwwwwwwwww'), facts(), SETTINGS)?.code).toBe('repetition');
    expect(repetitionSignal(input('a normal sentence, really'), facts(), SETTINGS)).toBeNull();
  });

  it('honeypot alone', () => {
    expect(honeypotSignal(input('x', { honeypot: true }))?.weight).toBe(1);
    expect(honeypotSignal(input('x'))).toBeNull();
  });
});

describe('combine', () => {
  it('is 0 without reasons', () => {
    expect(combine([])).toBe(0);
  });
  it('is noisy-or of the weights', () => {
    expect(combine(weighted(0.5, 0.5))).toBe(0.75);
  });
  it('ignores missing and NaN weights and clamps the rest', () => {
    expect(combine(weighted(undefined, Number.NaN, 0.2))).toBe(0.2);
    expect(combine(weighted(2, -1))).toBe(1);
    expect(combine(weighted(-1))).toBe(0);
  });
});
