import {
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
  webhookSecretKey,
} from './webhook-signature.js';

// The Standard Webhooks reference vector: a receiver's library must accept what we send.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signatures', () => {
  it('reproduces the published test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('signs with the base64-decoded secret, prefix or not', () => {
    const bare = VECTOR.secret.slice('whsec_'.length);
    expect(signWebhook(bare, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(webhookSecretKey(VECTOR.secret)).toEqual(Buffer.from(bare, 'base64'));
  });

  it('builds the three headers with a fresh timestamp per attempt', () => {
    const headers = webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body);
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    });
    const later = webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.timestamp + 60, VECTOR.body);
    expect(later['webhook-signature']).not.toBe(VECTOR.signature);
  });

  describe('verifying', () => {
    const headers = { id: VECTOR.id, timestamp: '1614265330', signature: VECTOR.signature };
    const at = { nowSeconds: VECTOR.timestamp + 10 };

    it('accepts the vector within the tolerance', () => {
      expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, at)).toBe(true);
    });

    it('accepts any matching signature of a space-separated list', () => {
      const signature = `v1,bm9wZQ== v2,whatever ${VECTOR.signature}`;
      expect(verifyWebhook(VECTOR.secret, { ...headers, signature }, VECTOR.body, at)).toBe(true);
    });

    it('refuses a changed body, id or timestamp', () => {
      expect(verifyWebhook(VECTOR.secret, headers, '{"test": 2432232315}', at)).toBe(false);
      expect(verifyWebhook(VECTOR.secret, { ...headers, id: 'msg_other' }, VECTOR.body, at)).toBe(
        false,
      );
      expect(
        verifyWebhook(VECTOR.secret, { ...headers, timestamp: '1614265331' }, VECTOR.body, at),
      ).toBe(false);
    });

    it('refuses another secret', () => {
      expect(verifyWebhook(newWebhookSecret(), headers, VECTOR.body, at)).toBe(false);
    });

    it('refuses a timestamp outside the tolerance (replays)', () => {
      const late = { nowSeconds: VECTOR.timestamp + 301 };
      expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, late)).toBe(false);
      const early = { nowSeconds: VECTOR.timestamp - 301 };
      expect(verifyWebhook(VECTOR.secret, headers, VECTOR.body, early)).toBe(false);
    });

    it('refuses malformed headers', () => {
      for (const signature of ['', 'v1,', 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', 'v1']) {
        expect(verifyWebhook(VECTOR.secret, { ...headers, signature }, VECTOR.body, at)).toBe(
          false,
        );
      }
      expect(verifyWebhook(VECTOR.secret, { ...headers, timestamp: 'soon' }, VECTOR.body, at)).toBe(
        false,
      );
    });
  });

  it('makes secrets of 32 random bytes behind the whsec_ prefix', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecretKey(a)).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
