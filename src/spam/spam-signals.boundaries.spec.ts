import { renderCommentBody } from '../comments/model/comment-renderer.js';
import {
  classifierSignal,
  combine,
  disposableEmailSignal,
  duplicateSignal,
  isDisposableDomain,
  linksOf,
  linksSignal,
  NO_FACTS,
  proofOfWorkSignal,
  repetitionSignal,
  scoreSignals,
  shortenerSignal,
  shoutingSignal,
  velocitySignal,
  type SpamFacts,
  type SpamInput,
} from './spam-signals.js';

/** Boundary tests: each pins a limit of a signal so a changed constant fails (mutation testing). */

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

describe('repetition', () => {
  it.each(['No no', 'no no no', 'no no no no', 'No, no, no, no.'])(
    'lets a word said up to four times pass: %j',
    (body) => {
      expect(repetitionSignal(input(body), facts(), SETTINGS)).toBeNull();
    },
  );
  it.each(['no no no no no', 'No! no, NO; no. no', 'buy buy buy buy buy buy buy'])(
    'flags a word said five times in a row: %j',
    (body) => {
      expect(repetitionSignal(input(body), facts(), SETTINGS)).toEqual({
        code: 'repetition',
        message: 'The same character or word over and over',
        weight: 0.25,
      });
    },
  );
  it('needs words of two letters or more, and the same word', () => {
    expect(repetitionSignal(input('a a a a a a a'), facts(), SETTINGS)).toBeNull();
    expect(repetitionSignal(input('no na no na no'), facts(), SETTINGS)).toBeNull();
    expect(repetitionSignal(input('nob no no no no'), facts(), SETTINGS)).toBeNull();
  });
  it('flags a character ten times in a row, not nine', () => {
    expect(repetitionSignal(input('x'.repeat(9)), facts(), SETTINGS)).toBeNull();
    expect(repetitionSignal(input('x'.repeat(10)), facts(), SETTINGS)?.code).toBe('repetition');
    expect(repetitionSignal(input('!'.repeat(10)), facts(), SETTINGS)?.code).toBe('repetition');
    expect(repetitionSignal(input('\n'.repeat(10)), facts(), SETTINGS)?.code).toBe('repetition');
  });
});

describe('all capitals', () => {
  it('needs at least 20 letters', () => {
    expect(shoutingSignal(input('ABCDEFGHIJ KLMNOPQRS'), facts(), SETTINGS)).toBeNull(); // 19
    expect(shoutingSignal(input('ABCDEFGHIJ KLMNOPQRST'), facts(), SETTINGS)).toEqual({
      code: 'all-caps',
      message: 'Written mostly in capitals',
      weight: 0.25,
    });
  });
  it('needs more than 70 % of the letters in capitals', () => {
    // 14 capitals of 20 letters: exactly 70 %.
    expect(shoutingSignal(input('ABCDEFGHIJKLMN abcdef'), facts(), SETTINGS)).toBeNull();
    expect(shoutingSignal(input('ABCDEFGHIJKLMNO abcde'), facts(), SETTINGS)?.code).toBe(
      'all-caps',
    );
  });
  it('counts letters of any script and ignores digits and punctuation', () => {
    expect(shoutingSignal(input('ÄÖÜÉÈÊÀÂÎÔÛÇÑŁŚŹŻĆŃŘ1234!!'), facts(), SETTINGS)?.code).toBe(
      'all-caps',
    );
    expect(shoutingSignal(input('12345678901234567890 ABC'), facts(), SETTINGS)).toBeNull();
  });
});

describe('disposable email domains', () => {
  it('looks up the exact list, not only its wildcards', () => {
    // 0-180.com is on the list and matched by no wildcard entry.
    expect(isDisposableDomain('0-180.com')).toBe(true);
    expect(isDisposableDomain('0-180.COM')).toBe(true);
    expect(isDisposableDomain('sub.0-180.com')).toBe(false);
  });
  it('matches a wildcard entry and its subdomains, not look-alikes', () => {
    expect(isDisposableDomain('33m.co')).toBe(true);
    expect(isDisposableDomain('any.33m.co')).toBe(true);
    expect(isDisposableDomain('x33m.co')).toBe(false);
    expect(isDisposableDomain('33m.co.example')).toBe(false);
  });
  it('says nothing without a domain', () => {
    expect(disposableEmailSignal(input('x'), facts({ emailDomain: null }), SETTINGS)).toBeNull();
    expect(
      disposableEmailSignal(input('x'), facts({ emailDomain: '0-180.com' }), SETTINGS),
    ).toEqual({ code: 'disposable-email', message: 'A disposable email address', weight: 0.5 });
  });
});

