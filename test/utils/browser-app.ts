import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { buildWidget, launchChromium, listen, watch, type PageProblems } from './browser.js';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** Builds console/dist from the current sources (esbuild, well under a second). */
export function buildConsole(): void {
  const script = fileURLToPath(new URL('../../console/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--no-typecheck', '--quiet'], { stdio: 'inherit' });
}

export interface BrowserAppOptions {
  /** The browser bundle to build from the current sources first. */
  bundle?: 'widget' | 'console';
  app?: TestAppOptions;
  /** The viewport of every new page unless `newPage` is given one (widget 1000×900, else 1280×800). */
  viewport?: { width: number; height: number };
  /** Playwright's default timeout for actions on a page (widget 10 s, else Playwright's 30 s). */
  actionTimeoutMs?: number;
}

const WIDGET_DEFAULTS = { viewport: { width: 1000, height: 900 }, actionTimeoutMs: 10_000 };

/** What a browser suite works with; `t`, `base` and `browser` are set once `beforeAll` ran. */
export interface BrowserApp {
  t: TestApp;
  /** The service's URL on its real port. */
  base: string;
  browser: Browser;
  /** A page in a context of its own (closed after the test), its problems watched. */
  newPage(options?: BrowserContextOptions): Promise<{ page: Page; problems: PageProblems }>;
}

/**
 * The bootstrap every browser suite shares, for the `describe` block it is called in: builds
 * the bundle, boots the whole service on a real port and launches Chromium (`beforeAll`),
 * closes the test's browser contexts (`afterEach`) and then Chromium and the service
 * (`afterAll`). Hooks the suite registers after this call run after these.
 */
export function useBrowserApp(given: BrowserAppOptions = {}): BrowserApp {
  const options = given.bundle === 'widget' ? { ...WIDGET_DEFAULTS, ...given } : given;
  const contexts: BrowserContext[] = [];
  const suite = {
    async newPage(contextOptions: BrowserContextOptions = {}) {
      const context = await suite.browser.newContext({
        viewport: options.viewport ?? { width: 1280, height: 800 },
        ...contextOptions,
      });
      if (options.actionTimeoutMs) context.setDefaultTimeout(options.actionTimeoutMs);
      contexts.push(context);
      const page = await context.newPage();
      return { page, problems: watch(page) };
    },
  } as BrowserApp;

  beforeAll(async () => {
    if (options.bundle === 'widget') buildWidget();
    if (options.bundle === 'console') buildConsole();
    suite.t = await createTestApp(options.app);
    suite.base = await listen(suite.t);
    suite.browser = await launchChromium();
  }, 30_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    // Either may be missing when beforeAll failed part way.
    await (suite.browser as Browser | undefined)?.close();
    await (suite.t as TestApp | undefined)?.close();
  });
  return suite;
}
