/**
 * The web application in Chromium: the login screen in Japanese and English, a wrong password and
 * a locked account refused with the manual's words, and a good login reaching the desk.
 */
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, SCREENSHOTS } from '../support/browser.js';

t.test('logging in through the browser', async (t) => {
  await buildWebApp();
  const server = await buildTestApp({ env: { AUTH_MAX_FAILED_LOGINS: '2' } });
  t.teardown(server.close);
  await createAgent(server, { loginId: 'op1', password: 'Operator1', role: 'agent' });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();

  await page.goto(address);
  t.equal(await page.locator('h1').textContent(), 'ログイン', 'Japanese by default');
  await page.screenshot({ path: join(SCREENSHOTS, 'login-ja.png') });

  await page.fill('input[name=loginId]', 'op1');
  await page.fill('input[name=password]', 'wrong-password');
  await page.click('button[type=submit]');
  t.equal(
    await page.locator('[role=alert]').textContent(),
    'ログインIDまたはパスワードが正しくありません',
    'a wrong password',
  );
  await page.click('button[type=submit]');
  // The account is locked now: even the right password is refused, with the lock's own words.
  await page.fill('input[name=password]', 'Operator1');
  await page.click('button[type=submit]');
  await page.locator('[role=alert]', { hasText: 'アカウントがロックされています' }).waitFor();

  await page.selectOption('select[name=language]', 'en');
  t.equal(await page.locator('h1').textContent(), 'Log in', 'English on choosing it');
  await page.screenshot({ path: join(SCREENSHOTS, 'login-en.png') });

  await page.fill('input[name=loginId]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.locator('.welcome').waitFor();
  t.match(await page.locator('.welcome').textContent(), /^Welcome, /, 'the desk');
  await page.screenshot({ path: join(SCREENSHOTS, 'desk-en.png') });
});
