/**
 * Generated import files for tests and the bench: WordPress WXR with thousands of comments,
 * deep reply chains, every status, Unicode, HTML, CDATA and pingbacks/trackbacks.
 */
export interface WxrShape {
  articles: number;
  commentsPerArticle: number;
  /** Every n-th comment replies to the one before it (a chain as deep as it goes). */
  replyEvery?: number;
  /** Add one pingback and one trackback per article. */
  pings?: boolean;
}

export interface WxrExpectation {
  comments: number;
  pings: number;
  byStatus: Record<'approved' | 'held' | 'spam' | 'deleted', number>;
  maxDepth: number;
}

const STATUS_CYCLE: Array<[string, keyof WxrExpectation['byStatus']]> = [
  ['1', 'approved'],
  ['1', 'approved'],
  ['1', 'approved'],
  ['0', 'held'],
  ['spam', 'spam'],
  ['trash', 'deleted'],
];

const BODIES = [
  'Plain text, with an ampersand &amp; a less-than &lt; sign.',
  '<![CDATA[Grüße aus Köln! 日本語のコメント 😀 — «quotes» and <b>bold</b> and <i>italics</i>]]>',
  '<![CDATA[<p>Paragraph one with <a href="https://example.org/a?b=1&c=2">a link</a>.</p><p>Two <script>alert(1)</script><img src=x onerror=alert(1)></p>]]>',
  '<![CDATA[Line one\nline two\n\nA new paragraph <a href="javascript:alert(1)">bad link</a>]]>',
  'مرحبا بالعالم — right-to-left text',
];

/** The file as chunks (one per article), and what importing it must give. */
export function* generateWxr(shape: WxrShape): Generator<string, WxrExpectation> {
  const replyEvery = shape.replyEvery ?? 4;
  const expected: WxrExpectation = {
    comments: 0,
    pings: 0,
    byStatus: { approved: 0, held: 0, spam: 0, deleted: 0 },
    maxDepth: 0,
  };
  yield `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated</title>
<wp:wxr_version>1.2</wp:wxr_version>
`;
  let id = 0;
  const base = Date.UTC(2020, 0, 1);
  for (let a = 1; a <= shape.articles; a++) {
    const parts: string[] = [
      `<item>
<title>Article ${a}</title>
<link>https://news.example/2020/01/article-${a}/</link>
<wp:post_id>${a}</wp:post_id>
<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>
<wp:post_type>post</wp:post_type>
`,
    ];
    // A reply chain only through approved comments, so every depth is public.
    let chainParent = 0;
    let chainDepth = -1;
    for (let i = 0; i < shape.commentsPerArticle; i++) {
      id++;
      const [approved, status] = STATUS_CYCLE[id % STATUS_CYCLE.length];
      const replies = i > 0 && i % replyEvery === 0 && chainParent > 0;
      const parent = replies ? chainParent : 0;
      const depth = replies ? chainDepth + 1 : 0;
      if (status === 'approved' && (replies || chainParent === 0)) {
        chainParent = id;
        chainDepth = depth;
      }
      expected.maxDepth = Math.max(expected.maxDepth, depth);
      expected.comments++;
      expected.byStatus[status]++;
      const date = new Date(base + id * 60_000).toISOString().slice(0, 19).replace('T', ' ');
      parts.push(`<wp:comment>
<wp:comment_id>${id}</wp:comment_id>
<wp:comment_author><![CDATA[Reader ${id} Ünïcødé]]></wp:comment_author>
<wp:comment_author_email> reader${id % 997}@example.org
</wp:comment_author_email>
<wp:comment_author_url>${id % 3 === 0 ? 'https://reader.example/' : ''}</wp:comment_author_url>
<wp:comment_author_IP>${id % 2 ? `::ffff:10.0.${id % 250}.1` : `2001:db8::${id % 9999}`}</wp:comment_author_IP>
<wp:comment_date>${date}</wp:comment_date>
<wp:comment_date_gmt>${date}</wp:comment_date_gmt>
<wp:comment_content>${BODIES[id % BODIES.length]} #${id}</wp:comment_content>
<wp:comment_approved>${approved}</wp:comment_approved>
<wp:comment_type>${id % 2 ? 'comment' : ''}</wp:comment_type>
<wp:comment_parent>${parent}</wp:comment_parent>
</wp:comment>
`);
    }
    if (shape.pings) {
      for (const type of ['pingback', 'trackback']) {
        id++;
        expected.pings++;
        parts.push(`<wp:comment>
<wp:comment_id>${id}</wp:comment_id>
<wp:comment_author><![CDATA[Some blog]]></wp:comment_author>
<wp:comment_author_url>https://blog.example/</wp:comment_author_url>
<wp:comment_date_gmt>2020-02-01 00:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[[…] linked to this […]]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>${type}</wp:comment_type>
<wp:comment_parent>0</wp:comment_parent>
</wp:comment>
`);
      }
    }
    parts.push('</item>\n');
    yield parts.join('');
  }
  yield '</channel>\n</rss>\n';
  return expected;
}

/** The whole file as one string, with its expectation. */
export function wxrFile(shape: WxrShape): { xml: string; expected: WxrExpectation } {
  const gen = generateWxr(shape);
  const parts: string[] = [];
  for (;;) {
    const next = gen.next();
    if (next.done) return { xml: parts.join(''), expected: next.value };
    parts.push(next.value);
  }
}
