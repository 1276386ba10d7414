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

function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  if (error instanceof EmbeddedPostgresError) {
    process.stderr.write(`Embedded PostgreSQL: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

// DATABASE_URL unset and no PostgreSQL at its default place: an embedded one (see README).
const database = await openLocalDatabase(process.env, {
  log: (line) => process.stderr.write(`${line}\n`),
}).catch(exitOnConfigError);

function readConfig(): AppConfig {
  try {
    return loadConfig(database.env);
  } catch (error) {
    database.server?.stopNow();
    return exitOnConfigError(error);
  }
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
