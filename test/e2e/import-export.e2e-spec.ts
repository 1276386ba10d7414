import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { CryptoService } from '../../src/common/crypto/crypto.service.js';
import { ExporterService } from '../../src/imports/exporter.service.js';
import { ImporterService, type ImportSummary } from '../../src/imports/importer.service.js';
import { ImportParseError, type ImportFormat } from '../../src/imports/parsers/source-record.js';
import { makeComment } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { wxrFile } from '../utils/import-files.js';
import { ROOT } from '../utils/service-process.js';
import { createTestApp, waitFor, type TestApp } from '../utils/test-app.js';

/** Isso's public fixtures (MIT; attribution in test/fixtures/import/README.md). */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'import');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function importText(
  t: TestApp,
  siteId: string,
  format: ImportFormat,
  text: string,
  map?: Map<string, string>,
): Promise<ImportSummary> {
  // Small chunks: records and CDATA sections cross chunk boundaries.
  const chunks = text.match(/[\s\S]{1,997}/g) ?? [];
  return t.app
    .get(ImporterService)
    .run({ siteId, format, input: Readable.from(chunks), actor: 'test', map });
}

async function exportText(t: TestApp, siteId: string, format: 'jsonl' | 'wxr'): Promise<string> {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(Buffer.from(chunk));
      cb();
    },
  });
  await t.app.get(ExporterService).run(siteId, format, out);
  return Buffer.concat(parts).toString('utf8');
}

