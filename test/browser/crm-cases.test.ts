/**
 * Cases and workflows in the browser (§8-2, §10-6, §11-11, §11-12): an administrator makes a
 * case status and a workflow of three steps with buttons through the screens, and from a
 * customer's 案件 tab a case in that workflow; presses a step's button and sees the case on the
 * next step, highlighted in the flowchart, and the move in the log; bulk-edits two cases' status;
 * downloads the cases as CSV; sees the step's count in the workflow statistics; finds the cases
 * on the customer's 案件 tab. An agent whose role lacks the case permissions sees none of the
 * case and workflow menu entries.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

interface CaseRow {
  id: number;
  title: string;
  statusId: number;
  statusName: string;
  stepName: string | null;
}

t.test('the case and workflow screens', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> => {
    const res = await server.request(method, url, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  const customer = await api<{ id: number }>('POST', '/api/v1/customers', {
    name: '佐藤花子',
    phones: ['0333334444'],
  });

  const page = await loggedInPage(browser, baseUrl, { loginId: 'admin', password: ADMIN_PASSWORD });
  const toast = page.locator('[data-testid=toast]');
  const saved = () => toast.filter({ hasText: '変更を保存しました' }).last().waitFor();
  /** An attribute of each element a locator finds, in order. */
  const attributes = async (found: Locator, name: string) =>
    Promise.all((await found.all()).map((l) => l.getAttribute(name)));

  await t.test('the CRM menu has the case and workflow entries', async (t) => {
    await page.click('[data-tab=crm]');
    await page.waitForFunction("location.hash.startsWith('#/crm/')");
    // The whole menu is crm.test.ts's to check; here, the case entries and their order.
    const caseEntries = ['案件', '案件ステータス', 'ワークフロー', 'ワークフロー統計'];
    const menu = await page.locator('[data-testid=pages] a').allTextContents();
    t.same(
      menu.filter((entry) => caseEntries.includes(entry)),
      caseEntries,
      'the case entries, in the manual order',
    );
    t.equal(menu[menu.indexOf('顧客') + 1], '案件', '案件 right after 顧客');
  });

  await t.test('a case status', async (t) => {
    await page.goto(`${baseUrl}/#/crm/case-statuses`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '保留中');
    await page.fill('input[name=position]', '5');
    await page.click('[data-testid=save]');
    await saved();
    await page.goto(`${baseUrl}/#/crm/case-statuses`);
    await page
      .locator('[data-testid=resource-table] td[data-name=name]', { hasText: '保留中' })
      .waitFor();
    const names = await page
      .locator('[data-testid=resource-table] td[data-name=name]')
      .allTextContents();
    t.ok(names.includes('保留中') && names.includes('作業中'), 'listed with the built-in ones');
  });
  const statuses = (
    await api<{ items: { id: number; name: string }[] }>('GET', '/api/v1/case-statuses')
  ).items;
  const onHold = statuses.find((s) => s.name === '保留中');
  t.ok(onHold, 'the status was made');

  await t.test('a workflow of three steps with buttons, drawn', async (t) => {
    await page.goto(`${baseUrl}/#/crm/workflows`);
    await page.click('[data-testid=create]');
    await page.fill('input[name=name]', '問い合わせフロー');
    await page.click('[data-testid=save]');
    await saved();
    await page.waitForFunction(String.raw`/^#\/crm\/workflows\/\d+$/.test(location.hash)`);
    const dialog = page.locator('[data-testid=step-dialog]');
    const steps = page.locator('[data-testid=step-table]');
    const stepDialog = async (
      open: () => Promise<void>,
      values: { name?: string; details?: string; color?: string },
      buttons: [string, string][],
    ) => {
      await open();
      if (values.name !== undefined) await dialog.locator('input[name=stepName]').fill(values.name);
      if (values.details !== undefined)
        await dialog.locator('textarea[name=stepDetails]').fill(values.details);
      if (values.color !== undefined)
        await dialog.locator('input[name=stepColor]').fill(values.color);
      for (const [i, [label, next]] of buttons.entries()) {
        await dialog.locator(`input[name=buttonLabel${i + 1}]`).fill(label);
        await dialog.locator(`select[name=buttonNext${i + 1}]`).selectOption({ label: next });
      }
      if (buttons.length > 1)
        await page.screenshot({ path: join(SCREENSHOTS, 'crm-workflow-step-ja.png') });
      await dialog.locator('[data-testid=step-submit]').click();
      await dialog.waitFor({ state: 'detached' });
    };
    const add = async (name: string, color: string, details: string) => {
      await stepDialog(() => page.click('[data-testid=add-step]'), { name, color, details }, []);
      await steps.locator(`tr[data-step="${name}"]`).waitFor();
    };
    const edit = (name: string) => () =>
      steps.locator(`tr[data-step="${name}"] [data-testid=edit-step]`).click();
    await add('受付', '#ff9800', '用件を聞き取り、顧客を確認する');
    await add('調査', '#56afe8', '配送状況を調べる');
    await add('回答', '#4caf50', '調査結果を顧客に伝える');
    await stepDialog(edit('受付'), {}, [['調査へ', '調査']]);
    await stepDialog(edit('調査'), {}, [
      ['回答へ', '回答'],
      ['差し戻し', '受付'],
    ]);
    await stepDialog(edit('回答'), {}, [['完了', '未設定/終了']]);
    await page
      .locator('[data-testid=step-table] tr[data-step="回答"]', { hasText: '完了 → 終了' })
      .waitFor();
    t.equal(await page.locator('[data-testid=first-step]').textContent(), '受付', 'first step');
    const diagram = page.locator('[data-testid=workflow-diagram]');
    t.same(
      await Promise.all(
        (await diagram.locator('g.diagram-step').all()).map(async (g) => [
          await g.getAttribute('data-step'),
          await g.locator('rect.step-box').getAttribute('fill'),
        ]),
      ),
      [
        ['受付', '#ff9800'],
        ['調査', '#56afe8'],
        ['回答', '#4caf50'],
      ],
      'a box per step in its colour',
    );
    t.same(
      (
        await Promise.all(
          (await diagram.locator('g.diagram-edge').all()).map(
            async (g) =>
              `${(await g.getAttribute('data-edge')) ?? ''}:${(await g.textContent()) ?? ''}`,
          ),
        )
      ).sort(),
      ['受付→調査:調査へ', '回答→終了:完了', '調査→受付:差し戻し', '調査→回答:回答へ'].sort(),
      'an arrow per button, labelled with it, the end a node of its own',
    );
    t.equal(await diagram.locator('g.diagram-end').count(), 1, 'the end node');
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-workflow-ja.png'), fullPage: true });
  });

  let caseId = 0;
  await t.test('a case for the customer, moved on by a step button', async (t) => {
    await page.goto(`${baseUrl}/#/crm/customers/${customer.id}`);
    await page.click('[data-testid=tab-cases]');
    await page.locator('[data-testid=customer-cases]').waitFor();
    await page.click('[data-testid=new-case]');
    await page.locator('[data-testid=case-detail]').waitFor();
    t.equal(await page.inputValue('input[name=customer]'), `#C${customer.id}`, 'its customer');
    await page.fill('input[name=title]', '配送遅延の問い合わせ');
    await page.fill('textarea[name=details]', '注文した商品がまだ届かない');
    await page.selectOption('select[name=workflowId]', { label: '問い合わせフロー' });
    await page.click('[data-testid=save]');
    await saved();
    await page.waitForFunction(String.raw`/^#\/crm\/cases\/\d+$/.test(location.hash)`);
    caseId = Number(await page.evaluate<string>('location.hash.split("/").pop()'));
    await page.locator('[data-testid=case-id]', { hasText: `#T${caseId}` }).waitFor();
    t.match(
      await page.locator('[data-testid=case-customer]').textContent(),
      `#C${customer.id} 佐藤花子`,
      'the customer, linked',
    );
    const diagram = page.locator('[data-testid=workflow-diagram]');
    await page.locator('[data-testid=current-step-name]', { hasText: '受付' }).waitFor();
    t.equal(
      await page.locator('[data-testid=step-details]').textContent(),
      '用件を聞き取り、顧客を確認する',
      "the step's details",
    );
    t.same(
      await attributes(diagram.locator('g[data-current=true]'), 'data-step'),
      ['受付'],
      'the first step highlighted',
    );
    await page.locator('[data-testid=step-buttons] button', { hasText: '調査へ' }).click();
    await toast.filter({ hasText: '調査へ進みました' }).waitFor();
    await page.locator('[data-testid=current-step-name]', { hasText: '調査' }).waitFor();
    t.same(
      await attributes(diagram.locator('g[data-current=true]'), 'data-step'),
      ['調査'],
      'the next step highlighted',
    );
    t.same(
      await page.locator('[data-testid=step-buttons] button').allTextContents(),
      ['回答へ', '差し戻し'],
      "the new step's buttons",
    );
    const log = page.locator('[data-testid=move-log] tbody tr');
    await log.nth(1).waitFor();
    t.same(
      await Promise.all(
        (await log.all()).map((r) =>
          Promise.all(
            ['from', 'button', 'to'].map(async (n) => r.locator(`[data-name=${n}]`).textContent()),
          ),
        ),
      ),
      [
        ['（開始）', '', '受付'],
        ['受付', '調査へ', '調査'],
      ],
      'the move log: the start and the button pressed',
    );
    const moved = await api<CaseRow>('GET', `/api/v1/cases/${caseId}`);
    t.equal(moved.stepName, '調査', 'the server has it on the next step');
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-case-ja.png'), fullPage: true });
  });

  const second = await api<CaseRow>('POST', '/api/v1/cases', {
    title: '請求書の再発行',
    customerId: customer.id,
  });
  await api('POST', '/api/v1/cases', { title: '別件（顧客なし）' });

  const table = page.locator('[data-testid=case-table]');
  await t.test('bulk edit of two cases, and their CSV', async (t) => {
    await page.goto(`${baseUrl}/#/crm/cases`);
    await table.locator('tbody tr', { hasText: '請求書の再発行' }).waitFor();
    t.match(
      await table.locator(`tr[data-id="${caseId}"] td[data-name=workflow]`).textContent(),
      '問い合わせフロー-調査',
      'the ワークフロー column: workflow-step',
    );
    await table.locator(`tr[data-id="${caseId}"] input[type=checkbox]`).check();
    await table.locator(`tr[data-id="${second.id}"] input[type=checkbox]`).check();
    await page.click('[data-testid=bulk-edit]');
    const dialog = page.locator('[data-testid=bulk-dialog]');
    await dialog.locator('select[name=statusId]').selectOption({ label: '保留中' });
    await dialog.locator('[data-testid=bulk-apply]').click();
    await toast.filter({ hasText: '2件を更新しました' }).waitFor();
    for (const id of [caseId, second.id]) {
      const c = await api<CaseRow>('GET', `/api/v1/cases/${id}`);
      t.equal(c.statusName, '保留中', `${c.title}: its status`);
    }
    await table
      .locator(`tr[data-id="${second.id}"] td[data-name=status]`, { hasText: '保留中' })
      .waitFor();

    await page.selectOption('form.search select[name=statusId]', { label: '保留中' });
    await page.click('[data-testid=search]');
    await table.locator('tbody tr', { hasText: '別件' }).waitFor({ state: 'detached' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=download]'),
    ]);
    t.equal(download.suggestedFilename(), 'cases.csv');
    const lines = (await readFile(await download.path(), 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    t.match(lines[0], /^"?ID"?,"?題名"?,"?ステータス"?/, 'the header');
    t.equal(lines.length, 3, 'the header and the two cases of the search');
    t.match(lines[1], new RegExp(`#T${caseId}.*配送遅延の問い合わせ.*保留中.*佐藤花子`));
    t.match(lines[2], /請求書の再発行.*保留中/);
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-cases-ja.png'), fullPage: true });
  });

  await t.test('the workflow statistics count the stay in the first step', async (t) => {
    await page.goto(`${baseUrl}/#/crm/workflow-stats`);
    await page.selectOption('select[name=workflowId]', { label: '問い合わせフロー' });
    await page.click('[data-testid=search]');
    const stats = page.locator('[data-testid=workflow-stats-table]');
    await stats.waitFor();
    const count = (step: string) =>
      stats.locator(`tr[data-step="${step}"] td[data-name=count]`).textContent();
    t.equal(await count('受付'), '1', '受付: one stay ended');
    t.equal(await count('調査'), '0', '調査: the case is still in it');
    t.equal(await count('total'), '1', 'the 合計 row');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=download]'),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    t.match(csv, /"?受付"?,"?1"?,/, 'the CSV has the row');
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-workflow-stats-ja.png'), fullPage: true });
  });

  await t.test("the customer's 案件 tab lists its cases", async (t) => {
    await page.goto(`${baseUrl}/#/crm/customers/${customer.id}`);
    await page.click('[data-testid=tab-cases]');
    const rows = page.locator('[data-testid=customer-cases] td[data-name=title]');
    await rows.filter({ hasText: '請求書の再発行' }).waitFor();
    t.same(
      (await rows.allTextContents()).sort(),
      ['請求書の再発行', '配送遅延の問い合わせ'].sort(),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'crm-customer-cases-ja.png'), fullPage: true });
    await rows.locator('a', { hasText: '配送遅延の問い合わせ' }).click();
    await page.locator('[data-testid=case-id]', { hasText: `#T${caseId}` }).waitFor();
    t.pass('the link opens the case');
  });
  await page.context().close();

  await t.test('an agent without the case permissions sees no case menu entries', async (t) => {
    const role = await api<{ id: number }>('POST', '/api/v1/roles', {
      name: '顧客閲覧のみ',
      permissions: ['tab_menu.crm', 'customers.view'],
    });
    await api('POST', '/api/v1/agents', {
      loginId: 'viewer',
      name: 'Viewer',
      nickname: 'viewer',
      password: 'Viewer123',
      roleId: role.id,
    });
    const viewer = await loggedInPage(browser, baseUrl, {
      loginId: 'viewer',
      password: 'Viewer123',
    });
    await viewer.click('[data-tab=crm]');
    await viewer.waitForFunction("location.hash.startsWith('#/crm/')");
    await viewer.locator('[data-testid=pages] a').first().waitFor();
    t.same(await viewer.locator('[data-testid=pages] a').allTextContents(), ['顧客'], 'only 顧客');
    await viewer.goto(`${baseUrl}/#/crm/cases`);
    await viewer.locator('[data-testid=pages] a').first().waitFor();
    t.equal(await viewer.locator('[data-testid=cases]').count(), 0, 'no case list by its address');
    await viewer.screenshot({ path: join(SCREENSHOTS, 'crm-cases-viewer-ja.png'), fullPage: true });
    await viewer.context().close();
  });
});
