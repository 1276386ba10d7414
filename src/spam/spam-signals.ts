import { createRequire } from 'node:module';
import type { Reason } from '../comments/model/comment.entity.js';
import { findListedWord } from '../common/text/word-list.js';

/** What the spam scorer may look at: the text and submission facts, never who wrote it. */
export interface SpamInput {
  body: string;
  bodyHtml: string;
  authorName: string | null;
  authorWebsite: string | null;
  honeypot: boolean;
  /** null: no proof of work was sent. */
  powVerified: boolean | null;
}

/** Facts the spam worker gathers before scoring (counters in Redis, the email's domain). */
export interface SpamFacts {
  /** The text classifier's calibrated P(spam) (0.5 = its decision threshold). */
  classifier: { probability: number; feedbackShift: number } | null;
  /** Comments from the same address / email on the site in the last hour, this one included. */
  ipVelocity: number;
  emailVelocity: number;
  /** Comments with the same body on the site in the last 24 hours, this one included. */
  sameBody: number;
  emailDomain: string | null;
}

/** What a signal may know of the site. */
export interface SignalSettings {
  requireProofOfWork: boolean;
  moderation: { blockWords: readonly string[] };
  spam: { maxPerHourPerIp: number; maxPerHourPerEmail: number };
}

export interface SpamVerdict {
  /** In [0, 1]. */
  score: number;
  reasons: Reason[];
}

export type SpamSignal = (
  input: SpamInput,
  facts: SpamFacts,
  settings: SignalSettings,
) => Reason | null;

export const NO_FACTS: SpamFacts = {
  classifier: null,
  ipVelocity: 1,
  emailVelocity: 1,
  sameBody: 1,
  emailDomain: null,
};

/**
 * Independent signals combined as 1 − Π(1 − wᵢ): each can only raise the score, none alone
 * exceeds its weight, and a certain signal (weight 1) decides.
 */
export function combine(reasons: Reason[]): number {
  const keep = reasons.reduce((p, r) => {
    const raw = r.weight ?? 0;
    const w = Number.isNaN(raw) ? 0 : Math.min(1, Math.max(0, raw));
    return p * (1 - w);
  }, 1);
  return Math.round((1 - keep) * 1e4) / 1e4;
}

const percent = (p: number) => `${Math.round(p * 100)} %`;

export const classifierSignal: SpamSignal = (_input, facts) => {
  if (!facts.classifier) return null;
  const { probability, feedbackShift } = facts.classifier;
  const taught =
    Math.abs(feedbackShift) >= 0.05
      ? `; moderators' feedback ${feedbackShift > 0 ? 'raised' : 'lowered'} it`
      : '';
  return {
    code: 'classifier',
    message: `The text classifier rates it ${percent(probability)} spam${taught}`,
    weight: Math.round(probability * 1e4) / 1e4,
  };
};

export function honeypotSignal(input: SpamInput): Reason | null {
  return input.honeypot
    ? { code: 'honeypot', message: 'The hidden honeypot field was filled in', weight: 1 }
    : null;
}

