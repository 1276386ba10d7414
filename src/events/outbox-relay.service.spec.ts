import type { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/app.config.js';
import type { PubSub } from '../redis/pubsub.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import type { OutboxRepository, StoredEvent } from './outbox.repository.js';
import { RelayTargetRegistry, type RelayedEvent, type RelayTarget } from './relay-target.js';

const row = (sequence: number): StoredEvent =>
  ({
    sequence: String(sequence),
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    source: '/sites/s',
    type: 'comment.approved',
    subject: `comments/${sequence}`,
    createdAt: new Date(0),
    data: {},
    siteId: 's',
    articleId: 'a',
  }) as Partial<StoredEvent> as StoredEvent;

/** The relay over an outbox held in memory, with targets that record what they were given. */
function relayWith(targets: RelayTarget[], rows: StoredEvent[]) {
  let unrelayed = [...rows];
  const outbox = {
    findUnrelayed: () => Promise.resolve(unrelayed.slice(0, 100)),
    assignPositions: () => Promise.resolve(),
    markRelayed: (_: unknown, positions: string[]) => {
      unrelayed = unrelayed.filter((r) => !positions.includes(r.sequence));
      return Promise.resolve();
    },
  } as unknown as OutboxRepository;
  const registry = new RelayTargetRegistry();
  for (const t of targets) registry.register(t);
  const logger = { warn: () => undefined, debug: () => undefined, info: () => undefined };
  const relay = new OutboxRelayService(
    outbox,
    registry,
    { database: { url: 'postgres://unused/none' }, events: { relayPollMs: 10 } } as AppConfig,
    logger as unknown as PinoLogger,
    {} as PubSub,
  );
  return {
    relayBatch: () => (relay as unknown as { relayBatch(): Promise<number> }).relayBatch(),
    unrelayed: () => unrelayed,
  };
}

describe('OutboxRelayService', () => {
  it('hands a batch again only to the targets that failed it, not to those that took it', async () => {
    const stream: string[] = [];
    const webhooks: string[] = [];
    let webhooksDown = true;
    const targets: RelayTarget[] = [
      {
        name: 'redis-stream',
        order: 10,
        relay: (batch: readonly RelayedEvent[]) => {
          stream.push(...batch.map((e) => e.sequence));
          return Promise.resolve();
        },
      },
      {
        name: 'webhooks',
        order: 20,
        relay: (batch: readonly RelayedEvent[]) => {
          if (webhooksDown) return Promise.reject(new Error('Redis is restarting'));
          webhooks.push(...batch.map((e) => e.sequence));
          return Promise.resolve();
        },
      },
    ];
    const relay = relayWith(targets, [row(1), row(2), row(3)]);
    await expect(relay.relayBatch()).rejects.toThrow(/webhooks/);
    expect(relay.unrelayed()).toHaveLength(3); // not marked: it will be handed over again
    await expect(relay.relayBatch()).rejects.toThrow(/webhooks/);
    webhooksDown = false;
    expect(await relay.relayBatch()).toBe(3);
    expect(relay.unrelayed()).toHaveLength(0);
    // The stream took each event once although the batch was retried twice.
    expect(stream).toEqual(['1', '2', '3']);
    expect(webhooks).toEqual(['1', '2', '3']);
  });
});
