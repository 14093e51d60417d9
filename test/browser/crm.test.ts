/**
 * The CRM tab in the browser (§8, §10-10, §11-8, §11-9): an administrator makes a customer
 * custom field and a business format with fields (a postal code filling the prefecture and city
 * fields, a list) and a member; creates a customer whose postal code fills its address; finds it
 * by a custom field in the detailed search; bulk-edits two customers; downloads them as CSV;
 * makes a tag and an FAQ entry found with a Japanese query. An agent outside the format's
 * members does not see the customer; a member does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

interface Customer {
  id: number;
  name: string;
  remarks: string;
  fields: Record<string, string | string[]>;
  custom: Record<string, string>;
}

t.test('the CRM screens', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const member = await createAgent(server, {
    loginId: 'op1',
    password: 'Operator1',
    extension: '201',
  });
  await createAgent(server, { loginId: 'op2', password: 'Operator2', extension: '202' });
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> => {
    const res = await server.request(method, url, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };

  const page = await loggedInPage(browser, baseUrl, { loginId: 'admin', password: ADMIN_PASSWORD });
  const toast = page.locator('[data-testid=toast]');
  const saved = () => toast.filter({ hasText: '変更を保存しました' }).last().waitFor();

  await t.test('the CRM tab and its menu', async (t) => {
    await page.click('[data-tab=crm]');
    await page.waitForFunction("location.hash.startsWith('#/crm/')");
    const menu = await page.locator('[data-testid=pages] a').allTextContents();
    t.same(
      menu,
      [
        '顧客',
        '案件',
        'FAQ',
        'タグ',
        '業務フォーマット',
        'カスタムフィールド',
        '案件ステータス',
        'ワークフロー',
        'ワークフロー統計',
        'CSVアップロード',
        'コールリスト取得',
        'コールリスト一覧',
        'コールリスト作成',
        'コールリスト顧客一覧',
        'コールリスト通話一覧',
        'コールリスト設定',
        'データ初期化',
        '発信先リスト',
      ],
      'the CRM menu',
    );
  });

  await t.test('a customer custom field', async () => {
    await page.goto(`${baseUrl}/#/crm/custom-fields`);
    await page.click('[data-testid=create]');
    await page.selectOption('select[name=category]', 'customer');
    await page.fill('input[name=name]', '会員ランク');
    await page.selectOption('select[name=type]', 'text');
    await page.click('[data-testid=save]');
    await saved();
    await page.waitForFunction(String.raw`/^#\/crm\/custom-fields\/\d+$/.test(location.hash)`);
  });
  const rank = (
    await api<{ items: { id: number; name: string }[] }>('GET', '/api/v1/custom-fields')
  ).items.find((f) => f.name === '会員ランク');
  t.ok(rank, 'the custom field was made');

  let formatId = 0;
  await t.test('a business format with fields, postal auto-fill and a member', async (t) => {
    await page.goto(`${baseUrl}/#/crm/business-formats`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '通販');
    await page.click('[data-testid=save]');
    await saved();
    await page.waitForFunction(String.raw`/^#\/crm\/business-formats\/\d+$/.test(location.hash)`);
    formatId = Number(await page.evaluate<string>('location.hash.split("/").pop()'));
    const fields = page.locator('[data-testid=format-fields]');
    const add = async (name: string, type: string, side: 'left' | 'right', options = '') => {
      await page.click('[data-testid=add-field]');
      const dialog = page.locator('[data-testid=field-dialog]');
      await dialog.locator('input[name=fieldName]').fill(name);
      await dialog.locator('select[name=fieldType]').selectOption(type);
      await dialog.locator('select[name=fieldSide]').selectOption(side);
      if (options !== '') await dialog.locator('textarea[name=fieldOptions]').fill(options);
      await dialog.locator('[data-testid=field-submit]').click();
      await dialog.waitFor({ state: 'detached' });
      await fields.locator(`tr[data-field="${name}"]`).waitFor();
    };
    await add('郵便番号', 'postal_code', 'left');
    await add('都道府県', 'text', 'left');
    await add('市区町村', 'text', 'left');
    await add('会員種別', 'list', 'right', '一般\nプレミアム');
    t.match(
      await fields.locator('tr[data-field="会員種別"]').textContent(),
      /リスト選択.*右.*一般, プレミアム/,
      'the field table: 属性, 表示位置, 選択項目',
    );
    await fields.locator('tr[data-field="郵便番号"] [data-testid=edit-field]').click();
    const dialog = page.locator('[data-testid=field-dialog]');
    await dialog.locator('input[name=postalAutofill]').check();
    await dialog
      .locator('select[name=postalPrefectureFieldId]')
      .selectOption({ label: '都道府県' });
    await dialog.locator('select[name=postalCityFieldId]').selectOption({ label: '市区町村' });
    await dialog.locator('[data-testid=field-submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await page.check(`[data-testid=format-members] input[name="member.${member}"]`);
    await page.click('[data-testid=save-members]');
    await saved();
    const format = await api<{
      agentIds: number[];
      fields: { name: string; postalAutofill: boolean }[];
    }>('GET', `/api/v1/business-formats/${formatId}`);
    t.same(format.agentIds, [member], 'op1 is its member');
    t.ok(format.fields.find((f) => f.name === '郵便番号')?.postalAutofill, 'auto-fill is on');
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-format-ja.png'), fullPage: true });
  });

  let customerId = 0;
  await t.test('a customer whose postal code fills the address', async (t) => {
    await page.goto(`${baseUrl}/#/crm/customers`);
    await page.click('[data-testid=create]');
    await page.selectOption('select[name=formatId]', { label: '通販' });
    const detail = page.locator('[data-testid=customer-detail]');
    await detail.locator('[data-field="郵便番号"] input').waitFor();
    await page.fill('input[name=name]', '山田太郎');
    await page.fill('textarea[name=phones]', '03-1111-2222');
    await detail.locator('[data-field="郵便番号"] input').fill('100-0001');
    await toast.filter({ hasText: '住所を自動入力しました' }).waitFor();
    t.equal(await detail.locator('[data-field="都道府県"] input').inputValue(), '東京都');
    t.equal(await detail.locator('[data-field="市区町村"] input').inputValue(), '千代田区');
    await detail.locator('[data-field="会員種別"] select').selectOption('プレミアム');
    await detail.locator('[data-custom="会員ランク"] input').fill('ゴールド');
    const right = await detail.locator('[data-side=right]').textContent();
    t.match(right, /会員種別/, 'a right-hand field in the right column');
    t.notMatch(
      await detail.locator('[data-side=left]').textContent(),
      /会員種別/,
      'and not in the left',
    );
    await page.click('[data-testid=save]');
    await saved();
    await page.waitForFunction(String.raw`/^#\/crm\/customers\/\d+$/.test(location.hash)`);
    customerId = Number(await page.evaluate<string>('location.hash.split("/").pop()'));
    await page.locator('[data-testid=customer-id]', { hasText: `#C${customerId}` }).waitFor();
    const customer = await api<Customer>('GET', `/api/v1/customers/${customerId}`);
    t.same(Object.values(customer.fields).sort(), ['1000001', 'プレミアム', '千代田区', '東京都']);
    t.same(Object.values(customer.custom), ['ゴールド']);
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-customer-ja.png'), fullPage: true });
    await page.click('[data-testid=tab-calls]');
    await page
      .locator('[data-testid=customer-calls]', { hasText: '通話履歴はありません' })
      .waitFor();
  });
  const other = await api<Customer>('POST', '/api/v1/customers', {
    formatId,
    name: '佐藤花子',
    phones: ['0333334444'],
    custom: { [String(rank?.id)]: 'シルバー' },
  });

  const table = page.locator('[data-testid=customer-table]');
  await t.test('found by a custom field in the detailed search', async (t) => {
    await page.goto(`${baseUrl}/#/crm/customers`);
    await table.locator('tbody tr', { hasText: '佐藤花子' }).waitFor();
    await page.click('[data-testid=detailed-search]');
    await page.locator('[data-custom="会員ランク"] input').fill('ゴールド');
    await page.click('[data-testid=search]');
    await table.locator('tbody tr', { hasText: '佐藤花子' }).waitFor({ state: 'detached' });
    const names = await table.locator('td[data-name=name]').allTextContents();
    t.same(names, ['山田太郎'], 'only the gold member');
    await page.locator('[data-custom="会員ランク"] input').fill('');
    await page.fill('form.search input[name=phone]', '0333');
    await page.click('[data-testid=search]');
    await table.locator('tbody tr', { hasText: '佐藤花子' }).waitFor();
    t.same(await table.locator('td[data-name=name]').allTextContents(), ['佐藤花子'], 'by phone');
  });

  await t.test('bulk edit of the checked customers, and their CSV', async (t) => {
    await page.fill('form.search input[name=phone]', '');
    await page.click('[data-testid=search]');
    await table.locator('tbody tr', { hasText: '山田太郎' }).waitFor();
    await table.locator(`tr[data-id="${customerId}"] input[type=checkbox]`).check();
    await table.locator(`tr[data-id="${other.id}"] input[type=checkbox]`).check();
    await page.click('[data-testid=bulk-edit]');
    const dialog = page.locator('[data-testid=bulk-dialog]');
    await dialog.locator('textarea[name=remarks]').fill('一括で変更');
    await dialog.locator('[data-testid=bulk-apply]').click();
    await toast.filter({ hasText: '2件を更新しました' }).waitFor();
    for (const id of [customerId, other.id]) {
      const c = await api<Customer>('GET', `/api/v1/customers/${id}`);
      t.equal(c.remarks, '一括で変更', `${c.name}'s remarks`);
    }
    await table.locator(`tr[data-id="${customerId}"] input[type=checkbox]`).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=download]'),
    ]);
    t.equal(download.suggestedFilename(), 'customers.csv');
    const csv = await readFile(await download.path(), 'utf8');
    t.match(csv, /山田太郎/, 'the checked customer is in the file');
    t.notMatch(csv, /佐藤花子/, 'the unchecked one is not');
  });

  await t.test('a tag with its colours, and an FAQ entry found in Japanese', async (t) => {
    await page.goto(`${baseUrl}/#/crm/tags`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '重要顧客');
    await page.fill('input[name=fontColor]', '#ffffff');
    await page.fill('input[name=backgroundColor]', '#d32f2f');
    await page.fill('textarea[name=details]', '優先して対応する');
    await page.click('[data-testid=save]');
    await saved();
    await page.goto(`${baseUrl}/#/crm/tags`);
    t.match(
      await page.locator('[data-testid=resource-table] tr', { hasText: '重要顧客' }).textContent(),
      '#ffffff / #d32f2f',
      'the list shows its colours',
    );

    await page.goto(`${baseUrl}/#/crm/faqs`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=title]', '返品の方法');
    await page
      .locator('[data-field=tagIds] label', { hasText: '重要顧客' })
      .locator('input')
      .check();
    await page.fill('textarea[name=details]', '商品到着後7日以内なら返品を受け付けます。');
    await page.click('[data-testid=save]');
    await saved();
    await page.waitForFunction(String.raw`/^#\/crm\/faqs\/\d+$/.test(location.hash)`);
    t.ok(
      await page
        .locator('[data-field=tagIds] label', { hasText: '重要顧客' })
        .locator('input')
        .isChecked(),
      'its tag is checked on the detail',
    );
    await page.goto(`${baseUrl}/#/crm/faqs`);
    await api('POST', '/api/v1/faqs', { title: '配送料について', details: '全国一律500円です。' });
    const rows = page.locator('[data-testid=resource-table] tbody tr');
    await page.fill('form.search input[name=q]', '到着後');
    await page.click('form.search button[type=submit]');
    await rows.filter({ hasText: '配送料' }).waitFor({ state: 'detached' });
    t.same(
      (await rows.allTextContents()).map((r) => r.includes('返品の方法')),
      [true],
      'the free-word search finds the entry by its details',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-faqs-ja.png'), fullPage: true });
  });
  await page.context().close();

  await t.test('an agent outside the format does not see the customer', async (t) => {
    const outsider = await loggedInPage(browser, baseUrl, {
      loginId: 'op2',
      password: 'Operator2',
    });
    await outsider.goto(`${baseUrl}/#/crm/customers`);
    await outsider
      .locator('[data-testid=customers] .notice', { hasText: '該当する顧客はいません' })
      .waitFor();
    t.equal(await outsider.locator('[data-testid=customer-table] tbody tr').count(), 0);
    await outsider.goto(`${baseUrl}/#/crm/customers/${customerId}`);
    await outsider.locator('[data-testid=customer-problem].problem').waitFor();
    t.equal(await outsider.locator('input[name=name]').count(), 0, 'no form for it');
    await outsider.context().close();

    const insider = await loggedInPage(browser, baseUrl, { loginId: 'op1', password: 'Operator1' });
    await insider.goto(`${baseUrl}/#/crm/customers`);
    await insider
      .locator('[data-testid=customer-table] tbody tr', { hasText: '山田太郎' })
      .waitFor();
    t.pass('the member sees it');
    // Without business_formats.view or custom_fields.view, the member's detail is laid out by
    // the format all the same: its fields by name, on their sides, and the custom field.
    await insider.goto(`${baseUrl}/#/crm/customers/${customerId}`);
    const detail = insider.locator('[data-testid=customer-detail]');
    t.equal(
      await detail.locator('[data-field="市区町村"] input').inputValue(),
      '千代田区',
      'a format field by its name',
    );
    t.equal(await detail.locator('[data-field="会員種別"] select').inputValue(), 'プレミアム');
    t.match(await detail.locator('[data-side=right]').textContent(), /会員種別/, 'on its side');
    t.equal(await detail.locator('[data-custom="会員ランク"] input').inputValue(), 'ゴールド');
    await insider.screenshot({
      path: join(SCREENSHOTS, 'crm-customer-agent-ja.png'),
      fullPage: true,
    });
    await insider.click('[data-testid=tab-dial-lists]');
    await insider.locator('[data-testid=no-dial-lists]', { hasText: 'どのリストにも' }).waitFor();
    t.pass('the 自動発信 tab: on no list');
    await insider.context().close();
  });
});
