import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import {
  CommentsBulkService,
  type ImportSession,
  type KnownComment,
} from '../comments/bulk/comments-bulk.service.js';
import { ARTICLE_ID_PATTERN } from '../common/http/identifiers.js';
import { SitesService } from '../sites/sites.service.js';
import { articleIdFromUrl, mappedArticleId } from './article-id.js';
import { parseDisqus } from './parsers/disqus.parser.js';
import { parseJsonl } from './parsers/jsonl.parser.js';
import type {
  ImportFormat,
  ImportInput,
  SourceComment,
  SourceItem,
} from './parsers/source-record.js';
import { parseWxr } from './parsers/wxr.parser.js';

/** Records resolved per round trip (source look-ups, then one multi-row insert). */
const BATCH = 2000;
/** Replies deeper than this are attached at this depth (paths stay indexable). */
export const MAX_IMPORT_DEPTH = 50;
const SOURCE_NAMES: Record<ImportFormat, string> = {
  wxr: 'WordPress',
  disqus: 'Disqus',
  jsonl: 'a JSONL export',
};

export interface ImportOptions {
  siteId: string;
  format: ImportFormat;
  input: ImportInput;
  /** Article URL → article id (`--map`). */
  map?: ReadonlyMap<string, string>;
  /** Who runs it, for the audit entry (`cli`, `token:<id>`). */
  actor: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Milliseconds between progress reports (default 500). */
  progressEveryMs?: number;
}

export interface ImportSummary {
  imported: number;
  skipped: number;
  duplicates: number;
  errors: Array<{ line?: number; message: string }>;
}

export interface ImportProgress {
  read: number;
  imported: number;
  skipped: number;
  duplicates: number;
  errors: number;
  elapsedMs: number;
  ratePerSecond: number;
}

interface Placed extends SourceComment {
  articleId: string;
  assignedId: string;
  assignedOrigin: { format: string; id: string } | null;
}

const PARSERS: Record<ImportFormat, (input: ImportInput) => AsyncGenerator<SourceItem>> = {
  wxr: parseWxr,
  disqus: parseDisqus,
  jsonl: parseJsonl,
};

/**
 * Imports a WordPress, Disqus or JSONL export into a site in one transaction: a file that
 * cannot be parsed imports nothing; a bad record is skipped and reported. Comments already
 * imported (by their origin, or for JSONL their id) count as duplicates; replies whose parent
 * is nowhere to be found are reported as orphans.
 */
@Injectable()
export class ImporterService {
  constructor(
    private readonly bulk: CommentsBulkService,
    private readonly sites: SitesService,
  ) {}

  async run(options: ImportOptions): Promise<ImportSummary> {
    await this.sites.get(options.siteId);
    const started = Date.now();
    const summary: ImportSummary = { imported: 0, skipped: 0, duplicates: 0, errors: [] };
    let read = 0;
    let lastReport = 0;
    const report = (force = false) => {
      const now = Date.now();
      if (!options.onProgress || (!force && now - lastReport < (options.progressEveryMs ?? 500))) {
        return;
      }
      lastReport = now;
      const elapsedMs = now - started;
      options.onProgress({
        read,
        imported: summary.imported,
        skipped: summary.skipped,
        duplicates: summary.duplicates,
        errors: summary.errors.length,
        elapsedMs,
        ratePerSecond: elapsedMs > 0 ? Math.round((summary.imported * 1000) / elapsedMs) : 0,
      });
    };
    const fail = (line: number | undefined, message: string) => {
      summary.skipped++;
      summary.errors.push(line === undefined ? { message } : { line, message });
    };

    await this.bulk.importSession(options.siteId, async (session) => {
      const run = new ImportRun(options, session, summary, fail);
      let batch: Placed[] = [];
      for await (const item of PARSERS[options.format](options.input)) {
        read++;
        if (item.kind === 'skip') summary.skipped++;
        else if (item.kind === 'error') fail(item.line, item.message);
        else {
          const placed = run.resolveArticle(item.comment);
          if (placed) batch.push(placed);
        }
        if (batch.length >= BATCH) {
          await run.flush(batch);
          batch = [];
          report();
        }
      }
      await run.flush(batch);
      await run.finish();
      await session.audit({
        actor: options.actor,
        action: 'import.completed',
        targetType: 'site',
        targetId: options.siteId,
        siteId: options.siteId,
        details: {
          format: options.format,
          imported: summary.imported,
          skipped: summary.skipped,
          duplicates: summary.duplicates,
          errors: summary.errors.length,
        },
      });
    });
    report(true);
    return summary;
  }
}

