/**
 * Administration in the browser, against a real Asterisk: an administrator creates a group (with
 * a member) and a DID routed to it on the admin screens, and a customer's call to that DID then
 * rings the member's SIPp phone; bulk delete asks first; an agent-role user sees no admin or
 * supervisor menu, is kept off their addresses, and gets 403 from the API anyway. A custom role
 * made in the permission matrix gives its holder exactly its menus; an agent's phone numbers,
 * change history and forced logout on their detail; trunks' registration states; outbound
 * restrictions from a CSV file with a bad row; enumerated values labelled in ja and en.
 */
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import { agentWithPhone, answer, carrier, did, lastCall } from '../support/floor.js';
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

  const api = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
    server
      .request(method, path, { token: server.adminToken, ...(body !== undefined && { body }) })
      .then((res) => res.json() as T);
  const rcId = await createAgent(server, { loginId: 'rc1', password: 'Operator3' });
  let rcPage: Awaited<ReturnType<typeof loggedInPage>> | undefined;

  await t.test('a custom role from the matrix gives exactly its menus', async (t) => {
    const roles = await api<{ items: { id: number; builtIn: string | null }[] }>(
      'GET',
      '/api/v1/roles',
    );
    const systemAdmin = roles.items.find((r) => r.builtIn === 'system_admin')?.id ?? 0;
    await page.goto(`${server.baseUrl}/#/admin/roles/${systemAdmin}`);
    const fixed = page.locator('input[name="permission.roles.view"]');
    await fixed.waitFor();
    t.ok(await fixed.isDisabled(), "the system administrator's permissions are read-only");
    t.equal(await page.locator('[data-testid=delete]').count(), 0, 'and it cannot be deleted');

    await page.goto(`${server.baseUrl}/#/admin/roles`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '受付');
    await page.check('input[name="permission.tab_menu.admin"]');
    await page.check('input[name="permission.groups.view"]');
    await page.check('input[name="permission.phone_numbers.view"]');
    await page.check('input[name="area.blocked_numbers"]'); // the whole area
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-role-ja.png'), fullPage: true });
    await page.click('[data-testid=save]');
    await toast.filter({ hasText: '変更を保存しました' }).waitFor();
    await page.waitForFunction(String.raw`/^#\/admin\/roles\/\d+$/.test(location.hash)`);
    const roleId = Number((await page.evaluate<string>('location.hash')).split('/').pop());
    const role = await api<{ permissions: string[] }>('GET', `/api/v1/roles/${roleId}`);
    t.same(
      [...role.permissions].sort(),
      [
        'blocked_numbers.bulk_delete',
        'blocked_numbers.update',
        'blocked_numbers.view',
        'groups.view',
        'phone_numbers.view',
        'tab_menu.admin',
      ],
      'the role holds what was checked',
    );

    await api('PATCH', `/api/v1/agents/${rcId}`, { roleId });
    rcPage = await loggedInPage(browser, server.baseUrl, { loginId: 'rc1', password: 'Operator3' });
    t.same(await rcPage.locator('[data-testid=tabs] a').allTextContents(), ['管理設定']);
    await rcPage.locator('[data-resource=groups]').waitFor();
    t.same(
      await rcPage.locator('[data-testid=pages] a').allTextContents(),
      ['グループ', '電話番号', '着信拒否'],
      'its holder sees exactly the menus it allows',
    );
  });

  await t.test("an agent's numbers, history and forced logout", async (t) => {
    const second = await did(server, '0503330000');
    await page.goto(`${server.baseUrl}/#/admin/agents/${rcId}`);
    const numbers = page.locator('[data-testid=agent-numbers]');
    await numbers.locator('input[name="number.0503330000"]').check();
    await numbers.locator('input[name="number.0502220000"]').check();
    await numbers.locator('select[name=callerId]').selectOption(String(second));
    await page.click('[data-testid=save-numbers]');
    await toast.filter({ hasText: '変更を保存しました' }).first().waitFor();
    const stored = await api<{ current: { id: number } | null; options: { number: string }[] }>(
      'GET',
      `/api/v1/agents/${rcId}/phone-numbers`,
    );
    t.same(stored.options.map((n) => n.number).sort(), ['0502220000', '0503330000']);
    t.equal(stored.current?.id, second, 'and the chosen caller ID');

    await page.fill('input[name=name]', '受付 花子');
    await page.click('[data-testid=save]');
    const change = page.locator('[data-testid=agent-history] tr[data-field=name]');
    await change.waitFor();
    t.match(await change.textContent(), /名称Name rc1受付 花子/, 'the change in the history');

    await page.locator('[data-testid=session-count]', { hasText: 'セッション: 1' }).waitFor();
    await page.click('[data-testid=force-logout]');
    t.match(await page.locator('[data-testid=confirm]').textContent(), '受付 花子をログアウト');
    await page.click('[data-testid=confirm-yes]');
    await toast.filter({ hasText: '1件のセッションを終了しました' }).waitFor();
    await rcPage?.locator('input[name=loginId]').waitFor();
    t.pass("the agent's page is back at the login screen");
    await page.locator('[data-testid=session-count]', { hasText: 'セッション: 0' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-agent-ja.png'), fullPage: true });
    await rcPage?.context().close();
  });

  await t.test("trunks' registration states", async (t) => {
    const registering = await api<{ id: number }>('POST', '/api/v1/trunks', {
      name: 'carrier2',
      host: '127.0.0.2',
      port: 5999,
      username: 'cc0300000000',
      secret: 'Secret123',
      register: true,
    });
    await page.goto(`${server.baseUrl}/#/admin/trunks`);
    const state = (id: number) =>
      page.locator(`[data-testid=resource-table] tr[data-id="${id}"] td[data-name=registration]`);
    await state(trunk.trunkId).filter({ hasText: 'レジストしない' }).waitFor();
    t.pass('a trunk that does not register says so');
    t.match(await state(registering.id).textContent(), /^(登録済み|未登録|拒否された|不明)$/);
    await page.goto(`${server.baseUrl}/#/admin/groups`);
    await page.locator('td[data-name=strategy]', { hasText: '全て呼び出し' }).waitFor();
    t.pass("a group's ring strategy by its name");
  });

  await t.test('outbound restrictions from a CSV file with a bad row', async (t) => {
    await page.goto(`${server.baseUrl}/#/admin/outbound-restrictions`);
    await page.setInputFiles('input[name=csv]', {
      name: 'restrictions.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        '番号,発信者番号,備考\n0312345678,,本社\n03-ABC,,typo\n0398765432,0502220000,支店\n',
      ),
    });
    await page.click('[data-testid=csv-upload]');
    const report = page.locator('[data-testid=csv-report]');
    await report.waitFor();
    t.match(await report.textContent(), '3行中 2行を登録、1行をスキップしました');
    t.match(await report.locator('li').allTextContents(), [/^3行目: number "03-ABC"/]);
    await page.locator('[data-testid=resource-table] tr', { hasText: '0398765432' }).waitFor();
    const stored = await api<{ items: { number: string }[] }>(
      'GET',
      '/api/v1/outbound-restrictions',
    );
    t.same(stored.items.map((r) => r.number).sort(), ['0312345678', '0398765432']);
  });

  await t.test('the admin screens in English', async (t) => {
    await page.selectOption('select[name=language]', 'en');
    await page.goto(`${server.baseUrl}/#/admin/groups`);
    await page.locator('h2', { hasText: 'Groups' }).waitFor();
    t.match(
      await page.locator('[data-testid=resource-table] thead').textContent(),
      'Ring strategy',
    );
    await page.locator('td[data-name=strategy]', { hasText: 'Ring all' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-groups-en.png'), fullPage: true });
    await page.goto(`${server.baseUrl}/#/admin/trunks`);
    await page.locator('td[data-name=registration]', { hasText: 'Not registering' }).waitFor();
    await page.goto(`${server.baseUrl}/#/admin/roles`);
    await page.locator('td[data-name=builtIn]', { hasText: 'System administrator' }).waitFor();
    t.pass('values by their English names');
  });
});
