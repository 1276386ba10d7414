// A consumer of the comment event stream (Redis Stream `<REDIS_PREFIX>:events`), as another
// service (search indexing, notifications, analytics) would run it. No framework, just ioredis:
//
//   REDIS_URL=redis://127.0.0.1:6379 REDIS_PREFIX=comments GROUP=search node examples/stream-consumer.mjs
//
// - One consumer group per consuming service (GROUP); run any number of processes in it, each
//   with its own CONSUMER name: Redis hands each entry to one of them.
// - On start, a consumer first re-reads its own entries that were delivered but never
//   acknowledged (it crashed mid-way), then new ones; entries a dead consumer left pending
//   longer than CLAIM_IDLE_MS are claimed. Every entry is acknowledged after it was handled.
// - Delivery is at least once: make `handle` idempotent, e.g. by remembering the highest
//   `sequence` applied (or the event `id`) in the same transaction as its effect.
// - If the group is new, or the stream was trimmed past what you need, catch up from
//   `GET /v1/events?after=<sequence>` first, then create the group at `<sequence>-0`.
import { hostname } from 'node:os';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const stream = `${process.env.REDIS_PREFIX ?? 'comments'}:events`;
const group = process.env.GROUP ?? 'example';
const consumer = process.env.CONSUMER ?? `${hostname()}-${process.pid}`;
const CLAIM_IDLE_MS = 60_000;

let lastApplied = 0n; // in a real service: stored with the effects of handle()

async function handle(id, event) {
  const sequence = BigInt(event.sequence);
  if (sequence <= lastApplied) return; // seen already (redelivery)
  const { comment } = event.data;
  console.log(
    `${id} ${event.type} ${event.subject} site=${comment.siteId} status=${comment.status}`,
  );
  lastApplied = sequence;
}

async function consume(entries) {
  for (const [id, fields] of entries ?? []) {
    const json = fields[fields.indexOf('event') + 1];
    await handle(id, JSON.parse(json));
    await redis.xack(stream, group, id);
  }
  return entries?.length ?? 0;
}

async function readGroup(id, block) {
  const args = ['GROUP', group, consumer, 'COUNT', 100];
  if (block) args.push('BLOCK', block);
  const reply = await redis.xreadgroup(...args, 'STREAMS', stream, id);
  return reply?.[0]?.[1] ?? [];
}

try {
  // '0': from the start of the stream; use '$' to see only new events.
  await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
} catch (error) {
  if (!String(error.message).includes('BUSYGROUP')) throw error;
}

// 1. What this consumer received before a crash but never acknowledged.
while ((await consume(await readGroup('0'))) > 0);
// 2. What other consumers of the group left pending for too long.
const [, claimed] = await redis.xautoclaim(
  stream,
  group,
  consumer,
  CLAIM_IDLE_MS,
  '0-0',
  'COUNT',
  100,
);
await consume(claimed);
// 3. New events, as they come.
let running = true;
process.on('SIGINT', () => (running = false));
process.on('SIGTERM', () => (running = false));
while (running) await consume(await readGroup('>', 5000));
redis.disconnect();
