import fc from 'fast-check';
import {
  importParagraphs,
  renderCommentBody,
  renderImportedHtml,
  sanitizeCommentHtml,
} from '../../comments/model/comment-renderer.js';
import { parseDisqus } from './disqus.parser.js';
import { parseJsonl } from './jsonl.parser.js';
import { ImportParseError, type SourceItem } from './source-record.js';
import { parseWxr } from './wxr.parser.js';

async function all(gen: AsyncGenerator<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

/** One character at a time: every token crosses a chunk boundary somewhere. */
const bytewise = (text: string) => [...Buffer.from(text)].map((b) => Buffer.from([b]));

const WXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:wp="http://wordpress.org/export/1.1/"><channel>
<item><link>https://n.example/a/</link><wp:post_id>9</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[Zoë]]></wp:comment_author>
<wp:comment_date_gmt>2020-01-02 03:04:05</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Grüße <b>😀</b>]]></wp:comment_content>
<wp:comment_approved>spam</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_date>2020-01-03 00:00:00</wp:comment_date>
<wp:comment_content>x</wp:comment_content><wp:comment_type>pingback</wp:comment_type></wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_date>2020-01-03 00:00:00</wp:comment_date>
<wp:comment_content>reply</wp:comment_content><wp:comment_parent>1</wp:comment_parent></wp:comment>
</item></channel></rss>`;

describe('import parsers', () => {
  it('WXR: fields, scoped ids, statuses, pingbacks; the same items whatever the chunking', async () => {
    const items = await all(parseWxr(bytewise(WXR)));
    expect(items).toEqual(await all(parseWxr([WXR])));
    expect(items.map((i) => i.kind)).toEqual(['comment', 'skip', 'comment']);
    const [first, , reply] = items;
    expect(first).toMatchObject({
      kind: 'comment',
      comment: {
        ref: '9/1',
        parentRef: null,
        origin: { format: 'wxr', id: '9/1' },
        articleUrl: 'https://n.example/a/',
        authorName: 'Zoë',
        status: 'spam',
        content: { html: 'Grüße <b>😀</b>' },
        createdAt: new Date('2020-01-02T03:04:05Z'),
        line: 4,
      },
    });
    expect(reply).toMatchObject({ comment: { parentRef: '9/1', status: 'approved' } });
  });

  it('WXR and Disqus: malformed XML is a parse error with its line', async () => {
    await expect(all(parseWxr([WXR.replace('</wp:comment_id>', '</wp:x>')]))).rejects.toEqual(
      expect.objectContaining({ name: 'ImportParseError', line: 4 }),
    );
    await expect(all(parseDisqus(['<disqus>\n<post>\n</disqus>']))).rejects.toBeInstanceOf(
      ImportParseError,
    );
  });

  it('Disqus: threads before posts, posts before their threads, missing threads', async () => {
    const xml = `<disqus xmlns:dsq="http://disqus.com/disqus-internals">
<post dsq:id="p0"><message>early</message><createdAt>2013-01-01T00:00:00Z</createdAt><thread dsq:id="t2"/></post>
<thread dsq:id="t1"><link>https://n.example/x/</link></thread>
<thread dsq:id="t2"><link>https://n.example/y/</link></thread>
<post dsq:id="p1"><message>&lt;p&gt;hi&lt;/p&gt;</message><createdAt>2013-01-01T00:00:00Z</createdAt>
<isSpam>true</isSpam><author><name>A</name><email>a@x.org</email></author><thread dsq:id="t1"/></post>
<post dsq:id="p2"><message>re</message><createdAt>2013-01-02T00:00:00Z</createdAt><isDeleted>true</isDeleted>
<thread dsq:id="t1"/><parent dsq:id="p1"/></post>
<post dsq:id="p3"><message>lost</message><createdAt>2013-01-02T00:00:00Z</createdAt><thread dsq:id="t9"/></post>
</disqus>`;
    const items = await all(parseDisqus(bytewise(xml)));
    const comments = items.flatMap((i) => (i.kind === 'comment' ? [i.comment] : []));
    expect(comments.map((c) => [c.ref, c.articleUrl, c.status, c.parentRef])).toEqual([
      ['p1', 'https://n.example/x/', 'spam', null],
      ['p2', 'https://n.example/x/', 'deleted', 'p1'],
      ['p0', 'https://n.example/y/', 'approved', null],
    ]);
    expect(comments[0]).toMatchObject({
      authorName: 'A',
      email: 'a@x.org',
      content: { html: '<p>hi</p>' },
    });
    expect(items.find((i) => i.kind === 'error')).toMatchObject({
      line: 9,
      message: expect.stringContaining('thread t9') as string,
    });
  });

  it('JSONL: a bad record is reported, a line that is not JSON stops everything', async () => {
    const good = {
      id: '6f1c7f3e-4b7a-4c8e-9d55-0a1b2c3d4e5f',
      articleId: 'a',
      parentId: null,
      status: 'pending',
      createdAt: '2020-01-01T00:00:00.000Z',
      publishedAt: null,
      deletedAt: null,
      author: { name: 'N', email: 'n@x.org', website: null },
      body: 'b',
      bodyHtml: '<p>b</p>',
      spamScore: null,
      spamReasons: [],
      moderationReasons: [],
      source: null,
    };
    const items = await all(
      parseJsonl([`${JSON.stringify(good)}\n\n${JSON.stringify({ ...good, status: 'x' })}\n`]),
    );
    expect(items[0]).toMatchObject({
      kind: 'comment',
      comment: { status: 'held', ref: good.id, origin: null },
    });
    expect(items[1]).toMatchObject({ kind: 'error', line: 3 });
    await expect(all(parseJsonl([`${JSON.stringify(good)}\n{oops\n`]))).rejects.toMatchObject({
      line: 2,
    });
  });
});

describe('imported HTML', () => {
  it('goes through the allow-list of new comments, which leaves rendered comments unchanged', () => {
    expect(renderImportedHtml('a\nb\n\n<b>c</b> <i>d</i> <span>e</span>')).toBe(
      '<p>a<br />\nb</p>\n<p><strong>c</strong> <em>d</em> e</p>',
    );
    expect(
      renderImportedHtml('<p>x <script>alert(1)</script><a href="javascript:y">z</a></p>'),
    ).toBe('<p>x <a rel="nofollow ugc noopener noreferrer">z</a></p>');
    expect(renderImportedHtml('1 < 2 & "q"')).toBe('<p>1 &lt; 2 &amp; "q"</p>');
    for (const body of ['*x* `y` <b>z</b>\n> q\n\n- a\n- b', 'https://e.org/?a=1&b=2 ü 😀']) {
      const html = renderCommentBody(body);
      expect(sanitizeCommentHtml(html)).toBe(html);
    }
  });
});

describe('imported plain text', () => {
  it('skips the allow-list only where it would change nothing', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }).filter((s) => !/[<>&]/.test(s)),
        fc.array(fc.constantFrom('\n', '\n\n', ' \n \n', '\r\n', '\t', ' '), { maxLength: 5 }),
        (text, breaks) => {
          const body = breaks.reduce(
            (acc, b, i) => acc.slice(0, i * 7) + b + acc.slice(i * 7),
            text,
          );
          const fast = renderImportedHtml(body);
          expect(fast).toBe(
            sanitizeCommentHtml(importParagraphs(body.replace(/\r\n?/g, '\n').trim())),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
