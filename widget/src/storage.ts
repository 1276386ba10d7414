/**
 * The author's own comments that are not published yet, kept in localStorage so that "Your
 * comment is awaiting moderation" survives a reload: the id, the receipt that lets this browser
 * read the comment's status, and a plain-text preview of what was sent. Never the email.
 */

export interface OwnComment {
  id: string;
  receipt: string;
  parentId: string | null;
  name: string;
  website: string | null;
  /** The text as typed; shown with textContent, never parsed as HTML. */
  body: string;
  /** Milliseconds since the epoch. */
  at: number;
}

const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const memory = new Map<string, string>();

function storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    const s = window.localStorage;
    const probe = '__cw__';
    s.setItem(probe, probe);
    s.removeItem(probe);
    return s;
  } catch {
    // Storage blocked (privacy settings, sandboxed frame): keep it for this page view only.
    return {
      getItem: (k) => memory.get(k) ?? null,
      setItem: (k, v) => void memory.set(k, v),
      removeItem: (k) => void memory.delete(k),
    };
  }
}

export class OwnComments {
  private readonly key: string;

  constructor(origin: string, site: string, article: string) {
    this.key = `comments-widget:${origin}|${site}|${article}`;
  }

  list(): OwnComment[] {
    try {
      const raw = JSON.parse(storage().getItem(this.key) ?? '[]') as unknown;
      if (!Array.isArray(raw)) return [];
      const now = Date.now();
      return (raw as OwnComment[]).filter(
        (c) =>
          c &&
          typeof c.id === 'string' &&
          typeof c.receipt === 'string' &&
          typeof c.body === 'string' &&
          typeof c.name === 'string' &&
          now - Number(c.at) < MAX_AGE_MS,
      );
    } catch {
      return [];
    }
  }

  add(comment: OwnComment): void {
    this.save([...this.list().filter((c) => c.id !== comment.id), comment]);
  }

  remove(id: string): void {
    this.save(this.list().filter((c) => c.id !== id));
  }

  private save(list: OwnComment[]): void {
    try {
      if (list.length) storage().setItem(this.key, JSON.stringify(list));
      else storage().removeItem(this.key);
    } catch {
      // Quota exceeded: the notice then lasts for this page view only.
    }
  }
}

/** The comments this browser liked on a site (ids only), so the like buttons show as pressed. */
export class Likes {
  private readonly key: string;

  constructor(origin: string, site: string) {
    this.key = `comments-widget-likes:${origin}|${site}`;
  }

  has(id: string): boolean {
    return this.list().includes(id);
  }

  set(id: string, liked: boolean): void {
    const list = this.list().filter((x) => x !== id);
    if (liked) list.push(id);
    try {
      storage().setItem(this.key, JSON.stringify(list.slice(-500)));
    } catch {
      // Quota exceeded: the pressed state lasts for this page view only.
    }
  }

  private list(): string[] {
    try {
      const raw = JSON.parse(storage().getItem(this.key) ?? '[]') as unknown;
      return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }
}

const MAX_RECEIPTS = 10;

/**
 * Proofs of authorship for `trusted` mode: the receipts (`<id>.<receipt>`) of this browser's
 * latest comments on the site, sent with each new comment. The service trusts the author only
 * if one of them is an approved comment written with the same address — an address alone
 * proves nothing. Kept per site (any article), the newest 10.
 */
export class TrustReceipts {
  private readonly key: string;

  constructor(origin: string, site: string) {
    this.key = `comments-widget-receipts:${origin}|${site}`;
  }

  list(): string[] {
    try {
      const raw = JSON.parse(storage().getItem(this.key) ?? '[]') as unknown;
      return Array.isArray(raw)
        ? raw.filter((r): r is string => typeof r === 'string').slice(-MAX_RECEIPTS)
        : [];
    } catch {
      return [];
    }
  }

  add(id: string, receipt: string): void {
    const proof = `${id}.${receipt}`;
    this.save([...this.list().filter((r) => r !== proof), proof].slice(-MAX_RECEIPTS));
  }

  remove(id: string): void {
    this.save(this.list().filter((r) => !r.startsWith(`${id}.`)));
  }

  private save(list: string[]): void {
    try {
      if (list.length) storage().setItem(this.key, JSON.stringify(list));
      else storage().removeItem(this.key);
    } catch {
      // Quota exceeded: the next comment goes without proof (held in trusted mode).
    }
  }
}
