import { ConfigError, loadConfig } from '../config/app.config.js';

describe('events configuration', () => {
  it('has production defaults', () => {
    expect(loadConfig({}).events).toEqual({
      streamMaxLen: 100_000,
      retentionDays: 30,
      relayPollMs: 1000,
      sseHeartbeatMs: 15_000,
      webhookMaxAttempts: 12,
      webhookRetryBaseMs: 10_000,
      webhookTimeoutMs: 10_000,
      webhookAllowPrivate: false,
      sseMaxStreams: 10_000,
      sseMaxStreamsPerClient: 50,
      moderationSseRecheckMs: 5000,
      moderationSseMaxAgeMs: 3_600_000,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      EVENTS_STREAM_MAXLEN: '5000',
      EVENTS_RETENTION_DAYS: '7',
      EVENTS_RELAY_POLL_MS: '250',
      SSE_HEARTBEAT_MS: '20000',
      WEBHOOK_MAX_ATTEMPTS: '5',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SSE_MAX_STREAMS: '100',
      SSE_MAX_STREAMS_PER_CLIENT: '3',
      MODERATION_SSE_RECHECK_MS: '1000',
      MODERATION_SSE_MAX_AGE_S: '600',
    });
    expect(config.events).toEqual({
      streamMaxLen: 5000,
      retentionDays: 7,
      relayPollMs: 250,
      sseHeartbeatMs: 20_000,
      webhookMaxAttempts: 5,
      webhookRetryBaseMs: 100,
      webhookTimeoutMs: 3000,
      webhookAllowPrivate: true,
      sseMaxStreams: 100,
      sseMaxStreamsPerClient: 3,
      moderationSseRecheckMs: 1000,
      moderationSseMaxAgeMs: 600_000,
    });
  });

  it('refuses a WEBHOOK_ALLOW_PRIVATE that is not a boolean', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });

  it('reports every bad value by name', () => {
    try {
      loadConfig({
        EVENTS_RETENTION_DAYS: '0',
        WEBHOOK_MAX_ATTEMPTS: 'many',
        SSE_HEARTBEAT_MS: '-1',
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/EVENTS_RETENTION_DAYS/);
      expect(problems).toMatch(/WEBHOOK_MAX_ATTEMPTS/);
      expect(problems).toMatch(/SSE_HEARTBEAT_MS/);
    }
  });
});
