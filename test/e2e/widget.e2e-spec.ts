import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey as pbkdf2 } from 'altcha-lib/algorithms/pbkdf2';
import type { Locator, Page, Request } from 'playwright-core';
import { DataSource } from 'typeorm';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import {
  describedBy,
  eventually,
  isFocused,
  textOf,
  type PageProblems,
  describeWithBrowser,
} from '../utils/browser.js';
import { useBrowserApp } from '../utils/browser-app.js';
import type { TestApp } from '../utils/test-app.js';

const NO_PROBLEMS: PageProblems = { errors: [], csp: [], dialogs: [] };
/** How often the widget re-reads the thread while its live stream is off (widget/src/widget.ts). */
const FALLBACK_REFRESH_MS = 30_000;

/**
 * The widget in a real browser (Debian's Chromium, headless, driven by playwright-core) against
 * the whole running service. Pages are either the service's own demo page (with its CSP) or a
 * "publisher page" answered by the browser itself on the service's origin with no CSP at all,
 * so that nothing but the widget stands between a stored payload and script execution.
 */
describeWithBrowser('the comments widget in a browser', () => {
  const app = useBrowserApp({ bundle: 'widget' });
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    ({ t, base } = app);
    await putSite(t, 'post-site', { name: 'Post', settings: { moderation: { mode: 'post' } } });
    await putSite(t, 'pre-site', { name: 'Pre', settings: { moderation: { mode: 'pre' } } });
  });
  const newPage = app.newPage;

  const heading = (widget: Locator) => widget.getByRole('heading', { level: 2 });
  /** A form field by its accessible name (the label, without the required-mark). */
  const field = (widget: Locator, label: string) =>
    widget.getByRole('textbox', { name: label, exact: true });

  /** The demo page, `GET /demo/{articleId}`; resolves once the thread has loaded. */
  async function openDemo(page: Page, article: string, site = 'default'): Promise<Locator> {
    await page.goto(`${base}/demo/${article}?site=${site}`);
    const widget = page.locator('[data-comments]');
    // Loaded (a count or the empty state) or refused: while loading, the heading reads just
    // "Comments" and the status "Loading comments…".
    await eventually(async () => {
      expect(await textOf(heading(widget))).toMatch(/Comment|first/);
      expect(await textOf(widget.getByRole('status').first())).not.toBe('Loading comments…');
    });
    return widget;
  }

  /** A publisher's own page (no CSP) embedding the widget with one script tag. */
  async function openPublisherPage(page: Page, body: string, head = ''): Promise<void> {
    const html =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Publisher</title>${head}</head>` +
      `<body><h1>The publisher's article</h1>${body}<script src="${base}/widget.js"></script></body></html>`;
    await page.route(`${base}/publisher/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await page.goto(`${base}/publisher/article`);
  }

  async function fill(
    widget: Locator,
    values: { name?: string; email?: string; website?: string; body?: string },
  ): Promise<void> {
    if (values.name !== undefined) await field(widget, 'Name').fill(values.name);
    if (values.email !== undefined) await field(widget, 'Email').fill(values.email);
    if (values.website !== undefined) await field(widget, 'Website').fill(values.website);
    if (values.body !== undefined) await field(widget, 'Comment').fill(values.body);
  }

  const isSubmit = (request: Request) =>
    request.method() === 'POST' &&
    /\/v1\/sites\/[^/]+\/articles\/[^/]+\/comments$/.test(request.url());

  /** Fills the form, presses "Post Comment" and returns the 202 body with the request. */
  async function post(
    page: Page,
    widget: Locator,
    values: { name: string; email: string; website?: string; body: string },
  ): Promise<{ id: string; receipt: string; request: Request }> {
    await fill(widget, values);
    const response = page.waitForResponse((r) => isSubmit(r.request()));
    await widget.getByRole('button', { name: 'Post Comment' }).click();
    const res = await response;
    expect(res.status()).toBe(202);
    const body = (await res.json()) as { id: string; receipt: string };
    return { ...body, request: res.request() };
  }

  async function approve(id: string): Promise<void> {
    const res = await t.http
      .post(`/v1/moderation/comments/${id}/decision`)
      .set(auth())
      .send({ action: 'approve' });
    expect(res.status).toBe(200);
  }

  /** A published comment, through the API (approved by a moderator if the site held it). */
  async function published(site: string, article: string, body: string): Promise<string> {
    const res = await submit(t, article, makeComment({ name: `Author of ${body}`, body }), {
      siteId: site,
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const status = await waitForStatus(t, id, ['approved', 'held', 'spam']);
    if (status.status !== 'approved') await approve(id);
    return id;
  }

  const storage = (page: Page) => page.evaluate(() => JSON.stringify(Object.entries(localStorage)));

  it('shows an empty article and the Leave a Reply form, within the demo page’s CSP', async () => {
    const { page, problems } = await newPage();
    const widget = await openDemo(page, uniqueArticle('empty'));

    expect(await textOf(heading(widget))).toBe('Be the first to comment');
    expect(await textOf(widget.getByRole('heading', { level: 3 }))).toBe('Leave a Reply');
    expect(
      await widget
        .getByText('Your email address will not be published. Required fields are marked *')
        .isVisible(),
    ).toBe(true);
    for (const [label, id] of [
      ['Name', 'name'],
      ['Email', 'email'],
      ['Website', 'website'],
      ['Comment', 'body'],
    ]) {
      const required = label !== 'Website';
      expect(await textOf(widget.locator(`label[for="${id}"]`))).toBe(
        required ? `${label}*` : label,
      );
      expect(await field(widget, label).getAttribute('required')).toBe(required ? '' : null);
    }
    expect(await widget.getByRole('button', { name: 'Post Comment' }).isVisible()).toBe(true);

    // The honeypot exists for bots, not for people or assistive technology.
    const honeypot = widget.locator('input[name="hp"]');
    expect(await honeypot.count()).toBe(1);
    expect(await widget.getByRole('textbox').count()).toBe(4);
    const box = await honeypot.boundingBox();
    expect(box === null || box.x + box.width <= 0).toBe(true);
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');

    // Keyboard: the fields, then the button, in reading order.
    await field(widget, 'Name').focus();
    for (const next of ['Email', 'Website', 'Comment']) {
      await page.keyboard.press('Tab');
      expect(await isFocused(field(widget, next))).toBe(true);
    }
    await page.keyboard.press('Tab');
    expect(
      await isFocused(widget.getByRole('checkbox', { name: 'Notify me of replies by email' })),
    ).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(widget.getByRole('button', { name: 'Post Comment' }))).toBe(true);

    // An open shadow root; status messages are announced politely.
    expect(await widget.evaluate((el) => el.shadowRoot?.mode)).toBe('open');
    expect(await widget.locator('[role="status"][aria-live="polite"]').count()).toBe(2);
    expect(problems).toEqual(NO_PROBLEMS);
  });

  it('marks the author’s comment as awaiting moderation, across reloads, until it is rejected', async () => {
    const { page, problems } = await newPage();
    const widget = await openDemo(page, uniqueArticle('held'));
    const sent = await post(page, widget, {
      name: 'Maud Trelawny',
      email: 'maud@example.org',
      website: 'maud.example',
      body: 'Will the ferry take bicycles?',
    });

    const headers = sent.request.headers();
    expect(headers['idempotency-key']).toMatch(/^cw-[0-9a-f]{32}$/);
    expect(headers['content-type']).toBe('application/json');
    const { altcha, ...fields } = JSON.parse(sent.request.postData() ?? '{}');
    expect(fields).toEqual({
      name: 'Maud Trelawny',
      email: 'maud@example.org',
      website: 'https://maud.example',
      body: 'Will the ferry take bicycles?',
    });
    expect(altcha === undefined || typeof altcha === 'string').toBe(true);

    const mine = widget.locator(`#p-${sent.id}`);
    await eventually(async () =>
      expect(await textOf(mine)).toContain('Your comment is awaiting moderation'),
    );
    expect(await textOf(mine)).toContain('Will the ferry take bicycles?');
    expect(await mine.getByRole('link', { name: 'Maud Trelawny' }).getAttribute('rel')).toBe(
      'nofollow ugc noopener',
    );
    expect(await textOf(heading(widget))).toBe('Be the first to comment');
    expect(await field(widget, 'Comment').inputValue()).toBe('');
    await waitForStatus(t, sent.id, ['held']);

    // The receipt is kept in this browser (never the email address).
    const stored = await storage(page);
    expect(stored).toContain(sent.receipt);
    expect(stored).not.toContain('maud@example.org');

    const polled = page.waitForRequest((r) => r.url().includes(`/v1/comments/${sent.id}?receipt=`));
    await page.reload();
    await eventually(async () =>
      expect(await textOf(widget.locator(`#p-${sent.id}`))).toContain(
        'Your comment is awaiting moderation',
      ),
    );
    await polled;

    await t.http
      .post(`/v1/moderation/comments/${sent.id}/decision`)
      .set(auth())
      .send({ action: 'reject' })
      .expect(200);
    // Rejected: the notice gives way to the statement of reasons (trust and safety, issue 17).
    await eventually(
      async () =>
        expect(await textOf(widget.locator(`#p-${sent.id} .decision`))).toContain(
          'Your comment was not published.',
        ),
      { timeout: 20_000 },
    );
    expect(await textOf(widget.locator(`#p-${sent.id}`))).not.toContain('awaiting moderation');
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);

  it('proves the author with the receipts it keeps, so trusted mode publishes them and not an impostor', async () => {
    const { page, problems } = await newPage();
    const reader = { name: 'Ivo Brannock', email: `ivo-${uniqueArticle()}@example.org` };
    const firstWidget = await openDemo(page, uniqueArticle('trust'));
    const first = await post(page, firstWidget, {
      ...reader,
      body: 'First time here: is the harbour walk open?',
    });
    expect(JSON.parse(first.request.postData() ?? '{}').receipts).toBeUndefined();
    await waitForStatus(t, first.id, ['held']);
    await approve(first.id);
    // The widget sees it published (and forgets it as pending, but keeps its receipt).
    await eventually(
      async () => expect(await firstWidget.locator(`#c-${first.id}`).count()).toBe(1),
      { timeout: 20_000 },
    );

    // The same browser, another article: the receipt goes along, and the comment is trusted.
    const second = await post(page, await openDemo(page, uniqueArticle('trust')), {
      ...reader,
      body: 'Back again with a second question.',
    });
    expect(JSON.parse(second.request.postData() ?? '{}').receipts).toEqual([
      `${first.id}.${first.receipt}`,
    ]);
    expect((await waitForStatus(t, second.id, ['approved', 'held'])).status).toBe('approved');

    // Another browser that only knows the address is held.
    const other = await newPage();
    const impostor = await post(other.page, await openDemo(other.page, uniqueArticle('trust')), {
      ...reader,
      body: 'Pretending to be Ivo.',
    });
    expect((await waitForStatus(t, impostor.id, ['approved', 'held'])).status).toBe('held');
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);

  it('shows a comment live to another reader, without a reload, once a moderator approves it', async () => {
    const article = uniqueArticle('live');
    const author = await newPage();
    const authorWidget = await openDemo(author.page, article, 'pre-site');
    const sent = await post(author.page, authorWidget, {
      name: 'Ann Live',
      email: 'ann.live@example.org',
      body: 'Looking forward to the first crossing.',
    });
    await waitForStatus(t, sent.id, ['held']);

    const reader = await newPage();
    const readerWidget = await openDemo(reader.page, article, 'pre-site');
    expect(await textOf(heading(readerWidget))).toBe('Be the first to comment');
    await reader.page.evaluate(
      () => ((globalThis as unknown as { stayed: boolean }).stayed = true),
    );
    const stream = `GET /v1/sites/pre-site/articles/${article}/comments/stream`;
    try {
      await eventually(async () =>
        expect(await readerWidget.getAttribute('data-live')).toBe('open'),
      );
    } catch {
      throw new Error(
        `The widget's live stream did not open: ${stream} must answer text/event-stream ` +
          '(events "comment.approved"). Without it new comments appear only on the fallback refresh.',
      );
    }

    await approve(sent.id);
    const shown = readerWidget.locator(`#c-${sent.id}`);
    await eventually(async () =>
      expect(await textOf(shown)).toContain('Looking forward to the first crossing.'),
    );
    expect(await textOf(shown)).toContain('Ann Live');
    expect(await textOf(heading(readerWidget))).toBe('1 Comment');
    expect(await textOf(readerWidget.getByRole('status').first())).toBe('New comment by Ann Live.');
    expect(
      await reader.page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed),
    ).toBe(true);

    // For the author, the notice turns into the published comment.
    await eventually(
      async () => expect(await authorWidget.locator(`#c-${sent.id}`).count()).toBe(1),
      {
        timeout: 15_000,
      },
    );
    expect(await authorWidget.locator(`#p-${sent.id}`).count()).toBe(0);
    expect([author.problems, reader.problems]).toEqual([NO_PROBLEMS, NO_PROBLEMS]);
  }, 60_000);

  it('falls back to refreshing when the live stream is unavailable', async () => {
    const { page, problems } = await newPage();
    // The page's clock, to move it on by the refresh period instead of waiting it out.
    await page.clock.install();
    await page.route(/\/comments\/stream$/, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: '/problems/unavailable', title: 'Unavailable', status: 503 }),
      }),
    );
    const article = uniqueArticle('nostream');
    const widget = await openDemo(page, article, 'post-site');
    await eventually(async () => expect(await widget.getAttribute('data-live')).toBe('off'));
    // Someone else's comment: this page holds no receipt to poll for it and no stream tells
    // it, so only the periodic refresh can bring it.
    const id = await published('post-site', article, 'No stream, no problem.');
    expect(await widget.locator(`#c-${id}`).count()).toBe(0);
    await page.clock.runFor(FALLBACK_REFRESH_MS);
    await eventually(async () =>
      expect(await textOf(widget.locator(`#c-${id}`))).toContain('No stream'),
    );
    expect(await textOf(heading(widget))).toBe('1 Comment');
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);

  it('says so, and offers no form, when the site does not exist', async () => {
    const { page } = await newPage();
    const widget = await openDemo(page, uniqueArticle('nosite'), 'no-such-site');
    await eventually(async () =>
      expect(await textOf(widget.getByRole('status').first())).toBe(
        'Comments are not available on this page.',
      ),
    );
    expect(await widget.getByRole('button', { name: 'Post Comment' }).count()).toBe(0);
  });

  it('threads a reply under its parent with "Reply to …" and "Cancel reply"', async () => {
    const article = uniqueArticle('thread');
    const parentId = await published('post-site', article, 'Is there a winter timetable?');
    const { page, problems } = await newPage();
    const widget = await openDemo(page, article, 'post-site');
    // The heading says "Comments" until the thread has loaded.
    await eventually(async () => expect(await textOf(heading(widget))).toBe('1 Comment'));

    const parentName = 'Author of Is there a winter timetable?';
    const replyButton = widget.getByRole('button', { name: `Reply to ${parentName}` });
    await replyButton.click();
    expect(await textOf(widget.getByRole('heading', { level: 3 }))).toBe(`Reply to ${parentName}`);
    expect(await isFocused(field(widget, 'Name'))).toBe(true);
    expect(await widget.locator(`#c-${parentId} form`).count()).toBe(1);

    await widget.getByRole('button', { name: 'Cancel reply' }).click();
    expect(await textOf(widget.getByRole('heading', { level: 3 }))).toBe('Leave a Reply');
    expect(await widget.locator(`#c-${parentId} form`).count()).toBe(0);
    expect(await isFocused(replyButton)).toBe(true);

    await replyButton.press('Enter');
    const sent = await post(page, widget, {
      name: 'Idris',
      email: 'idris@example.org',
      body: 'Weekends only, from November.',
    });
    expect(JSON.parse(sent.request.postData() ?? '{}')).toMatchObject({ parentId });
    // The form goes home; the reply waits under its parent, then is published there (post mode).
    expect(await textOf(widget.getByRole('heading', { level: 3 }))).toBe('Leave a Reply');
    // In post mode the reply may already be published (live) by now; until then it waits,
    // marked, under its parent.
    const pending = widget.locator(`#c-${parentId} > ol.children > #p-${sent.id}`);
    const pendingText = (await pending.count()) ? await textOf(pending) : null;
    if (pendingText !== null && pendingText !== '') {
      expect(pendingText).toContain('Your comment is awaiting moderation');
    }
    await waitForStatus(t, sent.id, ['approved']);
    const reply = widget.locator(`#c-${parentId} > ol.children > #c-${sent.id}`);
    await eventually(
      async () => expect(await textOf(reply)).toContain('Weekends only, from November.'),
      {
        timeout: 15_000,
      },
    );
    expect(await textOf(heading(widget))).toBe('2 Comments');
    expect(await widget.locator(`#p-${sent.id}`).count()).toBe(0);
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);

  it('runs several widgets on one page, each with its own thread, paging by cursor', async () => {
    const article = uniqueArticle('paged');
    const empty = uniqueArticle('other');
    const ids: string[] = [];
    for (const body of ['First', 'Second', 'Third', 'Fourth', 'Fifth']) {
      ids.push(await published('post-site', article, body));
    }
    const { page, problems } = await newPage();
    await openPublisherPage(
      page,
      `<div data-comments data-site="post-site" data-article="${article}" data-page-size="2"></div>` +
        `<div data-comments data-site="post-site" data-article="${empty}"></div>`,
    );
    const paged = page.locator(`[data-article="${article}"]`);
    const other = page.locator(`[data-article="${empty}"]`);
    await eventually(async () => expect(await textOf(heading(paged))).toBe('5 Comments'));
    await eventually(async () =>
      expect(await textOf(heading(other))).toBe('Be the first to comment'),
    );

    const bodies = () => paged.locator('li.item .body').allInnerTexts();
    expect(await bodies()).toEqual(['First', 'Second']);
    const cursors: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes(`/articles/${article}/comments?`) && r.url().includes('cursor=')) {
        cursors.push(r.url());
      }
    });
    const more = paged.getByRole('button', { name: 'Load more comments' });
    await more.click();
    await eventually(async () => expect(await paged.locator('li.item').count()).toBe(4));
    await more.click();
    await eventually(async () => expect(await paged.locator('li.item').count()).toBe(5));
    expect(await bodies()).toEqual(['First', 'Second', 'Third', 'Fourth', 'Fifth']);
    expect(await more.isHidden()).toBe(true);
    expect(await isFocused(paged.locator(`#c-${ids[4]}`))).toBe(true);
    expect(cursors).toHaveLength(2);
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);

  it('works on another origin that the site allows (CORS), finding the service from its src', async () => {
    // The publisher's page comes from a server of its own (another port: another origin).
    const article = uniqueArticle('cors');
    const html =
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parish news</title></head>' +
      `<body><h1>Parish news</h1><div data-comments data-site="cors-site" data-article="${article}"></div>` +
      `<script src="${base}/widget.js" async></script></body></html>`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const publisher = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await putSite(t, 'cors-site', {
        name: 'Elsewhere',
        allowedOrigins: [publisher],
        settings: { moderation: { mode: 'post' } },
      });
      await published('cors-site', article, 'From the service');
      const { page, problems } = await newPage();
      await page.goto(`${publisher}/news`);
      const widget = page.locator('[data-comments]');
      await eventually(async () => expect(await textOf(heading(widget))).toBe('1 Comment'));
      const sent = await post(page, widget, {
        name: 'Neighbour',
        email: 'neighbour@example.org',
        body: 'Reading this on the parish website.',
      });
      expect(sent.request.url().startsWith(`${base}/v1/`)).toBe(true);
      expect((await sent.request.allHeaders()).origin).toBe(publisher);
      await eventually(async () => expect(await widget.getAttribute('data-live')).toBe('open'));
      await eventually(
        async () =>
          expect(await textOf(widget.locator(`#c-${sent.id}`))).toContain('parish website'),
        { timeout: 15_000 },
      );
      expect(await textOf(heading(widget))).toBe('2 Comments');
      expect(problems).toEqual(NO_PROBLEMS);
    } finally {
      server.close();
    }
  }, 60_000);

  it('shows field errors next to their fields, from the form and from the problem+json', async () => {
    const { page, problems } = await newPage();
    const widget = await openDemo(page, uniqueArticle('errors'));
    const sentRequests: string[] = [];
    page.on('request', (r) => {
      if (isSubmit(r)) sentRequests.push(r.url());
    });
    const postButton = widget.getByRole('button', { name: 'Post Comment' });

    await postButton.click();
    for (const label of ['Name', 'Email', 'Comment']) {
      expect(await field(widget, label).getAttribute('aria-invalid')).toBe('true');
      expect(await describedBy(field(widget, label))).not.toBe('');
    }
    expect(await field(widget, 'Website').getAttribute('aria-invalid')).toBeNull();
    expect(await isFocused(field(widget, 'Name'))).toBe(true);
    expect(sentRequests).toEqual([]);

    await fill(widget, {
      name: 'Pat',
      email: 'not-an-email',
      website: 'ftp://files.example',
      body: 'Hello',
    });
    expect(await field(widget, 'Name').getAttribute('aria-invalid')).toBeNull();
    const response = page.waitForResponse((r) => isSubmit(r.request()));
    await postButton.click();
    expect((await response).status()).toBe(400);
    const email = field(widget, 'Email');
    await eventually(async () =>
      expect(await describedBy(email)).toBe('email must be a valid email address'),
    );
    expect(await textOf(widget.locator('#email-error'))).toBe(
      'email must be a valid email address',
    );
    expect(await textOf(widget.locator('#website-error'))).toBe(
      'website must be an http or https URL',
    );
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await isFocused(email)).toBe(true);
    expect(await field(widget, 'Comment').inputValue()).toBe('Hello');

    await email.fill('pat@example.org');
    expect(await textOf(widget.locator('#email-error'))).toBe('');
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    expect(problems).toEqual(NO_PROBLEMS);
  });

  it('tells the reader when to try again when the site’s rate limit answers 429', async () => {
    await putSite(t, 'strict-site', {
      name: 'Strict',
      settings: { rateLimit: { perIpPerMinute: 1, perEmailPerMinute: 100 } },
    });
    const { page, problems } = await newPage();
    const widget = await openDemo(page, uniqueArticle('limited'), 'strict-site');
    await post(page, widget, { name: 'Quick', email: 'quick@example.org', body: 'First word' });
    await field(widget, 'Comment').fill('And another thing');
    const response = page.waitForResponse((r) => isSubmit(r.request()));
    await widget.getByRole('button', { name: 'Post Comment' }).click();
    const limited = await response;
    expect(limited.status()).toBe(429);
    const seconds = Number(limited.headers()['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    const when = seconds === 1 ? '1 second' : `${seconds} seconds`;
    await eventually(async () =>
      expect(await textOf(widget.locator('.form-status'))).toBe(
        `You are commenting too quickly. Please try again in ${when}.`,
      ),
    );
    expect(await widget.getByRole('button', { name: 'Post Comment' }).isDisabled()).toBe(true);
    expect(await field(widget, 'Comment').inputValue()).toBe('And another thing');
    expect(problems).toEqual(NO_PROBLEMS);
  });

  it('lets the reader try again once Retry-After has passed', async () => {
    const { page } = await newPage();
    const widget = await openDemo(page, uniqueArticle('limited'));
    // A short Retry-After, answered by the browser, so the test need not wait out a window.
    await page.route(/\/v1\/sites\/default\/articles\/[^/]+\/comments$/, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 429,
            headers: { 'retry-after': '3', 'content-type': 'application/problem+json' },
            body: JSON.stringify({
              type: '/problems/rate-limited',
              title: 'Too many requests',
              status: 429,
            }),
          })
        : route.fallback(),
    );
    await fill(widget, { name: 'Quick', email: 'quick@example.org', body: 'Fast fingers' });
    const button = widget.getByRole('button', { name: 'Post Comment' });
    await button.click();
    await eventually(async () =>
      expect(await textOf(widget.locator('.form-status'))).toBe(
        'You are commenting too quickly. Please try again in 3 seconds.',
      ),
    );
    expect(await button.isDisabled()).toBe(true);
    await eventually(async () => expect(await button.isEnabled()).toBe(true), { timeout: 6_000 });
  });

  it('retries an unanswered submission with the same Idempotency-Key and body', async () => {
    const { page } = await newPage();
    const widget = await openDemo(page, uniqueArticle('retry'));
    let failed = false;
    await page.route(/\/v1\/sites\/default\/articles\/[^/]+\/comments$/, async (route) => {
      if (route.request().method() === 'POST' && !failed) {
        failed = true;
        await route.abort('connectionreset');
      } else await route.fallback();
    });
    const values = { name: 'Flaky', email: 'flaky@example.org', body: 'On a train, in a tunnel.' };
    await fill(widget, values);
    const first = page.waitForRequest(isSubmit);
    await widget.getByRole('button', { name: 'Post Comment' }).click();
    const firstRequest = await first;
    await eventually(async () =>
      expect(await textOf(widget.locator('.form-status'))).toContain(
        'Your comment could not be sent.',
      ),
    );
    const sent = await post(page, widget, values);
    expect(sent.request.headers()['idempotency-key']).toBe(
      firstRequest.headers()['idempotency-key'],
    );
    expect(sent.request.postData()).toBe(firstRequest.postData());

    // A new comment is a new attempt, with a new key.
    const next = await post(page, widget, { ...values, body: 'Out of the tunnel now.' });
    expect(next.request.headers()['idempotency-key']).not.toBe(
      firstRequest.headers()['idempotency-key'],
    );
  });

  it('solves the service’s proof-of-work challenge where the site requires it', async () => {
    await putSite(t, 'pow-site', {
      name: 'Proof of work',
      settings: { requireProofOfWork: true, moderation: { mode: 'post' } },
    });
    const article = uniqueArticle('pow');
    const { page, problems } = await newPage();
    const widget = await openDemo(page, article, 'pow-site');
    const challenged = page.waitForResponse((r) => r.url() === `${base}/v1/challenge`);
    await field(widget, 'Name').focus();
    expect((await challenged).status()).toBe(200);
    const sent = await post(page, widget, {
      name: 'Solver',
      email: 'solver@example.org',
      body: 'Solved before I finished typing.',
    });
    expect(JSON.parse(sent.request.postData() ?? '{}').altcha).toEqual(expect.any(String));
    const codes = async (id: string) =>
      (await waitForStatus(t, id, ['approved', 'held', 'spam'])).reasons.map(
        (r: { code: string }) => r.code,
      );
    const solved = await codes(sent.id);
    expect(solved).not.toContain('pow-missing');
    expect(solved).not.toContain('pow-invalid');

    // Contrast: the same site notes a submission that carries no proof.
    const bare = await submit(t, article, makeComment(), { siteId: 'pow-site' });
    expect(await codes(bare.body.id)).toContain('pow-missing');
    expect(problems).toEqual(NO_PROBLEMS);
  }, 60_000);

  it('solves any ALTCHA v2 challenge altcha-lib makes and sends it as `altcha`', async () => {
    // GET /v1/challenge answers altcha-lib's createChallenge. It is answered here by the same
    // library, so that the widget's side of the contract is checked by altcha-lib's verifier.
    const secret = 'test-altcha-secret';
    const challenge = await createChallenge({
      algorithm: 'PBKDF2/SHA-256',
      cost: 500,
      deriveKey: pbkdf2,
      hmacSignatureSecret: secret,
      expiresAt: new Date(Date.now() + 600_000),
    });
    const { page } = await newPage();
    await page.route(`${base}/v1/challenge`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(challenge),
      }),
    );
    const widget = await openDemo(page, uniqueArticle('pow'));
    const sent = await post(page, widget, {
      name: 'Solver',
      email: 'solver@example.org',
      body: 'Worked it out.',
    });
    const { altcha } = JSON.parse(sent.request.postData() ?? '{}') as { altcha?: string };
    expect(altcha).toEqual(expect.any(String));
    const payload = JSON.parse(Buffer.from(altcha!, 'base64').toString('utf8'));
    const result = await verifySolution({
      challenge: payload.challenge,
      solution: payload.solution,
      deriveKey: pbkdf2,
      hmacSignatureSecret: secret,
    });
    expect(result).toMatchObject({ verified: true, expired: false });
  });

  it('never runs script from stored comments: bodies, names and websites', async () => {
    const article = uniqueArticle('xss');
    const bodies = [
      '<script>window.__xss = "script"; alert("script")</script>',
      "<img src=x onerror=\"window.__xss='img';alert('img')\">",
      '<svg onload="window.__xss=\'svg\'"><script>alert("svg")</script></svg>',
      '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">svg link</text></a></svg>',
      '[click me](javascript:window.__xss="md-link")',
      '[click me too](JaVaScRiPt:alert("md-link-case"))',
      '[encoded](javascript&#58;alert("entity"))',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '![image](x" onerror="alert(\'md-image\'))',
      '[title](https://ok.example "t\\" onmouseover=\\"alert(\'title\')")',
      '<a href="javascript:alert(\'anchor\')">anchor</a>',
      '"><img src=x onerror=alert("attr-break")>',
      '<iframe src="javascript:alert(\'iframe\')"></iframe>',
      '<details open ontoggle="alert(\'details\')">x</details>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert("mxss")>',
      '<style>@import "javascript:alert(1)"; * { display: none }</style>',
      '`<img src=x onerror=alert("code")>`',
      'javascript:alert("autolink") and www.example.com/<img src=x onerror=alert(1)>',
    ];
    const names = [
      '<img src=x onerror=alert("name")>',
      '"><svg onload=alert("name2")>',
      '<script>alert("name3")</script>',
    ];
    const websites = [
      'https://evil.example/"><img src=x onerror=alert("site")>',
      'https://evil.example/?q=<script>alert("site2")</script>',
    ];

    const ids: string[] = [];
    const send = async (comment: Record<string, unknown>) => {
      const res = await submit(
        t,
        article,
        { ...makeComment(), ...comment },
        { siteId: 'pre-site' },
      );
      if (res.status === 202) ids.push(res.body.id);
      return res.status;
    };
    for (const body of bodies) expect(await send({ body })).toBe(202);
    for (const name of names) expect(await send({ name, body: 'Named payload' })).toBe(202);
    // Accepted or refused as the URL validator sees fit; whatever is stored must be harmless.
    for (const website of websites) await send({ website, body: 'Website payload' });
    // Websites that are not http(s) are never stored.
    for (const website of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>']) {
      expect(await send({ website, body: 'Bad website' })).toBe(400);
    }
    for (const id of ids) await waitForStatus(t, id, ['held', 'spam']);
    const decided = await t.http
      .post('/v1/moderation/decisions')
      .set(auth())
      .send({ ids, action: 'approve', reason: 'payload corpus' });
    expect(decided.status).toBe(200);
    expect(decided.body.results.map((r: { status?: string }) => r.status)).toEqual(
      ids.map(() => 'approved'),
    );

    // A publisher page without any CSP: only the widget protects the reader.
    const { page, problems } = await newPage({ bypassCSP: true });
    await page.addInitScript(() => {
      (globalThis as unknown as { __xss?: string }).__xss = undefined;
    });
    await openPublisherPage(
      page,
      `<div data-comments data-site="pre-site" data-article="${article}" data-page-size="200"></div>`,
    );
    const widget = page.locator('[data-comments]');
    await eventually(async () =>
      expect(await textOf(heading(widget))).toBe(`${ids.length} Comments`),
    );
    expect(await widget.locator('li.item').count()).toBe(ids.length);

    // Give every handler its chance: hover each comment, focus each link, then wait until a
    // broken image added after all of that (on the page, outside the widget) has reported its
    // error: what the widget's markup could have set off (an `onerror`) has run by then.
    for (const item of await widget.locator('li.item').all()) await item.hover();
    for (const link of await widget.locator('a').all()) await link.focus();
    await page.locator('body').evaluate((body) => {
      body.insertAdjacentHTML('beforeend', '<img src="x" onerror="window.canary = true">');
    });
    await page.waitForFunction(() => (globalThis as unknown as { canary?: boolean }).canary);

    // Names are text, not markup; links go only to http(s) or mailto.
    expect(
      await widget.getByText('<img src=x onerror=alert("name")>', { exact: true }).count(),
    ).toBe(1);
    const hrefs = await widget
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => !/^(https?:|mailto:)/i.test(href))).toEqual([]);
    const tags = await widget.evaluate((el) =>
      Array.from(el.shadowRoot!.querySelectorAll('.thread *'), (n: { tagName: string }) =>
        n.tagName.toLowerCase(),
      ),
    );
    const dangerous = ['script', 'img', 'svg', 'iframe', 'style', 'math', 'details', 'object'];
    expect(tags.filter((tag) => dangerous.includes(tag))).toEqual([]);
    const handlers = await widget.evaluate((el) =>
      Array.from(el.shadowRoot!.querySelectorAll('*'), (n: { getAttributeNames(): string[] }) =>
        n.getAttributeNames(),
      )
        .flat()
        .filter((name) => name.startsWith('on')),
    );
    expect(handlers).toEqual([]);

    expect(
      await page.evaluate(() => (globalThis as unknown as { __xss?: string }).__xss),
    ).toBeUndefined();
    expect(problems.dialogs).toEqual([]);
    expect(problems.errors).toEqual([]);

    // Control: on this page injected markup *does* run, so the checks above can fail.
    await page.locator('h1').evaluate((h1) => {
      h1.innerHTML = '<img src="x" onerror="window.__xss=\'control\'">';
    });
    await eventually(async () =>
      expect(await page.evaluate(() => (globalThis as unknown as { __xss?: string }).__xss)).toBe(
        'control',
      ),
    );
  }, 90_000);

  it('stops raw HTML in the browser (DOMPurify) should the server’s sanitiser have a hole', async () => {
    const article = uniqueArticle('raw-html');
    const id = await published('post-site', article, 'Placeholder');
    // What the server would never store: written straight into the row, before any read.
    await t.app
      .get(DataSource)
      .query(`UPDATE comments SET body_html = $2 WHERE id = $1`, [
        id,
        '<p>raw <img src=x onerror="window.__xss=1"><a href="javascript:window.__xss=2">js</a>' +
          '<svg><script>window.__xss=3</script></svg><a href="https://ok.example/" onclick="window.__xss=4">ok</a></p>' +
          '<iframe srcdoc="<script>parent.__xss=5</script>"></iframe><p onmouseover="window.__xss=6">hover</p>' +
          '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=7">',
      ]);
    const { page, problems } = await newPage({ bypassCSP: true });
    await openPublisherPage(
      page,
      `<div data-comments data-site="post-site" data-article="${article}"></div>`,
    );
    const widget = page.locator('[data-comments]');
    await eventually(async () => expect(await widget.locator('li.item').count()).toBe(1));
    await widget.getByText('hover').hover();
    type El = {
      tagName: string;
      getAttributeNames(): string[];
      getAttribute(name: string): string | null;
    };
    const body = await widget.evaluate((host) => {
      const root = host.shadowRoot!.querySelector('li.item')!;
      const all = (selector: string) => Array.from<El>(root.querySelectorAll(selector));
      return {
        tags: all('*').map((n) => n.tagName.toLowerCase()),
        handlers: all('*')
          .flatMap((n) => n.getAttributeNames())
          .filter((name) => name.startsWith('on')),
        hrefs: all('a[href]').map((a) => a.getAttribute('href')),
        rels: all('.body a').map((a) => a.getAttribute('rel')),
      };
    });
    const dangerous = ['script', 'img', 'svg', 'iframe', 'style', 'math', 'mglyph'];
    expect(body.tags.filter((tag) => dangerous.includes(tag))).toEqual([]);
    expect(body.handlers).toEqual([]);
    expect(body.hrefs).toContain('https://ok.example/');
    expect(body.hrefs.filter((href) => !/^(https?:|mailto:)/i.test(href ?? ''))).toEqual([]);
    expect(body.rels.every((rel) => rel === 'nofollow ugc noopener noreferrer')).toBe(true);
    expect(await widget.getByText('raw', { exact: false }).count()).toBeGreaterThan(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss),
    ).toBeUndefined();
    expect(problems.dialogs).toEqual([]);
  });

  it('keeps the host page’s styles out and takes its theme variables', async () => {
    const { page } = await newPage();
    const article = uniqueArticle('themed');
    await published('post-site', article, 'Styled');
    await openPublisherPage(
      page,
      `<div data-comments data-site="post-site" data-article="${article}"></div>`,
      `<style>
        body { color: rgb(255, 0, 0); font: 40px/3 serif; }
        p, li { display: none !important; }
        h2 { font-size: 90px; }
        button { background: rgb(255, 0, 0) !important; }
        [data-comments] { --cw-accent: rgb(0, 128, 0); --cw-text: rgb(10, 20, 30); }
      </style>`,
    );
    const widget = page.locator('[data-comments]');
    await eventually(async () => expect(await textOf(heading(widget))).toBe('1 Comment'));
    const style = (locator: Locator, property: string) =>
      locator.evaluate(
        (el, p: string): string =>
          el.ownerDocument.defaultView.getComputedStyle(el).getPropertyValue(p),
        property,
      );
    const paragraph = widget.locator('.body p');
    expect(await style(paragraph, 'display')).toBe('block');
    expect(await style(paragraph, 'color')).toBe('rgb(10, 20, 30)');
    expect(await style(heading(widget), 'font-size')).not.toBe('90px');
    expect(
      await style(widget.getByRole('button', { name: 'Post Comment' }), 'background-color'),
    ).toBe('rgb(0, 128, 0)');
    expect(await style(field(widget, 'Comment'), 'font-size')).toBe('16px');
  });
});