describe('import and export', () => {
  let t: TestApp;
  let db: DataSource;
  let crypto: CryptoService;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    crypto = t.app.get(CryptoService);
  });
  afterAll(() => t.close());

  async function newSite(): Promise<string> {
    const siteId = `imp-${Math.random().toString(36).slice(2, 10)}`;
    expect((await putSite(t, siteId, { name: siteId })).status).toBe(201);
    return siteId;
  }

  it('imports the WordPress fixture: threads, dates, authors, hashed addresses, no events; a re-run adds nothing', async () => {
    const siteId = await newSite();
    const outboxBefore = (await db.query(`SELECT count(*)::int AS n FROM outbox_events`))[0].n;
    const summary = await importText(t, siteId, 'wxr', fixture('isso-wordpress.xml'));
    expect(summary).toEqual({ imported: 8, skipped: 0, duplicates: 0, errors: [] });

    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT article_id, depth, status, author_name, author_website, email_ciphertext,
              email_key_id, email_index, ip_index, author_avatar, body_html, created_at, path,
              root_key, published_at
       FROM comments WHERE site_id = $1 ORDER BY article_id, path`,
      [siteId],
    );
    expect(rows.map((r) => r.article_id)).toEqual([
      'p-4',
      ...Array.from({ length: 7 }, () => 'test'),
    ]);
    // The reply chain three deep, in thread order.
    expect(rows.filter((r) => r.article_id === 'test').map((r) => r.depth)).toEqual([
      0, 0, 1, 2, 2, 0, 0,
    ]);
    const first = rows[1];
    expect(first.author_name).toBe('Ohai');
    expect(first.author_website).toBe('http://example.tld/');
    expect((first.created_at as Date).toISOString()).toBe('2014-01-14T17:32:12.000Z');
    expect(first.published_at).toEqual(first.created_at);
    // Whitespace and a newline inside the address: trimmed, then encrypted and indexed.
    expect(
      crypto.decryptEmail(first.email_ciphertext as Buffer, first.email_key_id as string),
    ).toBe('test@example.org');
    expect((first.email_index as Buffer).equals(crypto.emailIndex('test@example.org'))).toBe(true);
    expect(first.author_avatar).toBe(crypto.avatarTag(siteId, 'test@example.org'));
    // IPv4-mapped IPv6 is hashed as the IPv4 address; the address itself is nowhere.
    expect((first.ip_index as Buffer).equals(crypto.ipIndex('82.119.20.0'))).toBe(true);
    expect(first.body_html).toBe('<p>Erster!1</p>');
    expect(rows.every((r) => r.path && (r.path as string).startsWith(r.root_key as string))).toBe(
      true,
    );
    const multiline = rows.find((r) => (r.body_html as string).includes('multiple lines'));
    expect(multiline?.body_html).toContain('<br />');

    // Published: the thread, its count and the counts endpoint say so at once.
    const page = await thread(t, 'test', '', siteId);
    expect(page.status).toBe(200);
    expect(page.body.count).toBe(7);
    expect(page.body.comments).toHaveLength(7);
    const counts = await t.http.get(`/v1/sites/${siteId}/counts?articles=test,p-4`);
    expect(counts.body.counts).toEqual({ test: 7, 'p-4': 1 });

    // No per-comment events; one audit entry.
    const outboxAfter = (await db.query(`SELECT count(*)::int AS n FROM outbox_events`))[0].n;
    expect(outboxAfter).toBe(outboxBefore);
    const audit = await db.query(
      `SELECT actor, details FROM audit_log WHERE action = 'import.completed' AND site_id = $1`,
      [siteId],
    );
    expect(audit).toEqual([
      {
        actor: 'test',
        details: { format: 'wxr', imported: 8, skipped: 0, duplicates: 0, errors: 0 },
      },
    ]);

    // Idempotent: the same file again adds nothing and says so.
    const again = await importText(t, siteId, 'wxr', fixture('isso-wordpress.xml'));
    expect(again).toEqual({ imported: 0, skipped: 0, duplicates: 8, errors: [] });
    expect((await thread(t, 'test', '', siteId)).body.count).toBe(7);
  });

  it('imports the Disqus fixture and reports the orphan; --map chooses article ids', async () => {
    const siteId = await newSite();
    const summary = await importText(t, siteId, 'disqus', fixture('isso-disqus.xml'));
    expect(summary.imported).toBe(2);
    expect(summary.skipped).toBe(1);
    expect(summary.errors).toEqual([
      { line: 66, message: expect.stringContaining('orphan') as string },
    ]);
    // The root URL has no path segment: the thread's own identifier names the article.
    const page = await thread(t, 'some-id', '', siteId);
    expect(
      page.body.comments.map((c: { depth: number; author: { name: string } }) => [
        c.depth,
        c.author.name,
      ]),
    ).toEqual([
      [0, 'peter'],
      [1, 'user'],
    ]);

    const mapped = await newSite();
    const map = new Map([['http://example.org/', 'front-page']]);
    const viaMap = await importText(t, mapped, 'disqus', fixture('isso-disqus.xml'), map);
    expect(viaMap.imported).toBe(2);
    expect((await thread(t, 'front-page', '', mapped)).body.count).toBe(2);
  });

  it('imports a generated archive: thousands of comments, deep threads, every status, pingbacks skipped, HTML sanitised', async () => {
    const siteId = await newSite();
    const { xml, expected } = wxrFile({
      articles: 30,
      commentsPerArticle: 100,
      replyEvery: 2,
      pings: true,
    });
    // One bad record (a held one: nothing replies to it) in a good file: skipped and listed.
    const bad = xml.replace(
      '<wp:comment_approved>0</wp:comment_approved>',
      '<wp:comment_approved>maybe</wp:comment_approved>',
    );
    const summary = await importText(t, siteId, 'wxr', bad);
    expect(summary.imported).toBe(expected.comments - 1);
    expect(summary.duplicates).toBe(0);
    expect(summary.skipped).toBe(expected.pings + 1);
    expect(summary.errors).toEqual([
      { line: expect.any(Number) as number, message: 'unknown comment_approved "maybe"' },
    ]);

    const byStatus: Array<{ status: string; n: number }> = await db.query(
      `SELECT status, count(*)::int AS n FROM comments WHERE site_id = $1 GROUP BY status`,
      [siteId],
    );
    const counted = Object.fromEntries(byStatus.map((r) => [r.status, r.n]));
    const wanted = { ...expected.byStatus };
    expect(counted.held + counted.approved + counted.spam + counted.deleted).toBe(
      expected.comments - 1,
    );
    expect(counted.held).toBe(wanted.held - 1);
    expect(counted.approved).toBe(wanted.approved);
    expect(counted.spam).toBe(wanted.spam);
    expect(counted.deleted).toBe(wanted.deleted);
    const [{ depth }] = await db.query(
      `SELECT max(depth)::int AS depth FROM comments WHERE site_id = $1`,
      [siteId],
    );
    expect(depth).toBe(expected.maxDepth);
    expect(depth).toBeGreaterThan(10);

    // Bodies: the same allow-list as new comments; Unicode intact.
    const html: Array<{ body_html: string }> = await db.query(
      `SELECT body_html FROM comments WHERE site_id = $1`,
      [siteId],
    );
    const all = html.map((r) => r.body_html).join('\n');
    expect(all).not.toMatch(/<script|onerror|javascript:|<img/i);
    expect(all).toContain('<strong>bold</strong>');
    expect(all).toContain('日本語のコメント 😀');
    expect(all).toContain('rel="nofollow ugc noopener noreferrer"');

    // Counts match the approved comments of each article.
    const mismatched = await db.query(
      `SELECT a.article_id FROM articles a
       WHERE a.site_id = $1 AND a.approved_count <> (SELECT count(*) FROM comments c
         WHERE c.site_id = a.site_id AND c.article_id = a.article_id AND c.status = 'approved')`,
      [siteId],
    );
    expect(mismatched).toEqual([]);

    // Trusted-author history: an imported approved author is known to the moderation rules.
    const author = await t.http
      .get(`/v1/moderation/comments?siteId=${siteId}&status=held&limit=1`)
      .set(auth());
    expect(author.status).toBe(200);
    expect(author.body.items[0].authorHistory.total).toBeGreaterThan(1);
  });

  it('a file that cannot be parsed fails with its line and imports nothing', async () => {
    const siteId = await newSite();
    const { xml } = wxrFile({ articles: 5, commentsPerArticle: 900 });
    const lines = xml.split('\n');
    const broken = [...lines.slice(0, 4000), '<wp:comment_id>oops</wp:oops>', ...lines.slice(4000)];
    await expect(importText(t, siteId, 'wxr', broken.join('\n'))).rejects.toMatchObject({
      name: 'ImportParseError',
      line: 4001,
    });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM comments WHERE site_id = $1`, [
      siteId,
    ]);
    expect(n).toBe(0);
    const [{ a }] = await db.query(`SELECT count(*)::int AS a FROM articles WHERE site_id = $1`, [
      siteId,
    ]);
    expect(a).toBe(0);
    await expect(importText(t, siteId, 'jsonl', '{"id":1}\nnot json\n')).rejects.toBeInstanceOf(
      ImportParseError,
    );
  });

  it('JSONL round trip: an export imports into another site and exports again byte for byte', async () => {
    const published = async (id: string) => {
      const seen = await waitForStatus(t, id, ['approved', 'held']);
      if (seen.status === 'held') {
        await t.http
          .post(`/v1/moderation/comments/${id}/decision`)
          .set(auth())
          .send({ action: 'approve' });
      }
      await waitForStatus(t, id, ['approved']);
    };
    const siteA = await newSite();
    await putSite(t, siteA, { name: siteA, settings: { moderation: { mode: 'post' } } });
    // Comments written by this service (rendered Markdown, moderated), and imported ones.
    const root = await submit(
      t,
      'native',
      makeComment({ body: 'Hello *world*, see https://example.org/x?a=1&b=2' }),
      { siteId: siteA },
    );
    expect(root.status).toBe(202);
    await published(root.body.id);
    const reply = await submit(
      t,
      'native',
      makeComment({ body: '> quoted\n\nÜnïcødé reply 😀 <b>not html</b>', parentId: root.body.id }),
      { siteId: siteA },
    );
    await published(reply.body.id);
    // An editor's pick travels with it.
    const featured = await t.http
      .post(`/v1/moderation/comments/${root.body.id}/feature`)
      .set(auth())
      .send({});
    expect(featured.status).toBe(200);
    const rejected = await submit(
      t,
      'native',
      makeComment({ website: 'https://reader.example/' }),
      {
        siteId: siteA,
      },
    );
    await published(rejected.body.id);
    const decided = await t.http
      .post(`/v1/moderation/comments/${rejected.body.id}/decision`)
      .set(auth())
      .send({ action: 'reject', reason: 'off topic' });
    expect(decided.status).toBe(200);
    await importText(
      t,
      siteA,
      'wxr',
      wxrFile({ articles: 3, commentsPerArticle: 40, pings: true }).xml,
    );
    await importText(t, siteA, 'wxr', fixture('isso-wordpress.xml'));

    const exportA = await exportText(t, siteA, 'jsonl');
    const linesA = exportA.trimEnd().split('\n');
    expect(linesA.length).toBe(3 + 120 + 8);
    const first = JSON.parse(linesA.find((l) => l.includes(root.body.id))!);
    expect(first.author.email).toMatch(/@example\.org$/);
    expect(first.featuredAt).toEqual(expect.any(String));

    // Into another site of this installation: ids are taken, so new ones; everything else equal.
    const siteB = await newSite();
    const summary = await importText(t, siteB, 'jsonl', exportA);
    expect(summary).toEqual({ imported: linesA.length, skipped: 0, duplicates: 0, errors: [] });
    const linesB = (await exportText(t, siteB, 'jsonl')).trimEnd().split('\n');
    expect(linesB).toHaveLength(linesA.length);
    const idMap = new Map<string, string>();
    const strip = (line: string, side: 'a' | 'b') => {
      const { id, parentId, source, ...rest } = JSON.parse(line);
      if (side === 'b')
        expect(source).toEqual(expect.objectContaining({ format: expect.any(String) }));
      return { id, parentId, source, rest: JSON.stringify(rest) };
    };
    for (let i = 0; i < linesA.length; i++) {
      const a = strip(linesA[i], 'a');
      const b = strip(linesB[i], 'b');
      expect(b.rest).toBe(a.rest);
      idMap.set(a.id, b.id);
      expect(b.parentId).toBe(a.parentId === null ? null : idMap.get(a.parentId));
      // Provenance: an imported comment keeps its origin; a native one remembers its old id.
      expect(b.source).toEqual(a.source ?? { format: 'jsonl', id: a.id });
    }
    // Again: nothing twice.
    expect(await importText(t, siteB, 'jsonl', exportA)).toMatchObject({
      imported: 0,
      duplicates: linesA.length,
    });
    // The export of the export imports into a third site unchanged too (ids new again).
    const siteC = await newSite();
    await importText(t, siteC, 'jsonl', linesB.join('\n'));
    const linesC = (await exportText(t, siteC, 'jsonl')).trimEnd().split('\n');
    expect(linesC.map((l) => strip(l, 'b').rest)).toEqual(linesB.map((l) => strip(l, 'b').rest));
    expect(linesC.map((l) => JSON.stringify(strip(l, 'b').source))).toEqual(
      linesB.map((l) => JSON.stringify(strip(l, 'b').source)),
    );

    // Public view of the copy equals the original's.
    const pa = await thread(t, 'native', '', siteA);
    const pb = await thread(t, 'native', '', siteB);
    expect(pb.body.count).toBe(pa.body.count);
    expect(pb.body.comments.map((c: { bodyHtml: string }) => c.bodyHtml)).toEqual(
      pa.body.comments.map((c: { bodyHtml: string }) => c.bodyHtml),
    );

    // Another installation (its own database): ids are free, so the export is byte for byte.
    const other = await createTestApp({ role: 'api' });
    try {
      expect((await putSite(other, siteA, { name: siteA })).status).toBe(201);
      await importText(other, siteA, 'jsonl', exportA);
      expect(await exportText(other, siteA, 'jsonl')).toBe(exportA);
    } finally {
      await other.close();
    }

    // WXR export re-imports too (WordPress has no "rejected": it becomes trash → deleted).
    const wxr = await exportText(t, siteA, 'wxr');
    const siteD = await newSite();
    const fromWxr = await importText(t, siteD, 'wxr', wxr);
    expect(fromWxr.imported).toBe(linesA.length);
    expect((await thread(t, 'native', '', siteD)).body.count).toBe(pa.body.count);
  });

  it('the CLI prints progress on stderr and the summary as the last stdout line; a broken file exits non-zero naming the line', async () => {
    const siteId = await newSite();
    const dir = mkdtempSync(join(tmpdir(), 'import-'));
    const good = join(dir, 'good.xml');
    writeFileSync(good, fixture('isso-wordpress.xml'));
    const broken = join(dir, 'broken.xml');
    writeFileSync(broken, fixture('isso-wordpress.xml').replace('</wp:comment_id>', '</wp:nope>'));
    const env = {
      ...process.env,
      DATABASE_URL: t.config.database.url,
      REDIS_PREFIX: t.config.redis.prefix,
      SECRET_KEY: t.config.secrets.current.toString('base64'),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    };
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(ROOT, 'dist/cli/import.js'), ...args], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    const ok = await run(['--site', siteId, '--format', 'wxr', good]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout.trimEnd().split('\n').at(-1)!)).toEqual({
      imported: 8,
      skipped: 0,
      duplicates: 0,
      errors: [],
    });
    expect(ok.stderr).toMatch(/import: 8 read, 8 imported, 0 duplicates/);
    // The built CLI renders and hashes on a worker thread: the same rows as in this process.
    const rows: Array<Record<string, Buffer | string>> = await db.query(
      `SELECT email_ciphertext, email_key_id, email_index, ip_index, author_avatar, body_html
       FROM comments WHERE site_id = $1 AND author_name = 'Ohai'`,
      [siteId],
    );
    expect(rows).toHaveLength(1);
    const [row] = rows;
    const email = crypto.decryptEmail(row.email_ciphertext as Buffer, row.email_key_id as string);
    expect(email).toBe('test@example.org');
    expect((row.email_index as Buffer).equals(crypto.emailIndex(email))).toBe(true);
    expect((row.ip_index as Buffer).equals(crypto.ipIndex('82.119.20.0'))).toBe(true);
    expect(row.author_avatar).toBe(crypto.avatarTag(siteId, email));
    expect(row.body_html).toBe('<p>Erster!1</p>');

    const failed = await run(['--site', siteId, '--format', 'wxr', broken]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /cannot parse, line 26: unexpected close tag.*nothing was imported/,
    );

    const usage = await run(['--site', siteId, good]);
    expect(usage.code).toBe(2);
  }, 60_000);

  it('admin upload: the file is stored in PostgreSQL, the worker imports it, progress and summary are readable', async () => {
    const siteId = await newSite();
    const upload = await t.http
      .post(`/v1/admin/imports?siteId=${siteId}&format=wxr`)
      .set(auth())
      .set('content-type', 'application/xml')
      .send(fixture('isso-wordpress.xml'));
    expect(upload.status).toBe(202);
    expect(upload.body).toMatchObject({ siteId, format: 'wxr', status: 'queued' });
    expect(upload.body.bytes).toBe(Buffer.byteLength(fixture('isso-wordpress.xml')));
    const done = await waitFor(
      async () => {
        const res = await t.http.get(`/v1/admin/imports/${upload.body.id}`).set(auth());
        return res.body.status === 'completed' || res.body.status === 'failed' ? res.body : null;
      },
      { what: 'the import to finish' },
    );
    expect(done.status).toBe('completed');
    expect(done.summary).toEqual({ imported: 8, skipped: 0, duplicates: 0, errors: [] });
    expect(done.progress.imported).toBe(8);
    expect((await thread(t, 'test', '', siteId)).body.count).toBe(7);
    // The file is gone once imported; the job carried the id only.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM import_chunks`);
    expect(n).toBe(0);

    const broken = await t.http
      .post(`/v1/admin/imports?siteId=${siteId}&format=disqus`)
      .set(auth())
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('<disqus><post></disqus>'));
    expect(broken.status).toBe(202);
    const failed = await waitFor(
      async () => {
        const res = await t.http.get(`/v1/admin/imports/${broken.body.id}`).set(auth());
        return res.body.status === 'failed' ? res.body : null;
      },
      { what: 'the broken import to fail' },
    );
    expect(failed.error).toMatch(/cannot parse, line 1: .*nothing was imported/);

    const badFormat = await t.http
      .post(`/v1/admin/imports?siteId=${siteId}&format=csv`)
      .set(auth())
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('x'));
    expect(badFormat.status).toBe(400);
    expect(badFormat.headers['content-type']).toMatch(/problem\+json/);
    const anonymous = await t.http
      .post(`/v1/admin/imports?siteId=${siteId}&format=wxr`)
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('x'));
    expect(anonymous.status).toBe(401);
    expect((await t.http.get(`/v1/admin/imports/${randomUUID()}`).set(auth())).status).toBe(404);
  });
});
