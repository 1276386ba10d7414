import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { withRequestIds } from './common/logging/request-id.js';
import { fastifyOptions, setupApp } from './app.setup.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app.config.js';
import { openLocalDatabase, stopAfterApp } from './database/embedded/local-database.js';
import { EmbeddedPostgresError } from './database/embedded/embedded-postgres.server.js';
import { mountQueueDashboard } from './queue/queue-dashboard.js';

// DATABASE_URL unset and no PostgreSQL at its default place: an embedded one (README, Quick
// start). Its problems (production without DATABASE_URL) are reported with the others.
const databaseProblems: string[] = [];
const database = await openLocalDatabase(process.env, {
  log: (line) => process.stderr.write(`${line}\n`),
}).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    databaseProblems.push(...error.problems);
    return { env: process.env, server: null };
  }
  if (error instanceof EmbeddedPostgresError) {
    process.stderr.write(`Embedded PostgreSQL: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
});
// A normal exit (or one on a start-up error) stops an embedded server this process owns.
process.once('exit', () => database.server?.stopNow());

function readConfig(): AppConfig {
  const problems = [...databaseProblems];
  let config: AppConfig | null = null;
  try {
    config = loadConfig(database.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length || !config) {
    process.stderr.write(`${new ConfigError(problems).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  return config;
}

const config = readConfig();
const app = await NestFactory.create<NestFastifyApplication>(
  AppModule.forRoot(config),
  withRequestIds(new FastifyAdapter(fastifyOptions(config))),
  { bufferLogs: true },
);
await setupApp(app, { swaggerUi: config.swaggerUi });
// The app closes first (HTTP, workers, pools), the embedded database last.
stopAfterApp(database.server, app);
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
if (database.server) {
  const { port, tenure, dataDir } = database.server;
  app
    .get(Logger)
    .log(
      `Database: the embedded PostgreSQL on 127.0.0.1:${port} (${tenure}), its data in ` +
        `${dataDir}; set DATABASE_URL to use another server (docs/operations.md).`,
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
