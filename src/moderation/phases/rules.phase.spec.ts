import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import { banPhase } from './ban.phase.js';
import { containsProfanity, profanityPhase } from './profanity.phase.js';
import { blockWordsPhase, holdWordsPhase } from './words.phase.js';

describe('banPhase', () => {
  it('rejects a banned author and says why', () => {
    const decision = banPhase(makeModerationContext({ ban: { id: 'b1', reason: 'abuse' } }));
    expect(decision?.status).toBe('rejected');
    expect(decision?.reasons[0]).toMatchObject({ code: 'banned' });
    expect(decision?.reasons[0]?.message).toContain('abuse');
  });
  it('says nothing of an author without a ban', () => {
    expect(banPhase(makeModerationContext())).toBeNull();
  });
});

describe('profanityPhase', () => {
  it('holds obfuscated profanity in the body or the name', () => {
    expect(profanityPhase(makeModerationContext({ body: 'what the fuuuck' }))?.status).toBe('held');
    expect(profanityPhase(makeModerationContext({ authorName: 'sh1thead' }))?.status).toBe('held');
  });
  it('leaves innocent words that contain rude ones alone', () => {
    expect(containsProfanity('Scunthorpe', 'a classic assessment', 'cocktail')).toBe(false);
  });
  it('can be switched off per site', () => {
    const context = makeModerationContext({
      body: 'what the fuck',
      settings: { moderation: { holdProfanity: false } },
    });
    expect(profanityPhase(context)).toBeNull();
  });
});

describe('word list phases', () => {
  const settings = { moderation: { blockWords: ['viagra'], holdWords: ['casino'] } };
  it('marks spam on a block word in the website too', () => {
    const context = makeModerationContext({ authorWebsite: 'https://viagra.example', settings });
    expect(blockWordsPhase(context)?.status).toBe('spam');
  });
  it('holds on a hold word, naming it', () => {
    const decision = holdWordsPhase(makeModerationContext({ body: 'Casino night', settings }));
    expect(decision).toEqual({
      status: 'held',
      reasons: [{ code: 'hold-word', message: 'Contains the held word "casino"' }],
    });
  });
  it('ignores lists that are empty', () => {
    const context = makeModerationContext({ body: 'viagra casino' });
    expect(blockWordsPhase(context)).toBeNull();
    expect(holdWordsPhase(context)).toBeNull();
  });
});
