// A webhook receiver that verifies deliveries the Standard Webhooks way (no dependencies):
//
//   WEBHOOK_SECRET=whsec_... PORT=4000 node examples/webhook-receiver.mjs
//
// Register it with `POST /v1/admin/webhooks {"url":"http://host:4000/hooks","events":[...]}`;
// the answer's `secret` is WEBHOOK_SECRET. Any Standard Webhooks library (svix, standardwebhooks)
// verifies the same headers.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.WEBHOOK_SECRET ?? '';
const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
const TOLERANCE_S = 5 * 60;
const seen = new Set(); // in a real service: a table of processed webhook-ids (or sequences)

function verify(headers, body) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  // Refuse old (replayed) and future messages.
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_S) return false;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  // The header may hold several space-separated signatures ("v1,<base64>").
  return signatures.split(' ').some((candidate) => {
    const [version, signature] = candidate.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8'); // verify the raw bytes, not re-encoded JSON
    if (!verify(req.headers, body)) {
      res.writeHead(401).end();
      return;
    }
    const event = JSON.parse(body);
    // Retries carry the same webhook-id (= the event id): handle each once, answer 2xx fast.
    if (!seen.has(event.id)) {
      seen.add(event.id);
      console.log(`#${event.sequence} ${event.type} ${event.subject}`);
    }
    res.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 4000));
