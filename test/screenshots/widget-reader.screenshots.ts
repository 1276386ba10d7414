import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import {
  buildWidget,
  describeWithBrowser,
  eventually,
  launchChromium,
  listen,
  textOf,
} from '../utils/browser.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * `npm run screenshots`: the README's pictures of the widget in its light and dark themes and
 * in Arabic (docs/screenshots/widget-light.png, widget-dark.png, widget-arabic.png), on a
 * publisher's page of another origin, in Debian's Chromium against the real service.
 */
const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const SITE = 'gazette';

type Entry = {
  key: string;
  name: string;
  body: string;
  parent?: string;
  likes?: number;
  featured?: boolean;
};

const ENGLISH: Entry[] = [
  {
    key: 'wenna',
    name: 'Wenna Carhart',
    body: 'My grandfather crewed the *Marigold* in the fifties and always said she handled better than boats twice her size.',
    likes: 4,
    featured: true,
  },
  {
    key: 'idris',
    parent: 'wenna',
    name: 'Idris Moyle',
    body: 'Wenna, we would love to see any photographs he kept for the exhibition in the old harbour office.',
    likes: 2,
  },
  {
    key: 'tom',
    name: 'Tom Bassett',
    body: 'Will there be room for bicycles? The coast road is no fun on two wheels in August.',
    likes: 1,
  },
];

const ARABIC: Entry[] = [
  {
    key: 'layla',
    name: 'ليلى حداد',
    body: 'خبر رائع. كان جدي يعمل على متن العبّارة في الخمسينيات، وكان يقول دائمًا إنها أفضل قارب في الميناء.',
    likes: 3,
    featured: true,
  },
  {
    key: 'omar',
    parent: 'layla',
    name: 'عمر الخطيب',
    body: 'يا ليلى، نودّ أن نرى أي صور احتفظ بها لمعرض مكتب الميناء القديم.',
    likes: 2,
  },
  {
    key: 'sara',
    name: 'سارة منصور',
    body: 'هل سيكون هناك مكان للدراجات الهوائية؟',
  },
];

describeWithBrowser('README screenshots: themes and languages', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let publisher: Server;
  let origin: string;
  const pages = new Map<string, string>();
  let readers = 0;

  beforeAll(async () => {
    buildWidget();
    publisher = createServer((req, res) => {
      const html = pages.get(req.url ?? '');
      res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    base = await listen(t);
    await putSite(t, SITE, {
      name: 'The Gazette',
      allowedOrigins: [origin],
      settings: { moderation: { mode: 'post' } },
    });
    browser = await launchChromium();
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => publisher?.close(resolve));
  });

  async function seed(article: string, entries: Entry[]): Promise<void> {
    const ids: Record<string, string> = {};
    for (const c of entries) {
      const res = await submit(
        t,
        article,
        {
          name: c.name,
          email: `${c.key}@example.org`,
          body: c.body,
          ...(c.parent ? { parentId: ids[c.parent] } : {}),
        },
        { siteId: SITE },
      );
      ids[c.key] = res.body.id as string;
      const item = await waitForStatus(t, ids[c.key], ['approved', 'held', 'spam']);
      if (item.status !== 'approved') {
        await t.http
          .post(`/v1/moderation/comments/${ids[c.key]}/decision`)
          .set(auth())
          .send({ action: 'approve' })
          .expect(200);
      }
      for (let i = 0; i < (c.likes ?? 0); i++) {
        readers++;
        await t.http
          .post(`/v1/comments/${ids[c.key]}/reactions`)
          .set('X-Forwarded-For', `198.51.100.${readers}`)
          .send({ type: 'like' })
          .expect(200);
      }
      if (c.featured) {
        await t.http
          .post(`/v1/moderation/comments/${ids[c.key]}/feature`)
          .set(auth())
          .send({})
          .expect(200);
      }
    }
  }

  async function shoot(
    file: string,
    article: string,
    opts: { attrs?: string; lang: string; scheme: 'light' | 'dark'; page: string; heading: string },
  ): Promise<void> {
    const path = `/${file}`;
    pages.set(
      path,
      `<!doctype html><html lang="${opts.lang}"><head><meta charset="utf-8"><title>Gazette</title></head>` +
        `<body style="margin:0;padding:24px;font-family:Georgia,serif;${opts.page}">` +
        `<div data-comments data-site="${SITE}" data-article="${article}" ${opts.attrs ?? ''}></div>` +
        `<script src="${base}/widget.js"></script></body></html>`,
    );
    const context = await browser.newContext({
      viewport: { width: 820, height: 900 },
      deviceScaleFactor: 1,
      colorScheme: opts.scheme,
      locale: opts.lang === 'ar' ? 'ar' : 'en-GB',
      timezoneId: 'Europe/London',
    });
    const page = await context.newPage();
    await page.goto(`${origin}${path}`);
    const widget = page.locator('[data-comments]');
    await eventually(async () =>
      expect(await textOf(widget.locator('section.root > h2'))).toBe(opts.heading),
    );
    await eventually(async () =>
      expect(await widget.locator('section.featured').isVisible()).toBe(true),
    );
    await widget
      .getByRole('button', { name: /^(Like the comment by Tom Bassett|أعجبني تعليق سارة منصور)$/ })
      .click();
    await eventually(async () =>
      expect(await widget.locator('button.like[aria-pressed=true]').count()).toBe(1),
    );
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}${file}`, fullPage: true });
    await context.close();
  }

  it('writes the light, dark and Arabic pictures', async () => {
    await seed('ferry-light', ENGLISH);
    await shoot('widget-light.png', 'ferry-light', {
      lang: 'en',
      scheme: 'light',
      page: 'background:#f4f1ea',
      heading: '3 Comments',
    });
    await shoot('widget-dark.png', 'ferry-light', {
      lang: 'en',
      scheme: 'dark',
      page: 'background:#0b0d10',
      attrs: 'data-sort="top"',
      heading: '3 Comments',
    });
    await seed('ferry-ar', ARABIC);
    const three = new Intl.NumberFormat('ar').format(3);
    await shoot('widget-arabic.png', 'ferry-ar', {
      lang: 'ar',
      scheme: 'light',
      page: 'background:#fff',
      heading: `${three} تعليقات`,
    });
  }, 90_000);
});
