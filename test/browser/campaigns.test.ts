/**
 * The campaign screens in the browser (§10-8, §10-9, §9-2): a supervisor creates a campaign
 * with a caller ID, results and a member through the form and finds it in the list by name and
 * by agent; a bad 結果 line is refused with the server's words for that line and nothing
 * changes; the list's ON / OFF switch; the autodial list searched by result, bulk-edited and
 * downloaded with the search; an entry's detail (結果 button, 10分後, 自分を設定, 備考); the
 * reservations searched and bulk-edited.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

interface Campaign {
  id: number;
  name: string;
  enabled: boolean;
  phoneNumberId: number | null;
  withholdCallerId: boolean;
  type: string;
  maxChannels: number;
  acwStatusId: number | null;
  windowFrom: string;
  textColor: string;
  backgroundColor: string;
  results: { number: number; text: string }[];
  members: { agentId: number }[];
}

interface Entry {
  id: number;
  phone: string;
  result: { key: string; label: string };
  reservedAt: string | null;
  assignee: { id: number; name: string } | null;
  remarks: string;
}

t.test('the campaign screens', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const op1 = await createAgent(server, { loginId: 'op1', extension: '201' });
  await createAgent(server, { loginId: 'op2', extension: '202' });
  const api = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
    const res = await server.request(method, `/api/v1${url}`, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  const number = await api<{ id: number }>('POST', '/phone-numbers', {
    number: '0501112222',
    name: '営業代表',
  });
  const acw = await api<{ id: number }>('POST', '/agent-statuses', {
    name: '後処理',
    backgroundColor: '#6a1b9a',
  });
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const page = await loggedInPage(browser, baseUrl, { loginId: 'admin', password: ADMIN_PASSWORD });
  const toast = page.locator('[data-testid=toast]');
  /** The 電話番号 of a table's rows, top to bottom. */
  const phonesOf = async (table: ReturnType<typeof page.locator>) => {
    const rows = table.locator('tbody tr');
    const phones: (string | null)[] = [];
    for (let i = 0; i < (await rows.count()); i++)
      phones.push(await rows.nth(i).getAttribute('data-phone'));
    return phones;
  };
  const toastSays = (text: string) => toast.filter({ hasText: text }).last().waitFor();

  await t.test('the menus: SV and 通話履歴', async (t) => {
    await page.click('[data-tab=supervisor]');
    await page.waitForFunction("location.hash.startsWith('#/supervisor/')");
    const sv = await page.locator('[data-testid=pages] a').allTextContents();
    t.ok(sv.includes('キャンペーン') && sv.includes('自動発信'), `the SV menu: ${sv.join(', ')}`);
    await page.click('[data-tab=history]');
    await page.waitForFunction("location.hash.startsWith('#/history')");
    const history = await page.locator('[data-testid=pages] a').allTextContents();
    t.equal(history.indexOf('発信予約'), history.indexOf('通話履歴') + 1, 'after 通話履歴');
  });

  let campaignId = 0;
  await t.test('a campaign made through the form, found in the list', async (t) => {
    await page.goto(`${baseUrl}/#/supervisor/campaigns`);
    await page.locator('[data-testid=no-campaigns]').waitFor();
    await page.click('[data-testid=create]');
    const form = page.locator('[data-testid=campaign-detail]');
    await form.waitFor();
    t.equal(await form.locator('[data-testid=campaign-id]').textContent(), '新規');
    t.equal(await form.locator('input[name=dialTimeoutSeconds]').inputValue(), '180');
    t.equal(await form.locator('input[name=agentRingSeconds]').inputValue(), '20');
    t.equal(await form.locator('input[name=windowTo]').inputValue(), '23:59');
    await form.locator('input[name=name]').fill('秋の案内');
    await form.locator('select[name=phoneNumberId]').selectOption(String(number.id));
    await form.locator('input[name=withholdCallerId]').check();
    await form.locator('input[name=type][value=progressive]').check();
    await form.locator('input[name=maxChannels]').fill('3');
    await form.locator('select[name=acwStatusId]').selectOption(String(acw.id));
    await form.locator('input[name=acwSeconds]').fill('30');
    await form.locator('input[name=windowFrom]').fill('09:00');
    await form.locator('input[name=backgroundColor]').fill('#ffcc00');
    await form.locator('textarea[name=resultsText]').fill('1,受注\n2,検討');
    await form.locator(`input[name="member.${op1}"]`).check();
    t.match(
      await form.locator('[data-testid=colour-tag]').getAttribute('style'),
      /background-color: rgb\(255, 204, 0\)/,
      'the status tag previews the background colour',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-new-ja.png'), fullPage: true });
    await form.locator('[data-testid=save]').click();
    await toastSays('キャンペーンを作成しました');
    await page.waitForFunction(String.raw`/^#\/supervisor\/campaigns\/\d+$/.test(location.hash)`);
    campaignId = Number(await page.evaluate<string>('location.hash.split("/").pop()'));
    const made = await api<Campaign>('GET', `/campaigns/${campaignId}`);
    t.match(made, {
      name: '秋の案内',
      enabled: false,
      phoneNumberId: number.id,
      withholdCallerId: true,
      type: 'progressive',
      maxChannels: 3,
      acwStatusId: acw.id,
      windowFrom: '09:00',
      backgroundColor: '#ffcc00',
      results: [
        { number: 1, text: '受注' },
        { number: 2, text: '検討' },
      ],
    });
    t.same(
      made.members.map((m) => m.agentId),
      [op1],
      'op1 is its member',
    );
    await page
      .locator('[data-testid=campaign-id]')
      .filter({ hasText: String(campaignId).padStart(4, '0') })
      .waitFor();

    await api('POST', '/campaigns', { name: '冬の案内' });
    await page.goto(`${baseUrl}/#/supervisor/campaigns`);
    const table = page.locator('[data-testid=campaign-table]');
    await table.locator('tr[data-name="冬の案内"]').waitFor();
    const row = table.locator('tr[data-name="秋の案内"]');
    t.equal(await row.locator('[data-col=id]').textContent(), String(campaignId).padStart(4, '0'));
    t.equal(await row.locator('[data-col=status]').textContent(), 'OFF');
    await page.selectOption('select[name=agentId]', String(op1));
    await page.click('[data-testid=search]');
    await table.locator('tr[data-name="冬の案内"]').waitFor({ state: 'detached' });
    t.equal(await table.locator('tbody tr').count(), 1, 'エージェント: only op1’s campaign');
    await page.selectOption('select[name=agentId]', '');
    await page.fill('input[name=name]', '冬');
    await page.click('[data-testid=search]');
    await table.locator('tr[data-name="秋の案内"]').waitFor({ state: 'detached' });
    t.equal(await table.locator('tbody tr').count(), 1, '名称: part of the name');
  });

  await t.test('the ON / OFF switch in the list', async (t) => {
    await page.fill('input[name=name]', '');
    await page.click('[data-testid=search]');
    const row = page.locator('[data-testid=campaign-table] tr[data-name="秋の案内"]');
    await row.locator('[data-testid=switch]').click();
    await toastSays('秋の案内 を ON にしました');
    await row.locator('[data-testid=switch]', { hasText: 'ON' }).waitFor();
    t.equal((await api<Campaign>('GET', `/campaigns/${campaignId}`)).enabled, true, 'it runs');
    await page.screenshot({ path: join(SCREENSHOTS, 'campaigns-ja.png'), fullPage: true });
    await row.locator('[data-testid=switch]').click();
    await row.locator('[data-testid=switch]', { hasText: 'OFF' }).waitFor();
    t.equal((await api<Campaign>('GET', `/campaigns/${campaignId}`)).enabled, false, 'stopped');
    // 冬の案内 has no 発信者番号: the server refuses ON and says so.
    await page
      .locator('[data-testid=campaign-table] tr[data-name="冬の案内"] [data-testid=switch]')
      .click();
    await page.locator('[data-testid=toast].problem').waitFor();
    const winter = await api<{ items: Campaign[] }>('GET', '/campaigns?name=%E5%86%AC');
    t.equal(winter.items[0]?.enabled, false, 'refused: it stays OFF');
    t.equal(
      await page
        .locator('[data-testid=campaign-table] tr[data-name="冬の案内"] [data-testid=switch]')
        .textContent(),
      'OFF',
      'and the list says so',
    );
  });

  await t.test('a bad results line shows the server’s error for it', async (t) => {
    await page.goto(`${baseUrl}/#/supervisor/campaigns/${campaignId}`);
    const form = page.locator('[data-testid=campaign-detail]');
    const results = form.locator('textarea[name=resultsText]');
    await form.locator('h2', { hasText: '秋の案内' }).waitFor();
    t.equal(await results.inputValue(), '1,受注\n2,検討', 'the saved lines');
    await results.fill('1,受注\n受注しない\n1,再掲');
    await form.locator('[data-testid=save]').click();
    const problems = form.locator('[data-testid=results-problems] li');
    await problems.first().waitFor();
    const lines = await problems.allTextContents();
    t.match(lines.join('\n'), /line 2: /, 'the line without a comma is named');
    t.match(lines.join('\n'), /line 3: .*1/, 'the repeated number is named');
    await page.screenshot({
      path: join(SCREENSHOTS, 'campaign-results-error-ja.png'),
      fullPage: true,
    });
    t.same(
      (await api<Campaign>('GET', `/campaigns/${campaignId}`)).results.map((r) => r.text),
      ['受注', '検討'],
      'nothing changed',
    );
    await results.fill('1,受注\n2,検討\n3,不在');
    await form.locator('[data-testid=save]').click();
    await toastSays('変更を保存しました');
    t.equal(await problems.count(), 0, 'the complaint is gone');
    t.same(
      (await api<Campaign>('GET', `/campaigns/${campaignId}`)).results.map((r) => r.text),
      ['受注', '検討', '不在'],
      'the good lines are saved',
    );
  });

  const customer = await api<{ id: number }>('POST', '/customers', {
    name: '山田商店',
    phones: ['03-1111-2222'],
  });
  const entries = [
    await api<Entry>('POST', `/campaigns/${campaignId}/entries`, { customerId: customer.id }),
    await api<Entry>('POST', `/campaigns/${campaignId}/entries`, { phone: '0312340001' }),
    await api<Entry>('POST', `/campaigns/${campaignId}/entries`, { phone: '0312340002' }),
  ];
  const [first, second, third] = entries as [Entry, Entry, Entry];
  await api('PATCH', `/campaigns/entries/${second.id}`, { result: 'busy' });
  await api('PATCH', `/campaigns/entries/${third.id}`, { result: 'busy' });

  await t.test('the autodial list: search, bulk edit, download', async (t) => {
    await page.goto(`${baseUrl}/#/supervisor/autodial`);
    const table = page.locator('[data-testid=entry-table]');
    await table.locator(`tr[data-id="${first.id}"]`).waitFor();
    t.equal(await table.locator('tbody tr').count(), 3);
    t.equal(
      await table.locator(`tr[data-id="${first.id}"] [data-col=customer]`).textContent(),
      '山田商店',
    );
    t.equal(
      await table.locator(`tr[data-id="${first.id}"] [data-col=result]`).textContent(),
      '発信待機中',
    );
    await page.selectOption('select[name=campaignId]', String(campaignId));
    // The chosen campaign's own results join the system ones.
    await page.locator('input[name="result.3"]').waitFor();
    await page.check('input[name="result.busy"]');
    await page.click('[data-testid=search]');
    await table.locator(`tr[data-id="${first.id}"]`).waitFor({ state: 'detached' });
    t.same(
      await phonesOf(table),
      ['0312340001', '0312340002'],
      '結果 ビジー: the two busy entries',
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=download]'),
    ]);
    t.equal(download.suggestedFilename(), 'autodial.csv');
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const csvLines = csv.trim().split(/\r?\n/);
    t.match(csvLines[0], /キャンペーン.*電話番号.*結果/, 'the header');
    t.equal(csvLines.length, 3, 'the header and the two entries of the search');
    t.match(csv, /0312340001/);
    t.notMatch(csv, /0311112222/, 'not the entry outside the search');

    await page.click('[data-testid=check-all]');
    t.equal(await page.locator('[data-testid=bulk-count]').textContent(), '選択中 2 件');
    await page.selectOption('select[name=bulkResult]', '2');
    await page.selectOption('select[name=bulkAssignee]', String(op1));
    await page.screenshot({ path: join(SCREENSHOTS, 'autodial-ja.png'), fullPage: true });
    await page.click('[data-testid=bulk-apply]');
    await toastSays('2件を更新しました');
    // 検討 now: the busy search finds none.
    await page.locator('[data-testid=no-entries]').waitFor();
    for (const entry of [second, third]) {
      const after = await api<Entry>('GET', `/campaigns/entries/${entry.id}`);
      t.equal(after.result.label, '検討', `${entry.phone}: the result`);
      t.equal(after.assignee?.id, op1, `${entry.phone}: the assignee`);
    }
    t.equal(
      (await api<Entry>('GET', `/campaigns/entries/${first.id}`)).result.key,
      'waiting',
      'the unticked entry is unchanged',
    );
  });

  await t.test('an entry’s detail: result, 10分後, 自分を設定, 備考', async (t) => {
    await page.uncheck('input[name="result.busy"]');
    await page.click('[data-testid=search]');
    await page
      .locator(`[data-testid=entry-table] tr[data-id="${first.id}"] a`, {
        hasText: '0311112222',
      })
      .click();
    const detail = page.locator('[data-testid=entry-detail]');
    await detail.waitFor();
    t.equal(
      await detail.locator('[data-name=customer]').textContent(),
      `#C${customer.id} 山田商店`,
    );
    await detail.locator('[data-result="1"]').click();
    await detail.locator('[data-result="1"][aria-pressed=true]').waitFor();
    t.equal((await api<Entry>('GET', `/campaigns/entries/${first.id}`)).result.label, '受注');
    const before = Date.now();
    await detail.locator('[data-testid=reserve-10m]').click();
    await detail.locator('[data-result="waiting"][aria-pressed=true]').waitFor();
    const reserved = await api<Entry>('GET', `/campaigns/entries/${first.id}`);
    const inMinutes = (Date.parse(reserved.reservedAt ?? '') - before) / 60_000;
    t.ok(inMinutes > 9 && inMinutes < 11, `reserved in 10 minutes (${inMinutes.toFixed(1)})`);
    t.equal(reserved.result.key, 'waiting', 'back to 発信待機中');
    await detail.locator('[data-testid=assign-me]').click();
    await detail.locator('[data-name=assignee]', { hasText: /\S/ }).waitFor();
    const me = await api<{ id: number }>('GET', '/me');
    t.equal(
      (await api<Entry>('GET', `/campaigns/entries/${first.id}`)).assignee?.id,
      me.id,
      '自分を設定',
    );
    await detail.locator('textarea[name=remarks]').fill('午後に折り返し希望');
    await detail.locator('[data-testid=save-remarks]').click();
    await toastSays('変更を保存しました');
    t.equal(
      (await api<Entry>('GET', `/campaigns/entries/${first.id}`)).remarks,
      '午後に折り返し希望',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'autodial-entry-ja.png'), fullPage: true });
  });

  await t.test('the reservations: search and bulk edit', async (t) => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    await api('PATCH', `/campaigns/entries/${second.id}`, { reservedAt: tomorrow });
    await page.click('[data-tab=history]');
    await page.locator('[data-testid=pages] a', { hasText: '発信予約' }).click();
    const table = page.locator('[data-testid=reservation-table]');
    await table.locator(`tr[data-id="${second.id}"]`).waitFor();
    t.same(
      await phonesOf(table),
      ['0311112222', '0312340001'],
      'the reserved entries, soonest first',
    );
    t.equal(
      await table.locator(`tr[data-id="${first.id}"] [data-col=remarks]`).textContent(),
      '午後に折り返し希望',
    );
    await page.selectOption('select[name=campaignId]', String(campaignId));
    await page.locator('input[name="result.2"]').waitFor();
    await page.check('input[name="result.2"]');
    await page.click('[data-testid=search]');
    await table.locator(`tr[data-id="${first.id}"]`).waitFor({ state: 'detached' });
    t.equal(await table.locator('tbody tr').count(), 1, '結果 検討: the one reserved');
    await page.screenshot({ path: join(SCREENSHOTS, 'reservations-ja.png'), fullPage: true });
    await page.check(`input[name="entry.${second.id}"]`);
    await page.selectOption('select[name=bulkReserve]', 'clear');
    await page.selectOption('select[name=bulkAssignee]', 'none');
    await page.click('[data-testid=bulk-apply]');
    await toastSays('1件を更新しました');
    await page.locator('[data-testid=no-entries]').waitFor();
    const after = await api<Entry>('GET', `/campaigns/entries/${second.id}`);
    t.equal(after.reservedAt, null, 'the reservation is cleared');
    t.equal(after.assignee, null, 'nobody is its assignee');
  });

  await t.test('the campaign is deleted after a question', async (t) => {
    const gone = await api<Campaign>('POST', '/campaigns', { name: '削除する' });
    await page.goto(`${baseUrl}/#/supervisor/campaigns/${gone.id}`);
    await page.click('[data-testid=delete]');
    await page.click('[data-testid=confirm-yes]');
    await toastSays('削除しました');
    await page.waitForFunction("location.hash === '#/supervisor/campaigns'");
    const res = await server.request('GET', `/api/v1/campaigns/${gone.id}`, {
      token: server.adminToken,
    });
    t.equal(res.statusCode, 404, 'it is gone');
  });
});
