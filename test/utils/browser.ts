import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { TestApp } from './test-app.js';

import { CHROMIUM_PATH, findChromium, missingChromiumMessage } from './chromium.js';

export { CHROMIUM_PATH, describeWithBrowser } from './chromium.js';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const WIDGET_BUNDLE = fileURLToPath(new URL('../../widget/dist/widget.js', import.meta.url));

/** Builds widget/dist/widget.js from the current sources (esbuild, well under a second). */
export function buildWidget(): void {
  const script = fileURLToPath(new URL('../../widget/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--no-typecheck', '--quiet'], { stdio: 'inherit' });
}

/**
 * Headless Chromium with a fresh, throwaway profile (Playwright's `launch` gives every run a new
 * temporary user-data-dir and deletes it on close). The Chromium is found by `findChromium`
 * (test/utils/chromium.ts); suites wrapped in `describeWithBrowser` are skipped without one,
 * except where REQUIRE_BROWSER_TESTS is set (CI), where this fails loudly.
 */
export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM_PATH) {
    throw new Error(`REQUIRE_BROWSER_TESTS is set. ${missingChromiumMessage(findChromium())}`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** Starts the test app on a real port so a browser can load it; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface PageProblems {
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Content Security Policy violations reported on the console. */
  csp: string[];
  /** alert/confirm/prompt dialogs that opened (dismissed at once). */
  dialogs: string[];
}

/** Records what must never happen on a page: uncaught errors, CSP violations, dialogs. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], csp: [], dialogs: [] };
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.csp.push(message.text());
  });
  page.on('dialog', (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  return problems;
}

/**
 * Retries a block of Jest assertions until it passes (playwright-core has no web-first
 * assertions of its own); rethrows the last failure after `timeout` ms.
 */
export async function eventually(
  assertion: () => Promise<unknown>,
  { timeout = 5_000, interval = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Text of the one element `locator` matches, whitespace collapsed ('' when there is none). */
export async function textOf(locator: Locator): Promise<string> {
  // One snapshot of the DOM: counting first and reading after would race a re-render.
  const texts = await locator.evaluateAll((els) => els.map((el) => el.textContent ?? ''));
  if (texts.length > 1)
    throw new Error(`textOf: ${texts.length} elements match ${String(locator)}`);
  return (texts[0] ?? '').replace(/\s+/g, ' ').trim();
}

/** Whether the element has focus, looking through shadow roots. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el): boolean => {
    let active = el.ownerDocument.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === el;
  });
}

/** The text of the elements named by the element's aria-describedby. */
export function describedBy(locator: Locator): Promise<string> {
  return locator.evaluate((el): string => {
    const root = el.getRootNode();
    return (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id: string) => (id ? (root.getElementById(id)?.textContent ?? '') : ''))
      .join(' ')
      .trim();
  });
}
