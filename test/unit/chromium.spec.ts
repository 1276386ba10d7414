import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, missingChromiumMessage } from '../utils/chromium.js';

/** How the browser tests find a Chromium on a fresh machine (test/utils/chromium.ts). */
describe('findChromium', () => {
  let dir: string;
  const fakeBinary = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chromium-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes CHROMIUM_PATH first, and refuses one that does not exist', () => {
    const binary = fakeBinary(join(dir, 'my-chrome'));
    expect(findChromium({ CHROMIUM_PATH: binary }, []).path).toBe(binary);
    expect(() => findChromium({ CHROMIUM_PATH: join(dir, 'nope') }, [])).toThrow(
      /does not exist.*apt-get install -y chromium/,
    );
  });

  it("uses the distribution's Chromium before Playwright's cache", () => {
    const system = fakeBinary(join(dir, 'usr-bin-chromium'));
    fakeBinary(join(dir, 'cache', 'chromium-1200', 'chrome-linux64', 'chrome'));
    const env = { PLAYWRIGHT_BROWSERS_PATH: join(dir, 'cache') };
    expect(findChromium(env, [join(dir, 'missing'), system]).path).toBe(system);
  });

  it("finds the newest Chromium in Playwright's cache", () => {
    fakeBinary(join(dir, 'cache', 'chromium-1100', 'chrome-linux64', 'chrome'));
    const newest = fakeBinary(join(dir, 'cache', 'chromium-1200', 'chrome-linux64', 'chrome'));
    const env = { PLAYWRIGHT_BROWSERS_PATH: join(dir, 'cache') };
    expect(findChromium(env, []).path).toBe(newest);
  });

  it('finds nothing on a bare machine and says how to install one', () => {
    const lookup = findChromium({ PLAYWRIGHT_BROWSERS_PATH: join(dir, 'empty') }, [
      join(dir, 'usr-bin-chromium'),
    ]);
    expect(lookup.path).toBeNull();
    expect(missingChromiumMessage(lookup)).toMatch(
      /No Chromium found.*usr-bin-chromium.*apt-get install -y chromium.*CHROMIUM_PATH/,
    );
    expect(findChromium({ CHROMIUM_PATH: 'skip' }).path).toBeNull();
  });
});