/** The state of one import: what is stored by reference, and replies waiting for a parent. */
class ImportRun {
  private readonly known = new Map<string, KnownComment>();
  /** Comments at MAX_IMPORT_DEPTH → their parent (deeper replies attach there). */
  private readonly capped = new Map<string, KnownComment>();
  private readonly waiting = new Map<string, Placed[]>();
  private readonly usedIds = new Set<string>();
  /** Origins met in this run (the same record twice in a file is a duplicate). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly options: ImportOptions,
    private readonly session: ImportSession,
    private readonly summary: ImportSummary,
    private readonly fail: (line: number | undefined, message: string) => void,
  ) {}

  resolveArticle(c: SourceComment): Placed | null {
    const url = c.articleUrl;
    const fallback =
      c.fallbackArticleId && ARTICLE_ID_PATTERN.test(c.fallbackArticleId)
        ? c.fallbackArticleId
        : null;
    const articleId =
      c.articleId ??
      (url && this.options.map ? mappedArticleId(this.options.map, url) : null) ??
      (url ? articleIdFromUrl(url) : null) ??
      fallback;
    if (!articleId) {
      this.fail(c.line, `no article id for "${url ?? ''}": add the URL to --map`);
      return null;
    }
    return { ...c, articleId, assignedId: '', assignedOrigin: c.origin };
  }

  async flush(batch: Placed[]): Promise<void> {
    if (batch.length === 0) return;
    const existing = await this.session.known(batch.flatMap((c) => (c.origin ? [c.origin] : [])));
    const jsonl = this.options.format === 'jsonl';
    const own = jsonl
      ? await this.session.own(batch.map((c) => c.id!))
      : new Map<string, KnownComment>();
    const renamed = jsonl
      ? await this.session.known(batch.map((c) => ({ format: 'jsonl', id: c.id! })))
      : new Map<string, KnownComment>();
    const fresh: Placed[] = [];
    for (const c of batch) {
      const key = c.origin
        ? `${c.origin.format}\u0000${c.origin.id}`
        : c.id
          ? `id\u0000${c.id}`
          : null;
      const found =
        (key && existing.get(key)) ??
        own.get(c.id ?? '') ??
        renamed.get(`jsonl\u0000${c.id ?? ''}`);
      if (key && !found && this.seen.has(key)) {
        this.summary.duplicates++;
        continue;
      }
      if (key) this.seen.add(key);
      if (found) {
        this.summary.duplicates++;
        this.known.set(c.ref, found);
        this.release(c.ref);
      } else {
        fresh.push(c);
      }
    }
    // A JSONL comment keeps its id where no comment has it; else it gets a new one and
    // remembers the old as its origin.
    const taken = jsonl ? await this.session.taken(fresh.map((c) => c.id!)) : new Set<string>();
    for (const c of fresh) {
      if (jsonl && !taken.has(c.id!) && !this.usedIds.has(c.id!)) {
        c.assignedId = c.id!;
      } else {
        c.assignedId = randomUUID();
        if (jsonl && !c.assignedOrigin) c.assignedOrigin = { format: 'jsonl', id: c.id! };
      }
      this.usedIds.add(c.assignedId);
      if (!c.parentRef) this.place(c, null);
      else if (this.known.has(c.parentRef)) this.place(c, this.known.get(c.parentRef)!);
      else this.wait(c);
    }
    this.summary.imported += await this.session.flush();
  }

  /** Replies whose parents never came: looked up among earlier imports, else orphans. */
  async finish(): Promise<void> {
    if (this.waiting.size > 0) {
      const refs = [...this.waiting.keys()];
      const format = this.options.format;
      const found = await this.session.known(refs.map((id) => ({ format, id })));
      const own =
        format === 'jsonl'
          ? await this.session.own(refs.filter((r) => /^[0-9a-f-]{36}$/i.test(r)))
          : new Map<string, KnownComment>();
      for (const ref of refs) {
        const parent = found.get(`${format}\u0000${ref}`) ?? own.get(ref);
        if (parent) {
          this.known.set(ref, parent);
          this.release(ref);
        }
      }
      this.summary.imported += await this.session.flush();
    }
    for (const [ref, children] of this.waiting) {
      for (const child of children) this.orphan(child, `its parent ${ref} is not in the file`);
    }
    this.waiting.clear();
  }

