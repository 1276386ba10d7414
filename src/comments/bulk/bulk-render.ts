import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CryptoService } from '../../common/crypto/crypto.service.js';
import type { AppConfig } from '../../config/app.config.js';
import { renderImportedHtml, sanitizeCommentHtml } from '../model/comment-renderer.js';

/** What a bulk row needs computed from its content and author: the costly, keyed part. */
export interface RenderInput {
  /** Avatars are keyed by site and address. */
  siteId: string;
  email: string | null;
  ip: string | null;
  content: { html: string } | { body: string; bodyHtml: string };
}

export interface RenderOutput {
  body: string;
  bodyHtml: string;
  authorAvatar: string | null;
  emailCiphertext: Buffer | null;
  emailKeyId: string | null;
  emailIndex: Buffer | null;
  ipIndex: Buffer | null;
}

/** Authors and addresses whose keyed tags are remembered (then forgotten all at once). */
const TAG_CACHE_SIZE = 50_000;

/**
 * Renders bodies through the allow-list of new comments and computes the author's ciphertext
 * (a fresh IV per comment, as intake does), blind indexes and avatar, remembering the keyed
 * tags of authors and addresses that come back (archives repeat their regular commenters).
 */
export class BulkRenderer {
  private readonly authors = new Map<string, { index: Buffer; avatar: string }>();
  private readonly addresses = new Map<string, Buffer>();

  constructor(private readonly crypto: CryptoService) {}

  render(input: RenderInput): RenderOutput {
    const email = input.email ? this.crypto.encryptEmail(input.email) : null;
    const tags = input.email ? this.authorTags(input.siteId, input.email) : null;
    const content = input.content;
    return {
      ...('html' in content
        ? { body: content.html, bodyHtml: renderImportedHtml(content.html) }
        : { body: content.body, bodyHtml: sanitizeCommentHtml(content.bodyHtml) }),
      authorAvatar: tags?.avatar ?? null,
      emailCiphertext: email?.ciphertext ?? null,
      emailKeyId: email?.keyId ?? null,
      emailIndex: tags?.index ?? null,
      ipIndex: input.ip ? this.addressTag(input.ip) : null,
    };
  }

  /** Forgets the remembered tags (their map keys are email addresses). */
  clear(): void {
    this.authors.clear();
    this.addresses.clear();
  }

  private authorTags(siteId: string, email: string): { index: Buffer; avatar: string } {
    const key = `${siteId}\n${email}`;
    let tags = this.authors.get(key);
    if (!tags) {
      if (this.authors.size >= TAG_CACHE_SIZE) this.authors.clear();
      tags = {
        index: this.crypto.emailIndex(email),
        avatar: this.crypto.avatarTag(siteId, email),
      };
      this.authors.set(key, tags);
    }
    return tags;
  }

  private addressTag(ip: string): Buffer {
    let tag = this.addresses.get(ip);
    if (!tag) {
      if (this.addresses.size >= TAG_CACHE_SIZE) this.addresses.clear();
      tag = this.crypto.ipIndex(ip);
      this.addresses.set(ip, tag);
    }
    return tag;
  }
}

export interface BatchRenderer {
  render(inputs: RenderInput[]): Promise<RenderOutput[]>;
  close(): Promise<void>;
}

/** In this thread (tests run the TypeScript sources, which a worker thread cannot load). */
export function inProcessRenderer(crypto: CryptoService): BatchRenderer {
  const renderer = new BulkRenderer(crypto);
  return {
    render: (inputs) => Promise.resolve(inputs.map((i) => renderer.render(i))),
    close: () => {
      renderer.clear();
      return Promise.resolve();
    },
  };
}

const WORKER_FILE = fileURLToPath(new URL('./bulk-render.worker.js', import.meta.url));

/**
 * On a worker thread, so that sanitising and hashing one batch overlaps with parsing the next
 * and inserting the previous one (a second core). Batches are answered in order.
 */
export function threadRenderer(secrets: AppConfig['secrets']): BatchRenderer | null {
  if (!existsSync(WORKER_FILE)) return null;
  const worker = new Worker(WORKER_FILE, { workerData: { secrets } });
  const waiting = new Map<
    number,
    { resolve: (o: RenderOutput[]) => void; reject: (e: Error) => void }
  >();
  let next = 0;
  let failed: Error | null = null;
  const failAll = (error: Error) => {
    failed = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on(
    'message',
    ({ seq, out, error }: { seq: number; out?: RenderOutput[]; error?: string }) => {
      const w = waiting.get(seq);
      waiting.delete(seq);
      if (!w) return;
      if (error !== undefined) w.reject(new Error(error));
      else w.resolve((out ?? []).map(revive));
    },
  );
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (waiting.size) failAll(new Error(`render worker exited (${code})`));
  });
  worker.unref();
  return {
    render(inputs) {
      if (failed) return Promise.reject(failed);
      const seq = next++;
      return new Promise((resolve, reject) => {
        waiting.set(seq, { resolve, reject });
        worker.postMessage({ seq, inputs });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** Buffers arrive as Uint8Arrays from another thread. */
function revive(o: RenderOutput): RenderOutput {
  const buf = (v: Uint8Array | null) =>
    v ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : null;
  return {
    ...o,
    emailCiphertext: buf(o.emailCiphertext),
    emailIndex: buf(o.emailIndex),
    ipIndex: buf(o.ipIndex),
  };
}
