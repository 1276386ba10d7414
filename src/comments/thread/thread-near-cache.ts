/** The pages of one article that this process holds, all of one cache generation. */
interface ArticlePages {
  generation: string;
  /** When the generation was last read from Redis (ms since the epoch). */
  checkedAt: number;
  pages: Map<string, Buffer>;
  bytes: number;
}

export interface NearCacheOptions {
  /** How long a generation read from Redis is believed without asking again. */
  ttlMs: number;
  /** The most page bytes held in memory; the least recently read articles go first. */
  maxBytes: number;
}

/**
 * The in-process layer of the published-thread cache: recent pages as ready-to-send bytes,
 * so that a hot thread is answered without a Redis round trip (and without turning 50 KB of
 * JSON into UTF-8 on every read). It only ever holds what Redis said is current: a generation
 * is believed for `ttlMs` at most, and `drop` (on an invalidation message) or `clear` (when the
 * invalidation channel may have missed messages) forget it sooner. `version` lets a caller
 * that asked Redis refuse to store an answer that an invalidation overtook.
 */
export class ThreadNearCache {
  private readonly articles = new Map<string, ArticlePages>();
  private bytes = 0;
  private changes = 0;

  constructor(private readonly options: NearCacheOptions) {}

  /** Bumped by every drop and clear. */
  get version(): number {
    return this.changes;
  }

  get size(): { articles: number; bytes: number } {
    return { articles: this.articles.size, bytes: this.bytes };
  }

  /** The believed generation and, if held, the page; null when Redis must be asked. */
  get(
    article: string,
    variant: string,
    now = Date.now(),
  ): { generation: string; page: Buffer | null } | null {
    const entry = this.articles.get(article);
    if (!entry) return null;
    if (now - entry.checkedAt >= this.options.ttlMs) {
      this.remove(article, entry);
      return null;
    }
    // Most recently read last, so eviction takes the coldest first.
    this.articles.delete(article);
    this.articles.set(article, entry);
    return { generation: entry.generation, page: entry.pages.get(variant) ?? null };
  }

  /**
   * What Redis answered, asked when `version` was `askedAt`: the generation and, if Redis had
   * it, the page. Ignored if an invalidation came in meanwhile.
   */
  remember(
    article: string,
    generation: string,
    variant: string,
    page: Buffer | null,
    askedAt: number,
    now = Date.now(),
  ): void {
    if (askedAt !== this.changes) return;
    let entry = this.articles.get(article);
    if (entry && entry.generation !== generation) {
      this.remove(article, entry);
      entry = undefined;
    }
    if (!entry) {
      entry = { generation, checkedAt: now, pages: new Map(), bytes: 0 };
      this.articles.set(article, entry);
    }
    entry.checkedAt = now;
    if (page) this.addPage(entry, variant, page);
    this.evict();
  }

  /** A page this process rendered under `generation`: kept if that is still the one held. */
  add(article: string, generation: string, variant: string, page: Buffer): void {
    const entry = this.articles.get(article);
    if (!entry || entry.generation !== generation) return;
    this.addPage(entry, variant, page);
    this.evict();
  }

  /** The article's thread changed. */
  drop(article: string): void {
    this.changes++;
    const entry = this.articles.get(article);
    if (entry) this.remove(article, entry);
  }

  /** Invalidations may have been missed: forget everything. */
  clear(): void {
    this.changes++;
    this.articles.clear();
    this.bytes = 0;
  }

  private addPage(entry: ArticlePages, variant: string, page: Buffer): void {
    const old = entry.pages.get(variant);
    if (old) {
      entry.bytes -= old.length;
      this.bytes -= old.length;
    }
    entry.pages.set(variant, page);
    entry.bytes += page.length;
    this.bytes += page.length;
  }

  private remove(article: string, entry: ArticlePages): void {
    this.articles.delete(article);
    this.bytes -= entry.bytes;
  }

  private evict(): void {
    for (const [article, entry] of this.articles) {
      if (this.bytes <= this.options.maxBytes) return;
      this.remove(article, entry);
    }
  }
}