  private orphan(c: Placed, why: string): void {
    this.fail(c.line, `orphan: comment ${c.ref} skipped, ${why}`);
    const children = this.waiting.get(c.ref);
    this.waiting.delete(c.ref);
    for (const child of children ?? []) this.orphan(child, `its parent ${c.ref} was skipped`);
  }

  private wait(c: Placed): void {
    const list = this.waiting.get(c.parentRef!);
    if (list) list.push(c);
    else this.waiting.set(c.parentRef!, [c]);
  }

  private release(ref: string): void {
    const children = this.waiting.get(ref);
    if (!children) return;
    this.waiting.delete(ref);
    const parent = this.known.get(ref)!;
    for (const child of children) this.place(child, parent);
  }

  private place(c: Placed, parent: KnownComment | null): void {
    if (parent && parent.articleId !== c.articleId) {
      this.orphan(c, `its parent ${c.parentRef} is under another article`);
      return;
    }
    const attachTo =
      parent && parent.depth >= MAX_IMPORT_DEPTH ? this.capped.get(parent.id) : parent;
    if (parent && !attachTo) {
      this.orphan(c, `its parent ${c.parentRef} is deeper than ${MAX_IMPORT_DEPTH} levels`);
      return;
    }
    const stored = this.session.prepare({
      id: c.assignedId,
      articleId: c.articleId,
      parent: attachTo ?? null,
      origin: c.assignedOrigin,
      createdAt: c.createdAt,
      authorName: cleanName(c.authorName),
      email: cleanEmail(c.email),
      website: cleanWebsite(c.website),
      ip: cleanIp(c.ip),
      content: c.content,
      status: c.status,
      publishedAt: c.publishedAt,
      deletedAt: c.deletedAt,
      featuredAt: c.featuredAt,
      spamScore: c.spamScore,
      spamReasons: c.spamReasons,
      moderationReasons: c.moderationReasons ?? [
        { code: 'import', message: `Imported from ${SOURCE_NAMES[this.options.format]}` },
      ],
    });
    if (stored.depth >= MAX_IMPORT_DEPTH && attachTo) this.capped.set(stored.id, attachTo);
    this.known.set(c.ref, stored);
    this.release(c.ref);
  }
}

/** Trimmed, without control characters, at most 100 characters; "Anonymous" when empty. */
function cleanName(name: string | null): string | null {
  if (name === null) return null;
  const clean = name
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return clean || 'Anonymous';
}

function cleanEmail(email: string | null): string | null {
  const clean = email?.replace(/\s+/g, '') ?? '';
  return clean.includes('@') && clean.length <= 254 ? clean : null;
}

/** http(s) URLs only, as on the form. */
function cleanWebsite(website: string | null): string | null {
  const clean = website?.trim() ?? '';
  if (!clean || clean.length > 2048) return null;
  try {
    const url = new URL(clean);
    return url.protocol === 'http:' || url.protocol === 'https:' ? clean : null;
  } catch {
    return null;
  }
}

/** A valid address (IPv4-mapped IPv6 as IPv4, so bans by IPv4 match), or null. */
function cleanIp(ip: string | null): string | null {
  let clean = ip?.trim() ?? '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(clean);
  if (mapped) clean = mapped[1];
  return isIP(clean) ? clean : null;
}
