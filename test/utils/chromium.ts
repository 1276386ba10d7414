import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the browser tests find a Chromium (issue 15, "a fresh machine"), first match wins:
 * 1. `CHROMIUM_PATH` (when set it must exist: a wrong path is an error, not a skip);
 * 2. the distribution's package (`/usr/bin/chromium` on Debian, `chromium-browser`, Chrome);
 * 3. Playwright's browser cache (`$PLAYWRIGHT_BROWSERS_PATH` or `~/.cache/ms-playwright`),
 *    for machines where someone already ran `npx playwright install chromium`.
 * Browsers are never downloaded by the tests.
 */
const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const CHROMIUM_INSTALL_HINT =
  'Install one with `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
  '`npx playwright install chromium`, or point CHROMIUM_PATH at a Chromium or Chrome binary.';

/** Set (to 1) where every browser test must run: CI. A missing Chromium then fails the run. */
export const BROWSER_TESTS_REQUIRED = /^(1|true|yes)$/i.test(
  process.env.REQUIRE_BROWSER_TESTS ?? '',
);

function playwrightCache(env: NodeJS.ProcessEnv): string[] {
  const root = env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  // Newest revision first; full Chromium before the headless shell.
  const revisions = entries
    .filter((name) => /^chromium(_headless_shell)?-\d+$/.test(name))
    .sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop()));
  const candidates: string[] = [];
  for (const dir of revisions) {
    for (const sub of ['chrome-linux64/chrome', 'chrome-linux/chrome']) {
      candidates.push(join(root, dir, sub));
    }
    for (const sub of [
      'chrome-headless-shell-linux64/chrome-headless-shell',
      'chrome-linux/headless_shell',
    ]) {
      candidates.push(join(root, dir, sub));
    }
  }
  return candidates;
}

export interface ChromiumLookup {
  path: string | null;
  /** Every place looked at, for the message when none is found. */
  looked: string[];
}

export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  systemPaths: readonly string[] = SYSTEM_PATHS,
): ChromiumLookup {
  const explicit = env.CHROMIUM_PATH;
  // `CHROMIUM_PATH=skip`: skip the browser tests on purpose.
  if (explicit === 'skip') return { path: null, looked: ['CHROMIUM_PATH=skip'] };
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new Error(`CHROMIUM_PATH=${explicit} does not exist. ${CHROMIUM_INSTALL_HINT}`);
    }
    return { path: explicit, looked: [explicit] };
  }
  const looked = [...systemPaths, ...playwrightCache(env)];
  return { path: looked.find((candidate) => existsSync(candidate)) ?? null, looked };
}

/** Why the browser tests are skipped (or, where required, why the run fails). */
export function missingChromiumMessage(lookup: ChromiumLookup): string {
  return (
    `No Chromium found for the browser tests. Looked at: ${lookup.looked.join(', ')}. ` +
    CHROMIUM_INSTALL_HINT
  );
}

const lookup = findChromium();

/** The Chromium the browser tests drive, or null (they are then skipped). */
export const CHROMIUM_PATH = lookup.path;

/**
 * `describe` for browser tests: skipped (saying so on stderr, with the install command) when no
 * Chromium is found, unless REQUIRE_BROWSER_TESTS is set (CI), in which case the suite runs and
 * every browser test fails loudly.
 */
export const describeWithBrowser: typeof describe =
  CHROMIUM_PATH || BROWSER_TESTS_REQUIRED ? describe : skipWithMessage();

function skipWithMessage(): typeof describe.skip {
  process.stderr.write(`\n⚠ Browser tests skipped. ${missingChromiumMessage(lookup)}\n\n`);
  return describe.skip;
}
