import {
  bodyWithLinks,
  makeModerationContext,
} from '../../../test/factories/moderation-context.factory.js';
import { linksPhase } from './links.phase.js';

describe('linksPhase', () => {
  it('does not decide on a comment without links', () => {
    expect(linksPhase(makeModerationContext())).toBeNull();
  });

  it.each([1, 2])('does not decide on %i link(s) with the default maximum of 2', (n) => {
    expect(linksPhase(makeModerationContext({ body: bodyWithLinks(n) }))).toBeNull();
  });

  it('holds a comment with more links than the default maximum', () => {
    const decision = linksPhase(makeModerationContext({ body: bodyWithLinks(3) }));
    expect(decision?.status).toBe('held');
    expect(decision?.reasons).toEqual([
      { code: 'too-many-links', message: expect.stringContaining('3 links') },
    ]);
    expect(decision?.reasons[0]?.message).toContain('more than 2');
  });

  it('counts bare URLs as links', () => {
    const body = 'https://a.example https://b.example https://c.example';
    expect(linksPhase(makeModerationContext({ body }))?.status).toBe('held');
  });

  it("uses the site's maxLinks", () => {
    const strict = { moderation: { maxLinks: 0 } };
    expect(
      linksPhase(makeModerationContext({ body: bodyWithLinks(1), settings: strict }))?.status,
    ).toBe('held');
    const lenient = { moderation: { maxLinks: 5 } };
    expect(
      linksPhase(makeModerationContext({ body: bodyWithLinks(5), settings: lenient })),
    ).toBeNull();
    expect(
      linksPhase(makeModerationContext({ body: bodyWithLinks(6), settings: lenient }))?.status,
    ).toBe('held');
  });

  it('does not count links written as escaped HTML', () => {
    const body = '<a href="/a">a</a> <a href="/b">b</a> <a href="/c">c</a>';
    expect(linksPhase(makeModerationContext({ body }))).toBeNull();
  });
});
