import { articleIdFromUrl, mappedArticleId, parseArticleMap } from './article-id.js';

describe('article ids from URLs', () => {
  it.each([
    ['http://example.tld/2014/test/', 'test'],
    ['http://example.tld/?p=4', 'p-4'],
    ['http://example.tld/blog/?p=12&replytocom=3', 'p-12'],
    ['https://news.example/?page_id=7', 'page_id-7'],
    ['https://news.example/2020/01/caf%C3%A9-cr%C3%A8me/', 'cafe-creme'],
    ['https://news.example/a/b/story.html#comments', 'story.html'],
    ['https://news.example/über uns/', 'uber-uns'],
    ['/relative/path/', 'path'],
  ])('%s → %s', (url, id) => {
    expect(articleIdFromUrl(url)).toBe(id);
  });

  it('has none for a bare host or a path of symbols', () => {
    expect(articleIdFromUrl('http://example.org/')).toBeNull();
    expect(articleIdFromUrl('https://news.example/%E2%9D%A4/')).toBeNull();
  });

  it('reads a url,articleId map with or without a header, tolerating trailing slashes', () => {
    const map = parseArticleMap(
      'url,articleId\nhttps://a.example/x/,story-x\nhttps://a.example/y,y\n',
    );
    expect(mappedArticleId(map, 'https://a.example/x')).toBe('story-x');
    expect(mappedArticleId(map, 'https://a.example/y/')).toBe('y');
    expect(mappedArticleId(map, 'https://a.example/z')).toBeNull();
    expect(() => parseArticleMap('https://a.example/,not an id\n')).toThrow(/--map line 1/);
  });
});
