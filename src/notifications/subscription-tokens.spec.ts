import { CryptoService } from '../common/crypto/crypto.service.js';
import { loadConfig } from '../config/app.config.js';
import { SubscriptionTokens } from './subscription-tokens.js';

const ID = '0b7e5a4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c';

function tokens(secret = 'k'.repeat(40)) {
  const config = loadConfig({ SECRET_KEY: Buffer.from(secret).toString('base64') });
  return new SubscriptionTokens(new CryptoService(config));
}

describe('SubscriptionTokens', () => {
  const t = tokens();

  it('gives back the subscription id of its own tokens, for their purpose only', () => {
    const confirm = t.sign('confirm', ID);
    const unsubscribe = t.sign('unsubscribe', ID);
    expect(t.verify('confirm', confirm)).toBe(ID);
    expect(t.verify('unsubscribe', unsubscribe)).toBe(ID);
    expect(t.verify('unsubscribe', confirm)).toBeNull();
    expect(t.verify('confirm', unsubscribe)).toBeNull();
  });

  it('refuses forged, mangled and foreign tokens', () => {
    const token = t.sign('unsubscribe', ID);
    expect(
      t.verify('unsubscribe', token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')),
    ).toBeNull();
    expect(t.verify('unsubscribe', token.replace(ID, ID.replace('0b', '1b')))).toBeNull();
    expect(tokens('z'.repeat(40)).verify('unsubscribe', token)).toBeNull();
    expect(t.verify('unsubscribe', 'u.x.0.y')).toBeNull();
    expect(t.verify('unsubscribe', 42)).toBeNull();
  });

  it('lets a confirmation link expire after a week; unsubscribing always works', () => {
    const issued = new Date('2026-01-01T00:00:00Z');
    const confirm = t.sign('confirm', ID, issued);
    const unsubscribe = t.sign('unsubscribe', ID, issued);
    const later = new Date('2026-01-09T00:00:00Z');
    expect(t.verify('confirm', confirm, new Date('2026-01-07T00:00:00Z'))).toBe(ID);
    expect(t.verify('confirm', confirm, later)).toBeNull();
    expect(t.verify('unsubscribe', unsubscribe, new Date('2030-01-01T00:00:00Z'))).toBe(ID);
  });

  it('still verifies links signed before a key rotation', () => {
    const before = tokens('k'.repeat(40)).sign('unsubscribe', ID);
    const config = loadConfig({
      SECRET_KEY: Buffer.from('n'.repeat(40)).toString('base64'),
      SECRET_KEY_PREVIOUS: Buffer.from('k'.repeat(40)).toString('base64'),
    });
    expect(new SubscriptionTokens(new CryptoService(config)).verify('unsubscribe', before)).toBe(
      ID,
    );
  });

  it('carries nothing about the address', () => {
    expect(t.sign('confirm', ID)).toMatch(/^c\.[0-9a-f-]{36}\.[0-9a-z]+\.[A-Za-z0-9_-]{24}$/);
  });
});
