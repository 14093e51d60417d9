/**
 * CSVアップロード in the browser (§10-13): an administrator uploads a Shift_JIS file of three
 * customers with Japanese names whose header the server does not know (お客様名), so 名称 is
 * mapped by hand and 備考 set to `--`; 実行 is refused until a name column is mapped; one row has
 * a bad phone. The progress ends, the report names the bad row (`3行目: …`), the two good
 * customers exist with the mapped fields, the format and the added tag; the past uploads list
 * the upload and open its report. A file of 3,000 rows shows the feed's import_progress reaching
 * the screen; one over the row limit is refused with the server's reason. An agent without csv_upload.upload sees neither the menu entry nor the button.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

interface Customer {
  id: number;
  name: string;
  code: string | null;
  phones: string[];
  remarks: string;
  formatName: string;
  fields: Record<string, string | string[]>;
  tags: { id: number; name: string }[];
}

const BIG_ROWS = 3000;

t.test('the CSV upload screen', async (t) => {
  await buildWebApp();
  const server = await buildTestApp({ env: { IMPORT_MAX_ROWS: String(BIG_ROWS) } });
  t.teardown(server.close);
  await createAgent(server, { loginId: 'op1', password: 'Operator1', extension: '201' });
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> => {
    const res = await server.request(method, url, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  const format = await api<{ id: number; fields: { id: number; name: string }[] }>(
    'POST',
    '/api/v1/business-formats',
    { name: '通販', fields: [{ name: '会員番号', type: 'number' }] },
  );
  const memberNo = String(format.fields.find((f) => f.name === '会員番号')?.id);
  const tag = await api<{ id: number }>('POST', '/api/v1/tags', { name: 'CSV取込' });
  const customers = async () =>
    (await api<{ items: Customer[] }>('GET', '/api/v1/customers?limit=500')).items;

  const page = await loggedInPage(browser, baseUrl, { loginId: 'admin', password: ADMIN_PASSWORD });
  const report = page.locator('[data-testid=import-report]');

  await t.test('the menu entry, and the button on the customers list', async (t) => {
    await page.goto(`${baseUrl}/#/crm/customers`);
    await page.locator('[data-testid=customer-table]').waitFor();
    const menu = await page.locator('[data-testid=pages] a').allTextContents();
    t.ok(menu.includes('CSVアップロード'), 'CSVアップロード is in the CRM menu');
    await page.click('[data-testid=csv-upload]');
    await page.waitForFunction("location.hash === '#/crm/imports'");
    await page.locator('[data-testid=import-file-form]').waitFor();
  });

  await t.test('a Shift_JIS file with a header mapped by hand and a bad row', async (t) => {
    const csv =
      'お客様名,電話,会員番号,備考\r\n' +
      '山田太郎,03-1111-0001,007,取り込まないメモ\r\n' +
      '佐藤花子,電話なし,008,x\r\n' +
      '鈴木一郎,090-2222-0003,010,メモ\r\n';
    await page.selectOption('select[name=formatId]', { label: '通販' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=import-template]'),
    ]);
    t.equal(download.suggestedFilename(), 'customers.csv', 'the template');
    t.match(
      (await readFile(await download.path(), 'utf8')).replace(/["\uFEFF]/g, ''),
      /^ID,顧客コード,名称,電話番号,.*会員番号\r\n$/,
      'the header row of the chosen format',
    );
    await page.check(`input[name="tag.${tag.id}"]`);
    await page.setInputFiles('input[name=csv]', {
      name: 'customers-sjis.csv',
      mimeType: 'text/csv',
      buffer: iconv.encode(csv, 'cp932'),
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-import-file-ja.png'), fullPage: true });
    await page.click('[data-testid=import-preview]');

    const mapping = page.locator('[data-testid=import-mapping]');
    await mapping.waitFor();
    t.match(
      await page.locator('[data-testid=import-read-as]').textContent(),
      /Shift_JISとして読みました。全3行/,
      'the encoding detected and the rows counted',
    );
    const column = (n: number) => mapping.locator(`select[name="column.${n}"]`);
    t.same(
      await Promise.all([1, 2, 3, 4].map((n) => column(n).inputValue())),
      ['--', 'phones', `field.${memberNo}`, 'remarks'],
      'the header suggests all but お客様名',
    );
    t.same(
      await mapping.locator('thead .column-name').allTextContents(),
      ['列1', '列2', '列3', '列4'],
      'the columns are 列1, 列2 …',
    );
    t.match(
      await mapping.locator('tr[data-row="2"]').textContent(),
      /山田太郎.*03-1111-0001.*007/,
      'the first data row, its Japanese name read from Shift_JIS',
    );
    t.match(
      await page.locator('[data-testid=mapping-problems]').textContent(),
      'ID・顧客コード・名称のいずれかの列を指定してください',
      'a mapping without a name is refused',
    );
    t.ok(await page.locator('[data-testid=import-run]').isDisabled(), '実行 is disabled');
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-import-mapping-ja.png'), fullPage: true });

    await column(1).selectOption({ label: '名称' });
    await column(4).selectOption('--');
    await page.locator('[data-testid=mapping-problems]').waitFor({ state: 'detached' });
    t.notOk(await page.locator('[data-testid=import-run]').isDisabled(), '実行 is enabled');
    await page.click('[data-testid=import-run]');

    await report.and(page.locator('[data-status=finished]')).waitFor();
    t.equal(
      await page.locator('[data-testid=import-counts]').textContent(),
      '全3行: 登録 2件, 更新 0件, 変更なし 0件, スキップ 1件',
    );
    const errors = await page.locator('[data-testid=import-errors] li').allTextContents();
    t.same(errors, ['3行目: 2列目(電話番号) 電話番号ではありません'], 'the bad row, by its line');
    t.equal(await page.locator('progress[data-testid=import-progress]').getAttribute('value'), '3');
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-import-report-ja.png'), fullPage: true });

    const all = await customers();
    t.same(all.map((c) => c.name).sort(), ['山田太郎', '鈴木一郎'], 'the two good rows, only');
    const yamada = all.find((c) => c.name === '山田太郎');
    t.match(yamada, {
      phones: ['0311110001'],
      formatName: '通販',
      fields: { [memberNo]: '007' },
      remarks: '',
      tags: [{ id: tag.id, name: 'CSV取込' }],
    });
    t.match(
      all.find((c) => c.name === '鈴木一郎'),
      {
        phones: ['09022220003'],
        fields: { [memberNo]: '010' },
      },
    );
  });

  await t.test('the past uploads list it and open its report', async (t) => {
    await page.click('[data-testid=import-jobs-link]');
    const row = page.locator('[data-testid=import-job-table] tbody tr', {
      hasText: 'customers-sjis.csv',
    });
    await row.waitFor();
    t.match(await row.textContent(), /顧客.*customers-sjis\.csv.*完了/);
    t.same(
      await Promise.all(
        ['total', 'inserted', 'updated', 'skipped'].map((c) =>
          row.locator(`td[data-col=${c}]`).textContent(),
        ),
      ),
      ['3', '2', '0', '1'],
      'its counts',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-import-jobs-ja.png'), fullPage: true });
    await row.locator('a').click();
    await page.locator('[data-testid=import-job] [data-testid=import-errors]').waitFor();
    t.match(
      await page.locator('[data-testid=import-errors]').textContent(),
      /^3行目: 2列目\(電話番号\)/,
      'the report of the upload',
    );
  });

  await t.test(`a file of ${BIG_ROWS} rows: progress reaches the screen`, async (t) => {
    await page.goto(`${baseUrl}/#/crm/imports`);
    const lines = Array.from(
      { length: BIG_ROWS },
      (_, i) => `BIG-${i},大量${i},06${String(i).padStart(8, '0')}`,
    );
    await page.setInputFiles('input[name=csv]', {
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['顧客コード,名称,電話番号', ...lines].join('\n')),
    });
    await page.click('[data-testid=import-preview]');
    await page.locator('[data-testid=import-mapping]').waitFor();
    // Every value the bar shows, as the page renders it.
    await page.evaluate(`
      window.barValues = [];
      const record = () => {
        const bar = document.querySelector('[data-testid=import-progress]');
        if (bar !== null) window.barValues.push(Number(bar.getAttribute('data-done')));
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true, childList: true, attributes: true, attributeFilter: ['data-done'],
      });
    `);
    await page.click('[data-testid=import-run]');
    await report.and(page.locator('[data-status=finished]')).waitFor({ timeout: 60_000 });
    t.equal(
      await page.locator('[data-testid=import-counts]').textContent(),
      `全${BIG_ROWS}行: 登録 ${BIG_ROWS}件, 更新 0件, 変更なし 0件, スキップ 0件`,
    );
    const updates = Number(await report.getAttribute('data-updates'));
    // Reading reports after each batch of rows, writing at its start and end.
    t.ok(updates >= 3, `the screen received ${updates} import_progress events`);
    const values = await page.evaluate<number[]>('window.barValues');
    t.comment(`bar values seen: ${[...new Set(values)].join(', ')}`);
    t.ok(
      values.some((v) => v > 0 && v < BIG_ROWS),
      'the bar showed rows done between none and all',
    );
    t.equal(values.at(-1), BIG_ROWS, 'and ends full');
    const { total } = await api<{ total: number }>('GET', '/api/v1/customers?limit=1');
    t.equal(total, BIG_ROWS + 2, 'every row was written');
  });
  await t.test(
    'a file over the row limit: the server refuses it on the mapping screen',
    async (t) => {
      await page.click('[data-testid=import-another]');
      const lines = Array.from({ length: BIG_ROWS + 1 }, (_, i) => `超過${i}`);
      await page.setInputFiles('input[name=csv]', {
        name: 'too-many.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(['名称', ...lines].join('\n')),
      });
      await page.click('[data-testid=import-preview]');
      await page.locator('[data-testid=import-mapping]').waitFor();
      await page.click('[data-testid=import-run]');
      t.equal(
        await page.locator('[data-testid=server-problems]').textContent(),
        `ファイルの行数 (${BIG_ROWS + 1}行) が上限 (${BIG_ROWS}行) を超えています`,
        'the 422 in Japanese',
      );
      t.equal((await api<{ total: number }>('GET', '/api/v1/imports')).total, 2, 'no job was made');
    },
  );

  await t.test('the other kinds: a MOT call list and MOT groups', async (t) => {
    // From another screen: the upload screen starts afresh.
    await page.goto(`${baseUrl}/#/crm/imports/jobs`);
    await page.locator('[data-testid=import-job-table]').waitFor();
    await page.goto(`${baseUrl}/#/crm/imports`);
    await page.selectOption('select[name=kind]', 'call_list');
    t.equal(await page.locator('select[name=formatId]').count(), 0, 'no 業務 for a call list');
    await page.fill('input[name=listName]', '新宿区・不動産業(東京グループ)');
    const callList =
      '顧客ID,登録日,区分,業種,会社名,会社名フリガナ,(顧客)担当者名,郵便番号,都道府県,' +
      '住所(市区町村・番地),住所(建物名・部屋番号など),電話番号\r\n' +
      ',2024/10/23,法人,不動産業・物品賃貸業,株式会社新宿,カブシキガイシャシンジュク,,1600023,' +
      '東京都,新宿区西新宿1-1-1,6F,0311112222\r\n' +
      ',2024/10/23,法人,宇宙業,株式会社宇宙,,,,,新宿区西新宿1-1-2,,0311112223\r\n';
    await page.setInputFiles('input[name=csv]', {
      name: 'call-list.csv',
      mimeType: 'text/csv',
      buffer: iconv.encode(callList, 'cp932'),
    });
    await page.click('[data-testid=import-preview]');
    await page.locator('[data-testid=import-mapping]').waitFor();
    await page.click('[data-testid=import-run]');
    await report.and(page.locator('[data-status=finished]')).waitFor();
    t.same(
      await page.locator('[data-testid=import-errors] li').allTextContents(),
      ['3行目: (業種) 未登録の業種です'],
      'the bad 業種, in the manual’s words',
    );
    const lists = await api<{ items: { name: string; customerCount: number }[] }>(
      'GET',
      '/api/v1/call-lists',
    );
    t.match(
      lists.items,
      [{ name: '新宿区・不動産業(東京グループ)', customerCount: 1 }],
      'the new list holds the good row',
    );

    await page.click('[data-testid=import-another]');
    await page.selectOption('select[name=kind]', 'mot_groups');
    await page.setInputFiles('input[name=csv]', {
      name: 'groups.csv',
      mimeType: 'text/csv',
      // The manual's example (A.5.3).
      buffer: Buffer.from(
        'グループID,グループ名,削除フラグ\n,グループB,\n,グループC,\n,グループD,\n',
      ),
    });
    await page.click('[data-testid=import-preview]');
    await page.locator('[data-testid=import-mapping]').waitFor();
    await page.click('[data-testid=import-run]');
    await report.and(page.locator('[data-status=finished]')).waitFor();
    t.match(await page.locator('[data-testid=import-counts]').textContent(), /登録 3件/);
    const groups = await api<{ items: { name: string }[] }>('GET', '/api/v1/groups?limit=100');
    t.ok(
      ['グループB', 'グループC', 'グループD'].every((n) => groups.items.some((g) => g.name === n)),
      'the three groups exist',
    );
  });

  await page.context().close();

  await t.test('an agent without csv_upload.upload sees no entry', async (t) => {
    const agent = await loggedInPage(browser, baseUrl, { loginId: 'op1', password: 'Operator1' });
    await agent.goto(`${baseUrl}/#/crm/customers`);
    await agent.locator('[data-testid=customer-table]').waitFor();
    const menu = await agent.locator('[data-testid=pages] a').allTextContents();
    t.ok(menu.includes('顧客'), 'the agent has the CRM menu');
    t.notOk(menu.includes('CSVアップロード'), 'without CSVアップロード');
    t.equal(await agent.locator('[data-testid=csv-upload]').count(), 0, 'nor the button');
    await agent.context().close();
  });
});
