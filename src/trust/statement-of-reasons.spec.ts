import { statementOf } from './statement-of-reasons.js';
import { DEFAULT_REASONS } from '../sites/site-settings.js';
import { reasonTextsProblem } from '../sites/dto/reason-texts.validator.js';

const at = new Date('2026-12-01T10:00:00.000Z');
const decision = (over: Partial<Parameters<typeof statementOf>[0]> = {}) => ({
  actor: 'token:abc',
  action: 'reject',
  reasonCode: 'abuse' as string | null,
  reasons: [{ code: 'moderator-reject', message: 'INTERNAL note' }],
  createdAt: at,
  ...over,
});

describe('statementOf', () => {
  it("gives a person's decision with the site's public text, never the internal note", () => {
    const s = statementOf(decision(), { ...DEFAULT_REASONS, abuse: 'No insults.' });
    expect(s).toEqual({
      reasonCode: 'abuse',
      explanation: 'No insults.',
      decidedAt: '2026-12-01T10:00:00.000Z',
      automated: false,
    });
    expect(JSON.stringify(s)).not.toContain('INTERNAL');
  });

  it('reads a decision without a code as "other"', () => {
    expect(statementOf(decision({ reasonCode: null }), DEFAULT_REASONS)).toMatchObject({
      reasonCode: 'other',
      explanation: DEFAULT_REASONS.other,
    });
  });

  it('marks the rules as automated, with their own code and text', () => {
    const s = statementOf(
      decision({
        actor: 'system:moderation',
        reasonCode: null,
        reasons: [{ code: 'banned', message: 'The author is banned: INTERNAL' }],
      }),
      DEFAULT_REASONS,
    );
    expect(s).toMatchObject({ reasonCode: 'banned', automated: true });
    expect(s.explanation).not.toContain('INTERNAL');
    expect(
      statementOf(decision({ actor: 'system:x', reasonCode: 'made-up' }), DEFAULT_REASONS)
        .explanation,
    ).toMatch(/automated rules/);
  });

  it('says when the author deleted it', () => {
    expect(
      statementOf(decision({ actor: 'author', reasonCode: null }), DEFAULT_REASONS),
    ).toMatchObject({ reasonCode: 'author-deleted', automated: false });
  });
});

describe('reasonTextsProblem', () => {
  it.each([
    [{ abuse: 'No insults.', 'self-promo': 'No ads.' }, null],
    [[], /object/],
    [{ 'Bad Code': 'x' }, /must match/],
    [{ abuse: '' }, /1 to 1000/],
    [{ abuse: 'x'.repeat(1001) }, /1 to 1000/],
    [{ abuse: 3 }, /1 to 1000/],
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'x'])), /at most 50/],
  ])('%j → %s', (value, expected) => {
    const problem = reasonTextsProblem(value);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
