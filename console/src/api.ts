/** The moderation and admin API (docs/api.md), called with the signed-in bearer token. */

export type Status = 'pending' | 'held' | 'spam' | 'approved' | 'rejected' | 'deleted';
export type QueueStatus = 'held' | 'spam' | 'approved' | 'rejected';
export type Action = 'approve' | 'reject' | 'spam';

export interface Reason {
  code: string;
  message: string;
}

export interface ModerationItem {
  id: string;
  parentId: string | null;
  depth: number;
  author: { name: string; website: string | null; avatar: string | null } | null;
  bodyHtml: string;
  createdAt: string;
  publishedAt: string | null;
  deleted?: true;
  siteId: string;
  articleId: string;
  status: Status;
  email: string | null;
  spamScore: number | null;
  reasons: Reason[];
  authorHistory?: { approved: number; rejected?: number; spam?: number; total: number } | null;
  /** Open reader flags (trust and safety). */
  flags?: { count: number; reasons: Record<string, number> };
  /** Featured by a moderator (shown first to readers). */
  featured?: boolean;
}

export type Counts = Record<QueueStatus, number>;

export type BulkResult = { id: string; status: Status } | { id: string; error: string };

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

export interface SiteSettings {
  moderation: {
    mode: 'pre' | 'trusted' | 'post';
    maxLinks: number;
    holdWords: string[];
    blockWords: string[];
    maxDepth: number;
    closeAfterDays: number | null;
    holdProfanity?: boolean;
  };
  spam: { spamThreshold: number; holdThreshold: number };
  requireProofOfWork: boolean;
  maxBodyLength: number;
  rateLimit: { perIpPerMinute: number; perEmailPerMinute: number };
}

export interface Site {
  id: string;
  name: string;
  allowedOrigins: string[];
  settings: SiteSettings;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Survives the page being closed (pending decisions sent on pagehide). */
  keepalive?: boolean;
}

export class Api {
  /** Called on any 401: the token was revoked or is wrong. */
  onUnauthorized: () => void = () => undefined;

  constructor(readonly token: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, ...extra };
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers = this.headers({ Accept: 'application/json' });
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      keepalive: options.keepalive,
      cache: 'no-store',
      credentials: 'omit',
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      if (res.status === 401) this.onUnauthorized();
      const problem =
        json && typeof json === 'object' ? (json as Problem) : { status: res.status, title: '' };
      throw new ApiError(res.status, problem);
    }
    return json as T;
  }

  counts(siteId: string): Promise<{ counts: Counts }> {
    return this.request('GET', `/v1/moderation/counts${query({ siteId })}`);
  }

  list(params: {
    status: QueueStatus;
    siteId?: string;
    articleId?: string;
    cursor?: string | null;
    limit?: number;
    order?: 'oldest' | 'newest';
  }): Promise<{ items: ModerationItem[]; nextCursor: string | null }> {
    return this.request('GET', `/v1/moderation/comments${query(params)}`);
  }

  item(id: string): Promise<ModerationItem> {
    return this.request('GET', `/v1/moderation/comments/${encodeURIComponent(id)}`);
  }

  decide(id: string, action: Action, reason?: string, keepalive = false): Promise<ModerationItem> {
    return this.request('POST', `/v1/moderation/comments/${encodeURIComponent(id)}/decision`, {
      body: reason ? { action, reason } : { action },
      keepalive,
    });
  }

  /** Features (or unfeatures) an approved comment. */
  feature(id: string, on: boolean): Promise<ModerationItem> {
    const path = `/v1/moderation/comments/${encodeURIComponent(id)}/feature`;
    return on ? this.request('POST', path, { body: {} }) : this.request('DELETE', path);
  }

  decideMany(
    ids: string[],
    action: Action,
    reason?: string,
    keepalive = false,
  ): Promise<{ results: BulkResult[] }> {
    return this.request('POST', '/v1/moderation/decisions', {
      body: reason ? { ids, action, reason } : { ids, action },
      keepalive,
    });
  }

  sites(): Promise<{ items: Site[] }> {
    return this.request('GET', '/v1/admin/sites');
  }

  site(id: string): Promise<Site> {
    return this.request('GET', `/v1/admin/sites/${encodeURIComponent(id)}`);
  }

  putSite(
    id: string,
    body: { name: string; allowedOrigins: string[]; settings: SiteSettings },
  ): Promise<Site> {
    return this.request('PUT', `/v1/admin/sites/${encodeURIComponent(id)}`, { body });
  }
}

/** `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** A short, human message for a failed call. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return 'The server could not be reached.';
    return error.problem.detail || error.problem.title || `The server answered ${error.status}.`;
  }
  return 'The server could not be reached. Check the connection and try again.';
}
