// Over 300 lines on purpose: one case per environment variable's accepted and refused values.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEVELOPMENT_SECRET_KEY, loadConfig } from './app.config.js';

/** A SECRET_KEY_FILE path in a fresh folder (the generated key goes there, not into .data/). */
const keyFile = (): string => join(mkdtempSync(join(tmpdir(), 'comments-key-')), 'd', 'secret.key');

type Env = Record<string, string | undefined>;

/** The problems loadConfig reports for `env`; fails the test when it accepts the env. */
function problemsOf(env: Env): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const key32 = (): string => randomBytes(32).toString('base64');

describe('loadConfig', () => {
  describe('with an empty environment', () => {
    const path = keyFile();
    const config = loadConfig({ SECRET_KEY_FILE: path });

    it('listens on 0.0.0.0:3000', () => {
      expect(config.http.port).toBe(3000);
      expect(config.http.host).toBe('0.0.0.0');
    });

    it('runs every role', () => {
      expect(config.role).toBe('all');
    });

    it('uses the documented local PostgreSQL and Redis URLs', () => {
      expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/comments');
      expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    });

    it('prefixes Redis keys with "comments"', () => {
      expect(config.redis.prefix).toBe('comments');
    });

    it('sweeps pending comments after 30 seconds', () => {
      expect(config.pendingSweepAfterMs).toBe(30_000);
    });

    it('has no admin token and trusts no proxy', () => {
      expect(config.adminToken).toBeNull();
      expect(config.http.trustProxy).toBe(false);
    });

    it('limits request bodies to 64 KiB', () => {
      expect(config.http.bodyLimitBytes).toBe(64 * 1024);
    });

    it('generates a random key of its own, never the public development key, and says so', () => {
      expect(config.secrets.isDevelopmentKey).toBe(true);
      expect(config.secrets.generatedKeyFile).toEqual({ path, created: true });
      expect(config.secrets.current.equals(Buffer.from(DEVELOPMENT_SECRET_KEY, 'base64'))).toBe(
        false,
      );
      expect(config.secrets.current.length).toBe(32);
      expect(config.secrets.previous).toEqual([]);
    });

    it('keeps the key in SECRET_KEY_FILE, readable by its owner only, and reuses it', () => {
      expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')).toEqual(
        config.secrets.current,
      );
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const again = loadConfig({ SECRET_KEY_FILE: path });
      expect(again.secrets.current).toEqual(config.secrets.current);
      expect(again.secrets.generatedKeyFile).toEqual({ path, created: false });
      // Another deployment (another file) gets another key.
      expect(loadConfig({ SECRET_KEY_FILE: keyFile() }).secrets.current).not.toEqual(
        config.secrets.current,
      );
    });
  });

  describe('with values set', () => {
    it('reads PORT, HOST, ROLE, URLs and prefix', () => {
      const config = loadConfig({
        PORT: '8080',
        HOST: '127.0.0.1',
        ROLE: 'worker',
        DATABASE_URL: 'postgresql://u:p@db:5433/other',
        REDIS_URL: 'rediss://cache:6380',
        REDIS_PREFIX: 'test-run_1.{a}',
      });
      expect(config.http.port).toBe(8080);
      expect(config.http.host).toBe('127.0.0.1');
      expect(config.role).toBe('worker');
      expect(config.database.url).toBe('postgresql://u:p@db:5433/other');
      expect(config.redis.url).toBe('rediss://cache:6380');
      expect(config.redis.prefix).toBe('test-run_1.{a}');
    });

    it.each(['all', 'api', 'worker'])('accepts ROLE=%s', (role) => {
      expect(loadConfig({ ROLE: role }).role).toBe(role);
    });

    it('converts PENDING_SWEEP_AFTER_S to milliseconds', () => {
      expect(loadConfig({ PENDING_SWEEP_AFTER_S: '45' }).pendingSweepAfterMs).toBe(45_000);
    });

    it('treats empty variables as unset', () => {
      const config = loadConfig({
        PORT: '',
        ROLE: '',
        REDIS_PREFIX: '',
        ADMIN_TOKEN: '',
        HOST: '',
      });
      expect(config.http.port).toBe(3000);
      expect(config.role).toBe('all');
      expect(config.redis.prefix).toBe('comments');
      expect(config.adminToken).toBeNull();
      expect(config.http.host).toBe('0.0.0.0');
    });

    it('keeps an ADMIN_TOKEN of 16 characters or more', () => {
      expect(loadConfig({ ADMIN_TOKEN: 'a'.repeat(16) }).adminToken).toBe('a'.repeat(16));
    });

    it('uses a given SECRET_KEY and does not flag it as the development key', () => {
      const raw = randomBytes(48);
      const config = loadConfig({ SECRET_KEY: raw.toString('base64') });
      expect(config.secrets.isDevelopmentKey).toBe(false);
      expect(config.secrets.current.equals(raw)).toBe(true);
    });

    it('accepts a base64url SECRET_KEY', () => {
      const raw = randomBytes(32);
      const config = loadConfig({ SECRET_KEY: raw.toString('base64url') });
      expect(config.secrets.current.equals(raw)).toBe(true);
    });

    it('reads a comma-separated SECRET_KEY_PREVIOUS list', () => {
      const a = randomBytes(32);
      const b = randomBytes(32);
      const config = loadConfig({
        SECRET_KEY: key32(),
        SECRET_KEY_PREVIOUS: ` ${a.toString('base64')} , ${b.toString('base64')} `,
      });
      expect(config.secrets.previous).toHaveLength(2);
      expect(config.secrets.previous[0].equals(a)).toBe(true);
      expect(config.secrets.previous[1].equals(b)).toBe(true);
    });
  });

  describe('refusing bad values', () => {
    it('throws a ConfigError naming the variable', () => {
      expect(() => loadConfig({ ROLE: 'web' })).toThrow(ConfigError);
      expect(() => loadConfig({ ROLE: 'web' })).toThrow(/ROLE/);
    });

    it('reports every bad value at once, each with its variable name', () => {
      const problems = problemsOf({
        ROLE: 'web',
        PORT: 'eighty',
        REDIS_PREFIX: 'comments:test',
        SECRET_KEY: 'not base64!',
        TRUST_PROXY: 'my-proxy.example',
        ADMIN_TOKEN: 'short',
      });
      expect(problems).toHaveLength(6);
      for (const name of [
        'ROLE',
        'PORT',
        'REDIS_PREFIX',
        'SECRET_KEY',
        'TRUST_PROXY',
        'ADMIN_TOKEN',
      ]) {
        expect(problems.some((p) => p.startsWith(name))).toBe(true);
      }
    });

    it('lists every problem in the error message', () => {
      expect(() => loadConfig({ ROLE: 'web', PORT: 'x' })).toThrow(/ROLE[\s\S]*PORT/);
    });

    it.each(['web', 'API', ' all'])('refuses ROLE=%j', (role) => {
      expect(problemsOf({ ROLE: role })).toEqual([expect.stringMatching(/^ROLE\b/)]);
    });

    it.each(['abc', '70000', '65536', '-1', '80.5'])('refuses PORT=%j', (port) => {
      const problems = problemsOf({ PORT: port });
      expect(problems).toEqual([expect.stringMatching(/^PORT\b/)]);
      expect(problems[0]).toContain(`"${port}"`);
    });

    it.each(['comments:test', 'a b', 'x'.repeat(65), 'é'])('refuses REDIS_PREFIX=%j', (prefix) => {
      expect(problemsOf({ REDIS_PREFIX: prefix })).toEqual([
        expect.stringMatching(/^REDIS_PREFIX\b/),
      ]);
    });

    it('refuses a DATABASE_URL that is not postgres or names no database', () => {
      expect(problemsOf({ DATABASE_URL: 'mysql://db/comments' })).toEqual([
        expect.stringMatching(/^DATABASE_URL\b/),
      ]);
      expect(problemsOf({ DATABASE_URL: 'postgres://db:5432/' })).toEqual([
        expect.stringMatching(/^DATABASE_URL\b/),
      ]);
    });

    it('refuses a REDIS_URL that is not redis:// or rediss://', () => {
      expect(problemsOf({ REDIS_URL: 'http://cache:6379' })).toEqual([
        expect.stringMatching(/^REDIS_URL\b/),
      ]);
    });

    it.each(['0', '86401', 'soon'])('refuses PENDING_SWEEP_AFTER_S=%j', (value) => {
      expect(problemsOf({ PENDING_SWEEP_AFTER_S: value })).toEqual([
        expect.stringMatching(/^PENDING_SWEEP_AFTER_S\b/),
      ]);
    });

    it('refuses a SECRET_KEY that is not base64', () => {
      expect(problemsOf({ SECRET_KEY: 'this is not base64!' })).toEqual([
        expect.stringMatching(/^SECRET_KEY must be base64/),
      ]);
    });

    it('refuses a SECRET_KEY shorter than 32 bytes', () => {
      const problems = problemsOf({ SECRET_KEY: randomBytes(31).toString('base64') });
      expect(problems).toEqual([expect.stringMatching(/^SECRET_KEY\b.*32 bytes/)]);
      expect(problems[0]).toContain('got 31');
    });

    it('refuses a short key in SECRET_KEY_PREVIOUS', () => {
      expect(
        problemsOf({
          SECRET_KEY: key32(),
          SECRET_KEY_PREVIOUS: `${key32()},${randomBytes(8).toString('base64')}`,
        }),
      ).toEqual([expect.stringMatching(/^SECRET_KEY_PREVIOUS\b/)]);
    });

    it('does not echo the secret key in its problem', () => {
      const short = randomBytes(20).toString('base64');
      const problems = problemsOf({ SECRET_KEY: short });
      expect(problems.join('\n')).not.toContain(short);
    });

    it('refuses an ADMIN_TOKEN shorter than 16 characters', () => {
      expect(problemsOf({ ADMIN_TOKEN: 'a'.repeat(15) })).toEqual([
        expect.stringMatching(/^ADMIN_TOKEN\b/),
      ]);
    });

    it('refuses an unknown LOG_LEVEL', () => {
      expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual([expect.stringMatching(/^LOG_LEVEL\b/)]);
    });
  });

  describe('SECRET_KEY in production', () => {
    it('refuses a missing SECRET_KEY when NODE_ENV=production', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
        expect.stringMatching(/^SECRET_KEY is required when NODE_ENV=production/),
      ]);
    });

    it('refuses an empty SECRET_KEY when NODE_ENV=production', () => {
      expect(problemsOf({ NODE_ENV: 'production', SECRET_KEY: '' })).toEqual([
        expect.stringMatching(/^SECRET_KEY\b/),
      ]);
    });

    it('accepts a real SECRET_KEY in production', () => {
      const config = loadConfig({ NODE_ENV: 'production', SECRET_KEY: key32() });
      expect(config.nodeEnv).toBe('production');
      expect(config.secrets.isDevelopmentKey).toBe(false);
    });

    it.each(['development', 'test'])('uses the generated key when NODE_ENV=%s', (nodeEnv) => {
      const config = loadConfig({ NODE_ENV: nodeEnv, SECRET_KEY_FILE: keyFile() });
      expect(config.secrets.isDevelopmentKey).toBe(true);
      expect(config.secrets.generatedKeyFile?.created).toBe(true);
    });

    it('refuses the former development key, which is public, in any environment', () => {
      for (const NODE_ENV of ['development', 'production']) {
        expect(problemsOf({ NODE_ENV, SECRET_KEY: DEVELOPMENT_SECRET_KEY })).toEqual([
          expect.stringMatching(/^SECRET_KEY must not be the former development key/),
        ]);
      }
    });

    it('generates no key file in production (refused without SECRET_KEY)', () => {
      const path = keyFile();
      expect(problemsOf({ NODE_ENV: 'production', SECRET_KEY_FILE: path })).toEqual([
        expect.stringMatching(/^SECRET_KEY is required/),
      ]);
      expect(() => statSync(path)).toThrow();
    });
  });

  describe('TRUST_PROXY', () => {
    it.each([undefined, '', '  ', 'false'])('trusts nobody when TRUST_PROXY=%j', (value) => {
      expect(loadConfig({ TRUST_PROXY: value }).http.trustProxy).toBe(false);
    });

    it('accepts the loopback keyword', () => {
      expect(loadConfig({ TRUST_PROXY: 'loopback' }).http.trustProxy).toEqual(['loopback']);
    });

    it('splits and trims a list of keywords, addresses and CIDRs', () => {
      expect(
        loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.1 ,192.168.0.0/16,uniquelocal,linklocal' }).http
          .trustProxy,
      ).toEqual(['loopback', '10.0.0.1', '192.168.0.0/16', 'uniquelocal', 'linklocal']);
    });

    it('accepts IPv6 addresses and CIDRs', () => {
      expect(loadConfig({ TRUST_PROXY: '::1,fd00::/8,2001:db8::/128' }).http.trustProxy).toEqual([
        '::1',
        'fd00::/8',
        '2001:db8::/128',
      ]);
    });

    it('accepts the /0 and /32 bounds for IPv4', () => {
      expect(loadConfig({ TRUST_PROXY: '0.0.0.0/0,10.1.2.3/32' }).http.trustProxy).toEqual([
        '0.0.0.0/0',
        '10.1.2.3/32',
      ]);
    });

    it.each([
      'proxy.example.com',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0.0/8/8',
      '10.0.0.0/x',
      '10.0.0.0/',
      '300.1.1.1',
      'localhost',
    ])('refuses the entry %j', (entry) => {
      const problems = problemsOf({ TRUST_PROXY: `loopback,${entry}` });
      expect(problems).toEqual([expect.stringMatching(/^TRUST_PROXY\b/)]);
      expect(problems[0]).toContain(`"${entry}"`);
    });

    it('reports each bad entry separately', () => {
      expect(problemsOf({ TRUST_PROXY: 'nope, 1.2.3.4, also-nope' })).toHaveLength(2);
    });
  });
});
