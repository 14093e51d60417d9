/**
 * A real browser for the web application's tests: Debian's Chromium driven by playwright-core
 * (no browser download), headless, one browser per test file, a context per user.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the test run's screenshots go (not committed). */
export const SCREENSHOTS = join(process.cwd(), '.tap', 'screenshots');

const WEB = join(process.cwd(), 'web');
/** The fingerprint of the sources web/dist was built from, written beside it. */
const BUILT_FROM = join(WEB, 'dist', '.built-from');
const LOCK = join(WEB, '.build-lock');
const STALE_LOCK_MS = 120_000;

function fingerprint(): string {
  const hash = createHash('sha256');
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else hash.update(path).update(readFileSync(path));
  };
  for (const path of ['index.html', 'vite.config.ts', 'src']) walk(join(WEB, path));
  return hash.digest('hex');
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Builds web/ into web/dist, as `npm run build:web` does — once for all the browser test files
 * of a run: they run in parallel, and a build empties web/dist under a page another one is
 * loading. So one builds (under a lock) and the others find the build of the same sources done.
 */
export async function buildWebApp(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock left by a killed run is taken over.
      const since = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const sources = fingerprint();
    if (readOr(BUILT_FROM) === sources) return;
    await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
    writeFileSync(BUILT_FROM, sources);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** A user in their own browser context, logged in through the login screen. */
export async function loggedInPage(
  browser: Browser,
  baseUrl: string,
  user: { loginId: string; password: string; locale?: string },
): Promise<Page> {
  const context = await browser.newContext({ locale: user.locale ?? 'ja-JP' });
  const page = await context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(baseUrl);
  await page.fill('input[name=loginId]', user.loginId);
  await page.fill('input[name=password]', user.password);
  await page.click('button[type=submit]');
  await page.locator('[data-testid=user-name]').waitFor();
  return page;
}