/** All links, as the reader would see them (href of every rendered link). */
export function linksOf(bodyHtml: string): string[] {
  return [...bodyHtml.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
}

export function linksSignal(input: SpamInput): Reason | null {
  const links = linksOf(input.bodyHtml).length;
  if (links === 0) return null;
  return {
    code: 'links',
    message: `${links} link${links === 1 ? '' : 's'} in the comment`,
    weight: Math.min(Math.round(15 * links) / 100, 0.6),
  };
}

/** Well-known link shorteners: they hide where a link goes, a favourite of spammers. */
export const LINK_SHORTENERS: ReadonlySet<string> = new Set([
  'bit.ly',
  'bitly.com',
  'tinyurl.com',
  'goo.gl',
  't.co',
  'ow.ly',
  'is.gd',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  'tiny.cc',
  'rb.gy',
  'bl.ink',
  'soo.gd',
  's.id',
  'v.gd',
  'qr.ae',
  'adf.ly',
  'shorte.st',
  'ouo.io',
  'bc.vc',
  'lnkd.in',
  'db.tt',
  'trib.al',
  'tr.im',
  'x.co',
  'po.st',
  'mcaf.ee',
  'su.pr',
  'clck.ru',
  'u.to',
  'tinyurl.de',
  'y2u.be',
  'shorturl.com',
  'short.io',
  'linktr.ee',
  'urlz.fr',
  'cli.re',
  't.ly',
  'tny.im',
  'gg.gg',
]);

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

export function shortenerSignal(input: SpamInput): Reason | null {
  const hosts = [...linksOf(input.bodyHtml), input.authorWebsite ?? '']
    .map(hostOf)
    .filter((h): h is string => h !== null && LINK_SHORTENERS.has(h));
  if (hosts.length === 0) return null;
  return {
    code: 'link-shortener',
    message: `Links through a shortener (${[...new Set(hosts)].join(', ')})`,
    weight: Math.min(0.5 + 0.15 * (hosts.length - 1), 0.8),
  };
}

/** A site that requires proof of work got none, or any site got a forged or replayed one. */
export function proofOfWorkSignal(
  input: SpamInput,
  _facts: SpamFacts,
  settings: Pick<SignalSettings, 'requireProofOfWork'>,
): Reason | null {
  if (input.powVerified === false) {
    return { code: 'pow-invalid', message: 'The proof of work was invalid or reused', weight: 0.7 };
  }
  if (settings.requireProofOfWork && input.powVerified !== true) {
    return {
      code: 'pow-missing',
      message: 'The site requires proof of work; none was sent',
      weight: 0.5,
    };
  }
  return null;
}

export const duplicateSignal: SpamSignal = (input, facts) => {
  const earlier = facts.sameBody - 1;
  if (earlier < 1) return null;
  // "+1" and "Great piece!" are said twice by honest readers; long copies are not.
  const short = input.body.trim().length <= 30;
  const weight = Math.min(0.4 + 0.15 * (earlier - 1), 0.8) * (short ? 0.5 : 1);
  return {
    code: 'duplicate',
    message: `The same text was posted ${earlier} time${earlier === 1 ? '' : 's'} on this site in the last day`,
    weight,
  };
};

/** Beyond the site's hourly allowance per address (shared by offices) or per email (one person). */
export const velocitySignal: SpamSignal = (_input, facts, settings) => {
  const overIp = facts.ipVelocity - settings.spam.maxPerHourPerIp;
  const overEmail = facts.emailVelocity - settings.spam.maxPerHourPerEmail;
  const over = Math.max(overIp, overEmail);
  if (over <= 0) return null;
  const [by, count] =
    overIp >= overEmail ? ['address', facts.ipVelocity] : ['email address', facts.emailVelocity];
  return {
    code: 'velocity',
    message: `${count} comments from the same ${by} in the last hour`,
    weight: Math.min(Math.round(10 * over) / 100, 0.6),
  };
};

const require = createRequire(import.meta.url);
/** The maintained list of disposable email domains (disposable-email-domains). */
const DISPOSABLE = new Set(require('disposable-email-domains') as string[]);
const DISPOSABLE_WILDCARDS = require('disposable-email-domains/wildcard.json') as string[];

export function isDisposableDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  if (DISPOSABLE.has(d)) return true;
  return DISPOSABLE_WILDCARDS.some((w) => d === w || d.endsWith(`.${w}`));
}

export const disposableEmailSignal: SpamSignal = (_input, facts) =>
  facts.emailDomain && isDisposableDomain(facts.emailDomain)
    ? { code: 'disposable-email', message: 'A disposable email address', weight: 0.5 }
    : null;

export const blockWordSignal: SpamSignal = (input, _facts, settings) => {
  const word = findListedWord(
    settings.moderation.blockWords,
    input.body,
    input.authorName,
    input.authorWebsite,
  );
  return word
    ? { code: 'block-word', message: `Contains the blocked word "${word}"`, weight: 0.95 }
    : null;
};

export const shoutingSignal: SpamSignal = (input) => {
  const letters = input.body.match(/\p{L}/gu) ?? [];
  if (letters.length < 20) return null;
  const upper = letters.filter((c) => c !== c.toLowerCase()).length;
  return upper / letters.length > 0.7
    ? { code: 'all-caps', message: 'Written mostly in capitals', weight: 0.25 }
    : null;
};

export const repetitionSignal: SpamSignal = (input) => {
  const repeatedChar = /(.)\1{9,}/su.test(input.body);
  const repeatedWord = /\b(\p{L}{2,})\b(?:\W+\1\b){4,}/iu.test(input.body);
  return repeatedChar || repeatedWord
    ? { code: 'repetition', message: 'The same character or word over and over', weight: 0.25 }
    : null;
};

export const SIGNALS: readonly SpamSignal[] = [
  classifierSignal,
  honeypotSignal,
  linksSignal,
  shortenerSignal,
  proofOfWorkSignal,
  duplicateSignal,
  velocitySignal,
  disposableEmailSignal,
  blockWordSignal,
  shoutingSignal,
  repetitionSignal,
];

export function scoreSignals(
  input: SpamInput,
  facts: SpamFacts,
  settings: SignalSettings,
): SpamVerdict {
  const reasons = SIGNALS.map((signal) => signal(input, facts, settings)).filter(
    (r): r is Reason => r !== null,
  );
  return { score: combine(reasons), reasons };
}
