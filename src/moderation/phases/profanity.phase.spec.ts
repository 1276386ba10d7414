import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import { containsProfanity, hasProfanity, profanityPhase } from './profanity.phase.js';

describe('profanity: numbers are not leetspeak', () => {
  it.each([
    'The vote was 455 to 120.',
    'Budget of 5,455 pounds',
    'Green 455',
    '4$$',
    '$$$',
    'Section 455(1)',
    'Call 555 0135',
  ])('finds nothing in %j (a match must contain a letter of the text)', (text) => {
    expect(hasProfanity(text)).toBe(false);
    expect(profanityPhase(makeModerationContext({ body: text }))).toBeNull();
  });

  it.each(['you a55hole', 'a$$', 'sh1t happens', 'what a b1tch', 'ASS', 'fuuuck you'])(
    'still finds leetspeak with letters in %j',
    (text) => {
      expect(hasProfanity(text)).toBe(true);
    },
  );

  it('holds with the profanity reason', () => {
    expect(profanityPhase(makeModerationContext({ body: 'sh1t happens' }))).toEqual({
      status: 'held',
      reasons: [{ code: 'profanity', message: 'Contains profanity' }],
    });
  });

  it('checks every text given and skips nulls', () => {
    expect(containsProfanity(null, 'Budget of 5,455', 'a55hole')).toBe(true);
    expect(containsProfanity(null, 'Budget of 5,455')).toBe(false);
    expect(containsProfanity()).toBe(false);
  });

  it('reads full-width letters and zero-width characters as the words they hide', () => {
    expect(hasProfanity('ｓｈｉｔ')).toBe(true);
    expect(hasProfanity('sh\u200bit')).toBe(true);
  });

  it('finds a listed word beside a number that is read as one', () => {
    // "455" alone is no match; "a55" next to it still is.
    expect(hasProfanity('455 a55')).toBe(true);
  });
});
