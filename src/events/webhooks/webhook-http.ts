import { request as httpRequest } from 'node:http';
import { isIP } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { BlockedAddressError, isPublicAddress, publicOnlyLookup } from './webhook-address.js';
import { CLOUDEVENTS_CONTENT_TYPE } from '../cloud-event.js';

export interface WebhookPostResult {
  /** The receiver's status, or null when no answer came. */
  statusCode: number | null;
  /** Why the attempt failed (transport error or non-2xx status); null on success. */
  error: string | null;
  durationMs: number;
}

/**
 * One POST of a webhook body, with a deadline for the whole exchange. No redirects are
 * followed (a 3xx is a failure), no connection is kept, and the answer's body is discarded.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  { allowPrivate = false }: { allowPrivate?: boolean } = {},
): Promise<WebhookPostResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ statusCode: null, error: 'invalid URL', durationMs: 0 });
      return;
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // An address literal is connected to without a lookup: judge it here.
    if (!allowPrivate && isIP(host) && !isPublicAddress(host)) {
      resolve({ statusCode: null, error: describe(new BlockedAddressError()), durationMs: 0 });
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const signal = AbortSignal.timeout(timeoutMs);
    let settled = false;
    const settle = (result: WebhookPostResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = send(
      target,
      {
        method: 'POST',
        signal,
        agent: false,
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
        headers: {
          ...headers,
          'content-type': CLOUDEVENTS_CONTENT_TYPE,
          'content-length': Buffer.byteLength(body),
          'user-agent': 'comments-service-webhooks/1',
        },
      },
      (res) => {
        const statusCode = res.statusCode ?? null;
        const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
        const done = () =>
          settle({
            statusCode,
            error: ok ? null : `HTTP ${statusCode ?? '?'}`,
            durationMs: elapsed(),
          });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
        res.resume();
      },
    );
    req.on('error', (error: Error & { code?: string }) => {
      const timedOut = signal.aborted || error.name === 'AbortError';
      settle({
        statusCode: null,
        error: timedOut ? `timed out after ${timeoutMs} ms` : describe(error),
        durationMs: elapsed(),
      });
    });
    req.end(body);
  });
}

/**
 * What the delivery log says of a failed connection: generic on purpose, so that the log
 * cannot be used to map a network (which addresses refuse, reset or do not resolve).
 */
function describe(error: Error & { code?: string }): string {
  if (error instanceof BlockedAddressError) return 'refused: the address is not public';
  return 'could not connect';
}
