import type { Locator, Page } from 'playwright-core';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { eventually, isFocused, textOf, type PageProblems } from '../utils/browser.js';
import { useBrowserApp } from '../utils/browser-app.js';
import type { TestApp } from '../utils/test-app.js';

const NO_PROBLEMS: PageProblems = { errors: [], csp: [], dialogs: [] };

/**
 * The widget's trust-and-safety parts in a real browser: Report (a dialog with the reasons),
 * the author's Edit and Delete on their own comment, and the statement of reasons on an own
 * comment that was not published.
 */
describe('the widget: report, edit, delete, statement of reasons', () => {
  const app = useBrowserApp({ bundle: 'widget' });
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    ({ t, base } = app);
    const rules = { spam: { spamThreshold: 1, holdThreshold: 1 } };
    await putSite(t, 'tw-post', {
      name: 'Post',
      settings: { ...rules, moderation: { mode: 'post' } },
    });
    await putSite(t, 'tw-pre', {
      name: 'Pre',
      settings: { ...rules, moderation: { mode: 'pre' } },
    });
  });
  const newPage = (): Promise<{ page: Page; problems: PageProblems }> => app.newPage();

  async function openDemo(page: Page, article: string, site: string): Promise<Locator> {
    await page.goto(`${base}/demo/${article}?site=${site}`);
    const widget = page.locator('[data-comments]');
    await eventually(async () =>
      expect(await textOf(widget.getByRole('heading', { level: 2 }))).toMatch(/Comment|first/),
    );
    return widget;
  }

  async function postThroughWidget(page: Page, widget: Locator, body: string): Promise<string> {
    const c = makeComment({ body });
    await widget.getByRole('textbox', { name: 'Name', exact: true }).fill(c.name);
    await widget.getByRole('textbox', { name: 'Email', exact: true }).fill(c.email);
    await widget.getByRole('textbox', { name: 'Comment', exact: true }).fill(body);
    const response = page.waitForResponse(
      (r) => r.request().method() === 'POST' && /\/comments$/.test(r.url()),
    );
    await widget.getByRole('button', { name: 'Post Comment' }).click();
    const res = await response;
    expect(res.status()).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  const moderation = async (id: string) =>
    (await t.http.get(`/v1/moderation/comments/${id}`).set(auth())).body as {
      status: string;
      body: string;
      flags: { count: number; reasons: Record<string, number> };
    };

  it('reports a comment through a dialog with the reasons, and gives focus back', async () => {
    const article = uniqueArticle();
    const sent = await submit(t, article, makeComment({ name: 'Ann Other' }), {
      siteId: 'tw-post',
    });
    await waitForStatus(t, sent.body.id, ['approved']);
    const { page, problems } = await newPage();
    const widget = await openDemo(page, article, 'tw-post');
    const report = widget.getByRole('button', { name: 'Report the comment by Ann Other' });
    await report.click();
    const dialog = widget.getByRole('dialog', { name: 'Report this comment' });
    await eventually(async () => expect(await dialog.isVisible()).toBe(true));
    const group = dialog.getByRole('group', { name: /Why should the moderators/ });
    expect(await group.getByRole('radio').count()).toBe(6);
    await dialog.getByRole('radio', { name: 'Abusive, harassing or hateful' }).check();
    await dialog.getByRole('textbox').fill('Insults another reader');
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await eventually(async () =>
      expect(await textOf(widget.getByRole('status').first())).toContain('Your report was sent'),
    );
    expect(await dialog.isVisible()).toBe(false);
    expect(await isFocused(report)).toBe(true);
    expect((await moderation(sent.body.id)).flags).toEqual({ count: 1, reasons: { abuse: 1 } });

    // Escape closes the dialog without sending anything.
    await report.click();
    await eventually(async () => expect(await dialog.isVisible()).toBe(true));
    await page.keyboard.press('Escape');
    await eventually(async () => expect(await dialog.isVisible()).toBe(false));
    expect((await moderation(sent.body.id)).flags.count).toBe(1);
    expect(problems).toEqual(NO_PROBLEMS);
  });

  it('speaks the page’s language in the report dialog', async () => {
    const article = uniqueArticle();
    const sent = await submit(t, article, makeComment({ name: 'Bea' }), { siteId: 'tw-post' });
    await waitForStatus(t, sent.body.id, ['approved']);
    const { page, problems } = await newPage();
    await page.goto(`${base}/demo/${article}?site=tw-post&lang=de`);
    const widget = page.locator('[data-comments]');
    const report = widget.getByRole('button', { name: 'Den Kommentar von Bea melden' });
    await eventually(async () => expect(await report.count()).toBe(1));
    await report.click();
    const dialog = widget.getByRole('dialog', { name: 'Diesen Kommentar melden' });
    await eventually(async () => expect(await dialog.isVisible()).toBe(true));
    expect(await dialog.getByRole('radio', { name: 'Rechtswidriger Inhalt' }).count()).toBe(1);
    expect(problems).toEqual(NO_PROBLEMS);
  });

  it('lets the author edit their published comment (moderated again) and then delete it', async () => {
    const article = uniqueArticle();
    const { page, problems } = await newPage();
    const widget = await openDemo(page, article, 'tw-post');
    const id = await postThroughWidget(page, widget, 'My first wording.');
    await waitForStatus(t, id, ['approved']);
    // Published: shown in the thread with the author's own actions (and no Report on it).
    const edit = widget.getByRole('button', { name: 'Edit your comment' });
    await eventually(async () => expect(await edit.count()).toBe(1), { timeout: 15_000 });
    expect(await widget.getByRole('button', { name: /^Report/ }).count()).toBe(0);
    await edit.click();
    const box = widget.getByRole('textbox', { name: 'Edit your comment' });
    expect(await box.inputValue()).toBe('My first wording.');
    expect(await isFocused(box)).toBe(true);
    await box.fill('My better wording.');
    await widget.getByRole('button', { name: 'Save' }).click();
    await eventually(async () =>
      expect(await textOf(widget.locator('.pending .notice'))).toBe(
        'Your comment is awaiting moderation.',
      ),
    );
    await waitForStatus(t, id, ['approved']);
    expect((await moderation(id)).body).toBe('My better wording.');
    // Published again: the new text in the thread.
    await eventually(
      async () => expect(await textOf(widget.locator(`#c-${id} .body`))).toBe('My better wording.'),
      { timeout: 15_000 },
    );

    await widget.getByRole('button', { name: 'Delete your comment' }).click();
    const confirm = widget.getByRole('group', { name: 'Delete your comment?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(async () => expect(await widget.locator(`#c-${id}`).count()).toBe(0));
    expect((await moderation(id)).status).toBe('deleted');
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);

  it("shows the statement of reasons on the author's rejected comment, also after a reload", async () => {
    const article = uniqueArticle();
    const { page, problems } = await newPage();
    const widget = await openDemo(page, article, 'tw-pre');
    const id = await postThroughWidget(page, widget, 'Held for a person.');
    await waitForStatus(t, id, ['held']);
    const decided = await t.http
      .post(`/v1/moderation/comments/${id}/decision`)
      .set(auth())
      .send({ action: 'reject', reasonCode: 'off-topic', reason: 'INTERNAL note' });
    expect(decided.status).toBe(200);
    const statement = widget.locator('.decision');
    await eventually(
      async () =>
        expect(await textOf(statement)).toMatch(
          /^Your comment was not published\. The comment was removed because it is off topic\. You may ask for a review until/,
        ),
      { timeout: 15_000 },
    );
    expect(await textOf(widget)).not.toContain('INTERNAL');
    await page.reload();
    await eventually(
      async () => expect(await textOf(widget.locator('.decision'))).toContain('off topic'),
      { timeout: 15_000 },
    );
    // Complaint handling: the author asks for a review from the widget.
    await widget.getByRole('button', { name: 'Ask for a review' }).click();
    const why = widget.getByRole('textbox', { name: 'Why should the moderators look again?' });
    expect(await isFocused(why)).toBe(true);
    await why.fill('It answers the question in the article.');
    await widget.getByRole('button', { name: 'Send', exact: true }).click();
    await eventually(async () =>
      expect(await textOf(widget.locator('.decision'))).toContain('sent to the moderators'),
    );
    const appeals = await t.http.get('/v1/moderation/appeals?siteId=tw-pre').set(auth());
    expect(appeals.body.items).toEqual([
      expect.objectContaining({
        commentId: id,
        message: 'It answers the question in the article.',
      }),
    ]);
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);
});
