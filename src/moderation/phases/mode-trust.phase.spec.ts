import { makeModerationContext } from '../../../test/factories/moderation-context.factory.js';
import type { ModerationContext } from './moderation-phase.js';
import { modePhase } from './mode.phase.js';

function withAuthor(
  author: Partial<ModerationContext['author']>,
  mode: 'pre' | 'trusted' | 'post' = 'trusted',
): ModerationContext {
  const context = makeModerationContext({ settings: { moderation: { mode } } });
  return { ...context, author: { ...context.author, ...author } };
}

describe('modePhase: trust with proof (SSO, confirmed address)', () => {
  it('approves an author the publisher’s login vouches for', () => {
    const decision = modePhase(withAuthor({ trustedIdentity: true }));
    expect(decision).toEqual({
      status: 'approved',
      reasons: [{ code: 'trusted-identity', message: expect.any(String) }],
    });
  });

  it('approves an author who confirmed their address by mail', () => {
    const decision = modePhase(withAuthor({ trustedConfirmedAddress: true }));
    expect(decision).toEqual({
      status: 'approved',
      reasons: [{ code: 'trusted-confirmed-address', message: expect.any(String) }],
    });
  });

  it('holds an author with neither proof nor history', () => {
    const decision = modePhase(
      withAuthor({ trustedIdentity: false, trustedConfirmedAddress: false }),
    );
    expect(decision?.status).toBe('held');
  });

  it('still holds everything in pre mode', () => {
    const decision = modePhase(
      withAuthor({ trustedIdentity: true, trustedConfirmedAddress: true }, 'pre'),
    );
    expect(decision?.status).toBe('held');
  });
});
