import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { putSite, thread } from '../utils/api.js';
import { eventually, textOf } from '../utils/browser.js';
import { ROOT } from '../utils/service-process.js';
import { useBrowserApp } from '../utils/browser-app.js';
import { ADMIN_TOKEN, type TestApp } from '../utils/test-app.js';

/** Isso's public fixtures (MIT; attribution in test/fixtures/import/README.md). */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'import');

describe('console: import an export file', () => {
  const app = useBrowserApp({ bundle: 'console' });
  let t: TestApp;
  let base: string;
  beforeAll(() => {
    ({ t, base } = app);
  });

  it('uploads a WordPress export, follows the import and shows the summary and skipped records', async () => {
    const siteId = `console-import-${Math.random().toString(36).slice(2, 8)}`;
    expect((await putSite(t, siteId, { name: 'Imported news' })).status).toBe(201);
    const { page, problems } = await app.newPage();
    await page.goto(`${base}/moderate#imports`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#imports-heading');
    await page.waitForSelector(`#import-site option[value="${siteId}"]`, { state: 'attached' });
    await page.selectOption('#import-site', siteId);
    await page.selectOption('#import-format', 'wxr');

    await page.setInputFiles('#import-file', join(FIXTURES, 'isso-wordpress.xml'));
    await page.click('.imports button[type=submit]');
    await eventually(
      async () => expect(await textOf(page.locator('#import-status'))).toMatch(/^Done: 8 imported/),
      { timeout: 15_000 },
    );
    expect((await thread(t, 'test', '', siteId)).body.count).toBe(7);
    await eventually(async () =>
      expect(
        await page
          .locator('.import-history tbody tr')
          .first()
          .locator('td')
          .evaluateAll((cells) => cells.slice(1).map((c) => c.textContent)),
      ).toEqual([siteId, 'wxr', 'completed', '8 imported, 0 duplicates, 0 skipped']),
    );

    // A Disqus file with an orphan: the skipped record is listed with its line.
    await page.selectOption('#import-format', 'disqus');
    await page.setInputFiles('#import-file', {
      name: 'disqus.xml',
      mimeType: 'application/xml',
      buffer: readFileSync(join(FIXTURES, 'isso-disqus.xml')),
    });
    await page.click('.imports button[type=submit]');
    await eventually(
      async () =>
        expect(await textOf(page.locator('#import-status'))).toMatch(
          /^Done: 2 imported, 0 duplicates, 1 skipped, 1 problems/,
        ),
      { timeout: 15_000 },
    );
    expect(await textOf(page.locator('.import-result li'))).toMatch(/^Line 66: orphan/);

    // Without a file: a message, nothing sent.
    await page.setInputFiles('#import-file', []);
    await page.click('.imports button[type=submit]');
    expect(await textOf(page.locator('#import-status'))).toBe('Choose the export file first.');

    expect(problems.errors).toEqual([]);
    expect(problems.csp).toEqual([]);
  }, 60_000);
});
