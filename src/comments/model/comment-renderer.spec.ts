import { countLinks, renderCommentBody } from './comment-renderer.js';

const REL = 'rel="nofollow ugc noopener noreferrer"';

/** Every opening tag in the output, e.g. `<a href="…" rel="…">`. */
function tagsOf(html: string): string[] {
  return html.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

/** The value of every href attribute of every tag in the output (escaped text ignored). */
function hrefsOf(html: string): string[] {
  return tagsOf(html).flatMap((tag) =>
    [...tag.matchAll(/\shref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map(
      (m) => m[2] ?? m[3] ?? m[4] ?? '',
    ),
  );
}

describe('renderCommentBody', () => {
  describe('the Markdown subset', () => {
    it('renders a paragraph', () => {
      expect(renderCommentBody('Hello there')).toBe('<p>Hello there</p>');
    });

    it('renders emphasis, strong emphasis and inline code', () => {
      expect(renderCommentBody('*em* **strong** `code`')).toBe(
        '<p><em>em</em> <strong>strong</strong> <code>code</code></p>',
      );
    });

    it('renders a block quote', () => {
      expect(renderCommentBody('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>');
    });

    it('renders bulleted and numbered lists', () => {
      expect(renderCommentBody('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>');
      expect(renderCommentBody('1. a\n2. b')).toBe('<ol>\n<li>a</li>\n<li>b</li>\n</ol>');
    });

    it('turns single line breaks into <br> and blank lines into paragraphs', () => {
      expect(renderCommentBody('one\ntwo')).toMatch(/^<p>one<br \/>\s*two<\/p>$/);
      expect(renderCommentBody('one\n\ntwo')).toBe('<p>one</p>\n<p>two</p>');
    });

    it('renders fenced and indented code blocks with their HTML escaped', () => {
      expect(renderCommentBody('```\n<b>x</b>\n```')).toBe(
        '<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>',
      );
      expect(renderCommentBody('    indented')).toBe('<pre><code>indented\n</code></pre>');
    });

    it('renders a Markdown link with the nofollow/ugc rel', () => {
      expect(renderCommentBody('[the piece](https://news.example/a)')).toBe(
        `<p><a href="https://news.example/a" ${REL}>the piece</a></p>`,
      );
    });

    it('links bare URLs', () => {
      expect(renderCommentBody('see https://news.example/a?b=1 now')).toBe(
        `<p>see <a href="https://news.example/a?b=1" ${REL}>https://news.example/a?b=1</a> now</p>`,
      );
    });

    it('does not render headings, rules, tables or strikethrough', () => {
      expect(renderCommentBody('# Big')).toBe('<p># Big</p>');
      expect(renderCommentBody('---')).toBe('<p>---</p>');
      expect(renderCommentBody('~~gone~~')).toBe('<p>~~gone~~</p>');
      expect(renderCommentBody('| a |\n|---|\n| 1 |')).not.toMatch(/<t(able|d|r|h)/);
    });

    it('never renders images', () => {
      const html = renderCommentBody('![cat](https://img.example/cat.png)');
      expect(html).not.toMatch(/<img/i);
    });

    it('escapes raw HTML instead of interpreting it', () => {
      expect(renderCommentBody('<b>bold</b>')).toBe('<p>&lt;b&gt;bold&lt;/b&gt;</p>');
    });

    it('trims surrounding whitespace from the output', () => {
      expect(renderCommentBody('hi\n\n\n')).toBe('<p>hi</p>');
    });
  });

  describe('against XSS', () => {
    const corpus = [
      '<script>alert(1)</script>',
      '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
      '<<script>script>alert(1)<</script>/script>',
      '<img src=x onerror=alert(1)>',
      '<IMG SRC="javascript:alert(1)">',
      '![x](javascript:alert(1))',
      '![x](https://evil.example/x.png" onerror="alert(1))',
      '<svg onload=alert(1)>',
      '<svg><script>alert(1)</script></svg>',
      '<iframe src="javascript:alert(1)"></iframe>',
      '<iframe srcdoc="<script>alert(1)</script>">',
      '<a href="javascript:alert(1)">click</a>',
      '<a href="https://ok.example" onclick="alert(1)">click</a>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](  javascript:alert(1))',
      '[click](java\tscript:alert(1))',
      '[click](&#106;avascript:alert(1))',
      '[click](&#x6A;avascript&#x3A;alert(1))',
      '[click](javascript&colon;alert(1))',
      '[click](%6Aavascript:alert(1))',
      '[click](<javascript:alert(1)>)',
      '[click](vbscript:msgbox(1))',
      '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[click](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
      '[click](//evil.example)',
      '[click](https://x.example" onmouseover="alert(1))',
      "[click](https://x.example' onmouseover='alert(1))",
      '[click][ref]\n\n[ref]: javascript:alert(1)',
      '<javascript:alert(1)>',
      'javascript:alert(1)',
      'https://x.example/"onmouseover="alert(1)',
      '<p style="background:url(javascript:alert(1))">x</p>',
      '<div style="color:red">x</div>',
      '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
      '<object data="javascript:alert(1)"></object>',
      '<embed src="javascript:alert(1)">',
      '<form action="javascript:alert(1)"><button>x</button></form>',
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
      '<base href="javascript:alert(1)//">',
      '<link rel=stylesheet href=https://evil.example/x.css>',
      '<style>body{display:none}</style>',
      '<details open ontoggle=alert(1)>',
      '<!--<img src=x onerror=alert(1)>-->',
      '<![CDATA[<script>alert(1)</script>]]>',
      '`<script>alert(1)</script>`',
      '```html\n<script>alert(1)</script>\n```',
      '> <img src=x onerror=alert(1)>',
      '- <svg onload=alert(1)>',
      '**<iframe src=//evil.example>**',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '&#60;script&#62;alert(1)&#60;/script&#62;',
      '\u0000<script>alert(1)</script>',
      '<scr\u0000ipt>alert(1)</scr\u0000ipt>',
      '<a href="jav&#x09;ascript:alert(1)">x</a>',
    ];

    it.each(corpus)('renders %j without executable HTML', (input) => {
      const html = renderCommentBody(input);
      expect(html).not.toMatch(/<\s*script/i);
      expect(html).not.toMatch(/<\s*img/i);
      expect(html).not.toMatch(/<\s*svg/i);
      expect(html).not.toMatch(/<\s*iframe/i);
      expect(html).not.toMatch(/<\s*(object|embed|form|meta|base|link|style|math|details)\b/i);

      for (const tag of tagsOf(html)) {
        // Only the allow-listed elements, and no event handlers or styles on them.
        expect(tag).toMatch(/^<(p|br|em|strong|code|pre|blockquote|ul|ol|li|a)[\s/>]/);
        expect(tag).not.toMatch(/\son\w+\s*=/i);
        expect(tag).not.toMatch(/\sstyle\s*=/i);
        expect(tag).not.toMatch(/\ssrc(doc)?\s*=/i);
      }
      for (const href of hrefsOf(html)) {
        // Absolute URLs only with an allowed scheme; a relative one cannot run script.
        const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
        if (scheme !== undefined) expect(['http', 'https', 'mailto']).toContain(scheme);
        expect(href.startsWith('//')).toBe(false);
        expect(href.toLowerCase()).not.toMatch(/^\s*(javascript|vbscript|data):/);
      }
    });

    it('turns an image-with-handler attempt into at most a plain link', () => {
      const html = renderCommentBody('![x](https://evil.example/x.png" onerror="alert(1))');
      expect(tagsOf(html).every((t) => !/onerror/i.test(t))).toBe(true);
    });
  });

  describe('links', () => {
    it.each([
      '[a](https://a.example)',
      '[a](http://a.example)',
      'https://a.example',
      'write to ann@example.com',
      '<a href="https://a.example" rel="follow">a</a>',
    ])('every link in %j carries rel="nofollow ugc noopener noreferrer"', (input) => {
      const html = renderCommentBody(input);
      const anchors = tagsOf(html).filter((t) => t.startsWith('<a'));
      for (const anchor of anchors) {
        expect(anchor).toContain(REL);
        expect(anchor.match(/\srel=/g)).toHaveLength(1);
      }
    });

    it('keeps only href and rel on links', () => {
      const html = renderCommentBody('[a](https://a.example "the title")');
      expect(html).toBe(`<p><a href="https://a.example" ${REL}>a</a></p>`);
    });

    it('links email addresses with mailto:', () => {
      expect(hrefsOf(renderCommentBody('write to ann@example.com'))).toEqual([
        'mailto:ann@example.com',
      ]);
    });

    it('drops a protocol-relative href', () => {
      expect(hrefsOf(renderCommentBody('[x](//evil.example)'))).toEqual([]);
    });
  });
});

describe('countLinks', () => {
  it('counts nothing in text without links', () => {
    expect(countLinks(renderCommentBody('Just words, no links.'))).toBe(0);
  });

  it('counts Markdown links and bare URLs', () => {
    expect(
      countLinks(
        renderCommentBody('[one](https://a.example), https://b.example and http://c.example/x'),
      ),
    ).toBe(3);
  });

  it('counts what it is given, anchor by anchor', () => {
    expect(countLinks('<p><a href="x">a</a> <a href="y">b</a></p>')).toBe(2);
  });

  it('does not count escaped anchors or other tags starting with a', () => {
    expect(countLinks('<p>&lt;a href="x"&gt;</p><abbr>x</abbr>')).toBe(0);
    expect(countLinks(renderCommentBody('<a href="/relative">x</a>'))).toBe(0);
  });
});
