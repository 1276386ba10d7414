import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { withRequestIds } from './common/logging/request-id.js';
import { fastifyOptions, setupApp } from './app.setup.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app.config.js';
import { mountQueueDashboard } from './queue/queue-dashboard.js';

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

const config = readConfig();
const app = await NestFactory.create<NestFastifyApplication>(
  AppModule.forRoot(config),
  withRequestIds(new FastifyAdapter(fastifyOptions(config))),
  { bufferLogs: true },
);
await setupApp(app, { swaggerUi: config.swaggerUi });
if (config.role !== 'worker') await mountQueueDashboard(app);
const keyFile = config.secrets.generatedKeyFile;
if (keyFile) {
  app
    .get(Logger)
    .warn(
      `SECRET_KEY is not set: using the random key ${keyFile.created ? 'just generated in' : 'kept in'} ` +
        `${keyFile.path} (back it up with the database; set SECRET_KEY in production).`,
    );
}
if (config.transport === 'postgres') {
  app
    .get(Logger)
    .warn(
      'Transport: PostgreSQL alone (REDIS_URL is not set, or TRANSPORT=postgres): queues in ' +
        'schema "bullmq", pub/sub over LISTEN/NOTIFY, counters in unlogged tables, thread cache ' +
        'in process. The Redis Stream event channel is OFF (the pull API, webhooks and live ' +
        'streams work). Set REDIS_URL for throughput and scale-out (README "Transports").',
    );
} else {
  app.get(Logger).log(`Transport: Redis (prefix "${config.redis.prefix}")`);
}
if (!config.mail.smtpUrl) {
  app.get(Logger).warn('SMTP_URL is not set: no mail is sent ("notify" is accepted and ignored).');
}
await app.listen({ port: config.http.port, host: config.http.host });
{
  const { host, port } = config.http;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const docs = config.role !== 'worker' && config.swaggerUi ? `; API docs at /docs` : '';
  app
    .get(Logger)
    .log(
      `Listening on http://${shown.includes(':') ? `[${shown}]` : shown}:${port} (role ${config.role})${docs}`,
    );
}
