/**
 * A real browser for the web application's tests: Debian's Chromium driven by playwright-core
 * (no browser download), headless, one browser per test file, a context per user.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
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
