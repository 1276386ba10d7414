// The steady stream of readers and moderators the chaos scenarios run under, and the ledger
// of every 202 the service gave.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Cluster, ServiceProcess } from './cluster.js';
import { ADMIN_TOKEN } from './cluster.js';

export const SITES = { post: 'chaos-post', pre: 'chaos-pre' } as const;
const ARTICLES = 12;
/** Every reader's address looks like this, so the harness can search for it where it must not be. */
export const EMAIL_LOCAL = 'reader-';
export const EMAIL_DOMAIN = 'chaos-mail.example.org';

export interface Accepted {
  id: string;
  siteId: string;
  articleId: string;
}

export interface PhaseStats {
  sent: number;
  accepted: number;
  clientErrors: number;
  serverErrors: number;
  networkErrors: number;
  decisions: number;
  decisionConflicts: number;
  /** Submissions cut off by a fault, then accepted on their retry (same Idempotency-Key). */
  retriedAccepted: number;
  /** How long the load ran, ms (injections may take longer than the nominal load time). */
  durationMs: number;
}

const emptyStats = (): PhaseStats => ({
  sent: 0,
  accepted: 0,
  clientErrors: 0,
  serverErrors: 0,
  networkErrors: 0,
  decisions: 0,
  decisionConflicts: 0,
  retriedAccepted: 0,
  durationMs: 0,
});

/** How one submission ended, seen from the client. */
export type Outcome = 'accepted' | 'client-error' | 'server-error' | 'network-error';

export const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

export class Load {
  readonly ledger = new Map<string, Accepted>();
  stats = emptyStats();
  private timer: NodeJS.Timeout | undefined;
  private moderatorTimer: NodeJS.Timeout | undefined;
  private inflight = new Set<Promise<unknown>>();
  private next = 0;
  private startedAt = 0;
  private readonly perApi = new Map<string, Set<Promise<Outcome>>>();
  /** Approved comments by article, to reply to. */
  private readonly parents = new Map<string, string[]>();

  constructor(private readonly cluster: Cluster) {}

  private liveApis(): ServiceProcess[] {
    return this.cluster.apis().filter((p) => p.child !== null && !p.draining);
  }

  /** Submissions in flight to one api process right now, each resolving to how it ended. */
  inFlightTo(api: ServiceProcess): Array<Promise<Outcome>> {
    return [...(this.perApi.get(api.name) ?? [])];
  }

  /** Starts `rate` submissions a second and a moderator working the pre-moderated queue. */
  start(rate: number): void {
    this.stats = emptyStats();
    this.startedAt = Date.now();
    const every = 1000 / rate;
    this.timer = setInterval(() => this.track(this.submitOne()), every);
    this.moderatorTimer = setInterval(() => this.track(this.moderate()), 400);
  }

  async stop(): Promise<PhaseStats> {
    clearInterval(this.timer);
    clearInterval(this.moderatorTimer);
    this.stats.durationMs = Date.now() - this.startedAt;
    await Promise.allSettled([...this.inflight]);
    return this.stats;
  }

