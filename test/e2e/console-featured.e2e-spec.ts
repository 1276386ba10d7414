import type { Page } from 'playwright-core';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, thread, waitForStatus } from '../utils/api.js';
import { describeWithBrowser, eventually, isFocused, textOf } from '../utils/browser.js';
import { useBrowserApp } from '../utils/browser-app.js';
import type { TestApp } from '../utils/test-app.js';

/** Issue 20 in the moderators' console: the Feature button and the `f` key on approved comments. */
describeWithBrowser('featuring comments from the console', () => {
  const app = useBrowserApp({ bundle: 'console' });
  let t: TestApp;
  let base: string;
  const SITE = 'console-picks';

  beforeAll(async () => {
    ({ t, base } = app);
    await putSite(t, SITE, { name: 'Picks', settings: { moderation: { mode: 'post' } } });
  });

  async function signedIn(): Promise<Page> {
    const { page, problems } = await app.newPage();
    page.on('close', () => expect(problems.errors).toEqual([]));
    await page.goto(`${base}/moderate?poll=600000&undo=600`);
    await page.fill('#token', 'test-admin-token-0123456789abcdef');
    await page.click('button[type=submit]');
    await page.waitForSelector('#tab-held');
    return page;
  }

  async function published(article: string, name: string): Promise<string> {
    const res = await submit(t, article, makeComment({ name, body: `Said by ${name}` }), {
      siteId: SITE,
    });
    const id = res.body.id as string;
    await waitForStatus(t, id, ['approved']);
    return id;
  }

  const featuredIds = async (article: string) =>
    ((await thread(t, article, '?featured=true', SITE)).body.comments as Array<{ id: string }>).map(
      (c) => c.id,
    );

  it('features with the button and unfeatures with f, showing the pressed state and telling the screen reader', async () => {
    const article = uniqueArticle('console-pick');
    const ann = await published(article, 'Ann Pick');
    await published(article, 'Bob Plain');

    // A second moderator watches the same queue: the pick reaches them live.
    const other = await signedIn();
    await other.click('#tab-approved');
    const othersCard = other.locator('li.item', {
      has: other.locator('h3.author', { hasText: 'Ann Pick' }),
    });
    await othersCard.waitFor();
    await eventually(async () =>
      expect(await textOf(other.locator('.live-status'))).toMatch(/live/i),
    );

    const page = await signedIn();
    await page.click('#tab-approved');
    const annCard = page.locator('li.item', {
      has: page.locator('h3.author', { hasText: 'Ann Pick' }),
    });
    await annCard.waitFor();
    const button = annCard.getByRole('button', { name: 'Feature the comment by Ann Pick' });
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    expect(await button.getAttribute('aria-keyshortcuts')).toBe('f');

    await button.click();
    await eventually(async () => expect(await featuredIds(article)).toEqual([ann]));
    const pressed = annCard.getByRole('button', { name: 'Feature the comment by Ann Pick' });
    await eventually(async () => expect(await pressed.getAttribute('aria-pressed')).toBe('true'));
    expect(await textOf(annCard.locator('.badge.featured'))).toBe('featured');
    await eventually(async () =>
      expect(await textOf(page.locator('.status-line'))).toMatch(
        /Featured the comment by Ann Pick/,
      ),
    );
    await eventually(async () =>
      expect(await textOf(othersCard.locator('.badge.featured'))).toBe('featured'),
    );
    // The card re-rendered; keyboard focus stays on the button.
    expect(await isFocused(pressed)).toBe(true);

    // The key f on the active comment toggles it back.
    await annCard.locator('article').focus();
    await page.keyboard.press('f');
    await eventually(async () => expect(await featuredIds(article)).toEqual([]));
    await eventually(async () =>
      expect(
        await annCard
          .getByRole('button', { name: 'Feature the comment by Ann Pick' })
          .getAttribute('aria-pressed'),
      ).toBe('false'),
    );

    // Its history records both, by this token.
    const item = await t.http.get(`/v1/moderation/comments/${ann}`).set(auth());
    const actions = (item.body.history as Array<{ action: string }>).map((h) => h.action);
    expect(actions).toEqual(expect.arrayContaining(['feature', 'unfeature']));

    // Held comments offer no Feature button.
    await page.click('#tab-held');
    expect(await page.getByRole('button', { name: /^Feature the comment/ }).count()).toBe(0);
  });
});
