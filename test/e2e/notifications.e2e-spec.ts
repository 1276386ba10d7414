import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { MailSweeper } from '../../src/notifications/mail.sweeper.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { auth, putSite, submit, waitForStatus } from '../utils/api.js';
import { sql } from '../utils/events.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../utils/smtp-sink.js';
import { createTestApp, dumpRedis, redisClient, waitFor, type TestApp } from '../utils/test-app.js';

/** Short, so the test waits for a real window; the default is 600. */
const REPLY_INTERVAL_S = 4;
const SITE = 'mail-site';

/** The confirmation / unsubscribe link of a mail (plain-text part). */
function link(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`http://[^\\s]+${path}\\?token=[^\\s]+`).exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`No ${path} link in: ${mail.parsed.text}`);
  return match[0];
}

describe('reply notifications (double opt-in, SMTP)', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let redis: Redis;
  let mailQueue: Queue;
  const article = uniqueArticle('mail');
  const alice = makeComment({ email: `alice-${Date.now()}@example.org`, name: 'Alice' });
  let aliceCommentId: string;
  let confirmUrl: string;
  let unsubscribeUrl: string;

  /** Waits until the mail job has finished (so "no mail" means none was sent). */
  async function jobDone(id: string) {
    await waitFor(
      async () => {
        const job = await mailQueue.getJob(id);
        return job && (await job.getState()) === 'completed';
      },
      { what: `mail job ${id}` },
    );
  }

  async function publishedReply(parentId: string, overrides = {}) {
    const res = await submit(t, article, makeComment({ parentId, ...overrides }), { siteId: SITE });
    expect(res.status).toBe(202);
    const item = await waitForStatus(t, res.body.id, ['approved', 'held', 'rejected', 'spam']);
    expect({ status: item.status, reasons: item.reasons }).toMatchObject({ status: 'approved' });
    return res.body.id as string;
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Comments <comments@news.example>',
        MAIL_RETURN_PATH: 'bounces@news.example',
        PUBLIC_URL: 'http://comments.example:8080',
        REPLY_MAIL_INTERVAL_S: String(REPLY_INTERVAL_S),
      },
    });
    redis = redisClient();
    mailQueue = new Queue('mail', { connection: redis, prefix: t.config.redis.prefix });
    const put = await putSite(t, SITE, {
      name: 'The Daily Example',
      settings: {
        moderation: { mode: 'post' },
        notifications: {
          articleUrl: 'https://news.example/{articleId}#comment-{commentId}',
          senderName: 'The Daily Example',
        },
      },
    });
    expect(put.status).toBe(201);
  });
  afterAll(async () => {
    await mailQueue.close();
    await t.close();
    redis.disconnect();
    await smtp.close();
  });

  it('sends one confirmation mail, and none again within a day', async () => {
    const res = await submit(t, article, { ...alice, notify: 'replies' }, { siteId: SITE });
    expect(res.status).toBe(202);
    aliceCommentId = res.body.id;
    const [mail] = await smtp.waitFor(alice.email, 1);
    expect(mail.parsed.subject).toBe('Confirm reply notifications from The Daily Example');
    expect(mail.parsed.from?.value[0]).toEqual({
      name: 'The Daily Example',
      address: 'comments@news.example',
    });
    expect(mail.envelope.from).toBe('bounces@news.example');
    expect(mail.parsed.html).toContain('Confirm reply notifications');
    confirmUrl = link(mail, '/v1/subscriptions/confirm');
    expect(
      confirmUrl.startsWith('http://comments.example:8080/v1/subscriptions/confirm?token='),
    ).toBe(true);

    // A second request for the same address and site within 24 h: no second mail.
    const again = await submit(
      t,
      article,
      { ...alice, notify: 'replies', body: 'Me again.' },
      { siteId: SITE },
    );
    await jobDone(`confirm-${again.body.id}`);
    expect(smtp.to(alice.email)).toHaveLength(1);
  });

  it('sends no reply mail before the address is confirmed', async () => {
    await waitForStatus(t, aliceCommentId, ['approved']);
    const replyId = await publishedReply(aliceCommentId);
    await jobDone(`reply-${replyId}`);
    expect(smtp.to(alice.email)).toHaveLength(1);
  });

  it('confirms only with a POST from the page, never with the GET a scanner follows', async () => {
    const path = confirmUrl.replace('http://comments.example:8080', '');
    const token = new URL(confirmUrl).searchParams.get('token')!;
    const page = await t.http.get(path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post" action="/v1/subscriptions/confirm">');
    const db = t.app.get(DataSource);
    const [before] = await db.query(`SELECT confirmed_at FROM subscriptions WHERE site_id = $1`, [
      SITE,
    ]);
    expect(before.confirmed_at).toBeNull();

    const forged = await t.http
      .post('/v1/subscriptions/confirm')
      .set('content-type', 'application/json')
      .send({ token: token.slice(0, -2) + 'xx' });
    expect(forged.status).toBe(404);
    expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);

    const button = await t.http
      .post('/v1/subscriptions/confirm')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`token=${encodeURIComponent(token)}`);
    expect(button.status).toBe(200);
    expect(button.text).toContain('Confirmed');
    const [after] = await db.query(`SELECT confirmed_at FROM subscriptions WHERE site_id = $1`, [
      SITE,
    ]);
    expect(after.confirmed_at).toEqual(expect.any(Date));

    const json = await t.http
      .post('/v1/subscriptions/confirm')
      .set('content-type', 'application/json')
      .send({ token });
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ confirmed: true });
  });

  it('mails a published reply with its text, the article link and one-click unsubscribe headers', async () => {
    const replyId = await publishedReply(aliceCommentId, {
      name: 'Carol',
      body: 'I disagree with <b>this</b> & here is why.',
    });
    const mails = await smtp.waitFor(alice.email, 2);
    const mail = mails[1];
    expect(mail.parsed.subject).toBe('Carol replied to your comment on The Daily Example');
    expect(mail.parsed.text).toContain('I disagree with <b>this</b> & here is why.');
    expect(mail.parsed.html).toContain(
      'I disagree with &lt;b&gt;this&lt;/b&gt; &amp; here is why.',
    );
    expect(mail.parsed.text).toContain(`https://news.example/${article}#comment-${replyId}`);
    expect(mail.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@news\.example>$/);
    expect(mail.envelope.from).toBe('bounces@news.example');
    const headers = mail.parsed.headerLines.map((h) => h.line);
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const listUnsubscribe = mail.parsed.headerLines
      .find((h) => h.key === 'list-unsubscribe')
      ?.line.replace(/\r?\n\s+/g, ' ');
    expect(listUnsubscribe).toMatch(
      /^List-Unsubscribe: <http:\/\/comments\.example:8080\/v1\/subscriptions\/unsubscribe\?token=[^>]+>$/,
    );
    unsubscribeUrl = /<([^>]+)>/.exec(listUnsubscribe!)![1]!;
    expect(link(mail, '/v1/subscriptions/unsubscribe')).toBe(unsubscribeUrl);
  });

  it('never mails subscribers about their own replies', async () => {
    const own = await publishedReply(aliceCommentId, { email: alice.email.toUpperCase() });
    await jobDone(`reply-${own}`);
    expect(smtp.to(alice.email)).toHaveLength(2);
  });

  it('sends at most one mail per thread per interval, with the later replies together', async () => {
    const previous = smtp.to(alice.email)[1].receivedAt;
    const dave = await publishedReply(aliceCommentId, { name: 'Dave', body: 'Dave was here.' });
    const erin = await publishedReply(aliceCommentId, { name: 'Erin', body: 'Erin too.' });
    const mails = await smtp.waitFor(alice.email, 3, 20_000);
    const batch = mails[2];
    // Sent once the window opened (the previous mail left a little after its window began).
    expect(batch.receivedAt - previous).toBeGreaterThanOrEqual(REPLY_INTERVAL_S * 1000 - 1000);
    expect(batch.parsed.subject).toBe('2 new replies to your comments on The Daily Example');
    expect(batch.parsed.text).toContain('Dave was here.');
    expect(batch.parsed.text).toContain('Erin too.');
    await jobDone(`reply-${dave}`);
    await jobDone(`reply-${erin}`);
    expect(smtp.to(alice.email)).toHaveLength(3);
  });

  it('stops at once after a one-click unsubscribe (RFC 8058)', async () => {
    const res = await t.http
      .post(unsubscribeUrl.replace('http://comments.example:8080', ''))
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    const replyId = await publishedReply(aliceCommentId, {
      body: 'A calm reply, sent after the unsubscribe.',
    });
    await jobDone(`reply-${replyId}`);
    expect(smtp.to(alice.email)).toHaveLength(3);

    const page = await t.http.get(unsubscribeUrl.replace('http://comments.example:8080', ''));
    expect(page.status).toBe(200);
    expect(page.text).toContain('List-Unsubscribe');
  });

  it('trusts an author through a confirmed address in trusted mode', async () => {
    await putSite(t, 'trust-mail', {
      name: 'Trusting',
      settings: { moderation: { mode: 'trusted' } },
    });
    const gina = makeComment({ name: 'Gina' });
    const first = await submit(
      t,
      article,
      { ...gina, notify: 'replies' },
      { siteId: 'trust-mail' },
    );
    await waitForStatus(t, first.body.id, ['held']);
    const [mail] = await smtp.waitFor(gina.email, 1);
    const token = new URL(link(mail, '/v1/subscriptions/confirm')).searchParams.get('token')!;
    await t.http
      .post('/v1/subscriptions/confirm')
      .set('content-type', 'application/json')
      .send({ token })
      .expect(200);
    await t.http
      .post(`/v1/moderation/comments/${first.body.id}/decision`)
      .set(auth())
      .send({ action: 'approve' })
      .expect(200);
    const second = await submit(
      t,
      article,
      { ...gina, body: 'Trusted now.' },
      { siteId: 'trust-mail' },
    );
    const item = await waitForStatus(t, second.body.id, ['approved', 'held']);
    expect(item.status).toBe('approved');
    expect(item.reasons).toContainEqual({
      code: 'trusted-author',
      message: 'The author confirmed their address',
    });
  });

  it('erases the subscription and its proof of consent with the author’s data', async () => {
    const db = t.app.get(DataSource);
    const exported = await t.http
      .post('/v1/admin/privacy/export')
      .set(auth())
      .send({ email: alice.email });
    expect(exported.body.subscriptions).toEqual([
      { siteId: SITE, confirmedAt: expect.any(String), unsubscribedAt: expect.any(String) },
    ]);
    await t.http
      .post('/v1/admin/privacy/erase')
      .set(auth())
      .send({ email: alice.email })
      .expect(200);
    const rows = await db.query(`SELECT count(*)::int AS n FROM subscriptions WHERE site_id = $1`, [
      SITE,
    ]);
    expect(rows[0].n).toBe(0);
    const [comment] = await db.query(
      `SELECT notify_replies, identity_sub, email_index FROM comments WHERE id = $1`,
      [aliceCommentId],
    );
    expect(comment).toEqual({ notify_replies: false, identity_sub: null, email_index: null });
  });

  it('forgets never-confirmed addresses after 30 days in the retention run, keeps consent', async () => {
    const db = t.app.get(DataSource);
    await db.query(
      `INSERT INTO subscriptions (site_id, email_index, created_at)
       VALUES ($1, $2, now() - interval '31 days'), ($1, $3, now() - interval '2 days')`,
      [SITE, Buffer.alloc(32, 1), Buffer.alloc(32, 2)],
    );
    const [{ confirmed }] = await db.query(
      `SELECT count(*)::int AS confirmed FROM subscriptions WHERE confirmed_at IS NOT NULL`,
    );
    const run = await t.http.post('/v1/admin/retention/run').set(auth()).send({});
    expect(run.status).toBe(200);
    expect(JSON.stringify(run.body)).toContain('"unconfirmedSubscriptions":1');
    const rows = await db.query(
      `SELECT (email_index = $1) AS old, confirmed_at IS NOT NULL AS confirmed FROM subscriptions`,
      [Buffer.alloc(32, 1)],
    );
    expect(rows.filter((r: { old: boolean }) => r.old)).toEqual([]);
    expect(rows.filter((r: { confirmed: boolean }) => r.confirmed)).toHaveLength(confirmed);
  });

  it('records every mail job in PostgreSQL, and sends again one that Redis lost', async () => {
    const carol = makeComment({ email: `carol-${Date.now()}@example.org`, name: 'Carol' });
    const res = await submit(t, article, { ...carol, notify: 'replies' }, { siteId: SITE });
    expect(res.status).toBe(202);
    const id = `confirm-${res.body.id}`;
    await smtp.waitFor(carol.email, 1);
    await jobDone(id);
    const finished = () =>
      sql<{ finished: boolean; outcome: string | null }>(
        t,
        `SELECT finished_at IS NOT NULL AS finished, outcome FROM mail_jobs WHERE id = $1`,
        [id],
      );
    await waitFor(async () => (await finished())[0]?.finished, { what: 'the job finished' });
    expect(await finished()).toEqual([{ finished: true, outcome: 'sent' }]);
    const sweeper = t.app.get(MailSweeper);
    expect(await sweeper.sweep(new Date(Date.now() + 3600_000))).toBe(0); // done: left alone

    // Redis loses the job before it finished: the record is all that is left.
    await mailQueue.remove(id);
    await sql(t, `UPDATE mail_jobs SET finished_at = NULL, outcome = NULL WHERE id = $1`, [id]);
    expect(await sweeper.sweep(new Date(Date.now() + 3600_000))).toBe(1);
    // The same job id may claim the day's confirmation again (as its retries may).
    await smtp.waitFor(carol.email, 2);
    await waitFor(async () => (await finished())[0]?.finished, { what: 'the job finished' });
    expect(await sweeper.sweep(new Date(Date.now() + 3600_000))).toBe(0);
  });

  it('keeps every address out of Redis, the logs, the jobs and the events', async () => {
    const db = t.app.get(DataSource);
    const addresses = [
      ...new Set(smtp.mails.flatMap((m) => m.envelope.to)),
      'bounces@news.example',
    ].filter((a) => a !== 'bounces@news.example');
    expect(addresses.length).toBeGreaterThanOrEqual(2);
    const redisText = [...(await dumpRedis(redis, t.config.redis.prefix)).entries()].join('\n');
    const jobs = await mailQueue.getJobs(['completed', 'failed', 'delayed', 'waiting', 'active']);
    expect(jobs.length).toBeGreaterThan(5);
    const jobText = JSON.stringify(jobs.map((j) => [j.data, j.failedReason, j.returnvalue]));
    const events = JSON.stringify(await db.query(`SELECT data FROM outbox_events`));
    const logs = t.logs.join('\n');
    expect(logs).toContain('Reply notification sent');
    for (const address of addresses) {
      const local = address.split('@')[0].toLowerCase();
      for (const [where, text] of [
        ['redis', redisText],
        ['jobs', jobText],
        ['events', events],
        ['logs', logs],
      ] as const) {
        expect({ where, found: text.toLowerCase().includes(local) }).toEqual({
          where,
          found: false,
        });
      }
    }
  });
});

