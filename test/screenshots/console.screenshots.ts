import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { describeWithBrowser, launchChromium, listen } from '../utils/browser.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * `npm run screenshots`: the README's pictures of the moderator console (docs/screenshots/),
 * taken in Debian's Chromium against the real service. Not part of `npm test`.
 */
const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const SITE = 'gazette';
const ARTICLE = 'kellwick-ferry';

describeWithBrowser('README screenshots of the moderator console', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [fileURLToPath(new URL('../../console/build.mjs', import.meta.url)), '--no-typecheck'],
      { stdio: 'inherit' },
    );
    t = await createTestApp();
    base = await listen(t);
    browser = await launchChromium();
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const post = async (body: Record<string, unknown>, article = ARTICLE) => {
    const res = await submit(t, article, body, { siteId: SITE });
    expect(res.status).toBe(202);
    return (await waitForStatus(t, res.body.id as string, ['held', 'approved', 'spam']))
      .id as string;
  };
  const decide = (id: string, action: string) =>
    t.http.post(`/v1/moderation/comments/${id}/decision`).set(auth()).send({ action }).expect(200);

  it('writes the console at 1280×800 and on a phone', async () => {
    const site = await putSite(t, SITE, {
      name: 'The Estuary Gazette',
      settings: { moderation: { mode: 'pre', holdWords: ['ferry tax'], maxLinks: 1 } },
    });
    expect(site.status).toBe(201);
    const wenna = { name: 'Wenna Carhart', email: 'wenna@example.org' };
    const earlier = await post({ ...wenna, body: 'The harbour looks wonderful this spring.' });
    await decide(earlier, 'approve');
    const parent = await post({
      name: 'Idris Moyle',
      email: 'idris@example.org',
      website: 'https://kellwick-ferry.example',
      body: 'The trust is collecting photographs of the *Marigold* for a small exhibition.',
    });
    await decide(parent, 'approve');
    await post({
      ...wenna,
      parentId: parent,
      body: 'My grandfather crewed her in the fifties. I have **three** photographs; I will bring them to the harbour office on Saturday.',
    });
    await post({
      name: 'Tom Bassett',
      email: 'tom@example.org',
      body: 'Will there be room for bicycles? The coast road is no fun on two wheels in August.',
    });
    await post({
      name: 'Deals Daily',
      email: 'deals@example.net',
      website: 'http://deals.example',
      body: 'Avoid the ferry tax! Cheap crossings at https://deals.example and https://cheap.example',
    });
    await post(
      {
        name: 'Saltings resident',
        email: 'resident@example.org',
        body: 'Where are passengers supposed to park at the Saltings landing stage?',
      },
      'saltings-parking',
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/moderate?undo=5000`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.locator('li.item').nth(3).waitFor();
    await page.locator('.parent blockquote').first().waitFor();
    await page.locator('li.item').nth(2).locator('input.select-box').check();
    await page.locator('li.item').nth(3).locator('input.select-box').check();
    await page.locator('li.item').nth(0).locator('div.body').click();
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}console-queue.png` });

    // Undo: a decision waiting to be sent.
    await page.keyboard.press('a');
    await page.locator('.toast').waitFor();
    await page.screenshot({ path: `${OUT}console-undo.png` });
    await page.click('.toast button.undo');

    await page.goto(`${base}/moderate#settings`);
    await page.selectOption('#settings-site', SITE);
    await page.fill('#field-settings-spam-spamThreshold', '0.4');
    await page.click('button:has-text("Save settings")');
    await page.locator('.error-summary').waitFor();
    await page.screenshot({ path: `${OUT}console-settings.png`, fullPage: false });
    await context.close();

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const mobile = await phone.newPage();
    await mobile.goto(`${base}/moderate`);
    await mobile.fill('#token', ADMIN_TOKEN);
    await mobile.click('button[type=submit]');
    await mobile.locator('li.item').nth(1).waitFor();
    await mobile.locator('.parent blockquote').first().waitFor();
    await mobile.screenshot({ path: `${OUT}console-phone.png` });
    await phone.close();
  });
});
