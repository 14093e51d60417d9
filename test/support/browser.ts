/**
 * A real browser for the web application's tests: Debian's Chromium driven by playwright-core
 * (no browser download), headless, one browser per test file, a context per user.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the test run's screenshots go (not committed). */
export const SCREENSHOTS = join(process.cwd(), '.tap', 'screenshots');

/** Builds web/ into web/dist, as `npm run build:web` does. */
export async function buildWebApp(): Promise<void> {
  await build({
    configFile: join(process.cwd(), 'web', 'vite.config.ts'),
    logLevel: 'warn',
  });
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}
