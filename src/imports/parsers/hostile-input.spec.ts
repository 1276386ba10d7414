import { parseDisqus } from './disqus.parser.js';
import { parseJsonl } from './jsonl.parser.js';
import { ImportParseError, type SourceItem } from './source-record.js';
import { parseWxr } from './wxr.parser.js';

/**
 * Security review of the import parsers: hostile XML (entity expansion, external entities) is
 * refused as unparseable, never expanded or fetched; and the message of an unparseable file
 * (which the worker logs and the console shows) never repeats the file's content.
 */
async function all(gen: AsyncGenerator<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

async function parseError(gen: AsyncGenerator<SourceItem>): Promise<ImportParseError> {
  const error: unknown = await all(gen).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportParseError);
  return error as ImportParseError;
}

const laughs = (root: string, use: string) => `<?xml version="1.0"?>
<!DOCTYPE ${root} [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
${use}`;

describe('import parsers against hostile input', () => {
  it('WXR: a billion-laughs or external entity is an unparseable file, not expanded or read', async () => {
    for (const entity of ['lol9', 'xxe']) {
      const file = laughs(
        'rss',
        `<rss><channel><item><link>https://n.example/a/</link><wp:post_id>1</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_date>2020-01-01 00:00:00</wp:comment_date>
<wp:comment_content>&${entity};</wp:comment_content></wp:comment></item></channel></rss>`,
      );
      const error = await parseError(parseWxr([file]));
      expect(error.message).toMatch(/entity/);
      expect(error.message).not.toMatch(/lollol|root:/);
    }
  });

  it('Disqus: the same', async () => {
    for (const entity of ['lol9', 'xxe']) {
      const file = laughs(
        'disqus',
        `<disqus><thread dsq:id="t"><link>https://n.example/a/</link></thread>
<post dsq:id="p"><thread dsq:id="t"/><createdAt>2020-01-01T00:00:00Z</createdAt>
<message>&${entity};</message><author><email>a@b.example</email></author></post></disqus>`,
      );
      const error = await parseError(parseDisqus([file]));
      expect(error.message).toMatch(/entity/);
    }
  });

  it('JSONL: the error of a line that is not JSON names the line, never its content', async () => {
    const good = JSON.stringify({ id: '0d7c2a4e-2b1f-4a8e-9a59-3f6a4c1b2d3e' });
    const broken = [
      // An unescaped quote in a name, then the address: V8 quotes the text around the error.
      '{"author":{"name":"Bob "the" Builder","email":"bob.builder@example.com"}}',
      '{"author":{"name":"Ann","email":"ann@example.org","website":null},"x":ann@example.org}',
      'ann.secret@example.org',
    ];
    for (const line of broken) {
      const error = await parseError(parseJsonl([`${good}\n${line}\n`]));
      expect(error.line).toBe(2);
      expect(error.message).toMatch(/^line 2: not JSON/);
      for (const secret of ['Bob', 'Builder', 'bob.b', 'example', 'ann', '@']) {
        expect(error.message).not.toContain(secret);
      }
    }
  });
});
