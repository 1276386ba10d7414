import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../config/app.config.js';
import { prettyStream, REDACT_PATHS } from './logger.options.js';

describe('LOG_FORMAT', () => {
  it('is JSON unless asked (tests, pipes, production) and pretty when asked', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'test', LOG_FORMAT: 'auto' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'fancy' })).toThrow(ConfigError);
  });

  it('writes readable lines through pino-pretty, still redacted', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out += chunk.toString('utf8');
        callback();
      },
    });
    const logger = pino(
      { redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
      prettyStream(sink),
    );
    logger.info(
      { context: 'Test', email: 'ann@example.com' },
      'Listening on http://localhost:3000',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(out).toMatch(/INFO.*\[Test\] Listening on http:\/\/localhost:3000/);
    expect(out).not.toContain('ann@example.com');
    expect(out).not.toMatch(/^\{/);
  });
});
