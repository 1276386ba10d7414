import type { PinoLogger } from 'nestjs-pino';
import { ServiceUnavailableError } from '../../common/errors/domain.errors.js';
import type { LiveSink } from '../../common/http/sse-sink.js';
import type { LiveEventsHub } from './live-events.hub.js';

/** How long a browser waits before reconnecting (the SSE `retry:` field). */
export const RECONNECT_MS = 3000;

/** What one kind of live stream (readers', moderators') decides; `serveLiveStream` does the rest. */
export interface LiveStreamPlan<E> {
  /** Listens on the hub; resolves with the unsubscribe once the subscription is live. */
  subscribe(listener: (event: E) => void): Promise<() => void>;
  /** Starts the HTTP response. */
  open(retryMs: number): LiveSink;
  /** Sends one event on the open stream (the plan skips what it sent already). */
  send(sink: LiveSink, event: E): void;
  /** Replays from PostgreSQL what the client missed (after its Last-Event-ID), if anything. */
  replay(send: (event: E) => void): Promise<void>;
  /** The stream is open (a moderator's stream starts its token checks here). */
  opened?(sink: LiveSink): void;
}

/**
 * The one shape of a live stream: subscribe first (events arriving meanwhile are buffered),
 * open the response, replay what was missed, then send the buffered and the live events. The
 * plan's `send` merges them by sequence, so none is sent twice or out of order. Errors before
 * the response starts are problem responses (503 when live events are unavailable); after it,
 * the stream just ends.
 */
export async function serveLiveStream<E>(
  hub: LiveEventsHub,
  logger: PinoLogger,
  plan: LiveStreamPlan<E>,
): Promise<void> {
  if (hub.closing) throw new ServiceUnavailableError('The server is shutting down.');
  let sink: LiveSink | undefined;
  let buffered: E[] | null = [];
  const send = (event: E) => {
    if (sink && !sink.closed) plan.send(sink, event);
  };
  const unsubscribe = await plan
    .subscribe((event) => (buffered ? buffered.push(event) : send(event)))
    .catch((error: unknown) => {
      logger.warn({ err: (error as Error).message }, 'Live events unavailable');
      throw new ServiceUnavailableError('Live updates are unavailable right now.');
    });
  try {
    sink = plan.open(RECONNECT_MS);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  sink.onClose(unsubscribe);
  hub.attach(sink);
  plan.opened?.(sink);
  try {
    await plan.replay(send);
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'Live stream replay failed');
    sink.end();
    return;
  }
  const missed = buffered;
  buffered = null;
  for (const event of missed) send(event);
}
