import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { eventually, textOf, describeWithBrowser } from '../utils/browser.js';
import { useBrowserApp } from '../utils/browser-app.js';
import type { TestApp } from '../utils/test-app.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SITE = 'reader-widget';

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Issue 20 in a real browser: the widget on a publisher's page served from another origin than
 * the service — featured comments first, likes with a pressed state, Oldest / Newest / Top,
 * "Comments are closed", five languages (Arabic right to left) and light / dark / auto themes
 * checked with axe (WCAG 2 A and AA, contrast included).
 */
describeWithBrowser(
  'the widget for readers: picks, likes, order, closed threads, languages, themes',
  () => {
    const app = useBrowserApp({
      bundle: 'widget',
      app: { env: { TRUST_PROXY: 'loopback' } },
      viewport: { width: 900, height: 1000 },
    });
    let t: TestApp;
    let base: string;
    let readers = 0;
    /** The publisher's own web server: another origin than the service's. */
    let publisher: Server;
    let PUBLISHER: string;
    const pages = new Map<string, string>();

    beforeAll(async () => {
      ({ t, base } = app);
      publisher = createServer((req, res) => {
        const html = pages.get(req.url ?? '');
        res
          .writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
          .end(html ?? 'not found');
      });
      await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
      PUBLISHER = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
      expect(new URL(base).origin).not.toBe(PUBLISHER);
      await putSite(t, SITE, {
        name: 'Reader widget',
        allowedOrigins: [PUBLISHER],
        settings: { moderation: { mode: 'post' } },
      });
    });
    afterAll(async () => {
      await new Promise((resolve) => publisher?.close(resolve));
    });
    const newPage = app.newPage;

    /** The publisher's article page on its own origin, embedding the widget from the service. */
    async function openPublisherPage(
      page: Page,
      attrs: string,
      { lang = 'en', bodyStyle = '' }: { lang?: string | null; bodyStyle?: string } = {},
    ): Promise<Locator> {
      const html =
        `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><meta charset="utf-8">` +
        `<title>Publisher</title></head><body style="${bodyStyle}"><h1>The article</h1>` +
        `<div data-comments ${attrs}></div><script src="${base}/widget.js"></script></body></html>`;
      const path = `/news/${pages.size}`;
      pages.set(path, html);
      await page.goto(`${PUBLISHER}${path}`);
      const widget = page.locator('[data-comments]');
      await eventually(async () =>
        expect(await widget.locator('section.root > h2').count()).toBe(1),
      );
      await eventually(async () => expect(await textOf(widget.locator('.status'))).toBe(''));
      return widget;
    }

    const heading = (widget: Locator) => textOf(widget.locator('section.root > h2'));
    const threadBodies = (widget: Locator) =>
      widget
        .locator('section.root > ol.thread > li.item > article .body')
        .evaluateAll((els) => els.map((el) => el.textContent?.trim() ?? ''));

    async function published(
      article: string,
      body: string,
      name = `Author ${body}`,
    ): Promise<string> {
      const res = await submit(t, article, makeComment({ name, body }), { siteId: SITE });
      expect(res.status).toBe(202);
      const id = res.body.id as string;
      await waitForStatus(t, id, ['approved']);
      return id;
    }

    /** A like from another reader (an address of its own), through the API. */
    async function likeFromElsewhere(id: string): Promise<void> {
      readers++;
      const res = await t.http
        .post(`/v1/comments/${id}/reactions`)
        .set('X-Forwarded-For', `198.51.100.${readers}`)
        .send({ type: 'like' });
      expect(res.status).toBe(200);
    }

    async function axe(page: Page): Promise<AxeViolation[]> {
      await page.addScriptTag({ path: AXE });
      return page.evaluate(async () => {
        const result = await (
          globalThis as unknown as {
            axe: {
              run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }>;
            };
          }
        ).axe.run(
          { include: [['[data-comments]']] },
          { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } },
        );
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
        }));
      });
    }

    it('shows featured comments first, likes with a pressed state, and Oldest / Newest / Top', async () => {
      const article = uniqueArticle('picks');
      const first = await published(article, 'The first comment');
      const pick = await published(article, 'The editors pick');
      const popular = await published(article, 'The popular one');
      await t.http.post(`/v1/moderation/comments/${pick}/feature`).set(auth()).send({}).expect(200);
      await likeFromElsewhere(popular);
      await likeFromElsewhere(popular);

      const { page, problems } = await newPage({ colorScheme: 'light' });
      const widget = await openPublisherPage(page, `data-site="${SITE}" data-article="${article}"`);
      expect(await heading(widget)).toBe('3 Comments');

      // The featured section comes first, before the order buttons and the thread.
      const featured = widget.locator('section.featured');
      await eventually(async () => expect(await featured.isVisible()).toBe(true));
      expect(await textOf(featured.locator('h3'))).toBe('Featured comments');
      expect(await textOf(featured.locator('.body'))).toBe('The editors pick');
      const order = await widget
        .locator('section.root > *:not([hidden])')
        .evaluateAll((els) => els.map((el) => el.className || el.tagName));
      expect(order.indexOf('featured')).toBeLessThan(order.indexOf('sorts'));
      expect(order.indexOf('sorts')).toBeLessThan(order.indexOf('thread'));
      // …and the pick is marked in the thread.
      const pickItem = widget.locator(`#c-${pick}`);
      expect(await textOf(pickItem.locator('.badge'))).toBe('Featured');

      // Oldest first by default; Top puts the liked thread first; Newest reverses.
      const sorts = widget.getByRole('group', { name: 'Sort comments' });
      expect(await sorts.getByRole('button', { name: 'Oldest' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      expect(await threadBodies(widget)).toEqual([
        'The first comment',
        'The editors pick',
        'The popular one',
      ]);
      await sorts.getByRole('button', { name: 'Top' }).click();
      await eventually(async () =>
        expect(await threadBodies(widget)).toEqual([
          'The popular one',
          'The editors pick',
          'The first comment',
        ]),
      );
      expect(await sorts.getByRole('button', { name: 'Top' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      expect(await sorts.getByRole('button', { name: 'Oldest' }).getAttribute('aria-pressed')).toBe(
        'false',
      );
      await sorts.getByRole('button', { name: 'Newest' }).click();
      await eventually(async () =>
        expect(await threadBodies(widget)).toEqual([
          'The popular one',
          'The editors pick',
          'The first comment',
        ]),
      );
      expect(await textOf(widget.locator(`#c-${popular} .likes`))).toBe('2 likes');

      // Like: a toggle button with an accessible pressed state; the server counts it.
      const like = widget.getByRole('button', {
        name: 'Like the comment by Author The first comment',
      });
      expect(await like.getAttribute('aria-pressed')).toBe('false');
      await like.click();
      await eventually(async () => expect(await like.getAttribute('aria-pressed')).toBe('true'));
      expect(await textOf(widget.locator(`#c-${first} .likes`))).toBe('1 like');
      const afterLike = await thread(t, article, '', SITE);
      expect(
        (afterLike.body.comments as Array<{ id: string; likes: number }>).find(
          (c) => c.id === first,
        )?.likes,
      ).toBe(1);

      // The pressed state survives a reload; pressing again takes the like back.
      await page.reload();
      const again = page
        .locator('[data-comments]')
        .getByRole('button', { name: 'Like the comment by Author The first comment' });
      await eventually(async () => expect(await again.getAttribute('aria-pressed')).toBe('true'));
      await again.click();
      await eventually(async () => expect(await again.getAttribute('aria-pressed')).toBe('false'));
      const afterUnlike = await thread(t, article, '', SITE);
      expect(
        (afterUnlike.body.comments as Array<{ id: string; likes: number }>).find(
          (c) => c.id === first,
        )?.likes,
      ).toBe(0);

      expect(await axe(page)).toEqual([]);
      expect(problems.errors).toEqual([]);
    });

    it('finds a featured comment that is not on the first page', async () => {
      const article = uniqueArticle('deep-pick');
      await published(article, 'On the first page');
      const later = await published(article, 'Further down');
      await t.http
        .post(`/v1/moderation/comments/${later}/feature`)
        .set(auth())
        .send({})
        .expect(200);
      const { page } = await newPage();
      const widget = await openPublisherPage(
        page,
        `data-site="${SITE}" data-article="${article}" data-page-size="1"`,
      );
      expect(await threadBodies(widget)).toEqual(['On the first page']);
      await eventually(async () =>
        expect(await textOf(widget.locator('section.featured .body'))).toBe('Further down'),
      );
    });

    it('says "Comments are closed" instead of the form on a closed article, and still shows the count', async () => {
      const article = uniqueArticle('closed');
      await published(article, 'Said before closing');
      await t.http
        .put(`/v1/admin/sites/${SITE}/articles/${article}`)
        .set(auth())
        .send({ closed: true })
        .expect(200);
      const { page, problems } = await newPage();
      const widget = await openPublisherPage(page, `data-site="${SITE}" data-article="${article}"`);
      expect(await heading(widget)).toBe('1 Comment');
      await eventually(async () =>
        expect(await widget.getByText('Comments are closed.', { exact: true }).isVisible()).toBe(
          true,
        ),
      );
      expect(await widget.locator('form').isVisible()).toBe(false);
      expect(await widget.getByRole('button', { name: /^Reply to/ }).count()).toBe(0);
      expect(await textOf(widget.locator('.thread .body'))).toBe('Said before closing');
      expect(problems.errors).toEqual([]);

      // Closed with no comment at all: no invitation to be the first.
      const empty = uniqueArticle('closed-empty');
      await t.http
        .put(`/v1/admin/sites/${SITE}/articles/${empty}`)
        .set(auth())
        .send({ closed: true })
        .expect(200);
      const { page: emptyPage } = await newPage();
      const none = await openPublisherPage(
        emptyPage,
        `data-site="${SITE}" data-article="${empty}" data-lang="ar"`,
      );
      expect(await heading(none)).toBe('لا تعليقات');
      expect(await none.getByText('التعليقات مغلقة.', { exact: true }).isVisible()).toBe(true);
    });

    it('closes the form when the article is closed while the reader writes', async () => {
      const article = uniqueArticle('closing-now');
      await published(article, 'Still open');
      const { page, problems } = await newPage();
      const widget = await openPublisherPage(page, `data-site="${SITE}" data-article="${article}"`);
      expect(await widget.locator('form').isVisible()).toBe(true);
      await t.http
        .put(`/v1/admin/sites/${SITE}/articles/${article}`)
        .set(auth())
        .send({ closed: true })
        .expect(200);
      await widget.getByRole('textbox', { name: 'Name', exact: true }).fill('Late Reader');
      await widget.getByRole('textbox', { name: 'Email', exact: true }).fill('late@example.org');
      await widget.getByRole('textbox', { name: 'Comment', exact: true }).fill('Too late?');
      await widget.getByRole('button', { name: 'Post Comment' }).click();
      await eventually(async () => expect(await widget.locator('form').isVisible()).toBe(false));
      expect(await widget.getByText('Comments are closed.', { exact: true }).isVisible()).toBe(
        true,
      );
      expect(await textOf(widget.locator('.status'))).toBe('Comments are closed on this article.');
      expect(await heading(widget)).toBe('1 Comment');
      expect(problems.errors).toEqual([]);
    });

    it('speaks the language of data-lang, else the page, else the browser, with plurals and dates done right', async () => {
      const article = uniqueArticle('lang');
      const a = await published(article, 'Eins');
      await published(article, 'Zwei');
      await published(article, 'Drei');
      const published3 = (await thread(t, article, '', SITE)).body.comments as Array<{
        id: string;
        publishedAt: string;
      }>;

      // data-lang wins over the page's language.
      let { page } = await newPage({ locale: 'en-US' });
      let widget = await openPublisherPage(
        page,
        `data-site="${SITE}" data-article="${article}" data-lang="de"`,
        { lang: 'fr' },
      );
      expect(await heading(widget)).toBe('3 Kommentare');
      expect(await textOf(widget.locator('#form-title'))).toBe('Schreiben Sie einen Kommentar');
      expect(await widget.getByRole('button', { name: 'Kommentar abschicken' }).count()).toBe(1);
      const date = await widget.locator(`#c-${a} time`).textContent();
      const expected = await page.evaluate(
        (iso) =>
          new Intl.DateTimeFormat('de', {
            year: 'numeric',
            month: 'short',
            day: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
          }).format(new Date(iso)),
        published3.find((c) => c.id === a)!.publishedAt,
      );
      expect(date).toBe(expected);

      // No data-lang: the page's <html lang> (a regional tag falls back to its language).
      ({ page } = await newPage({ locale: 'en-US' }));
      widget = await openPublisherPage(page, `data-site="${SITE}" data-article="${article}"`, {
        lang: 'fr-CA',
      });
      expect(await heading(widget)).toBe('3 commentaires');
      expect(await widget.getByRole('group', { name: 'Trier les commentaires' }).count()).toBe(1);

      // Neither: the browser's language.
      ({ page } = await newPage({ locale: 'es-ES' }));
      widget = await openPublisherPage(page, `data-site="${SITE}" data-article="${article}"`, {
        lang: null,
      });
      expect(await heading(widget)).toBe('3 comentarios');
      expect(await textOf(widget.locator('#form-title'))).toBe('Deja un comentario');

      // An unknown language: English.
      ({ page } = await newPage({ locale: 'en-US' }));
      widget = await openPublisherPage(page, `data-site="${SITE}" data-article="${article}"`, {
        lang: 'xx',
      });
      expect(await heading(widget)).toBe('3 Comments');

      // Arabic: right to left, and its plural forms (3 → few; 1 → one; empty → be the first).
      const { page: arPage, problems } = await newPage();
      widget = await openPublisherPage(
        arPage,
        `data-site="${SITE}" data-article="${article}" data-lang="ar"`,
      );
      // (digits as the browser's Intl writes them for Arabic)
      const three = await arPage.evaluate(() => new Intl.NumberFormat('ar').format(3));
      expect(await heading(widget)).toBe(`${three} تعليقات`);
      expect(await widget.locator('section.root').getAttribute('dir')).toBe('rtl');
      expect(await widget.locator('section.root').getAttribute('lang')).toBe('ar');
      const direction = await widget
        .locator('section.root')
        .evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { direction: string } }
            ).getComputedStyle(el).direction,
        );
      expect(direction).toBe('rtl');
      expect(await axe(arPage)).toEqual([]);
      expect(problems.errors).toEqual([]);

      const one = uniqueArticle('lang-one');
      await published(one, 'Wahid');
      ({ page } = await newPage());
      widget = await openPublisherPage(
        page,
        `data-site="${SITE}" data-article="${one}" data-lang="ar"`,
      );
      expect(await heading(widget)).toBe('تعليق واحد');
      ({ page } = await newPage());
      widget = await openPublisherPage(
        page,
        `data-site="${SITE}" data-article="${uniqueArticle('lang-none')}" data-lang="ar"`,
      );
      expect(await heading(widget)).toBe('كن أول من يعلّق');
    });

    it('lets the demo page try a language and a theme (?lang=, ?theme=), and refuses others', async () => {
      const { page, problems } = await newPage({ colorScheme: 'light' });
      await page.goto(`${base}/demo/${uniqueArticle('demo')}?lang=ar&theme=dark`);
      const widget = page.locator('[data-comments]');
      await eventually(async () =>
        expect(await textOf(widget.locator('section.root > h2'))).toBe('كن أول من يعلّق'),
      );
      expect(await widget.locator('section.root').getAttribute('dir')).toBe('rtl');
      expect(
        await widget.evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
            ).getComputedStyle(el).backgroundColor,
        ),
      ).toBe('rgb(21, 24, 28)');
      expect(problems).toEqual({ errors: [], csp: [], dialogs: [] });

      for (const query of ['lang=%22%3E%3Cscript%3E', 'theme=blue']) {
        const res = await t.http.get(`/demo/x?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });

    it('follows prefers-color-scheme in auto, obeys light and dark, paints its own surface, and passes axe in each', async () => {
      const article = uniqueArticle('themes');
      const id = await published(article, 'Readable in every theme');
      await t.http.post(`/v1/moderation/comments/${id}/feature`).set(auth()).send({}).expect(200);
      await likeFromElsewhere(id);

      const background = (widget: Locator) =>
        widget.evaluate(
          (el) =>
            (
              globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
            ).getComputedStyle(el).backgroundColor,
        );
      const DARK = 'rgb(21, 24, 28)';
      const LIGHT = 'rgb(255, 255, 255)';
      const cases: Array<{
        scheme: 'light' | 'dark';
        theme: string | null;
        page: string;
        bg: string;
      }> = [
        // auto (the default) follows the reader's preference, on a page of either colour.
        { scheme: 'dark', theme: null, page: 'background:#fff;color:#000', bg: DARK },
        { scheme: 'light', theme: null, page: 'background:#111;color:#eee', bg: LIGHT },
        { scheme: 'dark', theme: 'auto', page: 'background:#000', bg: DARK },
        // explicit themes win over the preference.
        { scheme: 'dark', theme: 'light', page: 'background:#000', bg: LIGHT },
        { scheme: 'light', theme: 'dark', page: 'background:#fff', bg: DARK },
      ];
      for (const c of cases) {
        const { page, problems } = await newPage({ colorScheme: c.scheme });
        const widget = await openPublisherPage(
          page,
          `data-site="${SITE}" data-article="${article}"${c.theme ? ` data-theme="${c.theme}"` : ''}`,
          { bodyStyle: c.page },
        );
        await eventually(async () =>
          expect(await widget.locator('section.featured').isVisible()).toBe(true),
        );
        expect({ ...c, bg: await background(widget) }).toEqual(c);
        expect(await widget.getAttribute('data-theme')).toBe(c.theme ?? 'auto');
        // Contrast (and the rest of WCAG 2 AA that axe checks) in this theme.
        expect({ case: c, violations: await axe(page) }).toEqual({ case: c, violations: [] });
        expect(problems.errors).toEqual([]);
      }

      // The check can fail: a publisher's pale grey for muted text is caught.
      const { page } = await newPage({ colorScheme: 'light' });
      const pale = await openPublisherPage(
        page,
        `data-site="${SITE}" data-article="${article}" data-theme="light" style="--cw-muted:#c8c8c8"`,
      );
      await eventually(async () =>
        expect(await pale.locator('section.featured').isVisible()).toBe(true),
      );
      expect((await axe(page)).map((v) => v.id)).toContain('color-contrast');
    });
  },
);