describe('the moderators’ digest', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const moderator = 'desk@news.example';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({
      env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://comments.news.example' },
    });
    await putSite(t, 'digest-site', {
      name: 'Digest',
      settings: {
        moderation: { mode: 'pre' },
        // 3 seconds, so that the test waits for a real window.
        notifications: { moderatorEmails: [moderator], moderatorDigestMinutes: 0.05 },
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('sends newly held comments at most every moderatorDigestMinutes, with a console link', async () => {
    const article = uniqueArticle('digest');
    const a = await submit(t, article, makeComment({ body: 'First held comment.' }), {
      siteId: 'digest-site',
    });
    await waitForStatus(t, a.body.id, ['held']);
    const [first] = await smtp.waitFor(moderator, 1);
    expect(first.parsed.subject).toBe('1 comment waiting for moderation on Digest');
    expect(first.parsed.text).toContain('First held comment.');
    expect(first.parsed.text).toContain('https://comments.news.example/moderate');

    const b = await submit(t, article, makeComment({ body: 'Second held comment.' }), {
      siteId: 'digest-site',
    });
    const c = await submit(t, article, makeComment({ body: 'Third held comment.' }), {
      siteId: 'digest-site',
    });
    await waitForStatus(t, b.body.id, ['held']);
    await waitForStatus(t, c.body.id, ['held']);
    const mails = await smtp.waitFor(moderator, 2, 20_000);
    const second = mails[1];
    // 3 s window; an immediate mail would come within a fraction of a second.
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(2000);
    expect(second.parsed.subject).toBe('2 comments waiting for moderation on Digest');
    expect(second.parsed.text).toContain('Second held comment.');
    expect(second.parsed.text).toContain('Third held comment.');
    expect(second.parsed.text).not.toContain('First held comment.');
  });
});

describe('mail that a server refuses at first', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let redis: Redis;

  beforeAll(async () => {
    smtp = await startSmtpSink({ greylistFirst: 1 });
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    redis = redisClient();
    await putSite(t, 'greylist-site', { name: 'Greylist' });
  });
  afterAll(async () => {
    await t.close();
    redis.disconnect();
    await smtp.close();
  });

  it('is retried with backoff, and the refusal (which quotes the address) is kept nowhere', async () => {
    const reader = makeComment({ email: `greylisted-${Date.now()}@example.org` });
    const res = await submit(
      t,
      uniqueArticle('grey'),
      { ...reader, notify: 'replies' },
      {
        siteId: 'greylist-site',
      },
    );
    expect(res.status).toBe(202);
    const [mail] = await smtp.waitFor(reader.email, 1, 20_000);
    expect(mail.parsed.subject).toBe('Confirm reply notifications from Greylist');

    const queue = new Queue('mail', { connection: redis, prefix: t.config.redis.prefix });
    try {
      const job = await queue.getJob(`confirm-${res.body.id}`);
      expect(job?.attemptsMade).toBeGreaterThanOrEqual(1);
      expect((job?.stacktrace ?? []).join('\n')).toMatch(/SMTP send failed/);
    } finally {
      await queue.close();
    }
    const local = reader.email.split('@')[0];
    const redisText = [...(await dumpRedis(redis, t.config.redis.prefix)).entries()].join('\n');
    expect(redisText.includes(local)).toBe(false);
    expect(t.logs.join('\n').includes(local)).toBe(false);
  });
});
