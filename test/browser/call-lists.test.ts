/**
 * The call lists in the browser. MOT (A.8–A.12, A.18, A.21): an administrator makes a call list
 * on コールリスト作成, edits it (name, 配布), deletes and restores it (再表示); finds customers of a
 * list made through the API on 顧客一覧; sets 1回の取得時に配布する顧客数. An operator retrieves
 * that many on the claim screen, enters 応答 + 見込み with a memo and 不応答, uploads, and the
 * customers leave the held list; the administrator's 通話一覧 shows the rows; a second operator
 * retrieves other customers. データ初期化 asks first. MiiTel (B.2–B.8): a 発信先リスト made on its
 * screen, a CSV uploaded through it, a target excluded, the list downloaded in Shift_JIS; the
 * assigned operator sees the list and an operator not assigned does not.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

interface CallList {
  id: number;
  name: string;
  distribute: boolean;
  deletedAt: string | null;
}

const customerRow = (i: number) => ({
  registeredOn: '2024/10/30',
  kind: '法人',
  industry: '不動産業・物品賃貸業',
  company: `株式会社${i}`,
  companyKana: `カブシキガイシャ${i}`,
  contactName: i === 1 ? '佐藤' : '',
  prefecture: '東京都',
  address1: `新宿区西新宿1-1-${i}`,
  phone: `03222222${String(i).padStart(2, '0')}`,
});

t.test('the call-list screens', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const op1 = await createAgent(server, {
    loginId: 'op1',
    password: 'Operator1',
    extension: '201',
  });
  await createAgent(server, { loginId: 'op2', password: 'Operator2', extension: '202' });
  await createAgent(server, { loginId: 'op3', password: 'Operator3', extension: '203' });
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
    const res = await server.request(method, url, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };

  const admin = await loggedInPage(browser, baseUrl, {
    loginId: 'admin',
    password: ADMIN_PASSWORD,
  });
  const toastOf = (page: typeof admin, text: string | RegExp) =>
    page.locator('[data-testid=toast]').filter({ hasText: text }).last().waitFor();

  await t.test('the CRM menu has the call-list screens', async (t) => {
    await admin.goto(`${baseUrl}/#/crm/call-lists`);
    await admin.locator('[data-testid=call-lists]').waitFor();
    const menu = await admin.locator('[data-testid=pages] a').allTextContents();
    for (const entry of [
      'コールリスト一覧',
      'コールリスト作成',
      'コールリスト顧客一覧',
      'コールリスト通話一覧',
      'コールリスト設定',
      'データ初期化',
      '発信先リスト',
    ])
      t.ok(menu.includes(entry), `the menu has ${entry}`);
  });

  let listId = 0;
  await t.test('コールリスト作成, 編集, 削除 and 再表示', async (t) => {
    await admin.click('[data-testid=create]');
    await admin.locator('[data-testid=call-list-create]').waitFor();
    await admin.fill('input[name=name]', '新宿区・不動産業');
    await admin.screenshot({ path: join(SCREENSHOTS, 'call-list-create-ja.png'), fullPage: true });
    await admin.click('[data-testid=save]');
    await admin.waitForFunction(String.raw`/^#\/crm\/call-lists\/\d+$/.test(location.hash)`);
    listId = Number(await admin.evaluate<string>('location.hash.split("/").pop()'));
    const edit = admin.locator('[data-testid=call-list-edit]');
    await edit.locator('output[name=id]', { hasText: String(listId) }).waitFor();
    await admin.fill('input[name=name]', '新宿区・不動産業(東京グループ)');
    await admin.check('input[name=distribute][value=true]');
    await admin.click('[data-testid=save]');
    await toastOf(admin, '登録しました');
    await admin.screenshot({ path: join(SCREENSHOTS, 'call-list-edit-ja.png'), fullPage: true });
    const saved = await api<CallList>('GET', `/api/v1/call-lists/${listId}`);
    t.match(saved, { name: '新宿区・不動産業(東京グループ)', distribute: true });

    await admin.goto(`${baseUrl}/#/crm/call-lists`);
    const row = admin.locator(`[data-testid=call-list-table] tr[data-id="${listId}"]`);
    t.match(await row.textContent(), /新宿区・不動産業\(東京グループ\).*0件.*○：配布中/);

    await admin.goto(`${baseUrl}/#/crm/call-lists/${listId}`);
    await admin.click('[data-testid=delete]');
    await admin.click('[data-testid=confirm-yes]');
    await admin.waitForFunction("location.hash === '#/crm/call-lists'");
    await row.waitFor({ state: 'detached' });
    await admin.check('form.search input[name=includeDeleted]');
    await admin.click('[data-testid=search]');
    t.match(await row.textContent(), /削除済み/, '削除済みを表示 shows it');
    await row.locator('[data-testid=edit]').click();
    await admin.click('[data-testid=restore]');
    await toastOf(admin, '再表示しました');
    await admin.locator('[data-testid=delete]').waitFor();
    t.equal((await api<CallList>('GET', `/api/v1/call-lists/${listId}`)).deletedAt, null);
  });

  // The CSV importer of call lists is another part's; the customers come through the API.
  const made = await api<{ list: CallList; applied: number }>('POST', '/api/v1/call-lists', {
    name: 'APIリスト',
    distribute: true,
    customers: Array.from({ length: 6 }, (_, i) => customerRow(i + 1)),
  });
  t.equal(made.applied, 6);

  await t.test('顧客一覧: a list and a company name', async (t) => {
    await admin.goto(`${baseUrl}/#/crm/call-list-customers`);
    const table = admin.locator('[data-testid=customer-table] tbody tr');
    await admin.selectOption('select[name=listId]', String(made.list.id));
    await admin.click('[data-testid=search]');
    await table.nth(5).waitFor();
    t.equal(await table.count(), 6, 'the six customers of the list');
    t.match(await table.first().textContent(), /東京都新宿区西新宿1-1-/, 'the address');
    await admin.fill('form.search input[name=company]', '株式会社3');
    await admin.click('[data-testid=search]');
    await table.nth(1).waitFor({ state: 'detached' });
    t.match(await table.textContent(), /株式会社3.*担当者不明.*0322222203/);
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.click('[data-testid=download]'),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    t.match(csv, /株式会社3/, 'the CSV has the customer of the search');
    t.notMatch(csv, /株式会社4/, 'and not the others');
    await admin.screenshot({
      path: join(SCREENSHOTS, 'call-list-customers-ja.png'),
      fullPage: true,
    });
  });

  await t.test('設定: 1回の取得時に配布する顧客数', async (t) => {
    await admin.goto(`${baseUrl}/#/crm/call-list-settings`);
    await admin.fill('input[name=claimSize]', '2');
    await admin.check('input[name=autoRetrieve][value=false]');
    await admin.click('[data-testid=save]');
    await toastOf(admin, '登録しました');
    const settings = await api<{ claimSize: number; autoRetrieve: boolean }>(
      'GET',
      '/api/v1/call-lists/settings',
    );
    t.match(settings, { claimSize: 2, autoRetrieve: false });
    await admin.screenshot({
      path: join(SCREENSHOTS, 'call-list-settings-ja.png'),
      fullPage: true,
    });
  });

  const phonesOf = async (page: typeof admin): Promise<string[]> =>
    Promise.all(
      (await page.locator('[data-testid=held] tbody tr.held-row').all()).map(
        async (row) => (await row.getAttribute('data-phone')) ?? '',
      ),
    );

  let firstPhones: string[] = [];
  await t.test('an operator retrieves, enters results and uploads', async (t) => {
    const op = await loggedInPage(browser, baseUrl, { loginId: 'op1', password: 'Operator1' });
    await op.goto(`${baseUrl}/#/crm/call-list-claim`);
    await op.locator('[data-testid=my-lists] tr', { hasText: 'APIリスト' }).waitFor();
    await op.selectOption('select[name=listId]', String(made.list.id));
    await op.click('[data-testid=claim]');
    await toastOf(op, '2件取得しました');
    const held = op.locator('[data-testid=held] tbody tr.held-row');
    await held.nth(1).waitFor();
    firstPhones = await phonesOf(op);
    t.equal(firstPhones.length, 2, 'the setting says 2');
    await held.first().locator('[data-testid=details]').click();
    t.match(
      await op.locator('[data-testid=held] tr[data-details] .held-details').textContent(),
      /会社名フリガナカブシキガイシャ\d.*東京都新宿区西新宿/,
      'the customer’s details',
    );
    await held.nth(0).locator('select[name=result]').selectOption('answered');
    await held.nth(0).locator('input[name=prospect]').check();
    await held.nth(0).locator('input[name=memo]').fill('資料送付');
    await held.nth(1).locator('select[name=result]').selectOption('no_answer');
    t.not(await held.nth(1).locator('input[name=calledAt]').inputValue(), '', 'a time is set');
    await op.screenshot({ path: join(SCREENSHOTS, 'call-list-claim-ja.png'), fullPage: true });
    await op.click('[data-testid=upload]');
    await toastOf(op, '2件アップロードしました');
    await op.locator('[data-testid=no-held]').waitFor();
    t.pass('the uploaded customers left the held list');
    await op.context().close();
  });

  await t.test('通話一覧 shows the uploaded rows', async (t) => {
    await admin.goto(`${baseUrl}/#/crm/call-list-results`);
    const rows = admin.locator('[data-testid=result-table] tbody tr');
    await rows.nth(1).waitFor();
    t.equal(await rows.count(), 2);
    const answered = rows.filter({ hasText: '資料送付' });
    t.match(await answered.textContent(), /Name op1\(201\).*株式会社.*応答.*資料送付.*○/);
    t.match(
      await answered.locator('[data-name=phone]').textContent(),
      new RegExp(`^(${firstPhones.join('|')})$`),
      'a customer the operator retrieved',
    );
    t.match(await rows.filter({ hasText: '不応答' }).textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d/);
    await admin.screenshot({
      path: join(SCREENSHOTS, 'call-list-results-ja.png'),
      fullPage: true,
    });
    const history = await api<{ items: { agentId: number; prospect: boolean }[] }>(
      'GET',
      '/api/v1/call-lists/results',
    );
    t.same(
      history.items.map((h) => h.agentId),
      [op1, op1],
    );
  });

  await t.test('a second operator retrieves other customers', async (t) => {
    const op = await loggedInPage(browser, baseUrl, { loginId: 'op2', password: 'Operator2' });
    await op.goto(`${baseUrl}/#/crm/call-list-claim`);
    await op.locator('[data-testid=no-held]').waitFor();
    await op.click('[data-testid=claim]');
    await op.locator('[data-testid=held] tbody tr.held-row').nth(1).waitFor();
    const phones = await phonesOf(op);
    t.equal(phones.length, 2);
    t.same(
      phones.filter((p) => firstPhones.includes(p)),
      [],
      'none of the first operator’s customers',
    );
    await op.context().close();
  });

  let targetListId = 0;
  await t.test('a 発信先リスト: upload, exclude, download in Shift_JIS', async (t) => {
    await admin.goto(`${baseUrl}/#/crm/target-lists`);
    await admin.fill('input[name=newName]', '展示会リード');
    await admin.click('[data-testid=create]');
    await admin.waitForFunction(String.raw`/^#\/crm\/target-lists\/\d+$/.test(location.hash)`);
    targetListId = Number(await admin.evaluate<string>('location.hash.split("/").pop()'));
    const csv =
      '取引先会社名,取引先担当者名,電話番号,カテゴリー,発信担当者\n' +
      'MiiTel 株式会社,長田 翔,03-0000-0000,イベントからのリード|製品A,op1\n' +
      '山田スポーツ株式会社,山田圭,080-0000-0000,イベントからのリード|製品A,op1\n' +
      '豊島造船株式会社,豊島 章,06-2222-2222,イベントからのリード|製品B,\n';
    await admin
      .locator('[data-testid=csv-import] input[type=file]')
      .setInputFiles({ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await admin.click('[data-testid=csv-upload]');
    await admin.locator('[data-testid=csv-report]').waitFor();
    const rows = admin.locator('[data-testid=target-table] tbody tr');
    await rows.nth(2).waitFor();
    t.match(
      await rows.filter({ hasText: '山田スポーツ' }).textContent(),
      /Name op1.*山田スポーツ株式会社.*山田圭.*08000000000.*イベントからのリード \| 製品A.*対象/,
    );
    await rows.filter({ hasText: '豊島造船' }).locator('input[type=checkbox]').check();
    await admin.selectOption('select[name=action]', 'exclude');
    await admin.click('[data-testid=bulk-apply]');
    await toastOf(admin, '1件を更新しました');
    await rows.filter({ hasText: '豊島造船' }).waitFor({ state: 'detached' });
    t.equal(await rows.count(), 2, 'the excluded target is hidden');
    await admin.selectOption('select[name=excluded]', 'only');
    await admin.click('[data-testid=filter]');
    await rows.filter({ hasText: 'MiiTel' }).waitFor({ state: 'detached' });
    t.match(await rows.textContent(), /豊島造船株式会社.*対象外/, '発信対象外のみ');
    await admin.screenshot({ path: join(SCREENSHOTS, 'target-list-ja.png'), fullPage: true });

    await admin.selectOption('select[name=encoding]', 'shift_jis');
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.click('[data-testid=download]'),
    ]);
    const bytes = await readFile(await download.path());
    t.notOk(bytes.includes(Buffer.from('山田', 'utf8')), 'not UTF-8');
    const text = new TextDecoder('shift_jis').decode(bytes);
    t.match(text, /"山田スポーツ株式会社","山田圭","08000000000"/, 'a Japanese name in Shift_JIS');
    t.match(text, /"豊島造船株式会社".*"対象外"/, 'the excluded target says so');

    await admin.goto(`${baseUrl}/#/crm/target-lists`);
    t.match(
      await admin
        .locator(`[data-testid=target-list-table] tr[data-id="${targetListId}"]`)
        .textContent(),
      /展示会リード.*Name op1.*3件.*1件/,
      'the index: name, assignees, counts',
    );
  });

  await t.test('only an assigned operator sees the 発信先リスト', async (t) => {
    const assigned = await loggedInPage(browser, baseUrl, {
      loginId: 'op1',
      password: 'Operator1',
    });
    await assigned.goto(`${baseUrl}/#/crm/target-lists`);
    await assigned
      .locator(`[data-testid=target-list-table] tr[data-id="${targetListId}"]`)
      .waitFor();
    t.equal(await assigned.locator('[data-testid=create]').count(), 0, 'no 新規作成');
    await assigned.context().close();
    const other = await loggedInPage(browser, baseUrl, { loginId: 'op3', password: 'Operator3' });
    await other.goto(`${baseUrl}/#/crm/target-lists`);
    await other.locator('[data-testid=no-lists]').waitFor();
    t.pass('op3 sees no list');
    await other.context().close();
  });

  await t.test('データ初期化 asks first', async (t) => {
    await admin.goto(`${baseUrl}/#/crm/call-list-initialise`);
    await admin.check('input[name=target][value=lists]');
    await admin.click('[data-testid=initialise]');
    const confirm = admin.locator('[data-testid=confirm]');
    t.match(await confirm.textContent(), /コールリストデータを初期化します/);
    await admin.screenshot({
      path: join(SCREENSHOTS, 'call-list-initialise-ja.png'),
      fullPage: true,
    });
    await admin.click('[data-testid=confirm-yes]');
    await toastOf(admin, /初期化しました/);
    const lists = await api<{ total: number }>('GET', '/api/v1/call-lists');
    t.equal(lists.total, 0, 'the lists are gone from view');
  });
  await admin.context().close();
});
