/**
 * The agent's campaign widgets in the browser (§7, §10-8): the recall gadget's badge and list
 * (grouped by day, Today(…) first, the unscheduled last) with 発信 and 10分後; the badge following
 * an entry assigned to the agent while they look; the campaign status tags pausing the agent in
 * one campaign; the preview card (発信 / スキップ / 予約, closed by the attempt's end) and the
 * result entry after a campaign call. The dialer's events need telephony, so the test publishes
 * them on the app's hub as the dialer would, to the agent alone.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import t from 'tap';
import type { Page, Request } from 'playwright-core';
import { buildTestApp, createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

interface Entry {
  id: number;
  reservedAt: string | null;
  assignee: { id: number } | null;
}
interface Member {
  agentId: number;
  paused: boolean;
}

const MINUTE = 60_000;
const two = (n: number) => String(n).padStart(2, '0');
/** YYYY-MM-DD on this machine's calendar (the browser runs on the same one). */
const dayOf = (at: Date) => `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;

t.test('the agent’s campaign widgets', async (t) => {
  await buildWebApp();
  const server = await buildTestApp();
  t.teardown(server.close);
  const agentId = await createAgent(server, {
    loginId: 'op1',
    password: 'Operator1',
    extension: '201',
  });
  const otherId = await createAgent(server, { loginId: 'op2', extension: '202' });
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = async <T>(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await server.request(method, `/api/v1${url}`, { token: server.adminToken, body });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };

  // The seed, as an administrator: a format the agent may see, two campaigns with the agent in
  // them, and entries waiting for the agent (and one for someone else).
  const format = await api<{ id: number }>('POST', '/business-formats', {
    name: '営業',
    fields: [],
    agentIds: [agentId],
  });
  const autumn = await api<{ id: number }>('POST', '/campaigns', {
    name: '秋の受注',
    textColor: '#112233',
    backgroundColor: '#ffeedd',
    resultsText: '1,受注\n2,検討',
    memberIds: [agentId, otherId],
  });
  const winter = await api<{ id: number }>('POST', '/campaigns', {
    name: '冬の案内',
    textColor: '#ffffff',
    backgroundColor: '#1565c0',
    memberIds: [agentId],
  });
  const customer = (name: string, phone: string) =>
    api<{ id: number }>('POST', '/customers', { name, formatId: format.id, phones: [phone] });
  const yamada = await customer('山田商店', '03-1111-2222');
  const sato = await customer('佐藤工業', '03-3333-4444');
  const suzuki = await customer('鈴木物産', '03-5555-6666');
  const soon = new Date(Date.now() + 5 * MINUTE);
  const later = new Date(Date.now() + 2 * 24 * 60 * MINUTE);
  const entry = (campaignId: number, body: Record<string, unknown>) =>
    api<Entry>('POST', `/campaigns/${campaignId}/entries`, body);
  const first = await entry(autumn.id, {
    customerId: yamada.id,
    reservedAt: soon.toISOString(),
    assigneeId: agentId,
  });
  const bare = await entry(winter.id, {
    phone: '0399998888',
    reservedAt: later.toISOString(),
    assigneeId: agentId,
  });
  const unscheduled = await entry(autumn.id, { customerId: sato.id, assigneeId: agentId });
  const notMine = await entry(autumn.id, { customerId: suzuki.id, assigneeId: otherId });

  const page = await loggedInPage(browser, baseUrl, { loginId: 'op1', password: 'Operator1' });
  const toast = page.locator('[data-testid=toast]');
  const badge = page.locator('[data-testid=recall-badge]');
  const rows = page.locator('[data-testid=recall-list] tr[data-entry]');
  // The `me` topic's snapshot has come: a push from now on is heard.
  await page.locator('[data-testid=my-status-duration]').waitFor();

  await t.test('the badge counts my recalls; the list groups them by day', async (t) => {
    await page.waitForFunction(
      "document.querySelector('[data-testid=recall-badge]')?.textContent === '3'",
    );
    t.equal(await badge.textContent(), '3', 'three entries wait for me, not the one of op2');
    await page.click('[data-testid=recall-icon]');
    await rows.nth(2).waitFor();
    t.same(
      await page.locator('[data-testid=recall-list] thead th').allTextContents(),
      ['再コール日時', 'キャンペーン名', '名称と電話番号', ''],
      'the columns of §7',
    );
    const title = (at: Date) =>
      dayOf(at) === dayOf(new Date()) ? `Today(${dayOf(at)})` : dayOf(at);
    t.same(
      await page.locator('[data-testid=recall-list] tr.day').allTextContents(),
      [title(soon), title(later), '予約なし'],
      'by day, soonest first, Today(…) for today, the unscheduled last',
    );
    t.same(
      await Promise.all(
        (await rows.all()).map(async (r) => Number(await r.getAttribute('data-entry'))),
      ),
      [first.id, bare.id, unscheduled.id],
    );
    const firstRow = page.locator(`tr[data-entry="${first.id}"]`);
    t.equal(
      await firstRow.locator('td.at').textContent(),
      `${two(soon.getHours())}:${two(soon.getMinutes())}`,
    );
    t.match(await firstRow.textContent(), /秋の受注山田商店 0311112222/);
    t.match(
      await page.locator(`tr[data-entry="${bare.id}"]`).textContent(),
      /冬の案内\s*0399998888/,
    );
    t.equal(
      await firstRow.locator('a').getAttribute('href'),
      `#/crm/customers/${yamada.id}`,
      'the name opens the customer',
    );
    t.equal(
      await page.locator(`tr[data-entry="${bare.id}"] [data-later]`).count(),
      0,
      'a bare number cannot be rescheduled by an agent (no customer_autodial on it)',
    );
    t.notOk(await page.locator(`tr[data-entry="${notMine.id}"]`).isVisible());
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-agent-recalls-ja.png') });
  });

  await t.test('10分後 reserves the entry again; 発信 asks for the call', async (t) => {
    const row = page.locator(`tr[data-entry="${first.id}"]`);
    const before = Date.now();
    await row.locator('[data-later="10m"]').click();
    await toast.filter({ hasText: '10分後に予約しました' }).waitFor();
    const reserved = await api<Entry>('GET', `/campaigns/entries/${first.id}`);
    const at = Date.parse(reserved.reservedAt ?? '');
    t.ok(
      at >= before + 10 * MINUTE - 1000 && at <= Date.now() + 10 * MINUTE + 1000,
      `reserved 10 minutes from now (${reserved.reservedAt})`,
    );
    t.equal(reserved.assignee?.id, agentId, 'still mine');

    // The server refuses here (the agent's phone is not registered, the campaign has no caller
    // ID): the refusal is said, and the entry stays in my list.
    await page.click(`tr[data-entry="${bare.id}"] [data-testid=recall-dial]`);
    await page.locator('[data-testid=toast].problem').waitFor();
    t.equal((await api<Entry>('GET', `/campaigns/entries/${bare.id}`)).assignee?.id, agentId);

    let dialled: Request | null = null;
    await page.route('**/api/v1/me/recalls/*/dial', async (route) => {
      dialled = route.request();
      await route.fulfill({
        status: 202,
        contentType: 'application/json',
        body: JSON.stringify({ callId: randomUUID() }),
      });
    });
    await row.locator('[data-testid=recall-dial]').click();
    await toast.filter({ hasText: '発信しました' }).waitFor();
    const sent = dialled as Request | null;
    t.equal(sent?.method(), 'POST');
    t.equal(new URL(sent?.url() ?? 'http://x/').pathname, `/api/v1/me/recalls/${first.id}/dial`);
    await page.unroute('**/api/v1/me/recalls/*/dial');
  });

  await t.test('an entry assigned to me while I look shows at once', async (t) => {
    await api('PATCH', `/campaigns/entries/${notMine.id}`, { assigneeId: agentId });
    await page.waitForFunction(
      "document.querySelector('[data-testid=recall-badge]')?.textContent === '4'",
      undefined,
      { timeout: 5000 },
    );
    await page.locator(`tr[data-entry="${notMine.id}"]`).waitFor({ timeout: 5000 });
    t.match(
      await page.locator(`tr[data-entry="${notMine.id}"]`).textContent(),
      /鈴木物産/,
      'the list is read again',
    );
    await api('PATCH', `/campaigns/entries/${notMine.id}`, { assigneeId: otherId });
    await page.waitForFunction(
      "document.querySelector('[data-testid=recall-badge]')?.textContent === '3'",
      undefined,
      { timeout: 5000 },
    );
    await page.locator(`tr[data-entry="${notMine.id}"]`).waitFor({ state: 'detached' });
    t.pass('and leaves when given to someone else');
    await page.click('[data-testid=recall-icon]');
  });

  await t.test('the campaign tags pause me in one campaign', async (t) => {
    const tag = page.locator(`[data-testid=campaign-tag-${autumn.id}]`);
    await tag.waitFor();
    t.same(await page.locator('[data-testid=campaign-tags] button').allTextContents(), [
      '秋の受注',
      '冬の案内',
    ]);
    t.equal(
      await page.evaluate(
        `getComputedStyle(document.querySelector('[data-testid=campaign-tag-${autumn.id}]')).backgroundColor`,
      ),
      'rgb(255, 238, 221)',
      'in the campaign’s colours',
    );
    const memberOf = async (campaignId: number) =>
      (await api<{ members: Member[] }>('GET', `/campaigns/${campaignId}`)).members.find(
        (m) => m.agentId === agentId,
      );
    await tag.click();
    await page.locator(`[data-testid=campaign-tag-${autumn.id}][data-paused=true]`).waitFor();
    t.equal(await tag.textContent(), '秋の受注 (停止)');
    t.equal((await memberOf(autumn.id))?.paused, true, 'paused in 秋の受注');
    t.equal((await memberOf(winter.id))?.paused, false, 'not in 冬の案内');
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-agent-tags-ja.png') });
    await tag.click();
    await page.locator(`[data-testid=campaign-tag-${autumn.id}][data-paused=false]`).waitFor();
    t.equal((await memberOf(autumn.id))?.paused, false, 'taking part again');
  });

  /** Publishes a dialer event to the agent until the page shows what it should. */
  async function pushUntil(name: string, data: object, shown: string) {
    const target = page.locator(shown);
    for (let i = 0; i < 50 && !(await target.isVisible()); i++) {
      server.hub.publish('campaigns', name, data, (p) => p.kind === 'agent' && p.id === agentId);
      await page.waitForTimeout(100);
    }
    await target.waitFor({ timeout: 1000 });
  }

  const offer = (callId: string) => ({
    campaignId: autumn.id,
    entryId: unscheduled.id,
    attemptId: 1,
    callId,
    mode: 'preview',
    phone: '0333334444',
    customerId: sato.id,
    agentId,
    customerName: '佐藤工業',
  });

  /** Answers the card's requests to the preview routes, keeping what was sent. */
  async function interceptPreviews(p: Page) {
    const sent: { path: string; body: string | null }[] = [];
    await p.route('**/api/v1/campaigns/previews/**', async (route) => {
      const request = route.request();
      sent.push({ path: new URL(request.url()).pathname, body: request.postData() });
      await route.fulfill({ status: 204, body: '' });
    });
    return sent;
  }

  await t.test('the preview card: 発信, then closed by the attempt’s end', async (t) => {
    const callId = randomUUID();
    const card = `[data-testid=preview-card][data-call="${callId}"]`;
    await pushUntil('preview_offered', offer(callId), card);
    // A supervisor's feed carries every agent's previews: another agent's is not shown to me.
    // Events come in order: once a later one of mine shows, theirs has been read.
    const theirs = randomUUID();
    const next = randomUUID();
    server.hub.publish('campaigns', 'preview_offered', { ...offer(theirs), agentId: otherId });
    server.hub.publish('campaigns', 'preview_offered', offer(next));
    await page.locator(`[data-call="${next}"]`).waitFor();
    t.equal(await page.locator(`[data-call="${theirs}"]`).count(), 0, 'only my previews');
    server.hub.publish('campaigns', 'attempt_ended', { ...offer(next), outcome: 'no_answer' });
    await page.locator(`[data-call="${next}"]`).waitFor({ state: 'detached' });
    t.equal(await page.locator(`${card} [data-testid=preview-customer]`).textContent(), '佐藤工業');
    t.equal(await page.locator(`${card} [data-testid=preview-phone]`).textContent(), '0333334444');
    t.equal(await page.locator(`${card} [data-testid=preview-campaign]`).textContent(), '秋の受注');
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-agent-preview-ja.png') });

    // No preview waits on the server for this call: the refusal is said on the card.
    await page.click(`${card} [data-testid=preview-skip]`);
    await page.locator(`${card} [role=alert]`).waitFor();
    t.match(await page.locator(`${card} [role=alert]`).textContent(), /preview/i, 'refused');

    const sent = await interceptPreviews(page);
    await page.click(`${card} [data-testid=preview-dial]`);
    await page.locator(`${card} [data-testid=preview-dialed]`).waitFor();
    t.same(sent, [{ path: `/api/v1/campaigns/previews/${callId}/dial`, body: null }]);
    server.hub.publish(
      'campaigns',
      'attempt_ended',
      { ...offer(callId), outcome: 'connected' },
      (p) => p.kind === 'agent' && p.id === agentId,
    );
    await page.locator(card).waitFor({ state: 'detached', timeout: 5000 });
    t.pass('closed when the attempt ends');
    await page.unroute('**/api/v1/campaigns/previews/**');
  });

  await t.test('the preview card: スキップ and 予約 1時間後', async (t) => {
    const sent = await interceptPreviews(page);
    const skipped = randomUUID();
    await pushUntil('preview_offered', offer(skipped), `[data-call="${skipped}"]`);
    await page.click(`[data-call="${skipped}"] [data-testid=preview-skip]`);
    await page.locator(`[data-call="${skipped}"]`).waitFor({ state: 'detached' });
    const scheduled = randomUUID();
    await pushUntil('preview_offered', offer(scheduled), `[data-call="${scheduled}"]`);
    await page.click(`[data-call="${scheduled}"] [data-testid=preview-schedule] [data-later="1h"]`);
    await page.locator(`[data-call="${scheduled}"]`).waitFor({ state: 'detached' });
    t.same(sent, [
      { path: `/api/v1/campaigns/previews/${skipped}/skip`, body: null },
      { path: `/api/v1/campaigns/previews/${scheduled}/schedule`, body: '{"in":"1h"}' },
    ]);
    await page.unroute('**/api/v1/campaigns/previews/**');
  });

  /** The result asked for after a campaign call, as the dialer sends it. */
  const resultRequest = (callId: string) => ({
    campaignId: autumn.id,
    campaignName: '秋の受注',
    entryId: unscheduled.id,
    callId,
    phone: '0333334444',
    customerName: '佐藤工業',
    agentId,
    choices: [
      { result: '1', label: '受注' },
      { result: '2', label: '検討' },
      { result: 'waiting', label: '発信待機中' },
      { result: 'stopped', label: '停止' },
    ],
  });

  /** Answers the form's PUT of a call's result, keeping the bodies sent. */
  async function interceptResult(callId: string) {
    const bodies: { result?: string; reservedAt?: string }[] = [];
    await page.route(`**/api/v1/campaigns/calls/${callId}/result`, async (route) => {
      bodies.push(JSON.parse(route.request().postData() ?? '{}') as (typeof bodies)[number]);
      await route.fulfill({ status: 200, contentType: 'application/json', body: '{}' });
    });
    return bodies;
  }

  await t.test('the result entry: a campaign result', async (t) => {
    const callId = randomUUID();
    const form = `[data-testid=result-entry][data-call="${callId}"]`;
    await pushUntil('result_requested', resultRequest(callId), form);
    t.same(
      await page.locator(`${form} fieldset`).first().locator('label').allTextContents(),
      ['受注', '検討', '発信待機中', '停止'],
      'the campaign’s results, then 発信待機中 and 停止',
    );
    await page.click(`${form} [data-testid=result-submit]`);
    t.equal(
      await page.locator(`${form} [role=alert]`).textContent(),
      '結果を選んでください',
      'nothing chosen: nothing sent',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-agent-result-ja.png') });

    // The server knows no campaign call by this id: its refusal is said on the form.
    await page.locator(form).getByLabel('検討').check();
    await page.click(`${form} [data-testid=result-submit]`);
    await page
      .locator(`${form} [role=alert]`)
      .filter({ hasNotText: '結果を選んでください' })
      .waitFor();
    t.match(await page.locator(`${form} [role=alert]`).textContent(), /call/i, 'refused');

    const bodies = await interceptResult(callId);
    await page.click(`${form} [data-testid=result-submit]`);
    await toast.filter({ hasText: '結果を登録しました' }).waitFor();
    await page.locator(form).waitFor({ state: 'detached' });
    t.same(bodies, [{ result: '2' }], 'the campaign result number, no recall');
  });

  await t.test('the result entry: a recall in an hour', async (t) => {
    const callId = randomUUID();
    const form = `[data-testid=result-entry][data-call="${callId}"]`;
    await pushUntil('result_requested', resultRequest(callId), form);
    await page.locator(form).getByLabel('発信待機中').check();
    await page.click(`${form} [data-testid=result-submit]`);
    t.equal(
      await page.locator(`${form} [role=alert]`).textContent(),
      '再コール日時を選んでください',
      'a recall needs its time',
    );
    await page.locator(form).getByLabel('受注').check();
    await page.locator(form).getByLabel('1時間後').check();
    t.ok(
      await page.locator(form).getByLabel('発信待機中').isChecked(),
      'a time chooses 発信待機中',
    );
    const bodies = await interceptResult(callId);
    const before = Date.now();
    await page.click(`${form} [data-testid=result-submit]`);
    await toast.filter({ hasText: '結果を登録しました' }).waitFor();
    await page.locator(form).waitFor({ state: 'detached' });
    t.equal(bodies.length, 1);
    t.equal(bodies[0]?.result, 'waiting');
    const at = Date.parse(bodies[0]?.reservedAt ?? '');
    t.ok(
      at >= before + 60 * MINUTE - 1000 && at <= Date.now() + 60 * MINUTE + 1000,
      `in an hour (${bodies[0]?.reservedAt})`,
    );
  });

  await t.test('in English', async (t) => {
    const english = await loggedInPage(browser, baseUrl, {
      loginId: 'op1',
      password: 'Operator1',
      locale: 'en-GB',
    });
    await english.selectOption('select[name=language]', 'en');
    await english.locator('[data-testid=recall-icon]', { hasText: 'Recalls' }).waitFor();
    await english.click('[data-testid=recall-icon]');
    await english.locator('[data-testid=recall-list] tr[data-entry]').nth(2).waitFor();
    t.same(await english.locator('[data-testid=recall-list] thead th').allTextContents(), [
      'Recall at',
      'Campaign',
      'Name and number',
      '',
    ]);
    t.match(await english.locator('[data-testid=recall-list]').textContent(), /Not scheduled/);
    await english.screenshot({ path: join(SCREENSHOTS, 'campaign-agent-recalls-en.png') });
    await english.context().close();
  });
});