  private track(p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private pickApi(): ServiceProcess | null {
    const apis = this.liveApis();
    if (!apis.length) return null;
    return apis[this.next++ % apis.length];
  }

  private submitOne(api = this.pickApi()): Promise<Outcome | null> {
    if (!api) return Promise.resolve(null);
    const set = this.perApi.get(api.name) ?? new Set<Promise<Outcome>>();
    this.perApi.set(api.name, set);
    const p = this.submitTo(api);
    set.add(p);
    void p.finally(() => set.delete(p));
    return p;
  }

  /** `n` submissions at once (on top of the steady rate), to one api process or to all. */
  burst(n: number, api?: ServiceProcess): void {
    for (let i = 0; i < n; i++) this.track(this.submitOne(api));
  }

  /** One submission to `api`, outside the steady load: its id (ledgered), or null. */
  async submitDirect(
    api: ServiceProcess,
    siteId: string,
    articleId: string,
  ): Promise<string | null> {
    const n = randomBytes(4).toString('hex');
    const res = await fetch(`${api.url}/v1/sites/${siteId}/articles/${articleId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.250.0.1' },
      body: JSON.stringify({
        name: `Racer ${n}`,
        email: `${EMAIL_LOCAL}${n}@${EMAIL_DOMAIN}`,
        body: `Racing comment ${n}, decided while its jobs run.`,
      }),
      signal: AbortSignal.timeout(15_000),
    }).catch(() => null);
    if (res?.status !== 202) {
      await res?.body?.cancel();
      return null;
    }
    const { id } = (await res.json()) as { id: string };
    this.ledger.set(id, { id, siteId, articleId });
    return id;
  }

  private async submitTo(api: ServiceProcess): Promise<Outcome> {
    const siteId = Math.random() < 0.7 ? SITES.post : SITES.pre;
    const articleId = `a-${Math.floor(Math.random() * ARTICLES)}`;
    const parents = this.parents.get(`${siteId}/${articleId}`) ?? [];
    const parentId =
      parents.length && Math.random() < 0.25
        ? parents[Math.floor(Math.random() * parents.length)]
        : undefined;
    const n = randomBytes(4).toString('hex');
    this.stats.sent++;
    const request = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `10.${n.charCodeAt(0) % 250}.${n.charCodeAt(1) % 250}.${n.charCodeAt(2) % 250}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        name: `Reader ${n}`,
        email: `${EMAIL_LOCAL}${n}@${EMAIL_DOMAIN}`,
        body: `Comment ${n} on the story: the figures in paragraph ${n.length} look right to me.`,
        ...(parentId ? { parentId } : {}),
      }),
    };
    const path = `/v1/sites/${siteId}/articles/${articleId}/comments`;
    try {
      const res = await fetch(`${api.url}${path}`, {
        ...request,
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status === 202) {
        const { id } = (await res.json()) as { id: string };
        this.stats.accepted++;
        this.ledger.set(id, { id, siteId, articleId });
        return 'accepted';
      }
      await res.body?.cancel();
      if (res.status >= 500) {
        this.stats.serverErrors++;
        return 'server-error';
      }
      this.stats.clientErrors++;
      return 'client-error';
    } catch {
      this.stats.networkErrors++;
      // As the widget does: the same request, with the same Idempotency-Key, a moment later.
      this.track(this.retry(path, request, siteId, articleId));
      return 'network-error';
    }
  }

  private async retry(
    path: string,
    request: RequestInit,
    siteId: string,
    articleId: string,
  ): Promise<void> {
    await new Promise((r) => setTimeout(r, 1000));
    const api = this.pickApi();
    if (!api) return;
    const res = await fetch(`${api.url}${path}`, {
      ...request,
      signal: AbortSignal.timeout(15_000),
    }).catch(() => null);
    if (res?.status !== 202) {
      await res?.body?.cancel();
      return;
    }
    const { id } = (await res.json()) as { id: string };
    this.stats.retriedAccepted++;
    this.ledger.set(id, { id, siteId, articleId });
  }

  /** A moderator: approves or rejects what is held on the pre-moderated site, oldest first. */
  private async moderate(): Promise<void> {
    const api = this.pickApi();
    if (!api) return;
    try {
      const res = await fetch(
        `${api.url}/v1/moderation/comments?siteId=${SITES.pre}&status=held&limit=10`,
        { headers: auth, signal: AbortSignal.timeout(10_000) },
      );
      if (!res.ok) return;
      const { items } = (await res.json()) as { items: Array<{ id: string; articleId: string }> };
      for (const item of items) {
        const action = Math.random() < 0.8 ? 'approve' : 'reject';
        const decided = await this.decide(api, item.id, action);
        if (decided === 'approved') this.rememberParent(SITES.pre, item.articleId, item.id);
      }
    } catch {
      // the api may be down in this scenario
    }
  }

  async decide(api: ServiceProcess, id: string, action: string): Promise<string | null> {
    const res = await fetch(`${api.url}/v1/moderation/comments/${id}/decision`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ action, reason: 'chaos' }),
      signal: AbortSignal.timeout(10_000),
    });
    this.stats.decisions++;
    if (res.status === 409) this.stats.decisionConflicts++;
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    return ((await res.json()) as { status: string }).status;
  }

  rememberParent(siteId: string, articleId: string, id: string): void {
    const key = `${siteId}/${articleId}`;
    const list = this.parents.get(key) ?? [];
    list.push(id);
    this.parents.set(key, list.slice(-50));
  }

  /** Learns which post-moderated comments were published, to reply to them. */
  async refreshParents(): Promise<void> {
    const api = this.pickApi();
    if (!api) return;
    for (let a = 0; a < ARTICLES; a++) {
      const res = await fetch(
        `${api.url}/v1/sites/${SITES.post}/articles/a-${a}/comments?limit=50&sort=newest`,
      ).catch(() => null);
      if (!res?.ok) continue;
      const page = (await res.json()) as {
        comments: Array<{ id: string; deleted?: boolean; depth: number }>;
      };
      for (const c of page.comments) {
        if (!c.deleted && c.depth < 4) this.rememberParent(SITES.post, `a-${a}`, c.id);
      }
    }
  }
}
