// The ceiling for reads: a bare Fastify route returning the same JSON body as the cached
// thread response, in its own process like the service.
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2], 'utf8');
const app = Fastify({ logger: false });
app.get('/thread', (_request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
await app.listen({ port: Number(process.argv[3]), host: '127.0.0.1' });
process.stdout.write('ready\n');
