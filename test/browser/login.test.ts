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
  await createAgent(server, { loginId: 'op2', password: 'Operator2', role: 'agent' });
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
  await page.locator('[data-testid=user-name]').waitFor();
  t.equal(
    await page.locator('[data-testid=user-name]').textContent(),
    'Administrator',
    'logged in',
  );
  const homeTab = page.locator('nav.tabs a.active');
  t.equal(await homeTab.textContent(), 'ホーム', 'logged in, the agent’s own language: Japanese');
  await page.screenshot({ path: join(SCREENSHOTS, 'home-ja.png') });
  await page.selectOption('select[name=language]', 'en');
  await page.locator('nav.tabs a.active', { hasText: 'Home' }).waitFor();
  const me = await server.request('GET', '/api/v1/me', { token: server.adminToken });
  t.match(me.json(), { language: 'en' }, 'choosing English changed the agent’s setting');

  // A reload keeps the session (the tab's sessionStorage) and the language.
  await page.reload();
  await page.locator('[data-testid=user-name]').waitFor();
  t.equal(await homeTab.textContent(), 'Home', 'English after a reload');
  await page.screenshot({ path: join(SCREENSHOTS, 'home-en.png') });
  // Logging out ends the session on the server.
  const token = await page.evaluate<string | null>('sessionStorage.getItem("callcenter.token")');
  await page.click('[data-testid=log-out]');
  await page.locator('h1', { hasText: 'Log in' }).waitFor();
  t.equal(await page.locator('.notice').count(), 0, 'no "session ended" after logging out oneself');
  const after = await server.request('GET', '/api/v1/me', { token: token ?? '' });
  t.equal(after.statusCode, 401, 'the token is revoked');

  // 固有設定: an agent changes their own password, and logs in with the new one.
  await page.fill('input[name=loginId]', 'op2');
  await page.fill('input[name=password]', 'Operator2');
  await page.click('button[type=submit]');
  await page.click('[data-tab=personal]');
  await page.fill('input[name=currentPassword]', 'Operator2');
  await page.fill('input[name=newPassword]', 'Changed22x');
  await page.click('[data-testid=change-password]');
  await page.locator('[data-testid=toast]', { hasText: '変更を保存しました' }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'personal-ja.png'), fullPage: true });
  t.equal((await server.login('op2', 'Operator2')).statusCode, 401, 'the old password is gone');
  t.equal((await server.login('op2', 'Changed22x')).statusCode, 200, 'the new one works');
});
