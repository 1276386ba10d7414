import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/** What the live stream writes to; the service never sees HTTP. */
export interface LiveSink {
  readonly closed: boolean;
  event(name: string, id: string, data: unknown): void;
  comment(text: string): void;
  end(): void;
  onClose(listener: () => void): void;
}

/** A client that stops reading gets cut off (it reconnects and resumes with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * A Server-Sent Events response on Fastify's raw response. The reply is hijacked (Fastify
 * sends nothing itself), but the headers other hooks set on it (helmet, CORS, request id) are
 * kept.
 */
export class SseSink implements LiveSink {
  private isClosed = false;
  private readonly listeners: (() => void)[] = [];

  private constructor(private readonly res: ServerResponse) {
    res.on('close', () => {
      this.markClosed();
      res.socket?.destroy();
    });
  }

  static open(reply: FastifyReply, retryMs: number): SseSink {
    reply.hijack();
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined && name !== 'content-length') headers[name] = value;
    }
    Object.assign(headers, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Proxies (nginx) must not buffer the stream.
      'x-accel-buffering': 'no',
      // A stream is its connection's last response: when either side ends it, the socket goes
      // (else a graceful shutdown would wait for the idle keep-alive socket).
      connection: 'close',
    });
    reply.raw.writeHead(200, headers);
    const sink = new SseSink(reply.raw);
    sink.write(`retry: ${retryMs}\n\n`);
    return sink;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  event(name: string, id: string, data: unknown): void {
    this.write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.isClosed) return;
    this.res.end();
    // Do not wait for a client that stopped reading: the stream is over either way.
    setImmediate(() => this.res.socket?.destroy());
    this.markClosed();
  }

  onClose(listener: () => void): void {
    if (this.isClosed) listener();
    else this.listeners.push(listener);
  }

  private write(chunk: string): void {
    if (this.isClosed) return;
    if (!this.res.write(chunk) && this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.res.destroy();
      this.markClosed();
    }
  }

  private markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const listener of this.listeners.splice(0)) listener();
  }
}
