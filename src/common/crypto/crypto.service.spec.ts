// Over 300 lines on purpose: every key, cipher and blind-index property of CryptoService,
// including rotation under SECRET_KEY_PREVIOUS, tested against the one implementation.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../config/app.config.js';
import { canonicalJson, CryptoService, normalizeEmail } from './crypto.service.js';

const newKey = (): string => randomBytes(32).toString('base64');

function service(secretKey: string, previous: string[] = []): CryptoService {
  return new CryptoService(
    loadConfig({ SECRET_KEY: secretKey, SECRET_KEY_PREVIOUS: previous.join(',') }),
  );
}

describe('CryptoService', () => {
  const key = newKey();
  const crypto = service(key);
  const email = 'Ann.Reader@Example.com';

  describe('email encryption', () => {
    it('decrypts what it encrypted (normalised)', () => {
      const { ciphertext, keyId } = crypto.encryptEmail(email);
      expect(crypto.decryptEmail(ciphertext, keyId)).toBe('ann.reader@example.com');
    });

    it('tags ciphertexts with the current key id', () => {
      expect(crypto.encryptEmail(email).keyId).toBe(crypto.currentKeyId);
      expect(crypto.currentKeyId).toMatch(/^[0-9a-f]{8}$/);
    });

    it('produces a different ciphertext each time (random IV)', () => {
      const a = crypto.encryptEmail(email).ciphertext;
      const b = crypto.encryptEmail(email).ciphertext;
      expect(a.equals(b)).toBe(false);
      expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    });

    it('does not contain the address in the clear', () => {
      const { ciphertext } = crypto.encryptEmail(email);
      for (const encoding of ['utf8', 'latin1', 'base64', 'hex'] as const) {
        const text = ciphertext.toString(encoding).toLowerCase();
        expect(text).not.toContain('ann.reader');
        expect(text).not.toContain('example.com');
      }
      expect(ciphertext.includes(Buffer.from('ann.reader@example.com'))).toBe(false);
    });

    it.each([
      ['the IV', 0],
      ['the auth tag', 12],
      ['the body', 28],
    ])('refuses a ciphertext with a flipped bit in %s', (_part, offset) => {
      const { ciphertext, keyId } = crypto.encryptEmail(email);
      const tampered = Buffer.from(ciphertext);
      tampered[offset] = tampered[offset] ^ 0x01;
      expect(() => crypto.decryptEmail(tampered, keyId)).toThrow();
    });

    it('refuses a truncated ciphertext', () => {
      const { ciphertext, keyId } = crypto.encryptEmail(email);
      expect(() =>
        crypto.decryptEmail(ciphertext.subarray(0, ciphertext.length - 1), keyId),
      ).toThrow();
    });

    it('refuses an unknown key id', () => {
      const { ciphertext } = crypto.encryptEmail(email);
      expect(() => crypto.decryptEmail(ciphertext, '00000000')).toThrow(/00000000/);
    });

    it('cannot decrypt under another secret key', () => {
      const other = service(newKey());
      const { ciphertext, keyId } = crypto.encryptEmail(email);
      expect(other.currentKeyId).not.toBe(crypto.currentKeyId);
      expect(() => other.decryptEmail(ciphertext, keyId)).toThrow();
    });
  });

  describe('key rotation', () => {
    const oldKey = newKey();
    const before = service(oldKey);
    const after = service(newKey(), [oldKey]);
    const commentId = randomUUID();

    it('gets a new key id after rotation', () => {
      expect(after.currentKeyId).not.toBe(before.currentKeyId);
    });

    it('decrypts an address encrypted under SECRET_KEY_PREVIOUS', () => {
      const { ciphertext, keyId } = before.encryptEmail(email);
      expect(after.decryptEmail(ciphertext, keyId)).toBe('ann.reader@example.com');
    });

    it('encrypts new addresses under the new key', () => {
      const { ciphertext, keyId } = after.encryptEmail(email);
      expect(keyId).toBe(after.currentKeyId);
      expect(() => before.decryptEmail(ciphertext, keyId)).toThrow();
    });

    it('cannot decrypt an old address once the previous key is dropped', () => {
      const { ciphertext, keyId } = before.encryptEmail(email);
      const dropped = service(newKey());
      expect(() => dropped.decryptEmail(ciphertext, keyId)).toThrow();
    });

    it('still verifies receipts issued under the previous key', () => {
      expect(after.verifyReceipt(commentId, before.receiptFor(commentId))).toBe(true);
    });

    it('issues receipts the old key cannot verify', () => {
      expect(before.verifyReceipt(commentId, after.receiptFor(commentId))).toBe(false);
    });

    it('looks up email indexes under every configured key, current first', () => {
      const indexes = after.emailIndexes(email);
      expect(indexes).toHaveLength(2);
      expect(indexes[0].equals(after.emailIndex(email))).toBe(true);
      expect(indexes[1].equals(before.emailIndex(email))).toBe(true);
    });

    it('looks up IP indexes under every configured key', () => {
      const indexes = after.ipIndexes('203.0.113.7');
      expect(indexes).toHaveLength(2);
      expect(indexes[1].equals(before.ipIndex('203.0.113.7'))).toBe(true);
    });
  });

  describe('emailIndex', () => {
    it('is stable', () => {
      expect(crypto.emailIndex(email).equals(crypto.emailIndex(email))).toBe(true);
      expect(crypto.emailIndex(email).equals(service(key).emailIndex(email))).toBe(true);
    });

    it('ignores case and surrounding whitespace', () => {
      const base = crypto.emailIndex('ann.reader@example.com');
      expect(crypto.emailIndex('  ANN.Reader@EXAMPLE.COM\n').equals(base)).toBe(true);
    });

    it('differs between addresses', () => {
      expect(crypto.emailIndex('a@example.com').equals(crypto.emailIndex('b@example.com'))).toBe(
        false,
      );
    });

    it('differs under another secret key', () => {
      expect(crypto.emailIndex(email).equals(service(newKey()).emailIndex(email))).toBe(false);
    });

    it('is not a plain SHA-256 of the address', () => {
      const plain = createHash('sha256').update(normalizeEmail(email)).digest();
      expect(crypto.emailIndex(email).equals(plain)).toBe(false);
    });

    it('differs from the IP index of the same string (separate sub-keys)', () => {
      expect(crypto.emailIndex('x').equals(crypto.ipIndex('x'))).toBe(false);
    });
  });

  describe('ipIndex', () => {
    it('is stable and ignores case and whitespace', () => {
      expect(crypto.ipIndex(' 2001:DB8::1 ').equals(crypto.ipIndex('2001:db8::1'))).toBe(true);
    });

    it('differs between addresses', () => {
      expect(crypto.ipIndex('203.0.113.7').equals(crypto.ipIndex('203.0.113.8'))).toBe(false);
    });

    it('is the same for every address of one IPv6 /64 (rate limits and bans count the /64)', () => {
      expect(crypto.ipIndex('2001:db8:1:2::1').equals(crypto.ipIndex('2001:db8:1:2:ffff::9'))).toBe(
        true,
      );
      expect(crypto.ipIndex('2001:db8:1:2::1').equals(crypto.ipIndex('2001:db8:1:3::1'))).toBe(
        false,
      );
    });
  });

  describe('avatarTag', () => {
    it('is 8 lower-case hex characters', () => {
      expect(crypto.avatarTag('site-a', email)).toMatch(/^[0-9a-f]{8}$/);
    });

    it('is stable and ignores case and whitespace', () => {
      expect(crypto.avatarTag('site-a', email)).toBe(crypto.avatarTag('site-a', email));
      expect(crypto.avatarTag('site-a', ` ${email.toUpperCase()} `)).toBe(
        crypto.avatarTag('site-a', email),
      );
      expect(service(key).avatarTag('site-a', email)).toBe(crypto.avatarTag('site-a', email));
    });

    it('differs between addresses and under another key', () => {
      expect(crypto.avatarTag('site-a', 'a@example.com')).not.toBe(
        crypto.avatarTag('site-a', 'b@example.com'),
      );
      expect(service(newKey()).avatarTag('site-a', email)).not.toBe(
        crypto.avatarTag('site-a', email),
      );
    });

    it('differs between sites, so that it cannot link one reader across sites', () => {
      expect(crypto.avatarTag('site-a', email)).not.toBe(crypto.avatarTag('site-b', email));
    });

    it('is not a prefix of any plain hash of the address', () => {
      const tag = crypto.avatarTag('site-a', email);
      const forms = [email, normalizeEmail(email), email.trim(), email.toLowerCase()];
      for (const form of forms) {
        for (const algorithm of ['md5', 'sha1', 'sha256', 'sha512']) {
          const hex = createHash(algorithm).update(form).digest('hex');
          expect(hex.slice(0, 8)).not.toBe(tag);
        }
      }
    });

    it('is not the email blind index either', () => {
      expect(crypto.emailIndex(email).toString('hex').slice(0, 8)).not.toBe(
        crypto.avatarTag('site-a', email),
      );
    });
  });

  describe('receipts', () => {
    const commentId = randomUUID();

    it('verifies its own receipt', () => {
      const receipt = crypto.receiptFor(commentId);
      expect(receipt).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(crypto.verifyReceipt(commentId, receipt)).toBe(true);
    });

    it('is stable for a comment', () => {
      expect(crypto.receiptFor(commentId)).toBe(crypto.receiptFor(commentId));
    });

    it('refuses the receipt of another comment', () => {
      expect(crypto.verifyReceipt(commentId, crypto.receiptFor(randomUUID()))).toBe(false);
    });

    it('refuses a receipt issued under another key', () => {
      expect(crypto.verifyReceipt(commentId, service(newKey()).receiptFor(commentId))).toBe(false);
    });

    it('refuses a receipt with one character changed', () => {
      const receipt = crypto.receiptFor(commentId);
      const swapped = (receipt[0] === 'A' ? 'B' : 'A') + receipt.slice(1);
      expect(crypto.verifyReceipt(commentId, swapped)).toBe(false);
    });

    it.each([
      ['empty', ''],
      ['short', 'abc'],
      ['truncated', 'x'.repeat(23)],
      ['too long', 'x'.repeat(32)],
      ['garbage', '!!!!!!!!!!!!!!!!!!!!!!!!'],
      ['unicode', 'ünïcødé'.repeat(4)],
    ])('refuses a %s receipt', (_kind, receipt) => {
      expect(crypto.verifyReceipt(commentId, receipt)).toBe(false);
    });

    it.each(['A', '==', '!', ' ', '\n'])('refuses a real receipt with %j appended', (extra) => {
      expect(crypto.verifyReceipt(commentId, crypto.receiptFor(commentId) + extra)).toBe(false);
    });

    it('refuses a real receipt with a character inserted', () => {
      const receipt = crypto.receiptFor(commentId);
      expect(crypto.verifyReceipt(commentId, `${receipt.slice(0, 10)}.${receipt.slice(10)}`)).toBe(
        false,
      );
    });

    it('refuses a truncated real receipt', () => {
      expect(crypto.verifyReceipt(commentId, crypto.receiptFor(commentId).slice(0, 20))).toBe(
        false,
      );
    });
  });

  describe('fingerprint', () => {
    it('is equal for equal values whatever the key order', () => {
      const a = crypto.fingerprint({ name: 'Ann', body: 'Hi', meta: { x: 1, y: [1, 2] } });
      const b = crypto.fingerprint({ meta: { y: [1, 2], x: 1 }, body: 'Hi', name: 'Ann' });
      expect(a.equals(b)).toBe(true);
    });

    it('differs when a value differs', () => {
      expect(crypto.fingerprint({ body: 'Hi' }).equals(crypto.fingerprint({ body: 'Hi!' }))).toBe(
        false,
      );
    });

    it('differs when array order differs', () => {
      expect(crypto.fingerprint([1, 2]).equals(crypto.fingerprint([2, 1]))).toBe(false);
    });

    it('differs under another key', () => {
      const value = { body: 'Hi' };
      expect(crypto.fingerprint(value).equals(service(newKey()).fingerprint(value))).toBe(false);
    });

    it('ignores undefined members', () => {
      expect(
        crypto
          .fingerprint({ body: 'Hi', website: undefined })
          .equals(crypto.fingerprint({ body: 'Hi' })),
      ).toBe(true);
    });
  });

  describe('tokens', () => {
    it('creates distinct url-safe tokens with 256 bits', () => {
      const a = CryptoService.newToken();
      expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(CryptoService.newToken()).not.toBe(a);
    });

    it('hashes a token with SHA-256', () => {
      expect(CryptoService.hashToken('t').toString('hex')).toBe(
        createHash('sha256').update('t').digest('hex'),
      );
    });
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(
      '{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}',
    );
  });

  it('gives the same text whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: 'two', z: null })).toBe(
      canonicalJson({ z: null, y: 'two', x: 1 }),
    );
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('drops undefined members and writes primitives as JSON', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(1.5)).toBe('1.5');
  });

  it('produces valid JSON equal to the input', () => {
    const value = { b: [1, { c: 'é' }], a: true };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('normalizeEmail', () => {
  it('lower-cases, trims and applies NFKC', () => {
    expect(normalizeEmail('  ANN@Example.COM\t')).toBe('ann@example.com');
    expect(normalizeEmail('ａｎｎ@example.com')).toBe('ann@example.com');
  });
});
