import { getQueueToken } from '@nestjs/bullmq';
import { Worker, type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CommentStateService } from '../../src/comments/state/comment-state.service.js';
import { ModerationService } from '../../src/moderation/moderation.service.js';
import { QUEUES } from '../../src/queue/queue.constants.js';
import { SpamService } from '../../src/spam/spam.service.js';
import { makeComment, uniqueArticle } from '../factories/comment.factory.js';
import { putSite, submit } from '../utils/api.js';
import {
  createTestApp,
  itOnRedis,
  redisClient,
  transportInspector,
  waitFor,
  type TestApp,
} from '../utils/test-app.js';

/** An api-role app: no workers run, so each stage is driven by hand. */
describe('pipeline stages, driven one at a time', () => {
  let t: TestApp;
  let db: DataSource;
  let spam: SpamService;
  let moderation: ModerationService;
  let comments: CommentStateService;
  let moderationQueue: Queue;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api' });
    db = t.app.get(DataSource);
    spam = t.app.get(SpamService);
    moderation = t.app.get(ModerationService);
    comments = t.app.get(CommentStateService);
    moderationQueue = t.app.get(getQueueToken(QUEUES.moderation));
    await putSite(t, 'post', { name: 'Post', settings: { moderation: { mode: 'post' } } });
  });
  afterAll(() => t.close());

  const events = async (id: string): Promise<string[]> =>
    (
      await db.query(`SELECT type FROM outbox_events WHERE subject = $1 ORDER BY sequence`, [
        `comments/${id}`,
      ])
    ).map((r: { type: string }) => r.type);

  it('commits the comment and its comment.submitted event before answering 202', async () => {
    const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'post' });
    expect(res.status).toBe(202);
    const [row] = await db.query(`SELECT status FROM comments WHERE id = $1`, [res.body.id]);
    expect(row.status).toBe('pending');
    expect(await events(res.body.id)).toEqual(['comment.submitted']);
  });

  it('runs each stage at most once in effect, however often its job is delivered', async () => {
    const article = uniqueArticle();
    const res = await submit(t, article, makeComment(), { siteId: 'post' });
    const id = res.body.id as string;

    expect(await spam.process(id)).toBe('scored');
    // A second delivery of the spam job scores nothing again but still forwards the comment.
    expect(await spam.process(id)).toBe('scored');
    const [scored] = await db.query(`SELECT spam_score, status FROM comments WHERE id = $1`, [id]);
    expect(scored).toMatchObject({ status: 'pending' });

    const [first, second] = await Promise.all([moderation.process(id), moderation.process(id)]);
    expect([first, second].sort()).toEqual(['approved', 'skipped']);
    expect(await moderation.process(id)).toBe('skipped');
    expect(await spam.process(id)).toBe('skipped');

    expect(await events(id)).toEqual(['comment.submitted', 'comment.approved']);
    const [article_] = await db.query(
      `SELECT approved_count FROM articles WHERE site_id = 'post' AND article_id = $1`,
      [article],
    );
    expect(article_.approved_count).toBe(1);
    const audit = await db.query(`SELECT to_status FROM moderation_actions WHERE comment_id = $1`, [
      id,
    ]);
    expect(audit).toEqual([{ to_status: 'approved' }]);
  });

  it('lets only one of a moderator and the worker move a comment', async () => {
    const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'post' });
    const id = res.body.id as string;
    await spam.process(id);
    const state = t.app.get(CommentStateService);
    const results = await Promise.all([
      moderation.process(id),
      state.transition({
        commentId: id,
        from: ['pending', 'held'],
        to: 'rejected',
        actor: 'token:test',
        action: 'reject',
        reasons: [],
      }),
    ]);
    const moved = results.filter((r) => r !== null && r !== 'skipped');
    expect(moved).toHaveLength(1);
    const types = await events(id);
    expect(types.filter((type) => type !== 'comment.submitted')).toHaveLength(1);
  });

  it('sends a scored comment whose moderation job was lost straight to moderation', async () => {
    const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'post' });
    const id = res.body.id as string;
    await spam.process(id);
    expect(await moderationQueue.getJobState(id)).toBe('waiting');
    expect(await transportInspector(t).deleteAllJobs()).toBeGreaterThan(0);
    expect(await moderationQueue.getJobState(id)).toBe('unknown');
    // Far in the future: every pending comment counts as stale.
    await comments.requeueStalePending(0, new Date(Date.now() + 60_000));
    expect(await moderationQueue.getJobState(id)).toBe('waiting');
  });

  it('re-queues past a completed job with the same id, which BullMQ would silently ignore', async () => {
    const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'post' });
    const id = res.body.id as string;
    await spam.process(id); // queues moderation job `id`
    // A worker that completes the job without doing anything: the comment stays pending.
    const worker = new Worker(QUEUES.moderation, () => Promise.resolve('lost'), {
      connection: { url: t.config.redis.url },
      prefix: t.config.redis.prefix,
    });
    try {
      await waitFor(async () => (await moderationQueue.getJobState(id)) === 'completed');
    } finally {
      await worker.close();
    }
    await moderationQueue.add('moderation', { commentId: id }, { jobId: id });
    expect(await moderationQueue.getJobState(id)).toBe('completed'); // the trap

    await comments.requeueStalePending(0, new Date(Date.now() + 60_000));
    expect(await moderationQueue.getJobState(id)).toBe('waiting');
    const job = await moderationQueue.getJob(id);
    expect(job?.data).toEqual({ commentId: id }); // ids only
    expect(job?.opts.attempts).toBeGreaterThan(1);
  });

  // Redis only: a PostgreSQL job is one row, in exactly one state (no half-lost job).
  itOnRedis(
    're-queues past a job hash that Redis half lost (in no list: state unknown)',
    async () => {
      const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'post' });
      const id = res.body.id as string;
      await spam.process(id); // queues moderation job `id`
      const prefix = t.config.redis.prefix;
      const redis = redisClient();
      try {
        // Every list of the queue gone, the job's hash still there (a worker wrote it back).
        const keys = await redis.keys(`${prefix}:moderation:*`);
        const lists = keys.filter((k) => k !== `${prefix}:moderation:${id}`);
        if (lists.length) await redis.del(...lists);
        expect(await redis.exists(`${prefix}:moderation:${id}`)).toBe(1);
      } finally {
        redis.disconnect();
      }
      expect(await moderationQueue.getJobState(id)).toBe('unknown');
      await moderationQueue.add('moderation', { commentId: id }, { jobId: id });
      expect(await moderationQueue.getJobState(id)).toBe('unknown'); // the trap: add did nothing

      await comments.requeueStalePending(0, new Date(Date.now() + 60_000));
      expect(await moderationQueue.getJobState(id)).toBe('waiting');
    },
  );

  it('gives a comment whose job will not finish a second job', async () => {
    const res = await submit(t, uniqueArticle(), makeComment(), { siteId: 'post' });
    const id = res.body.id as string;
    const spamQueue: Queue = t.app.get(getQueueToken(QUEUES.spam));
    expect(await spamQueue.getJobState(id)).toBe('waiting');
    // A job that will not finish: its id still waits, its data is gone.
    expect(await transportInspector(t).loseJobData(QUEUES.spam, id)).toBe(true);
    expect((await spamQueue.getWaiting()).filter((j) => j.data?.commentId === id)).toHaveLength(0);
    // Stale, but not yet stuck: the waiting job is trusted.
    await comments.requeueStalePending(1000, new Date(Date.now() + 2000));
    expect((await spamQueue.getWaiting()).filter((j) => j.data?.commentId === id)).toHaveLength(0);
    // Pending four times the sweep age: a second job with a derived id.
    await comments.requeueStalePending(1000, new Date(Date.now() + 60_000));
    const second = (await spamQueue.getWaiting()).find((j) => j.data?.commentId === id);
    expect(second?.id).toMatch(new RegExp(`^${id}-r`));
  });

  it('writes each event’s comment exactly as the public mapper shapes it', async () => {
    const { toEventComment } = await import('../../src/comments/views/comment-views.js');
    const { WorkerComments } = await import('../../src/comments/pipeline/worker-comments.port.js');
    const res = await submit(t, uniqueArticle(), makeComment({ website: 'https://w.example' }), {
      siteId: 'post',
    });
    const id = res.body.id as string;
    await spam.process(id);
    await moderation.process(id);
    const [published] = await db.query(
      `SELECT data FROM outbox_events WHERE subject = $1 AND type = 'comment.approved'`,
      [`comments/${id}`],
    );
    const state = t.app.get(CommentStateService);
    await state.transition({
      commentId: id,
      from: ['approved'],
      to: 'deleted',
      actor: 'token:test',
      action: 'delete',
      reasons: [],
    });
    const rows = await db.query(
      `SELECT type, data FROM outbox_events WHERE subject = $1 ORDER BY sequence`,
      [`comments/${id}`],
    );
    expect(rows.map((r: { type: string }) => r.type)).toEqual([
      'comment.submitted',
      'comment.approved',
      'comment.deleted',
    ]);
    const repo = t.app.get(WorkerComments);
    const now = (await repo.findForProcessing(id))!;
    expect(rows[2].data.comment).toEqual(JSON.parse(JSON.stringify(toEventComment(now))));
    const approved = { ...now, status: 'approved' as const };
    const approvedComment = JSON.parse(JSON.stringify(toEventComment(approved)));
    expect(published.data.comment).toEqual(approvedComment);
    expect(published.data.comment.author).toMatchObject({ website: 'https://w.example' });
    // The take-down redacted what was stored before it.
    expect(rows[1].data.comment).toEqual({
      ...approvedComment,
      author: null,
      bodyHtml: '',
      redacted: true,
    });
  });

  const submitted = async (article: string, n: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await submit(t, article, makeComment(), { siteId: 'post' });
      expect(res.status).toBe(202);
      ids.push(res.body.id as string);
    }
    return ids;
  };

  // The workers take the jobs in flight together: one statement per step for the whole batch.
  it('scores and decides a batch, each comment once, and counts every approval of one article', async () => {
    const article = uniqueArticle();
    const ids = await submitted(article, 4);
    const unknown = '00000000-0000-4000-8000-000000000000';

    const scored = await spam.processAll([...ids, ids[0], unknown]);
    expect(scored).toEqual([
      ...ids.map(() => ({ ok: true, value: 'scored' })),
      { ok: true, value: 'scored' }, // the same comment twice: one outcome for both
      { ok: true, value: 'skipped' },
    ]);
    for (const id of ids) expect(await moderationQueue.getJobState(id)).toBe('waiting');

    // A moderator takes one down first: its job in the batch finds it moved on.
    await comments.transition({
      commentId: ids[3],
      from: ['pending'],
      to: 'rejected',
      actor: 'token:test',
      action: 'reject',
      reasons: [],
    });
    const decided = await moderation.processAll(ids);
    expect(decided).toEqual([
      { ok: true, value: 'approved' },
      { ok: true, value: 'approved' },
      { ok: true, value: 'approved' },
      { ok: true, value: 'skipped' },
    ]);
    expect(await moderation.processAll(ids.slice(0, 3))).toEqual(
      ids.slice(0, 3).map(() => ({ ok: true, value: 'skipped' })),
    );

    const [row] = await db.query(
      `SELECT approved_count FROM articles WHERE site_id = 'post' AND article_id = $1`,
      [article],
    );
    expect(row.approved_count).toBe(3);
    const audit: Array<{ comment_id: string; to_status: string }> = await db.query(
      `SELECT comment_id, to_status FROM moderation_actions WHERE comment_id = ANY($1::uuid[])
       ORDER BY id`,
      [ids],
    );
    expect(audit).toEqual([
      { comment_id: ids[3], to_status: 'rejected' },
      ...ids.slice(0, 3).map((id) => ({ comment_id: id, to_status: 'approved' })),
    ]);
    // The events of a batch are written in the order of its jobs.
    const events: Array<{ subject: string }> = await db.query(
      `SELECT subject FROM outbox_events WHERE subject = ANY($1::text[]) AND type = 'comment.approved'
       ORDER BY sequence`,
      [ids.map((id) => `comments/${id}`)],
    );
    expect(events.map((e) => e.subject)).toEqual(ids.slice(0, 3).map((id) => `comments/${id}`));
  });

  it('fails only the change the batch statement could not make; the others are made', async () => {
    const ids = await submitted(uniqueArticle(), 3);
    const results = await comments.transitionAll(
      ids.map((id, i) => ({
        commentId: id,
        from: ['pending'],
        to: 'held',
        actor: 'system:moderation',
        action: 'hold',
        // PostgreSQL refuses a NUL character in jsonb: this one change cannot be stored.
        reasons: [{ code: 'test', message: i === 1 ? 'bad \u0000 text' : 'fine' }],
      })),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[0].ok && results[0].value?.previousStatus).toBe('pending');
    const rows: Array<{ id: string; status: string }> = await db.query(
      `SELECT id, status FROM comments WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const statuses = new Map(rows.map((r) => [r.id, r.status]));
    expect(ids.map((id) => statuses.get(id))).toEqual(['held', 'pending', 'held']);
  });
});
