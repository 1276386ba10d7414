// Over 300 lines on purpose: the one environment schema (nothing else reads process.env),
// every variable parsed and checked in one place.
import { isIP } from 'node:net';
import { DEFAULT_SECRET_KEY_FILE, readOrCreateKeyFile } from './secret-key-file.js';

/** Which store carries queues, pub/sub, counters and the thread cache. */
export type Transport = 'redis' | 'postgres';

/** Which parts of the service this process runs. */
export type Role = 'all' | 'api' | 'worker';

export interface AppConfig {
  nodeEnv: string;
  role: Role;
  http: {
    port: number;
    host: string;
    trustProxy: TrustProxy;
    bodyLimitBytes: number;
    /** How CDNs and shared caches may keep the public thread and counts (see edge-cache.ts). */
    edgeCache: EdgeCacheConfig;
  };
  database: { url: string; poolSize: number };
  /**
   * What carries queues, pub/sub, counters and the thread cache: `redis` (REDIS_URL set, or
   * TRANSPORT=redis) or `postgres` (REDIS_URL unset, or TRANSPORT=postgres): see README.
   */
  transport: Transport;
  /** REDIS_URL and REDIS_PREFIX; the URL is used only with the Redis transport. */
  redis: { url: string; prefix: string };
  adminToken: string | null;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <it>`. */
  metricsToken: string | null;
  /** AUTH_FAILURES_PER_MINUTE: wrong bearer tokens a client may send a minute before a 429. */
  authFailuresPerMinute: number;
  secrets: {
    current: Buffer;
    previous: Buffer[];
    /** No SECRET_KEY: the key is the generated one in `generatedKeyFile`. */
    isDevelopmentKey: boolean;
    /** Where the generated key is kept, and whether this start created it; null with SECRET_KEY. */
    generatedKeyFile: { path: string; created: boolean } | null;
  };
  pendingSweepAfterMs: number;
  sweepIntervalMs: number;
  logLevel: string;
  /** `pretty` (pino-pretty) or `json`; LOG_FORMAT=auto picks pretty on a terminal outside production. */
  logFormat: 'pretty' | 'json';
  swaggerUi: boolean;
  workerConcurrency: number;
  /** Jobs in flight per pipeline queue (spam, moderation), processed together in batches. */
  pipelineConcurrency: number;
  /** Proof of work: the highest counter a client may have to try (difficulty). */
  powMaxCounter: number;
  /** Comment events: relay, Redis Stream, webhooks, live SSE, retention (see docs/events.md). */
  events: EventsConfig;
  /** Outgoing mail: reply notifications, confirmations, moderator digests (see README). */
  mail: MailConfig;
}

export interface EdgeCacheConfig {
  /** EDGE_CACHE_S_MAXAGE: seconds a CDN may serve a public read unchanged (0: it must revalidate). */
  sMaxAgeS: number;
  /** EDGE_CACHE_STALE_S: seconds past that a CDN may serve it while it revalidates. */
  staleWhileRevalidateS: number;
}

export interface MailConfig {
  /** SMTP_URL: null = no mail is sent (and `notify` is accepted and ignored). */
  smtpUrl: string | null;
  /** MAIL_FROM: `Name <address>`; a site's `notifications.senderName` replaces the name. */
  from: string;
  /** MAIL_RETURN_PATH: envelope sender for bounces (defaults to MAIL_FROM's address). */
  returnPath: string | null;
  /** PUBLIC_URL: the service's public base URL, for links in mail (no trailing slash). */
  publicUrl: string;
  /** REPLY_MAIL_INTERVAL_S: at most one reply mail per subscriber and thread this often. */
  replyIntervalMs: number;
}

export interface EventsConfig {
  /** EVENTS_STREAM_MAXLEN: approximate length the Redis Stream is trimmed to. */
  streamMaxLen: number;
  /** EVENTS_RETENTION_DAYS: relayed outbox rows (and finished deliveries) older than this go. */
  retentionDays: number;
  /** EVENTS_RELAY_POLL_MS: relay polling fallback (LISTEN/NOTIFY wakes it sooner) and standby retry. */
  relayPollMs: number;
  /** SSE_HEARTBEAT_MS: comment line sent on idle live streams. */
  sseHeartbeatMs: number;
  /** SSE_MAX_STREAMS: open public live streams per api process, in total. */
  sseMaxStreams: number;
  /** SSE_MAX_STREAMS_PER_CLIENT: open public live streams per client (IPv4, or IPv6 /64). */
  sseMaxStreamsPerClient: number;
  /** MODERATION_SSE_RECHECK_MS: how often an open moderation stream re-checks its token. */
  moderationSseRecheckMs: number;
  /** MODERATION_SSE_MAX_AGE_S: a moderation stream ends after this; the client signs in again. */
  moderationSseMaxAgeMs: number;
  /** WEBHOOK_MAX_ATTEMPTS: attempts per delivery before giving up. */
  webhookMaxAttempts: number;
  /** WEBHOOK_RETRY_BASE_MS: first retry delay; doubles on each further attempt. */
  webhookRetryBaseMs: number;
  /** WEBHOOK_TIMEOUT_MS: time allowed per attempt (connect, send, answer). */
  webhookTimeoutMs: number;
  /**
   * WEBHOOK_ALLOW_PRIVATE: let webhooks target loopback, private and link-local addresses
   * (development and tests); otherwise refused at registration and at connect time.
   */
  webhookAllowPrivate: boolean;
}

/** `false` (believe nobody), `true`/`loopback`-style keywords or a list of addresses/CIDRs. */
export type TrustProxy = false | string[];

/**
 * The key earlier versions used without SECRET_KEY. It is public (it is right here), so it is
 * refused everywhere now: without SECRET_KEY a random key is generated into SECRET_KEY_FILE.
 */
export const DEVELOPMENT_SECRET_KEY = Buffer.from(
  'comments-service development key -- never use in production!!',
).toString('base64');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const TRUST_PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads and validates the environment once, at boot. Every bad value is reported at once with
 * the variable's name, so an operator fixes them in one go. Nothing else reads `process.env`.
 */
export function loadConfig(rawEnv: Env = process.env): AppConfig {
  // An empty variable (e.g. `ADMIN_TOKEN=` in a compose file) means "not set".
  const env: Env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== ''));
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';

  const role = (env.ROLE ?? 'all') as Role;
  if (!['all', 'api', 'worker'].includes(role)) {
    problems.push(`ROLE must be one of all, api, worker (got "${env.ROLE}")`);
  }

  const port = intVar(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST ?? '0.0.0.0';

  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/comments';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl) || !safeUrl(databaseUrl)?.pathname.slice(1)) {
    problems.push('DATABASE_URL must be a postgres:// URL naming a database');
  }
  const transport = (env.TRANSPORT ?? (env.REDIS_URL ? 'redis' : 'postgres')) as Transport;
  if (!['redis', 'postgres'].includes(transport)) {
    problems.push(`TRANSPORT must be redis or postgres (got "${env.TRANSPORT}")`);
  }
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl) || !safeUrl(redisUrl)) {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const prefix = env.REDIS_PREFIX ?? 'comments';
  if (!/^[A-Za-z0-9{}_.-]{1,64}$/.test(prefix)) {
    problems.push('REDIS_PREFIX must be 1..64 characters of letters, digits, {}_.- (no colon)');
  }

  const adminToken = env.ADMIN_TOKEN ?? null;
  if (adminToken !== null && adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters');
  }

  const metricsToken = env.METRICS_TOKEN ?? null;
  if (metricsToken !== null && metricsToken.length < 16) {
    problems.push('METRICS_TOKEN must be at least 16 characters');
  }
  const authFailuresPerMinute = intVar(env, 'AUTH_FAILURES_PER_MINUTE', 10, 1, 100_000, problems);

  const secrets = parseSecrets(env, nodeEnv, problems);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);

  const pendingSweepAfterS = intVar(env, 'PENDING_SWEEP_AFTER_S', 30, 1, 86400, problems);
  const sweepIntervalMs = intVar(env, 'SWEEP_INTERVAL_MS', 5000, 100, 3_600_000, problems);
  const poolSize = intVar(env, 'DATABASE_POOL_SIZE', 20, 1, 500, problems);
  const workerConcurrency = intVar(env, 'WORKER_CONCURRENCY', 16, 1, 1000, problems);
  const pipelineConcurrency = intVar(env, 'PIPELINE_CONCURRENCY', 64, 1, 1000, problems);
  const powMaxCounter = intVar(env, 'POW_MAX_COUNTER', 50_000, 100, 10_000_000, problems);
  const events = parseEvents(env, problems);
  const edgeCache: EdgeCacheConfig = {
    sMaxAgeS: intVar(env, 'EDGE_CACHE_S_MAXAGE', 60, 0, 86_400, problems),
    staleWhileRevalidateS: intVar(env, 'EDGE_CACHE_STALE_S', 30, 0, 86_400, problems),
  };
  const mail = parseMail(env, port, problems);

  const logLevel = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }

  const logFormat = parseLogFormat(env.LOG_FORMAT, nodeEnv, problems);

  if (problems.length) throw new ConfigError(problems);
  return {
    nodeEnv,
    role,
    http: { port, host, trustProxy, bodyLimitBytes: 64 * 1024, edgeCache },
    database: { url: databaseUrl, poolSize },
    transport,
    redis: { url: redisUrl, prefix },
    adminToken,
    metricsToken,
    authFailuresPerMinute,
    secrets,
    pendingSweepAfterMs: pendingSweepAfterS * 1000,
    sweepIntervalMs,
    logLevel,
    logFormat,
    swaggerUi: env.SWAGGER_UI !== 'false',
    workerConcurrency,
    pipelineConcurrency,
    powMaxCounter,
    events,
    mail,
  };
}

function intVar(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

function boolVar(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

function safeUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function decodeKey(name: string, raw: string, problems: string[]): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) {
    problems.push(`${name} must be base64`);
    return null;
  }
  const key = Buffer.from(raw, 'base64');
  if (key.length < 32) {
    problems.push(`${name} must decode to at least 32 bytes (got ${key.length})`);
    return null;
  }
  return key;
}

function parseSecrets(env: Env, nodeEnv: string, problems: string[]): AppConfig['secrets'] {
  const raw = env.SECRET_KEY;
  const isDevelopmentKey = raw === undefined || raw === '';
  if (raw === DEVELOPMENT_SECRET_KEY) {
    problems.push('SECRET_KEY must not be the former development key: it is public');
  } else if (isDevelopmentKey && nodeEnv === 'production') {
    problems.push('SECRET_KEY is required when NODE_ENV=production (base64, at least 32 bytes)');
  }
  let generatedKeyFile: AppConfig['secrets']['generatedKeyFile'] = null;
  let given = raw;
  if (isDevelopmentKey && nodeEnv !== 'production') {
    const path = env.SECRET_KEY_FILE ?? DEFAULT_SECRET_KEY_FILE;
    try {
      const generated = readOrCreateKeyFile(path);
      generatedKeyFile = { path: generated.path, created: generated.created };
      given = generated.value;
    } catch (error) {
      problems.push(
        `SECRET_KEY_FILE: could not read or create ${path} (${(error as Error).message}); ` +
          'set SECRET_KEY instead',
      );
    }
  }
  const current =
    (given === undefined ? null : decodeKey('SECRET_KEY', given, problems)) ?? Buffer.alloc(32);
  const previous = (env.SECRET_KEY_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => decodeKey('SECRET_KEY_PREVIOUS', s, problems))
    .filter((k): k is Buffer => k !== null);
  return { current, previous, isDevelopmentKey, generatedKeyFile };
}

function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || raw.trim() === '' || raw === 'false') return false;
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (TRUST_PROXY_KEYWORDS.has(entry)) continue;
    const [addr, bits, extra] = entry.split('/');
    const family = isIP(addr ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk =
      bits === undefined || (/^\d+$/.test(bits) && Number(bits) >= 0 && Number(bits) <= maxBits);
    if (!family || !bitsOk || extra !== undefined) {
      problems.push(
        `TRUST_PROXY entries must be loopback, linklocal, uniquelocal or an IP/CIDR (got "${entry}")`,
      );
    }
  }
  return entries;
}

function parseEvents(env: Env, problems: string[]): EventsConfig {
  return {
    streamMaxLen: intVar(env, 'EVENTS_STREAM_MAXLEN', 100_000, 100, 1_000_000_000, problems),
    retentionDays: intVar(env, 'EVENTS_RETENTION_DAYS', 30, 1, 3650, problems),
    relayPollMs: intVar(env, 'EVENTS_RELAY_POLL_MS', 1000, 20, 60_000, problems),
    sseHeartbeatMs: intVar(env, 'SSE_HEARTBEAT_MS', 15_000, 100, 300_000, problems),
    sseMaxStreams: intVar(env, 'SSE_MAX_STREAMS', 10_000, 1, 1_000_000, problems),
    sseMaxStreamsPerClient: intVar(env, 'SSE_MAX_STREAMS_PER_CLIENT', 50, 1, 10_000, problems),
    moderationSseRecheckMs: intVar(env, 'MODERATION_SSE_RECHECK_MS', 5000, 100, 60_000, problems),
    moderationSseMaxAgeMs:
      intVar(env, 'MODERATION_SSE_MAX_AGE_S', 3600, 1, 86_400, problems) * 1000,
    webhookMaxAttempts: intVar(env, 'WEBHOOK_MAX_ATTEMPTS', 12, 1, 50, problems),
    webhookRetryBaseMs: intVar(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 10, 3_600_000, problems),
    webhookTimeoutMs: intVar(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000, problems),
    webhookAllowPrivate: boolVar(env, 'WEBHOOK_ALLOW_PRIVATE', false, problems),
  };
}

const MAIL_FROM_PATTERN = /^(?:[^<>\r\n]*<([^<>\s@]+@[^<>\s@]+)>|([^<>\s@]+@[^<>\s@]+))$/;

function parseMail(env: Env, port: number, problems: string[]): MailConfig {
  const smtpUrl = env.SMTP_URL ?? null;
  if (smtpUrl !== null && (!/^smtps?:\/\//.test(smtpUrl) || !safeUrl(smtpUrl))) {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  }
  const from = env.MAIL_FROM ?? 'Comments <comments@localhost>';
  if (!MAIL_FROM_PATTERN.test(from)) {
    problems.push('MAIL_FROM must be an address or "Name <address>"');
  }
  const returnPath = env.MAIL_RETURN_PATH ?? null;
  if (returnPath !== null && !/^[^<>\s@]+@[^<>\s@]+$/.test(returnPath)) {
    problems.push('MAIL_RETURN_PATH must be a plain address (bounces go there)');
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl) || !safeUrl(publicUrl)) {
    problems.push('PUBLIC_URL must be an http:// or https:// URL');
  }
  const replyIntervalS = intVar(env, 'REPLY_MAIL_INTERVAL_S', 600, 1, 86_400, problems);
  return { smtpUrl, from, returnPath, publicUrl, replyIntervalMs: replyIntervalS * 1000 };
}

/** The bare address of MAIL_FROM (`Name <a@b>` or `a@b`). */
export function mailFromAddress(from: string): string {
  const match = MAIL_FROM_PATTERN.exec(from);
  return match?.[1] ?? match?.[2] ?? from;
}

/** `auto` (default): readable lines when stdout is a terminal (development), JSON otherwise. */
function parseLogFormat(
  raw: string | undefined,
  nodeEnv: string,
  problems: string[],
): 'pretty' | 'json' {
  const value = raw?.trim() || 'auto';
  if (value === 'pretty' || value === 'json') return value;
  if (value !== 'auto') {
    problems.push('LOG_FORMAT must be one of auto, pretty, json');
    return 'json';
  }
  return process.stdout.isTTY && nodeEnv !== 'production' && nodeEnv !== 'test' ? 'pretty' : 'json';
}
