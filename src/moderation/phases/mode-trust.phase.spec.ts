import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import type { ModerationContext, TrustSource } from './moderation-phase.js';
import { modePhase } from './mode.phase.js';

function trustedBy(
  source: TrustSource | null,
  mode: 'pre' | 'trusted' | 'post' = 'trusted',
): ModerationContext {
  const context = makeModerationContext({ settings: { moderation: { mode } } });
  return { ...context, author: { ...context.author, trustedBy: source } };
}

describe('modePhase: trust with proof from the publisher’s login or a confirmed address', () => {
  it('approves an author the publisher’s login vouches for, saying so', () => {
    expect(modePhase(trustedBy('sso'))).toEqual({
      status: 'approved',
      reasons: [{ code: 'trusted-author', message: expect.stringMatching(/publisher's login/) }],
    });
  });

  it('approves an author who confirmed their address by mail, saying so', () => {
    expect(modePhase(trustedBy('confirmed'))).toEqual({
      status: 'approved',
      reasons: [{ code: 'trusted-author', message: expect.stringMatching(/confirmed/) }],
    });
  });

  it('still holds everything in pre mode', () => {
    expect(modePhase(trustedBy('sso', 'pre'))?.status).toBe('held');
  });
});
