import { SignJWT } from 'jose';
import type { Locator, Page } from 'playwright-core';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { putSite, submit, waitForStatus } from '../utils/api.js';
import { sql } from '../utils/events.js';
import { describeWithBrowser, eventually, textOf } from '../utils/browser.js';
import { useBrowserApp } from '../utils/browser-app.js';
import type { TestApp } from '../utils/test-app.js';

const SECRET = 'widget-sso-secret-0123456789abcdef-012345';

function identity(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(SECRET));
}

/** The widget's sign-in (SSO) and "notify me of replies" in a real browser (Debian's Chromium). */
describeWithBrowser('the widget with the publisher’s login and reply notifications', () => {
  const app = useBrowserApp({ bundle: 'widget' });
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    ({ t, base } = app);
    await putSite(t, 'sso-widget', {
      name: 'SSO widget',
      allowedOrigins: [],
      settings: { moderation: { mode: 'post' }, identity: { ssoSecret: SECRET } },
    });
  });

  async function publisherPage(body: string): Promise<{ page: Page; widget: Locator }> {
    const { page } = await app.newPage();
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
  it('sends the signed-in reader’s identity with likes and reports (counted by sub)', async () => {
    const article = uniqueArticle('wsso');
    const res = await submit(
      t,
      article,
      makeComment({ name: 'Liked Author', body: 'Worth a like.' }),
      { siteId: 'sso-widget' },
    );
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    await waitForStatus(t, id, ['approved']);
    const token = await identity({ sub: 'reader-9', email: 'nine@example.org', name: 'Nine' });
    const { page, widget } = await publisherPage(
      `<div data-comments data-site="sso-widget" data-article="${article}" data-sso-token="${token}"></div>`,
    );
    const reactions = (method: string) =>
      page.waitForRequest((r) => r.method() === method && r.url().endsWith(`/${id}/reactions`));

    const like = widget.getByRole('button', { name: /^Like the comment by Liked Author/ });
    let request = reactions('POST');
    await like.click();
    expect((await request).postDataJSON()).toEqual({ type: 'like', identity: token });
    expect((await (await request).response())?.status()).toBe(200);
    await eventually(async () => expect(await like.getAttribute('aria-pressed')).toBe('true'));
    const keys = await sql<{ reader: Buffer }>(
      t,
      `SELECT reader FROM comment_reactions WHERE comment_id = $1`,
      [id],
    );
    // The reader is the token's subject (`s` + keyed hash), not the browser's address.
    expect(keys.map((k) => k.reader.subarray(0, 1).toString())).toEqual(['s']);

    request = reactions('DELETE');
    await like.click();
    expect((await request).postDataJSON()).toEqual({ identity: token });
    expect((await (await request).response())?.status()).toBe(200);
    await eventually(async () => expect(await like.getAttribute('aria-pressed')).toBe('false'));

    const flagged = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith(`/${id}/flags`),
    );
    await widget.getByRole('button', { name: 'Report the comment by Liked Author' }).click();
    const dialog = widget.getByRole('dialog', { name: 'Report this comment' });
    await dialog.getByRole('button', { name: 'Send report' }).click();
    expect((await flagged).postDataJSON()).toMatchObject({ identity: token });
    expect((await (await flagged).response())?.status()).toBe(202);
  });
});
