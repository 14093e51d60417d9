/**
 * Administration in the browser, against a real Asterisk: an administrator creates a group (with
 * a member) and a DID routed to it on the admin screens, and a customer's call to that DID then
 * rings the member's SIPp phone; bulk delete asks first; an agent-role user sees no admin or
 * supervisor menu, is kept off their addresses, and gets 403 from the API anyway.
 */
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import { agentWithPhone, answer, carrier, lastCall } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';

t.test('administration screens', async (t) => {
  await buildWebApp();
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201', { password: 'Operator1' });
  await createAgent(server, { loginId: 'ag1', password: 'Operator2', role: 'agent' });
  const trunk = await carrier(server);
  const browser = await launchBrowser();
  t.teardown(() => browser.close());

  await t.test('an agent sees no admin menus, and the API refuses them anyway', async (t) => {
    const page = await loggedInPage(browser, server.baseUrl, {
      loginId: 'ag1',
      password: 'Operator2',
    });
    const tabs = await page.locator('[data-testid=tabs] a').allTextContents();
    t.notOk(tabs.includes('管理設定'), `no administration tab (${tabs.join(', ')})`);
    t.notOk(tabs.includes('SV'), 'no supervisor tab');
    await page.goto(`${server.baseUrl}/#/admin/groups`);
    await page.waitForFunction("!location.hash.startsWith('#/admin')");
    t.equal(await page.locator('[data-resource=groups]').count(), 0, 'kept off the address');
    const status = await page.evaluate<number>(`(async () => {
      const token = sessionStorage.getItem('callcenter.token');
      const res = await fetch('/api/v1/groups', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'mine' }),
      });
      return res.status;
    })()`);
    t.equal(status, 403, 'the server refuses what the screens hide');
    await page.screenshot({ path: join(SCREENSHOTS, 'agent-home-ja.png'), fullPage: true });
    await page.context().close();
  });

  const page = await loggedInPage(browser, server.baseUrl, {
    loginId: 'admin',
    password: ADMIN_PASSWORD,
  });
  const toast = page.locator('[data-testid=toast]');

  await t.test('a group with a member, created on its screen', async (t) => {
    await page.click('[data-tab=admin]');
    const menu = await page.locator('[data-testid=pages] a').allTextContents();
    t.match(menu, ['エージェント', 'グループ', '電話番号', '端末'], 'the admin menu');
    await page.goto(`${server.baseUrl}/#/admin/groups`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '営業');
    await page.fill('input[name=extension]', '802');
    await page.check(`input[name="member.${op1.agentId}"]`);
    await page.click('[data-testid=save]');
    await toast.filter({ hasText: '変更を保存しました' }).waitFor();
    await page.waitForFunction(String.raw`/^#\/admin\/groups\/\d+$/.test(location.hash)`);
    const members = page.locator(`[data-testid=group-members] input[name="member.${op1.agentId}"]`);
    t.ok(await members.isChecked(), 'op1 is a member on the detail screen');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-group-ja.png'), fullPage: true });
  });

  const groups = await server.request('GET', '/api/v1/groups?name=営業', {
    token: server.adminToken,
  });
  const groupId = (groups.json() as { items: { id: number }[] }).items[0]?.id ?? 0;

  await t.test('a DID routed to the group, and a call through them', async (t) => {
    await page.goto(`${server.baseUrl}/#/admin/phone-numbers`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=number]', '0502220000');
    await page.fill('input[name=name]', '営業窓口');
    await page.selectOption('select[name="route.type"]', 'group');
    await page.selectOption('select[name="route.groupId"]', String(groupId));
    await page.fill('textarea[name=incomingMessage]', '営業への電話です');
    await page.click('[data-testid=save]');
    await toast.filter({ hasText: '変更を保存しました' }).waitFor();
    await page.goto(`${server.baseUrl}/#/admin/phone-numbers`);
    await page.locator('[data-testid=resource-table] tr', { hasText: '0502220000' }).waitFor();
    t.pass('the list shows it');

    const phone = await answer(op1, 'phone-answer.xml', { vars: { hangup_after: 1000 } });
    const customer = await trunk.call('0502220000', '0311112222', 'caller.xml', {
      vars: { hold: 10_000 },
    });
    t.equal((await phone.done).code, 0, 'op1’s phone rang and answered');
    t.equal((await customer.done).code, 0, 'the customer was connected, then hung up on');
    const row = await lastCall(server);
    t.match(row, { ourNumber: '0502220000', agentId: op1.agentId }, 'the history says so');
  });

  await t.test('bulk delete asks first', async (t) => {
    for (const number of ['0120111111', '0120222222'])
      await server.request('POST', '/api/v1/blocked-numbers', {
        token: server.adminToken,
        body: { number, note: 'spam' },
      });
    await page.goto(`${server.baseUrl}/#/admin/blocked-numbers`);
    const rows = page.locator('[data-testid=resource-table] tbody tr');
    await rows.nth(1).waitFor();
    await rows.nth(0).locator('input[type=checkbox]').check();
    await rows.nth(1).locator('input[type=checkbox]').check();
    await page.click('[data-testid=delete-selected]');
    t.match(await page.locator('[data-testid=confirm]').textContent(), '2件を削除します');
    await page.click('[data-testid=confirm-yes]');
    await toast.filter({ hasText: '2件を削除しました' }).waitFor();
    await rows.first().waitFor({ state: 'detached' });
    const left = await server.request('GET', '/api/v1/blocked-numbers', {
      token: server.adminToken,
    });
    t.equal((left.json() as { total: number }).total, 0, 'both gone');
  });

  await t.test('the admin screens in English', async (t) => {
    await page.selectOption('select[name=language]', 'en');
    await page.goto(`${server.baseUrl}/#/admin/groups`);
    await page.locator('h2', { hasText: 'Groups' }).waitFor();
    t.match(
      await page.locator('[data-testid=resource-table] thead').textContent(),
      'Ring strategy',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-groups-en.png'), fullPage: true });
  });
});
