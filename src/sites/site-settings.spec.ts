import {
  DEFAULT_SITE_SETTINGS,
  redactSettings,
  resolveSettings,
  type SiteSettings,
} from './site-settings.js';

const API_DEFAULTS: SiteSettings = {
  moderation: {
    mode: 'trusted',
    maxLinks: 2,
    holdWords: [],
    blockWords: [],
    maxDepth: 5,
    closeAfterDays: null,
    holdProfanity: true,
    holdToxicity: true,
    toxicityThreshold: 0.5,
    flagThreshold: 3,
    reasons: {
      spam: 'The comment was removed as spam or advertising.',
      abuse: 'The comment was removed because it is abusive, harassing or hateful.',
      'off-topic': 'The comment was removed because it is off topic.',
      'personal-data': 'The comment was removed because it discloses personal data.',
      illegal: 'The comment was removed because it appears to be illegal content.',
      other: 'The comment was removed because it breaks the community rules.',
    },
    appealDays: 14,
    editWindowMinutes: 15,
  },
  spam: { spamThreshold: 0.97, holdThreshold: 0.5, maxPerHourPerIp: 20, maxPerHourPerEmail: 5 },
  requireProofOfWork: false,
  maxBodyLength: 10000,
  rateLimit: { perIpPerMinute: 10, perEmailPerMinute: 5 },
  retention: { ipDays: 30, rejectedDays: 90 },
  identity: { ssoSecret: null, requireSso: false },
  notifications: {
    articleUrl: null,
    moderatorEmails: [],
    moderatorDigestMinutes: 15,
    senderName: null,
  },
};

describe('resolveSettings', () => {
  it.each([null, undefined, {}])('gives the docs/api.md defaults for %j', (input) => {
    expect(resolveSettings(input)).toEqual(API_DEFAULTS);
  });

  it('holds the spam band below the spam threshold', () => {
    const { spam } = resolveSettings({});
    expect(spam.holdThreshold).toBeLessThan(spam.spamThreshold);
  });

  it('merges a moderation override with the other moderation defaults', () => {
    expect(resolveSettings({ moderation: { mode: 'pre' } }).moderation).toEqual({
      ...API_DEFAULTS.moderation,
      mode: 'pre',
    });
  });

  it('keeps the other sections at their defaults when one is overridden', () => {
    const settings = resolveSettings({ moderation: { maxLinks: 7 } });
    expect(settings.moderation.maxLinks).toBe(7);
    expect(settings.spam).toEqual(API_DEFAULTS.spam);
    expect(settings.rateLimit).toEqual(API_DEFAULTS.rateLimit);
    expect(settings.maxBodyLength).toBe(10000);
    expect(settings.requireProofOfWork).toBe(false);
  });

  it('merges spam and rate-limit overrides per field', () => {
    const settings = resolveSettings({
      spam: { holdThreshold: 0.4 },
      rateLimit: { perEmailPerMinute: 1 },
    });
    expect(settings.spam).toEqual({
      spamThreshold: 0.97,
      holdThreshold: 0.4,
      maxPerHourPerIp: 20,
      maxPerHourPerEmail: 5,
    });
    expect(settings.rateLimit).toEqual({ perIpPerMinute: 10, perEmailPerMinute: 1 });
  });

  it('takes top-level overrides', () => {
    const settings = resolveSettings({ requireProofOfWork: true, maxBodyLength: 500 });
    expect(settings.requireProofOfWork).toBe(true);
    expect(settings.maxBodyLength).toBe(500);
  });

  it('keeps falsy overrides such as 0 and null', () => {
    const settings = resolveSettings({
      moderation: { maxLinks: 0, closeAfterDays: null },
      spam: { holdThreshold: 0 },
      maxBodyLength: 0,
    });
    expect(settings.moderation.maxLinks).toBe(0);
    expect(settings.moderation.closeAfterDays).toBeNull();
    expect(settings.spam.holdThreshold).toBe(0);
    expect(settings.maxBodyLength).toBe(0);
  });

  it('sets closeAfterDays', () => {
    expect(resolveSettings({ moderation: { closeAfterDays: 30 } }).moderation.closeAfterDays).toBe(
      30,
    );
  });

  it('ignores fields present but undefined', () => {
    const settings = resolveSettings({
      moderation: { mode: undefined, maxLinks: undefined },
      spam: { spamThreshold: undefined },
      rateLimit: { perIpPerMinute: undefined },
      maxBodyLength: undefined,
    });
    expect(settings).toEqual(API_DEFAULTS);
  });

  it('replaces word lists rather than merging them', () => {
    const settings = resolveSettings({
      moderation: { holdWords: ['casino'], blockWords: ['slur'] },
    });
    expect(settings.moderation.holdWords).toEqual(['casino']);
    expect(settings.moderation.blockWords).toEqual(['slur']);
  });

  it('does not change the defaults when resolving overrides', () => {
    const before = JSON.stringify(DEFAULT_SITE_SETTINGS);
    const settings = resolveSettings({
      moderation: { mode: 'post' },
      spam: { holdThreshold: 0.1 },
    });
    settings.moderation.maxLinks = 99;
    settings.rateLimit.perIpPerMinute = 1;
    expect(JSON.stringify(DEFAULT_SITE_SETTINGS)).toBe(before);
    expect(resolveSettings({})).toEqual(API_DEFAULTS);
  });

  it("adds a site's own reason texts to the defaults, code by code", () => {
    const { reasons } = resolveSettings({
      moderation: { reasons: { abuse: 'No insults here.', 'self-promotion': 'No ads.' } },
    }).moderation;
    expect(reasons).toEqual({
      ...API_DEFAULTS.moderation.reasons,
      abuse: 'No insults here.',
      'self-promotion': 'No ads.',
    });
  });
});

describe('redactSettings', () => {
  it('never shows the SSO secret, only whether one is set', () => {
    const settings = resolveSettings({ identity: { ssoSecret: 's'.repeat(40), requireSso: true } });
    const shown = redactSettings(settings);
    expect(JSON.stringify(shown)).not.toContain('s'.repeat(40));
    expect(shown.identity).toEqual({ requireSso: true, ssoSecretSet: true });
    expect(redactSettings(resolveSettings({})).identity).toEqual({
      requireSso: false,
      ssoSecretSet: false,
    });
  });
});
