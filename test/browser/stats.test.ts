/**
 * The supervisor's statistics screens with figures from real calls (a private Asterisk, a SIPp
 * carrier and a SIPp desk phone): a customer answered by the group's agent and one who gives up
 * waiting while the agent is paused.
 * - 統計: today by default (the server's calendar); the table shows answered 1, abandoned 1 as
 *   GET /stats/groups counts them, by date and by agent; the chart drew the bars; ダウンロード
 *   saves the server's CSV, byte for byte what GET ?format=csv answers.
 * - ステータス統計: the agent's ringing, talking and pause are counted (回数), the shares add up to
 *   100 %, the chart drew; the download is the CSV the server sent, and agrees with GET ?format=csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import t from 'tap';
import { dateKeyOf } from '../../src/platform/calendar.js';
import { createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import { agentWithPhone, answer, carrier, did, until } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';

const DID = '0501112222';

interface ReportRow {
  key: string;
  calls: number;
  answered: number;
  abandoned: number;
  overflow: number;
  timedOut: number;
  answerRate: number | null;
}

interface StatusRow {
  agentId: number;
  agent: string;
  statuses: Record<string, { seconds: number; count: number; share: number }>;
}

/** How many pixels of the canvas have exactly this colour (a bar's fill; edges are blended). */
async function pixelsOf(
  page: Page,
  testid: string,
  rgb: [number, number, number],
): Promise<number> {
  const count = await page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid=${testid}]');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i] === ${rgb[0]} && data[i + 1] === ${rgb[1]} && data[i + 2] === ${rgb[2]}) n++;
    return n;
  })()`);
  return Number(count);
}

/** The cells of a CSV as the server writes it (a BOM, every field quoted). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((line) =>
      [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => (m[1] ?? '').replace(/""/g, '"')),
    );
}

const GREEN: [number, number, number] = [0x2e, 0x7d, 0x32];
const RED: [number, number, number] = [0xc6, 0x28, 0x28];

t.test('the statistics screens show the figures of real calls', async (t) => {
  await buildWebApp();
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const agentId = op1.agentId ?? 0;
  await createAgent(server, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
  const group = await server.request('POST', '/api/v1/groups', {
    token: server.adminToken,
    body: { name: '受付', extension: '801', members: [{ agentId }] },
  });
  const groupId = (group.json() as { id: number }).id;
  const trunk = await carrier(server);
  await did(server, DID, { route: { type: 'group', groupId } });
  const setStatus = async (status: 'available' | 'paused') => {
    const res = await server.request('PUT', `/api/v1/agents/${agentId}/status`, {
      token: server.adminToken,
      body: { status },
    });
    t.equal(res.statusCode, 200, `op1 ${status}`);
  };

  const calendarRes = await server.request('GET', '/api/v1/stats/calendar', {
    token: server.adminToken,
  });
  const calendar = calendarRes.json() as { timeZone: string; today: string };
  t.equal(calendar.today, dateKeyOf(new Date(), calendar.timeZone), 'today in the server’s zone');

  // One call answered by op1, one abandoned while op1 is paused.
  await setStatus('available');
  const phone = answer(op1, 'phone-answer.xml', { vars: { answer_delay: 500 } });
  const first = await trunk.call(DID, '0311110001', 'caller.xml', { vars: { hold: 5000 } });
  t.equal((await first.done).code, 0, 'the first customer talked and hung up');
  t.equal((await (await phone).done).code, 0, 'op1’s phone answered');
  await setStatus('paused');
  const second = await trunk.call(DID, '0311110002', 'caller.xml', { vars: { hold: 2500 } });
  t.equal((await second.done).code, 0, 'the second customer gave up waiting');
  await setStatus('available');

  const today = calendar.today;
  const groupReport = async (query: string) =>
    server.request('GET', `/api/v1/stats/groups?from=${today}&to=${today}${query}`, {
      token: server.adminToken,
    });
  await until(
    async () => {
      const total = ((await groupReport('')).json() as { total: ReportRow }).total;
      return total.answered === 1 && total.abandoned === 1;
    },
    10_000,
    'both calls in the group statistics',
  );

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const sv = await loggedInPage(browser, server.baseUrl, {
    loginId: 'sv1',
    password: 'Supervis1',
  });
  await sv.click('[data-tab=supervisor]');

  await t.test('統計: the table, the chart and the CSV', async (t) => {
    await sv.click('[data-testid=pages] a[href="#/supervisor/stats/groups"]');
    const table = sv.locator('[data-testid=group-stats]');
    const totalRow = table.locator('tr[data-key=total]');
    await totalRow.waitFor({ timeout: 10_000 });
    t.equal(await sv.inputValue('input[name=from]'), today, 'From is today');
    t.equal(await sv.inputValue('input[name=to]'), today, 'To is today');
    const cell = (row: string, col: string) =>
      table.locator(`tr[data-key="${row}"] [data-col=${col}]`).textContent();
    for (const row of [today, 'total']) {
      t.equal(await cell(row, 'calls'), '2', `${row}: コール数 2`);
      t.equal(await cell(row, 'answered'), '1', `${row}: 応答呼 1`);
      t.equal(await cell(row, 'abandoned'), '1', `${row}: 破棄呼 1`);
      t.equal(await cell(row, 'overflow'), '0', `${row}: あふれ 0`);
      t.equal(await cell(row, 'timedOut'), '0', `${row}: 制限時間 0`);
      t.equal(await cell(row, 'answerRate'), '50%', `${row}: 応答率 50%`);
    }
    t.match(await cell('total', 'maxAbandonSeconds'), /^[2-9]s$/, 'waited 2 s or more');
    t.equal(
      await table.locator('tr[data-key=total] td').first().textContent(),
      '合計',
      'the total row',
    );

    await sv.selectOption('select[name=groupId]', String(groupId));
    await sv.selectOption('select[name=breakdown]', 'agent');
    await sv.click('[data-testid=group-stats-search] button[type=submit]');
    await table.locator('tr[data-key="(201)op1"]').waitFor({ timeout: 10_000 });
    t.equal(await cell('(201)op1', 'answered'), '1', 'by agent: op1 answered 1');
    t.equal(await cell('(201)op1', 'abandoned'), '0');
    t.equal(await cell('none', 'abandoned'), '1', 'no agent: the abandoned call');
    t.equal(
      await table.locator('tr[data-key=none] td').first().textContent(),
      '(応答なし)',
      'shown as not answered',
    );

    const chart = sv.locator('[data-testid=group-stats-chart]');
    await chart.and(sv.locator('[data-drawn]')).waitFor({ timeout: 10_000 });
    t.ok((await pixelsOf(sv, 'group-stats-chart', GREEN)) > 50, 'the answered bar is drawn');
    t.ok((await pixelsOf(sv, 'group-stats-chart', RED)) > 50, 'the abandoned bar is drawn');
    await sv.screenshot({ path: join(SCREENSHOTS, 'stats-groups-ja.png'), fullPage: true });

    const [download] = await Promise.all([
      sv.waitForEvent('download'),
      sv.click('[data-testid=group-stats-download]'),
    ]);
    t.equal(
      download.suggestedFilename(),
      `group-statistics_group${groupId}_agent_${today}_${today}.csv`,
    );
    const saved = readFileSync(await download.path());
    const csv = await groupReport(`&groupId=${groupId}&breakdown=agent&format=csv`);
    t.equal(csv.statusCode, 200);
    t.equal(saved.toString('utf8'), csv.body, 'the file is the server’s CSV');
    t.same(
      csvRows(csv.body)
        .find((r) => r[0] === '(201)op1')
        ?.slice(0, 4),
      ['(201)op1', '1', '1', '0'],
      'with op1’s answered call',
    );
  });

  await t.test(
    'ステータス統計: counts and shares of op1’s statuses, the chart, the CSV',
    async (t) => {
      const loaded = sv.waitForResponse(
        (r) => r.url().includes('/api/v1/stats/agent-statuses?') && !r.url().includes('csv'),
      );
      await sv.click('[data-testid=pages] a[href="#/supervisor/stats/agent-statuses"]');
      const response = await loaded;
      const query = new URL(response.url()).searchParams;
      t.equal(query.get('hours'), '24', 'the whole of today by default');
      t.equal(sv.url().endsWith('/supervisor/stats/agent-statuses'), true);
      const fromDate = new Date(query.get('from') ?? '');
      t.equal(dateKeyOf(fromDate, calendar.timeZone), today, 'from today…');
      t.equal(
        dateKeyOf(new Date(fromDate.getTime() - 1), calendar.timeZone) === today,
        false,
        '… its midnight in the server’s zone',
      );
      const rows = ((await response.json()) as { rows: StatusRow[] }).rows;
      const mine = rows.find((r) => r.agentId === agentId);
      t.ok(mine !== undefined, 'op1 has a row');
      const row = sv.locator(`[data-testid=status-stats] tr[data-agent="${agentId}"]`);
      await row.waitFor({ timeout: 10_000 });
      t.equal(await row.locator('td').first().textContent(), '(201)op1');

      await sv.selectOption('select[name=display]', 'count');
      await sv.locator('[data-testid=status-stats][data-display=count]').waitFor();
      const cell = (status: string) => row.locator(`[data-col="${status}"]`).textContent();
      t.equal(await cell('ringing'), '1', '着信中: rung once');
      t.equal(await cell('on_call'), '1', '通話中: one call');
      t.equal(await cell('paused'), '1', '停止: paused once');
      t.equal(await cell('on_hold'), '0', '保留: never');
      t.equal(await cell('available'), String(mine?.statuses.available?.count), '待機 as counted');

      await sv.selectOption('select[name=display]', 'share');
      await sv.locator('[data-testid=status-stats][data-display=share]').waitFor();
      const shares = await row.locator('td[data-col]').allTextContents();
      const sum = shares.reduce((s, v) => s + Number(v.replace('%', '')), 0);
      t.ok(Math.abs(sum - 100) < 0.001, `the shares add up to 100% (${shares.join(' ')})`);
      t.equal(await cell('on_call'), `${String(mine?.statuses.on_call?.share)}%`, 'as the server');

      await sv.selectOption('select[name=display]', 'seconds');
      const talked = Number((await cell('on_call'))?.replace('s', ''));
      t.ok(talked >= 2 && talked <= 10, `通話中 ${talked} s: the call’s talk time`);

      const chart = sv.locator('[data-testid=status-stats-chart]');
      await chart.and(sv.locator('[data-drawn]')).waitFor({ timeout: 10_000 });
      t.ok((await pixelsOf(sv, 'status-stats-chart', GREEN)) > 50, 'the 待機 bar is drawn');
      t.ok((await pixelsOf(sv, 'status-stats-chart', RED)) > 0, 'the 通話中 bar is drawn');
      await sv.screenshot({ path: join(SCREENSHOTS, 'stats-statuses-ja.png'), fullPage: true });

      // What the server sent the page, to hold the saved file to.
      let sent: { url: string; body: string } | undefined;
      await sv.route(
        (url) =>
          url.pathname === '/api/v1/stats/agent-statuses' && url.search.includes('format=csv'),
        async (route) => {
          const response = await route.fetch();
          sent = { url: route.request().url(), body: await response.text() };
          await route.fulfill({ response });
        },
      );
      const [download] = await Promise.all([
        sv.waitForEvent('download'),
        sv.click('[data-testid=status-stats-download]'),
      ]);
      t.equal(download.suggestedFilename(), `status-statistics_${today}_0000_24h_agent.csv`);
      const saved = readFileSync(await download.path(), 'utf8');
      t.equal(saved, sent?.body, 'the file is the CSV the server sent');
      // The window runs until now, so a second read has the open intervals a little longer.
      const again = await server.request(
        'GET',
        `/api/v1/stats/agent-statuses?${new URL(sent?.url ?? '').searchParams.toString()}`,
        { token: server.adminToken },
      );
      const [header, ...lines] = csvRows(saved);
      const [header2, ...lines2] = csvRows(again.body);
      t.same(header, header2, 'the same columns as GET ?format=csv');
      t.equal(lines.length, lines2.length, 'the same rows');
      const opLine = lines.find((l) => l[0] === '(201)op1');
      const opLine2 = lines2.find((l) => l[0] === '(201)op1');
      header?.forEach((name, i) => {
        const [a, b] = [opLine?.[i], opLine2?.[i]];
        if (name.endsWith(' count') || i === 0) t.equal(a, b, `op1 ${name}`);
        if (name.endsWith(' s')) t.ok(Math.abs(Number(a) - Number(b)) < 30, `op1 ${name}: ${a}`);
      });
      t.equal(opLine?.[header?.indexOf('on_call count') ?? -1], '1', 'one call in the CSV too');
    },
  );
});
