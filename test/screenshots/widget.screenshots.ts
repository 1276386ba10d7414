import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { auth, submit, waitForStatus } from '../utils/api.js';
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
 * `npm run screenshots`: the README's pictures of the demo page (docs/screenshots/), taken in
 * Debian's Chromium against the real service. Not part of `npm test`.
 */
const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const ARTICLE = 'kellwick-ferry';

const THREAD: { key: string; name: string; website?: string; body: string; parent?: string }[] = [
  {
    key: 'wenna',
    name: 'Wenna Carhart',
    body: 'Lovely news. My grandfather crewed the *Marigold* in the fifties and always said she handled better than boats twice her size.',
  },
  {
    key: 'idris',
    parent: 'wenna',
    name: 'Idris Moyle',
    website: 'https://kellwick-ferry.example',
    body: 'Wenna, we would love to see any photographs he kept. The trust is collecting them for a small exhibition in the old harbour office.',
  },
  {
    key: 'tom',
    name: 'Tom Bassett',
    body: 'Will there be room for bicycles? The coast road is no fun on two wheels in August.',
  },
  {
    key: 'nora',
    parent: 'tom',
    name: 'Nora Penhallow',
    body: 'Up to four bikes per crossing, the trust says, and no extra charge.',
  },
];

describeWithBrowser('README screenshots', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    buildWidget();
    t = await createTestApp();
    base = await listen(t);
    browser = await launchChromium();
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('writes the demo page with a thread, the form and the awaiting-moderation notice', async () => {
    const ids: Record<string, string> = {};
    for (const c of THREAD) {
      const res = await submit(t, ARTICLE, {
        name: c.name,
        email: `${c.key}@example.org`,
        body: c.body,
        ...(c.website ? { website: c.website } : {}),
        ...(c.parent ? { parentId: ids[c.parent] } : {}),
      });
      expect(res.status).toBe(202);
      ids[c.key] = res.body.id;
      const item = await waitForStatus(t, res.body.id, ['approved', 'held', 'spam']);
      if (item.status !== 'approved') {
        await t.http
          .post(`/v1/moderation/comments/${res.body.id}/decision`)
          .set(auth())
          .send({ action: 'approve' })
          .expect(200);
      }
    }

    const context = await browser.newContext({
      viewport: { width: 900, height: 1000 },
      deviceScaleFactor: 1,
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    const page = await context.newPage();
    await page.goto(`${base}/demo/${ARTICLE}`);
    const widget = page.locator('[data-comments]');
    const heading = widget.getByRole('heading', { level: 2 });
    await eventually(async () => expect(await textOf(heading)).toBe('4 Comments'));
    await page.screenshot({ path: `${OUT}demo-page.png`, fullPage: true });
    await widget.screenshot({ path: `${OUT}widget-thread.png` });

    await widget.getByRole('textbox', { name: 'Name', exact: true }).fill('Jory Pascoe');
    await widget.getByRole('textbox', { name: 'Email', exact: true }).fill('jory@example.org');
    await widget
      .getByRole('textbox', { name: 'Comment', exact: true })
      .fill('Is there a timetable for the winter months yet?');
    await widget.getByRole('button', { name: 'Post Comment' }).click();
    const pending = widget.locator('li.pending');
    await eventually(async () =>
      expect(await textOf(pending)).toContain('Your comment is awaiting moderation'),
    );
    await page.mouse.move(0, 0);
    await widget.screenshot({ path: `${OUT}widget-awaiting-moderation.png` });
    await context.close();
  }, 60_000);
});
