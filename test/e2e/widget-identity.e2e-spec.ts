import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { uniqueArticle } from '../factories/comment.factory.js';
import { putSite, waitForStatus } from '../utils/api.js';
import {
  buildWidget,
  describeWithBrowser,
  eventually,
  launchChromium,
  listen,
  textOf,
} from '../utils/browser.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const SECRET = 'widget-sso-secret-0123456789abcdef-012345';

function identity(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(SECRET));
}

/** The widget's sign-in (SSO) and "notify me of replies" in a real browser (Debian's Chromium). */
describeWithBrowser('the widget with the publisher’s login and reply notifications', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    buildWidget();
    t = await createTestApp();
    base = await listen(t);
    await putSite(t, 'sso-widget', {
      name: 'SSO widget',
      allowedOrigins: [],
      settings: { moderation: { mode: 'post' }, identity: { ssoSecret: SECRET } },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  async function publisherPage(body: string): Promise<{ page: Page; widget: Locator }> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    const html =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Publisher</title></head>` +
      `<body>${body}<script src="${base}/widget.js"></script></body></html>`;
    await page.route(`${base}/publisher/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await page.goto(`${base}/publisher/article`);
    const widget = page.locator('[data-comments]');
    await eventually(async () =>
      expect(await textOf(widget.getByRole('heading', { level: 2 }))).toMatch(/Comment|first/),
    );
    return { page, widget };
  }

  const submitted = (page: Page) =>
    page.waitForRequest(
      (r) => r.method() === 'POST' && /\/articles\/[^/]+\/comments$/.test(r.url()),
    );

  it('takes the token from data-sso-token, hides name and email, and posts with notify', async () => {
    const article = uniqueArticle('wsso');
    const token = await identity({ sub: 'reader-7', email: 'seven@example.org', name: 'Seven' });
    const { page, widget } = await publisherPage(
      `<div data-comments data-site="sso-widget" data-article="${article}" data-sso-token="${token}"></div>`,
    );
    await eventually(async () =>
      expect(await widget.getByText('Commenting as Seven').isVisible()).toBe(true),
    );
    expect(await widget.getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(
      false,
    );
    expect(await widget.getByRole('textbox', { name: 'Email', exact: true }).isVisible()).toBe(
      false,
    );

    await widget.getByRole('textbox', { name: 'Comment', exact: true }).fill('Signed in comment.');
    await widget.getByRole('checkbox', { name: 'Notify me of replies by email' }).check();
    const request = submitted(page);
    await widget.getByRole('button', { name: 'Post Comment' }).click();
    const sent = (await request).postDataJSON() as Record<string, unknown>;
    expect(sent).toMatchObject({ identity: token, body: 'Signed in comment.', notify: 'replies' });
    expect(Object.keys(sent).filter((k) => ['name', 'email', 'website'].includes(k))).toEqual([]);
    const response = await (await request).response();
    expect(response?.status()).toBe(202);
    const { id } = (await response!.json()) as { id: string };
    const item = await waitForStatus(t, id, ['approved']);
    expect(item).toMatchObject({
      identity: { sub: 'reader-7', verified: true },
      email: 'seven@example.org',
    });
  });

  it('signs in through window.commentsWidget.setIdentity and says when the sign-in expired', async () => {
    const article = uniqueArticle('wsso');
    const { page, widget } = await publisherPage(
      `<div data-comments data-site="sso-widget" data-article="${article}"></div>`,
    );
    expect(await widget.getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(true);
    const expired = await identity({
      sub: 'reader-8',
      email: 'eight@example.org',
      name: 'Eight',
      exp: Math.floor(Date.now() / 1000) - 600,
    });
    await page.evaluate((jwt) => {
      (
        globalThis as unknown as { commentsWidget: { setIdentity(t: string): void } }
      ).commentsWidget.setIdentity(jwt);
    }, expired);
    await eventually(async () =>
      expect(await widget.getByText('Commenting as Eight').isVisible()).toBe(true),
    );
    expect(await widget.getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(
      false,
    );
    await widget.getByRole('textbox', { name: 'Comment', exact: true }).fill('Too late.');
    await widget.getByRole('button', { name: 'Post Comment' }).click();
    await eventually(async () =>
      expect(await widget.getByRole('status').allTextContents()).toContain(
        'Your sign-in has expired. Please sign in again, then post your comment.',
      ),
    );
  });
});
