import type { Page } from 'playwright-core';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { eventually, isFocused, textOf, type PageProblems } from '../utils/browser.js';
import { useBrowserApp } from '../utils/browser-app.js';
import { ADMIN_TOKEN, type TestApp } from '../utils/test-app.js';
import { maskEmail } from '../../src/moderation/ban-mask.js';

/**
 * The console's trust-and-safety view (`#trust`) in a real browser: the Reported queue
 * (Dismiss, Reject with a reason code), the Appeals queue, a comment's history with Delete,
 * bans, closing an article and the transparency figures — by mouse and by keyboard.
 */
describe('the console: trust and safety', () => {
  const app = useBrowserApp({
    bundle: 'console',
    viewport: { width: 1280, height: 900 },
    actionTimeoutMs: 10_000,
  });
  let t: TestApp;
  let base: string;
  let moderator: string;
  const SITE = 'console-trust';

  beforeAll(async () => {
    ({ t, base } = app);
    await putSite(t, SITE, {
      name: 'Console trust',
      settings: { moderation: { mode: 'post' }, spam: { spamThreshold: 1, holdThreshold: 1 } },
    });
    const token = await t.http
      .post('/v1/admin/tokens')
      .set(auth())
      .send({ name: 'console-trust', role: 'moderator', siteIds: [SITE] });
    moderator = token.body.token as string;
  });

  async function openTrust(token: string): Promise<{ page: Page; problems: PageProblems }> {
    const { page, problems } = await app.newPage();
    await page.goto(`${base}/moderate?poll=600000&undo=600`);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.waitForSelector('#tab-held');
    await page.getByRole('link', { name: 'Trust and safety' }).click();
    await page.waitForSelector('#trust-title');
    await eventually(async () => expect(await isFocused(page.locator('#trust-title'))).toBe(true));
    return { page, problems };
  }

  async function published(name: string, article = uniqueArticle()) {
    const res = await submit(t, article, makeComment({ name }), { siteId: SITE });
    await waitForStatus(t, res.body.id, ['approved']);
    return { id: res.body.id as string, receipt: res.body.receipt as string, article };
  }

  const item = async (id: string) =>
    (await t.http.get(`/v1/moderation/comments/${id}`).set(auth())).body as {
      status: string;
      flags: { count: number };
    };
  const status = (page: Page) => textOf(page.locator('.status-line'));
  const noProblems = (problems: PageProblems) =>
    expect(problems).toEqual({ errors: [], csp: [], dialogs: [] });

  it('works the Reported queue: dismiss (by keyboard) and reject with a reason code', async () => {
    const a = await published('Reported Ann');
    const b = await published('Reported Bob');
    for (const [id, reason] of [
      [a.id, 'abuse'],
      [b.id, 'off-topic'],
    ]) {
      const res = await t.http.post(`/v1/comments/${id}/flags`).send({ reason });
      expect(res.status).toBe(202);
    }
    const { page, problems } = await openTrust(moderator);
    const reported = page.getByRole('list', { name: 'Reported comments' });
    await eventually(async () => expect(await textOf(reported)).toContain('Reported Ann'));
    expect(await textOf(reported)).toContain('1 report: abuse 1');

    const dismiss = page.getByRole('button', {
      name: 'Dismiss the reports on Reported Ann’s comment',
    });
    await dismiss.focus();
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await status(page)).toContain('dismissed'));
    expect((await item(a.id)).flags.count).toBe(0);
    expect((await item(a.id)).status).toBe('approved');
    await eventually(async () => expect(await textOf(reported)).not.toContain('Reported Ann'));

    const card = page.locator('li.trust-card', { hasText: 'Reported Bob' });
    await card.getByLabel('Reason').selectOption('off-topic');
    await page.getByRole('button', { name: 'Reject Reported Bob’s comment' }).click();
    await eventually(async () => expect(await status(page)).toContain('rejected (off-topic)'));
    expect((await item(b.id)).status).toBe('rejected');
    const receipt = await t.http.get(`/v1/comments/${b.id}?receipt=${b.receipt}`);
    expect(receipt.body.decision.reasonCode).toBe('off-topic');
    noProblems(problems);
  });

  it('works the Appeals queue and shows a comment’s history, then deletes it', async () => {
    const c = await published('Appealing Cy');
    await t.http
      .post(`/v1/moderation/comments/${c.id}/decision`)
      .set(auth())
      .send({ action: 'reject', reasonCode: 'abuse', reason: 'first look' })
      .expect(200);
    await t.http
      .post(`/v1/comments/${c.id}/appeal`)
      .send({ receipt: c.receipt, message: 'I was quoting the article.' })
      .expect(202);
    const { page, problems } = await openTrust(moderator);
    const appeals = page.getByRole('list', { name: 'Open appeals' });
    await eventually(async () =>
      expect(await textOf(appeals)).toContain('I was quoting the article.'),
    );

    // History first: every change, with the reason code.
    await appeals.getByRole('button', { name: 'History' }).click();
    const history = page.locator('table.history');
    await eventually(async () => expect(await textOf(history)).toContain('abuse: first look'));
    expect(await isFocused(page.getByRole('heading', { name: /History of Appealing Cy/ }))).toBe(
      true,
    );

    await page
      .getByRole('button', { name: 'Reverse and publish: the appeal of Appealing Cy' })
      .click();
    await eventually(async () => expect(await status(page)).toContain('reversed'));
    expect((await item(c.id)).status).toBe('approved');
    await eventually(async () => expect(await textOf(appeals)).toContain('No open appeals.'));

    // Look a comment up by id and delete it.
    await page.getByLabel('Comment id').fill(c.id);
    await page.getByRole('button', { name: 'Show history' }).click();
    await eventually(async () => expect(await textOf(history)).toContain('approve'));
    await page.getByRole('button', { name: 'Delete Appealing Cy’s comment' }).click();
    await eventually(async () => expect(await status(page)).toContain('deleted'));
    expect((await item(c.id)).status).toBe('deleted');
    noProblems(problems);
  });

  it('adds and lifts a ban, closes an article and shows the transparency figures (admin)', async () => {
    const { page, problems } = await openTrust(ADMIN_TOKEN);
    const email = `troll-${Date.now()}@example.org`;
    await page.getByLabel('Email or IP address').fill(email);
    await page.getByLabel('Reason (internal)').fill('Repeated abuse');
    await page.getByRole('button', { name: 'Add ban' }).click();
    const bans = page.getByRole('list', { name: 'Bans' });
    // Bans keep only a keyed hash and a masked form of the address (issue 13): the list shows that.
    const masked = maskEmail(email);
    await eventually(async () => expect(await textOf(bans)).toContain(masked));
    expect(await textOf(bans)).not.toContain(email);
    const banned = await submit(t, uniqueArticle(), makeComment({ email }), { siteId: SITE });
    expect((await waitForStatus(t, banned.body.id, ['rejected'])).status).toBe('rejected');
    await page.getByRole('button', { name: `Lift the ban on ${masked}` }).click();
    await eventually(async () => expect(await textOf(bans)).not.toContain(masked));

    const article = uniqueArticle();
    await page.getByLabel('Site', { exact: true }).fill(SITE);
    await page.getByLabel('Article id').fill(article);
    await page
      .locator('section[aria-labelledby=trust-articles]')
      .getByRole('button', { name: 'Save' })
      .click();
    await eventually(async () =>
      expect(await status(page)).toContain(`Comments on ${article} are closed`),
    );
    expect((await submit(t, article, makeComment(), { siteId: SITE })).status).toBe(403);

    await page.getByRole('button', { name: 'Show figures' }).click();
    const figures = page.getByRole('table', { name: 'Transparency figures' });
    await eventually(async () => expect(await textOf(figures)).toContain('Reports received'));
    expect(await textOf(figures)).toMatch(/Decisions by people\s*\d+ \(/);
    noProblems(problems);
  });

  it('opens a queued comment’s history from its card, shows its reports, and deletes it', async () => {
    await putSite(t, 'console-trust-pre', {
      name: 'Pre',
      settings: {
        moderation: { mode: 'post', flagThreshold: 1 },
        spam: { spamThreshold: 1, holdThreshold: 1 },
      },
    });
    const res = await submit(t, uniqueArticle(), makeComment({ name: 'Queued Quinn' }), {
      siteId: 'console-trust-pre',
    });
    await waitForStatus(t, res.body.id, ['approved']);
    await t.http.post(`/v1/comments/${res.body.id}/flags`).send({ reason: 'illegal' }).expect(202);
    await waitForStatus(t, res.body.id, ['held']);

    const { page, problems } = await app.newPage();
    await page.goto(`${base}/moderate?poll=600000&undo=600`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#tab-held');
    const card = page.locator('li.item', { hasText: 'Queued Quinn' });
    await eventually(async () => expect(await textOf(card)).toContain('Reports1 (illegal 1)'));
    await card
      .getByRole('button', { name: 'History of the comment by Queued Quinn, and delete' })
      .click();
    const heading = page.getByRole('heading', { name: /History of Queued Quinn/ });
    await eventually(async () => expect(await isFocused(heading)).toBe(true));
    expect(await textOf(page.locator('table.history'))).toContain('system:flags');
    await page.getByRole('button', { name: 'Delete Queued Quinn’s comment' }).click();
    await eventually(async () => expect((await item(res.body.id)).status).toBe('deleted'));
    noProblems(problems);
  });

  it('offers no transparency figures to a moderator', async () => {
    const { page, problems } = await openTrust(moderator);
    expect(await page.getByRole('heading', { name: 'Transparency' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Reported' }).count()).toBe(1);
    noProblems(problems);
  });
});
