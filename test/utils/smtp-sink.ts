import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the SMTP server received it. */
export interface ReceivedMail {
  /** MAIL FROM (the Return-Path) and RCPT TO of the SMTP conversation. */
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
  receivedAt: number;
}

export interface SmtpSink {
  url: string;
  mails: ReceivedMail[];
  /** Mails whose RCPT TO includes `address`. */
  to(address: string): ReceivedMail[];
  /** Waits until `address` has received `count` mails; returns them. */
  waitFor(address: string, count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server in the test process (the `smtp-server` package): the service talks SMTP
 * to it as to any mail server, and every message is kept and parsed for the test to read.
 */
export async function startSmtpSink(options: { greylistFirst?: number } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  let greylist = options.greylistFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Like a greylisting server: refuses the first recipients with a temporary error that
    // quotes the address (as real servers do), to test retries and what a failure may leak.
    onRcptTo(address, _session, callback) {
      if (greylist > 0) {
        greylist--;
        const error = new Error(`<${address.address}>: Recipient address rejected: Greylisted`);
        return callback(Object.assign(error, { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            mails.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
              receivedAt: Date.now(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => mails.filter((m) => m.envelope.to.includes(address));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    to,
    async waitFor(address, count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (to(address).length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `Timed out waiting for ${count} mail(s) to ${address} (got ${to(address).length})`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return to(address);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
