/** The parts of the public API (docs/api.md) the widget uses. */

export interface PublicAuthor {
  name: string;
  website: string | null;
  avatar: string | null;
}

export interface PublicComment {
  id: string;
  parentId: string | null;
  depth: number;
  author: PublicAuthor | null;
  bodyHtml: string;
  createdAt: string;
  publishedAt: string | null;
  deleted?: boolean;
  /** Present on stream events, which carry where the comment lives. */
  articleId?: string;
  /** Featured by a moderator (thread pages). */
  featured?: boolean;
  /** Readers' likes (thread pages). */
  likes?: number;
}

export interface ThreadPage {
  count: number;
  /** The article takes no new comments. */
  closed?: boolean;
  nextCursor: string | null;
  comments: PublicComment[];
}

export interface SubmitResult {
  id: string;
  status: string;
  receipt: string;
}

export type OwnStatus = 'pending' | 'awaiting_moderation' | 'published' | 'rejected';

/** The author's view of their own comment (`GET /v1/comments/{id}?receipt=`). */
export interface ReceiptView {
  id: string;
  status: OwnStatus;
  editableUntil?: string;
  decision?: { reasonCode: string; explanation: string; decidedAt: string; automated: boolean };
  appeal?: { until: string; status: 'open' | 'upheld' | 'reversed' | null } | null;
}

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

/** A non-2xx answer (status 0: the request never got one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    /** Seconds from a Retry-After header, when the browser may read it. */
    readonly retryAfter: number | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

export type Sort = 'oldest' | 'newest' | 'top';

export class Api {
  private readonly thread: string;

  constructor(
    readonly origin: string,
    readonly site: string,
    readonly article: string,
  ) {
    this.thread = `${origin}/v1/sites/${encodeURIComponent(site)}/articles/${encodeURIComponent(article)}/comments`;
  }

  get streamUrl(): string {
    return `${this.thread}/stream`;
  }

  page(limit: number, sort: Sort, cursor: string | null, featured = false): Promise<ThreadPage> {
    const query = new URLSearchParams({ limit: String(limit), sort });
    if (cursor) query.set('cursor', cursor);
    if (featured) query.set('featured', 'true');
    // Always revalidated (a 304 by ETag when nothing changed): the response's
    // stale-while-revalidate, meant for CDNs, would let the browser show a thread up to 30 s old
    // to the reader who just posted, edited or deleted in it.
    return this.request<ThreadPage>(`${this.thread}?${query.toString()}`, { cache: 'no-cache' });
  }

  submit(body: string, idempotencyKey: string): Promise<SubmitResult> {
    return this.request<SubmitResult>(this.thread, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    });
  }

  ownStatus(id: string, receipt: string): Promise<ReceiptView> {
    const query = new URLSearchParams({ receipt });
    return this.request(`${this.origin}/v1/comments/${encodeURIComponent(id)}?${query.toString()}`);
  }

  /**
   * The reader's identity token (SSO), sent with likes and reports so the service counts the
   * reader by the token's `sub` rather than by client address. Set by the widget's setIdentity.
   */
  identity: string | null = null;

  /** Likes (or takes back the like of) a published comment; answers its likes now. */
  react(id: string, on: boolean): Promise<{ likes: number }> {
    const url = `${this.origin}/v1/comments/${encodeURIComponent(id)}/reactions`;
    const identity = this.identity;
    if (on) {
      return this.request(url, {
        method: 'POST',
        body: JSON.stringify(identity ? { type: 'like', identity } : { type: 'like' }),
        headers: { 'content-type': 'application/json' },
      });
    }
    return identity
      ? this.request(url, {
          method: 'DELETE',
          body: JSON.stringify({ identity }),
          headers: { 'content-type': 'application/json' },
        })
      : this.request(url, { method: 'DELETE' });
  }

  /** Trust and safety: a reader's report of a published comment. */
  flag(id: string, reason: string, detail?: string): Promise<{ id: string }> {
    const identity = this.identity;
    return this.request(`${this.origin}/v1/comments/${encodeURIComponent(id)}/flags`, {
      method: 'POST',
      body: JSON.stringify({
        reason,
        ...(detail ? { detail } : {}),
        ...(identity ? { identity } : {}),
      }),
      headers: { 'content-type': 'application/json' },
    });
  }

  /** The author's edit, by receipt. */
  editOwn(id: string, receipt: string, body: string): Promise<ReceiptView> {
    return this.request(`${this.origin}/v1/comments/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: JSON.stringify({ receipt, body }),
      headers: { 'content-type': 'application/json' },
    });
  }

  /** The author asks for a review of the decision on their comment. */
  appeal(id: string, receipt: string, message: string): Promise<{ id: string }> {
    return this.request(`${this.origin}/v1/comments/${encodeURIComponent(id)}/appeal`, {
      method: 'POST',
      body: JSON.stringify({ receipt, message }),
      headers: { 'content-type': 'application/json' },
    });
  }

  /** The author's delete, by receipt. */
  deleteOwn(id: string, receipt: string): Promise<void> {
    const query = new URLSearchParams({ receipt });
    return this.request(
      `${this.origin}/v1/comments/${encodeURIComponent(id)}?${query.toString()}`,
      { method: 'DELETE' },
    );
  }

  challenge(): Promise<unknown> {
    return this.request(`${this.origin}/v1/challenge`, { cache: 'no-store' });
  }

  private async request<T>(url: string, init: RequestInit = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        credentials: 'omit',
        headers: { accept: 'application/json', ...(init.headers as Record<string, string>) },
      });
    } catch {
      throw new ApiError(0, null, null);
    }
    const type = response.headers.get('content-type') ?? '';
    const json: unknown = type.includes('json') ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const retry = Number(response.headers.get('retry-after'));
      throw new ApiError(
        response.status,
        (json as Problem | null) ?? null,
        Number.isFinite(retry) && retry > 0 ? Math.ceil(retry) : null,
      );
    }
    return json as T;
  }
}