describe('links', () => {
  it.each([
    [0, null],
    [1, 0.15],
    [2, 0.3],
    [3, 0.45],
    [4, 0.6],
    [6, 0.6],
  ])('%i links weigh %s', (n, weight) => {
    const reason = linksSignal(input(links(n)));
    expect(reason?.weight ?? null).toBe(weight);
    if (n > 0) expect(reason?.message).toBe(`${n} link${n === 1 ? '' : 's'} in the comment`);
  });
  it('reads hrefs of rendered links only', () => {
    expect(linksOf('<a href="https://a.example">a</a> <a  href="x">')).toEqual([
      'https://a.example',
      'x',
    ]);
    expect(linksOf('<p>https://a.example</p>')).toEqual([]);
  });
  it('weighs shorteners 0.5, then 0.15 more each, up to 0.8', () => {
    const short = (n: number) =>
      Array.from({ length: n }, (_, i) => `https://bit.ly/x${i}`).join(' ');
    expect(shortenerSignal(input(short(1)))?.weight).toBe(0.5);
    expect(shortenerSignal(input(short(2)))?.weight).toBe(0.65);
    expect(shortenerSignal(input(short(3)))?.weight).toBeCloseTo(0.8, 10);
    expect(shortenerSignal(input(short(5)))?.weight).toBe(0.8);
    expect(shortenerSignal(input(short(2)))?.message).toBe('Links through a shortener (bit.ly)');
    expect(shortenerSignal(input('x', { authorWebsite: 'https://www.tinyurl.com/a' }))?.code).toBe(
      'link-shortener',
    );
    expect(shortenerSignal(input('x', { authorWebsite: 'not a url' }))).toBeNull();
    expect(shortenerSignal(input(links(2)))).toBeNull();
  });
});

describe('velocity', () => {
  it('is free up to the allowance, then 0.1 per comment over, up to 0.6', () => {
    const at = (ipVelocity: number, emailVelocity = 1) =>
      velocitySignal(input('x'), facts({ ipVelocity, emailVelocity }), SETTINGS);
    expect(at(20)).toBeNull();
    expect(at(21)?.weight).toBe(0.1);
    expect(at(23)?.weight).toBe(0.3);
    expect(at(26)?.weight).toBe(0.6);
    expect(at(40)?.weight).toBe(0.6);
    expect(at(21)?.message).toBe('21 comments from the same address in the last hour');
    expect(at(1, 5)).toBeNull();
    expect(at(1, 6)?.message).toBe('6 comments from the same email address in the last hour');
    // Both over: the one further over names the reason.
    expect(at(22, 6)?.message).toContain('same address');
    expect(at(21, 7)?.message).toContain('email address');
  });
});

describe('duplicates', () => {
  const long = 'This exact sentence is longer than thirty characters.';
  it('weighs the first copy 0.4, then 0.15 more each, up to 0.8; half for 30 characters or less', () => {
    const at = (body: string, sameBody: number) =>
      duplicateSignal(input(body), facts({ sameBody }), SETTINGS);
    expect(at(long, 1)).toBeNull();
    expect(at(long, 2)?.weight).toBe(0.4);
    expect(at(long, 3)?.weight).toBeCloseTo(0.55, 10);
    expect(at(long, 10)?.weight).toBe(0.8);
    expect(at('x'.repeat(30), 2)?.weight).toBe(0.2);
    expect(at(` ${'x'.repeat(30)} `, 2)?.weight).toBe(0.2);
    expect(at('x'.repeat(31), 2)?.weight).toBe(0.4);
    expect(at(long, 2)?.message).toBe(
      'The same text was posted 1 time on this site in the last day',
    );
    expect(at(long, 3)?.message).toBe(
      'The same text was posted 2 times on this site in the last day',
    );
  });
});

describe('proof of work', () => {
  it('is silent when verified or not required', () => {
    expect(proofOfWorkSignal(input('x', { powVerified: true }), facts(), SETTINGS)).toBeNull();
    expect(proofOfWorkSignal(input('x'), facts(), SETTINGS)).toBeNull();
    const required = { ...SETTINGS, requireProofOfWork: true };
    expect(proofOfWorkSignal(input('x', { powVerified: true }), facts(), required)).toBeNull();
    expect(proofOfWorkSignal(input('x'), facts(), required)?.weight).toBe(0.5);
    expect(proofOfWorkSignal(input('x', { powVerified: false }), facts(), SETTINGS)?.weight).toBe(
      0.7,
    );
  });
});

describe('the classifier signal', () => {
  it('rounds the probability to four digits and names feedback of 0.05 or more', () => {
    const at = (probability: number, feedbackShift: number) =>
      classifierSignal(input('x'), facts({ classifier: { probability, feedbackShift } }), SETTINGS);
    expect(at(0.123456, 0)).toEqual({
      code: 'classifier',
      message: 'The text classifier rates it 12 % spam',
      weight: 0.1235,
    });
    expect(at(0.5, 0.049)?.message).toBe('The text classifier rates it 50 % spam');
    expect(at(0.5, 0.05)?.message).toContain('raised it');
    expect(at(0.5, -0.05)?.message).toContain('lowered it');
    expect(at(0.5, -0.049)?.message).not.toContain('lowered');
  });
});

describe('combine and score', () => {
  it('rounds to four digits and keeps the reasons in signal order', () => {
    expect(combine([{ code: 'a', message: '', weight: 1 / 3 }])).toBe(0.3333);
    expect(combine([{ code: 'a', message: '', weight: -1 }])).toBe(0);
    expect(combine([{ code: 'a', message: '', weight: 2 }])).toBe(1);
    const verdict = scoreSignals(input(`${links(1)} ${'NO '.repeat(40)}`), facts(), SETTINGS);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['links', 'all-caps', 'repetition']);
    expect(verdict.score).toBe(combine(verdict.reasons));
  });
});
