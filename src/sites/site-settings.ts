export type ModerationMode = 'pre' | 'trusted' | 'post';

/** A site's effective settings: what an admin set over the defaults. */
export interface SiteSettings {
  moderation: {
    mode: ModerationMode;
    maxLinks: number;
    holdWords: string[];
    blockWords: string[];
    maxDepth: number;
    closeAfterDays: number | null;
    /** Hold comments with profanity (obscenity's English list) for a person. */
    holdProfanity: boolean;
    /** Hold comments the local toxicity model rates abusive (reason `toxicity`). */
    holdToxicity: boolean;
    /** Calibrated toxicity at or above which a comment is held; 0.5 is the model's own threshold. */
    toxicityThreshold: number;
    /** Trust and safety: distinct reader flags that hold a published comment. */
    flagThreshold: number;
    /** Statement of reasons: reason code → the public text the author reads. */
    reasons: Record<string, string>;
    /** Days after a decision during which its author may appeal it. */
    appealDays: number;
    /** Minutes after submission during which the author may edit (by receipt). */
    editWindowMinutes: number;
  };
  spam: {
    spamThreshold: number;
    holdThreshold: number;
    /** Comments an hour from one address / one email before the velocity signal counts. */
    maxPerHourPerIp: number;
    maxPerHourPerEmail: number;
  };
  requireProofOfWork: boolean;
  maxBodyLength: number;
  rateLimit: { perIpPerMinute: number; perEmailPerMinute: number };
  /** The publisher's own login (SSO): see `src/identity`. */
  identity: IdentitySettings;
  /** Reply notifications and moderator digests: see `src/notifications`. */
  notifications: NotificationSettings;
  /** Trust and safety: how long client-address hashes and rejected/spam comments are kept. */
  retention: { ipDays: number; rejectedDays: number };
}

export interface IdentitySettings {
  /** HS256 secret the publisher signs identity tokens with (write-only: never returned). */
  ssoSecret: string | null;
  /** Refuse submissions without a valid identity. */
  requireSso: boolean;
}

export interface NotificationSettings {
  /** Link to a comment in mail; `{articleId}` and `{commentId}` are replaced. */
  articleUrl: string | null;
  /** Addresses that receive the digest of newly held comments. */
  moderatorEmails: string[];
  /** At most one digest this often. */
  moderatorDigestMinutes: number;
  /** The sender name of this site's mail (MAIL_FROM's address stays). */
  senderName: string | null;
}

/** The statement-of-reasons codes every site has unless it sets its own texts. */
export const DEFAULT_REASONS: Readonly<Record<string, string>> = Object.freeze({
  spam: 'The comment was removed as spam or advertising.',
  abuse: 'The comment was removed because it is abusive, harassing or hateful.',
  'off-topic': 'The comment was removed because it is off topic.',
  'personal-data': 'The comment was removed because it discloses personal data.',
  illegal: 'The comment was removed because it appears to be illegal content.',
  other: 'The comment was removed because it breaks the community rules.',
});

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type SiteSettingsInput = DeepPartial<SiteSettings>;

export const DEFAULT_SITE_SETTINGS: SiteSettings = Object.freeze({
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
    reasons: DEFAULT_REASONS,
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
}) as SiteSettings;

/** Defaults overlaid with what was stored. Arrays replace, objects merge. */
export function resolveSettings(input: SiteSettingsInput | null | undefined): SiteSettings {
  const s = input ?? {};
  const moderation = { ...DEFAULT_SITE_SETTINGS.moderation, ...stripUndefined(s.moderation) };
  return {
    // Copies, so no caller can change the shared defaults through the result.
    moderation: {
      ...moderation,
      holdWords: [...(moderation.holdWords ?? [])],
      blockWords: [...(moderation.blockWords ?? [])],
      // A site's own texts replace the defaults code by code; its own codes are added.
      reasons: { ...DEFAULT_REASONS, ...stripUndefined(s.moderation?.reasons) },
    },
    spam: { ...DEFAULT_SITE_SETTINGS.spam, ...stripUndefined(s.spam) },
    requireProofOfWork: s.requireProofOfWork ?? DEFAULT_SITE_SETTINGS.requireProofOfWork,
    maxBodyLength: s.maxBodyLength ?? DEFAULT_SITE_SETTINGS.maxBodyLength,
    rateLimit: { ...DEFAULT_SITE_SETTINGS.rateLimit, ...stripUndefined(s.rateLimit) },
    retention: { ...DEFAULT_SITE_SETTINGS.retention, ...stripUndefined(s.retention) },
    identity: { ...DEFAULT_SITE_SETTINGS.identity, ...stripUndefined(s.identity) },
    notifications: {
      ...DEFAULT_SITE_SETTINGS.notifications,
      ...stripUndefined(s.notifications),
      moderatorEmails: [...(s.notifications?.moderatorEmails ?? [])].filter(
        (e): e is string => typeof e === 'string',
      ),
    },
  } as SiteSettings;
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Settings as admins read them: the SSO secret is write-only (only whether one is set shows). */
export function redactSettings(settings: SiteSettings): Record<string, unknown> {
  const { ssoSecret, ...identity } = settings.identity;
  return { ...settings, identity: { ...identity, ssoSecretSet: ssoSecret !== null } };
}
