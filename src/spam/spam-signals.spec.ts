import type { Reason } from '../comments/comment.entity.js';
import { renderCommentBody } from '../comments/comment-renderer.js';
import {
  combine,
  honeypotSignal,
  linksSignal,
  proofOfWorkSignal,
  scoreSignals,
  type SpamInput,
} from './spam-signals.js';

function input(body: string, honeypot = false): SpamInput {
  return { body, bodyHtml: renderCommentBody(body), honeypot, powVerified: null };
}

const SETTINGS = { requireProofOfWork: false };

const links = (n: number): string =>
  Array.from({ length: n }, (_, i) => `https://shop${i}.example/deal`).join(' ');

const weighted = (...weights: (number | undefined)[]): Reason[] =>
  weights.map((weight, i) => ({ code: `r${i}`, message: `reason ${i}`, weight }));

describe('honeypotSignal', () => {
  it('fires with weight 1 when the honeypot was filled in', () => {
    expect(honeypotSignal(input('hello', true))).toEqual({
      code: 'honeypot',
      message: expect.any(String),
      weight: 1,
    });
  });

  it('stays silent when the honeypot was left empty', () => {
    expect(honeypotSignal(input('hello', false))).toBeNull();
  });
});

describe('linksSignal', () => {
  it('stays silent without links', () => {
    expect(linksSignal(input('No links here.'))).toBeNull();
  });

  it('weighs one link at 0.15 and says how many', () => {
    expect(linksSignal(input(links(1)))).toEqual({
      code: 'links',
      message: '1 link in the comment',
      weight: 0.15,
    });
  });

  it('weighs more links more, up to 0.6', () => {
    const weights = [1, 2, 3, 4, 5, 10].map((n) => linksSignal(input(links(n)))!.weight!);
    expect(weights[1]).toBeCloseTo(0.3);
    expect(weights[1]).toBeGreaterThan(weights[0]);
    expect(weights[2]).toBeGreaterThan(weights[1]);
    expect(weights[3]).toBeCloseTo(0.6);
    expect(weights[4]).toBe(0.6);
    expect(weights[5]).toBe(0.6);
    expect(linksSignal(input(links(3)))!.message).toBe('3 links in the comment');
  });
});

describe('scoreSignals', () => {
  it('scores a plain comment 0 with no reasons', () => {
    expect(scoreSignals(input('Thanks for the piece.'), SETTINGS)).toEqual({
      score: 0,
      reasons: [],
    });
  });

  it('lets a filled honeypot decide: score 1', () => {
    const verdict = scoreSignals(input('Thanks for the piece.', true), SETTINGS);
    expect(verdict.score).toBe(1);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['honeypot']);
  });

  it('scores 1 for a filled honeypot with links too', () => {
    const verdict = scoreSignals(input(links(3), true), SETTINGS);
    expect(verdict.score).toBe(1);
    expect(verdict.reasons.map((r) => r.code).sort()).toEqual(['honeypot', 'links']);
  });

  it('raises the score with the number of links', () => {
    const scores = [0, 1, 2, 3, 4].map(
      (n) => scoreSignals(input(n ? links(n) : 'plain'), SETTINGS).score,
    );
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]);
    expect(scores[1]).toBe(0.15);
  });

  it('never reaches the default spam threshold (0.9) on links alone', () => {
    expect(scoreSignals(input(links(50)), SETTINGS).score).toBeLessThan(0.9);
  });
});

describe('proofOfWorkSignal', () => {
  const base = input('Thanks for the piece.');
  it('says nothing when the site does not require proof of work and none was sent', () => {
    expect(proofOfWorkSignal(base, { requireProofOfWork: false })).toBeNull();
  });
  it('flags a missing proof where the site requires one', () => {
    expect(proofOfWorkSignal(base, { requireProofOfWork: true })?.code).toBe('pow-missing');
    expect(
      proofOfWorkSignal({ ...base, powVerified: true }, { requireProofOfWork: true }),
    ).toBeNull();
  });
  it('flags a forged or replayed proof on any site, more than a missing one', () => {
    const invalid = proofOfWorkSignal({ ...base, powVerified: false }, SETTINGS);
    const missing = proofOfWorkSignal(base, { requireProofOfWork: true });
    expect(invalid?.code).toBe('pow-invalid');
    expect(invalid!.weight!).toBeGreaterThan(missing!.weight!);
  });
});

describe('combine', () => {
  it('is 0 without reasons', () => {
    expect(combine([])).toBe(0);
  });

  it('is the weight of a single reason', () => {
    expect(combine(weighted(0.3))).toBe(0.3);
  });

  it('combines independent signals as 1 − Π(1 − w)', () => {
    expect(combine(weighted(0.5, 0.5))).toBe(0.75);
    expect(combine(weighted(0.2, 0.5, 0.1))).toBe(0.64);
  });

  it('is 1 when any signal is certain', () => {
    expect(combine(weighted(0.1, 1, 0.2))).toBe(1);
  });

  it('treats a reason without weight as 0', () => {
    expect(combine(weighted(undefined, 0.4))).toBe(0.4);
  });

  it('clamps weights outside [0, 1]', () => {
    expect(combine(weighted(1.5))).toBe(1);
    expect(combine(weighted(-0.5))).toBe(0);
    expect(combine(weighted(-3, 0.25))).toBe(0.25);
    expect(combine(weighted(Infinity))).toBe(1);
    expect(combine(weighted(-Infinity))).toBe(0);
  });

  it('stays within [0, 1] for many and extreme weights', () => {
    const cases = [
      weighted(...Array<number>(100).fill(0.99)),
      weighted(...Array<number>(100).fill(2)),
      weighted(...Array<number>(100).fill(-2)),
      weighted(0.999999, 0.999999, 0.999999),
      weighted(1e-9),
      weighted(...Array.from({ length: 40 }, (_, i) => ((i * 37) % 23) / 10 - 1)),
    ];
    for (const reasons of cases) {
      const score = combine(reasons);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('never lowers the score when a signal is added', () => {
    const base = weighted(0.3, 0.2);
    for (const extra of [0, 0.01, 0.5, 1]) {
      expect(combine([...base, ...weighted(extra)])).toBeGreaterThanOrEqual(combine(base));
    }
  });

  it('rounds to four decimals', () => {
    expect(combine(weighted(1 / 3))).toBe(0.3333);
  });
});
