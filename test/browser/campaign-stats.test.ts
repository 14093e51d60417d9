/**
 * The SV tab's campaign screens in the browser:
 * - キャンペーン統計 (§10-3): a campaign with results 受注, 検討 and entries last dialled on 12-01
 *   and 12-02 (Tokyo) with their attempts; the search starts with today and the first campaign;
 *   by date the table shows 件数, コール数 and each result as GET /stats/campaigns counts them, the
 *   chart draws the 受注 and ビジー bars; % and by agent; ダウンロード saves the server's CSV.
 * - キャンペーン状況: the `campaigns` topic's snapshot (none running), then `campaign_live` shows
 *   a card with its figures and the abandon rate over its target in the warning colour, and its
 *   next update back under it; attempt events list the calls with their outcome and agent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import t from 'tap';
import {
  campaignAttempts,
  campaignEntries,
  campaignResults,
  campaigns,
} from '../../src/campaigns/schema.js';
import { dateKeyOf } from '../../src/platform/calendar.js';
import { created } from '../../src/platform/db/columns.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';

/** A Tokyo wall-clock time as an instant (TIMEZONE is Asia/Tokyo here). */
const tokyo = (wall: string) => new Date(`${wall}+09:00`);

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

/** The chart's colours of 受注 (the first campaign result) and of ビジー. */
const FIRST_RESULT: [number, number, number] = [0x2e, 0x7d, 0x32];
const SECOND_RESULT: [number, number, number] = [0x15, 0x65, 0xc0];
const BUSY: [number, number, number] = [0xc6, 0x28, 0x28];

/**
 * The campaign プレビュー with results 受注 (1) and 検討 (2); entries last dialled on 12-01
 * (受注 ×2 by op1 and op2, 検討 by op1) and 12-02 (ビジー, no agent), one on 11-30 outside the
 * search; their attempts. A second campaign whose entries are in no row of the first.
 */
async function seed(app: TestApp) {
  const op1 = await createAgent(app, { loginId: 'op1', password: 'Operator1', extension: '201' });
  const op2 = await createAgent(app, { loginId: 'op2', extension: '202' });
  const db = app.database.db;
  const audit = created('test', new Date());
  const campaign = db
    .insert(campaigns)
    .values({ name: 'プレビュー', ...audit })
    .returning({ id: campaigns.id })
    .get();
  db.insert(campaignResults)
    .values([
      { campaignId: campaign.id, number: 1, text: '受注', position: 0 },
      { campaignId: campaign.id, number: 2, text: '検討', position: 1 },
    ])
    .run();
  const other = db
    .insert(campaigns)
    .values({ name: '別のキャンペーン', ...audit })
    .returning({ id: campaigns.id })
    .get();
  const entries = [
    { result: '1', at: '2026-12-01T09:05:00', agent: op1, attempts: 2 },
    { result: '1', at: '2026-12-01T10:30:00', agent: op2, attempts: 1 },
    { result: '2', at: '2026-12-01T10:45:00', agent: op1, attempts: 1 },
    { result: 'busy', at: '2026-12-02T09:30:00', agent: null, attempts: 3 },
    { result: '2', at: '2026-11-30T23:59:00', agent: op1, attempts: 1 },
    { campaignId: other.id, result: '1', at: '2026-12-01T09:00:00', agent: op1, attempts: 5 },
  ];
  for (const [i, e] of entries.entries()) {
    const campaignId = e.campaignId ?? campaign.id;
    const entry = db
      .insert(campaignEntries)
      .values({
        campaignId,
        phone: `0312345${String(i).padStart(3, '0')}`,
        result: e.result,
        callCount: e.attempts,
        lastDialedAt: tokyo(e.at),
        lastAgentId: e.agent,
        ...audit,
      })
      .returning({ id: campaignEntries.id })
      .get();
    for (let n = 0; n < e.attempts; n++)
      db.insert(campaignAttempts)
        .values({
          campaignId,
          entryId: entry.id,
          callId: `call-${i}-${n}`,
          mode: 'preview',
          phone: '0312345678',
          startedAt: tokyo(e.at),
          outcome: 'connected',
        })
        .run();
  }
  return { campaignId: campaign.id, op1, op2 };
}

interface Style {
  color: string;
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

t.test('the campaign statistics and the campaigns’ live view', async (t) => {
  await buildWebApp();
  const server = await buildTestApp({ env: { TIMEZONE: 'Asia/Tokyo' } });
  t.teardown(server.close);
  const { campaignId, op1, op2 } = await seed(server);
  await createAgent(server, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
  const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const sv = await loggedInPage(browser, baseUrl, { loginId: 'sv1', password: 'Supervis1' });
  await sv.click('[data-tab=supervisor]');
  const today = dateKeyOf(new Date(), 'Asia/Tokyo');

  await t.test('the SV menu lists both screens', async (t) => {
    const menu = await sv.locator('[data-testid=pages] a').allTextContents();
    const at = (title: string) => menu.indexOf(title);
    t.equal(at('キャンペーン状況'), at('リアルタイム') + 1, 'キャンペーン状況 after リアルタイム');
    t.equal(at('キャンペーン統計'), at('統計') + 1, 'キャンペーン統計 after 統計, as the manual');
  });

  await t.test('キャンペーン統計: the table, the chart and the CSV', async (t) => {
    const first = sv.waitForResponse((r) => r.url().includes('/api/v1/stats/campaigns?'));
    await sv.click('[data-testid=pages] a[href="#/supervisor/stats/campaigns"]');
    const query = new URL((await first).url()).searchParams;
    t.same(
      Object.fromEntries(query),
      {
        campaignId: String(campaignId),
        by: 'date',
        display: 'count',
        from: today,
        to: today,
      },
      'searched at once: the first campaign, today, by date, counts',
    );
    const table = sv.locator('[data-testid=campaign-stats]');
    await table.locator(`tr[data-key="${today}"]`).waitFor({ timeout: 10_000 });
    t.equal(await sv.inputValue('select[name=campaignId]'), String(campaignId));
    t.same(
      await sv.locator('select[name=campaignId] option').allTextContents(),
      ['プレビュー', '別のキャンペーン'],
      'the campaigns to choose from',
    );
    const cell = (row: string, col: string) =>
      table.locator(`tr[data-key="${row}"] td[data-col="${col}"]`).textContent();
    t.equal(await cell(today, 'entries'), '0', 'nothing dialled today');

    await sv.fill('input[name=from]', '2026-12-01');
    await sv.fill('input[name=to]', '2026-12-02');
    await sv.click('[data-testid=campaign-stats-search] button[type=submit]');
    await table.locator('tr[data-key="2026-12-01"]').waitFor({ timeout: 10_000 });
    t.same(
      await table.locator('thead th').allTextContents(),
      [
        '日付',
        '件数',
        'コール数',
        '受注',
        '検討',
        '発信待機中',
        'ビジー',
        '未入力',
        'キャンセル',
        '制限時間',
        'チャンネル制限',
        'エラー',
        '発信規制',
        '停止',
      ],
      '件数, コール数, the campaign’s results, then the system results',
    );
    const figures = async (row: string) =>
      [
        await cell(row, 'entries'),
        await cell(row, 'calls'),
        await cell(row, '1'),
        await cell(row, '2'),
        await cell(row, 'busy'),
      ].join(' ');
    t.equal(await figures('2026-12-01'), '3 4 2 1 0', '12-01: 3 entries, 4 calls, 受注 2, 検討 1');
    t.equal(await figures('2026-12-02'), '1 3 0 0 1', '12-02: ビジー 1 after 3 calls');
    t.equal(await figures('total'), '4 7 2 1 1', '合計');
    t.equal(await table.locator('tr[data-key=total] td').first().textContent(), '合計');
    t.equal(await table.locator('tbody tr').count(), 3, 'two days and the total: 11-30 is out');

    const chart = sv.locator('[data-testid=campaign-stats-chart]');
    await chart.and(sv.locator('[data-drawn]')).waitFor({ timeout: 10_000 });
    const 受注 = await pixelsOf(sv, 'campaign-stats-chart', FIRST_RESULT);
    const 検討 = await pixelsOf(sv, 'campaign-stats-chart', SECOND_RESULT);
    t.ok(受注 > 50, `the 受注 bar is drawn (${受注} px)`);
    t.ok(検討 > 50, `the 検討 bar is drawn (${検討} px)`);
    t.ok(受注 > 検討 * 1.5, 'and twice as tall as 検討');
    t.ok((await pixelsOf(sv, 'campaign-stats-chart', BUSY)) > 50, 'the ビジー bar is drawn');
    await sv.screenshot({ path: join(SCREENSHOTS, 'campaign-stats-ja.png'), fullPage: true });

    await sv.selectOption('select[name=display]', 'percent');
    await sv.click('[data-testid=campaign-stats-search] button[type=submit]');
    await sv.locator('[data-testid=campaign-stats][data-display=percent]').waitFor();
    t.equal(await cell('2026-12-01', '1'), '66.67%', '% of 件数: 受注 2 of 3');
    t.equal(await cell('2026-12-01', '2'), '33.33%');
    t.equal(await cell('total', 'busy'), '25%', 'ビジー 1 of 4');
    t.equal(await cell('total', 'entries'), '4', '件数 stays a count');

    await sv.selectOption('select[name=by]', 'agent');
    await sv.selectOption('select[name=display]', 'count');
    await sv.click('[data-testid=campaign-stats-search] button[type=submit]');
    await table.locator(`tr[data-key="${op1}"]`).waitFor({ timeout: 10_000 });
    const label = (row: string) => table.locator(`tr[data-key="${row}"] td`).first().textContent();
    t.equal(await table.locator('thead th').first().textContent(), 'エージェント');
    t.equal(await label(String(op1)), '(201)op1');
    t.equal(await figures(String(op1)), '2 3 1 1 0', 'op1: 受注 and 検討, 3 calls');
    t.equal(await figures(String(op2)), '1 1 1 0 0', 'op2: 受注');
    t.equal(await label('none'), 'なし', 'no agent');
    t.equal(await figures('none'), '1 3 0 0 1', 'the busy entry');
    await sv.screenshot({ path: join(SCREENSHOTS, 'campaign-stats-agent-ja.png'), fullPage: true });

    // What the server sent the page, to hold the saved file to.
    let sent: { url: URL; body: string } | undefined;
    await sv.route(
      (url) => url.pathname === '/api/v1/stats/campaigns/export',
      async (route) => {
        const response = await route.fetch();
        sent = { url: new URL(route.request().url()), body: await response.text() };
        await route.fulfill({ response });
      },
    );
    const [download] = await Promise.all([
      sv.waitForEvent('download'),
      sv.click('[data-testid=campaign-stats-download]'),
    ]);
    t.equal(
      download.suggestedFilename(),
      `campaign-statistics_${campaignId}_agent_count_2026-12-01_2026-12-02.csv`,
    );
    t.same(
      Object.fromEntries(sent?.url.searchParams ?? []),
      {
        campaignId: String(campaignId),
        by: 'agent',
        display: 'count',
        from: '2026-12-01',
        to: '2026-12-02',
      },
      'the CSV of the table shown',
    );
    const saved = readFileSync(await download.path(), 'utf8');
    t.equal(saved, sent?.body, 'the file is the CSV the server sent');
    const rows = csvRows(saved);
    t.same(rows[0]?.slice(0, 5), ['エージェント', '件数', 'コール数', '受注', '検討']);
    t.same(rows.find((r) => r[0] === '(201)op1')?.slice(0, 5), ['(201)op1', '2', '3', '1', '1']);
    t.same(rows.at(-1)?.slice(0, 3), ['合計', '4', '7'], 'the total last');
  });

  await t.test('キャンペーン状況: live figures and the recent calls', async (t) => {
    await sv.click('[data-testid=pages] a[href="#/supervisor/realtime/campaigns"]');
    await sv.locator('[data-testid=campaign-live-none]').waitFor({ timeout: 10_000 });
    t.equal(
      await sv.locator('[data-testid=campaign-live-none]').textContent(),
      '稼働中のキャンペーンはありません',
      'the snapshot: no campaign running',
    );
    const live = {
      campaignId,
      name: 'プレビュー',
      running: true,
      idleReason: null,
      mode: 'predictive',
      dialing: 3,
      waiting: 1,
      connected: 2,
      agents: 4,
      freeAgents: 1,
      due: 25,
      abandon: { rate24h: 4.5, rate30d: 2.1, targetPercent: 3 },
    };
    server.hub.publish('campaigns', 'campaign_live', live);
    const card = sv.locator(`[data-testid=campaign-live-card][data-campaign="${campaignId}"]`);
    await card.waitFor({ timeout: 10_000 });
    const figure = (name: string) => card.locator(`[data-figure=${name}] dd`).textContent();
    t.equal(await card.locator('h3').textContent(), 'プレビュー');
    t.equal(await card.locator('.mode').textContent(), 'プレディクティブ');
    t.equal(await card.locator('[data-col=state]').textContent(), '発信中');
    t.equal(await figure('dialing'), '3', 'lines dialling');
    t.equal(await figure('waiting'), '1', 'customers waiting');
    t.equal(await figure('connected'), '2', 'connected');
    t.equal(await figure('agents'), '待機 1 / 参加 4', 'agents free / taking part');
    t.equal(await figure('due'), '25', 'entries due');
    const rate = (name: string) => card.locator(`[data-rate="${name}"]`);
    t.equal(await rate('24h').locator('.value').textContent(), '4.50%');
    t.equal(await rate('30d').locator('.value').textContent(), '2.10%');
    t.equal(await card.locator('.target-text').textContent(), '目標 3%以下');
    t.equal(await card.locator('.over-badge').textContent(), '目標超過', 'over its target');
    const colour = (name: string) =>
      rate(name)
        .locator('.value')
        .evaluate((e) => {
          // The page's window (the tests are typed without the DOM).
          const page = globalThis as unknown as { getComputedStyle: (e: unknown) => Style };
          return page.getComputedStyle(e).color;
        });
    t.equal(await colour('24h'), 'rgb(198, 40, 40)', '24 h over the target: in red');
    t.not(await colour('30d'), 'rgb(198, 40, 40)', '30 days under it: not');

    const number = '0312345000';
    const attempt = {
      campaignId,
      entryId: 1,
      attemptId: 101,
      callId: 'live-call-1',
      mode: 'predictive',
      phone: number,
      customerId: null,
      agentId: null,
    };
    server.hub.publish('campaigns', 'attempt_dialing', attempt);
    const row = sv.locator('[data-testid=campaign-attempts] tr[data-attempt="101"]');
    await row.locator('td[data-col=state]', { hasText: '発信中' }).waitFor();
    t.equal(await row.locator('td[data-col=phone]').textContent(), number);
    t.equal(await row.locator('td[data-col=campaign]').textContent(), 'プレビュー');
    server.hub.publish('campaigns', 'attempt_connected', { ...attempt, agentId: op2 });
    await row.locator('td[data-col=state]', { hasText: '通話中' }).waitFor();
    t.equal(await row.locator('td[data-col=agent]').textContent(), '(202)op2', 'its agent');
    server.hub.publish('campaigns', 'attempt_ended', {
      ...attempt,
      agentId: op2,
      outcome: 'connected',
    });
    await sv
      .locator('[data-testid=campaign-attempts] tr[data-attempt="101"][data-stage=ended]')
      .waitFor();
    t.equal(await row.locator('td[data-col=state]').textContent(), '通話', 'ended: talked');

    const dropped = { ...attempt, attemptId: 102, callId: 'live-call-2', phone: '0312345001' };
    server.hub.publish('campaigns', 'attempt_answered', dropped);
    server.hub.publish('campaigns', 'attempt_ended', { ...dropped, outcome: 'abandoned' });
    const droppedRow = sv.locator('[data-testid=campaign-attempts] tr[data-attempt="102"]');
    await droppedRow.locator('td[data-col=state]', { hasText: '放棄' }).waitFor();
    t.same(
      await Promise.all(
        (await sv.locator('[data-testid=campaign-attempts] tbody tr').all()).map((r) =>
          r.getAttribute('data-attempt'),
        ),
      ),
      ['102', '101'],
      'the newest first, one row per call',
    );
    await sv.screenshot({ path: join(SCREENSHOTS, 'campaign-live-ja.png'), fullPage: true });

    server.hub.publish('campaigns', 'campaign_live', {
      ...live,
      dialing: 0,
      due: 24,
      abandon: { rate24h: 1.25, rate30d: 2.1, targetPercent: 3 },
    });
    await card.locator('[data-rate="24h"] .value', { hasText: '1.25%' }).waitFor();
    t.equal(await figure('dialing'), '0', 'updated in place');
    t.equal(await figure('due'), '24');
    t.equal(await card.locator('.over-badge').count(), 0, 'back under its target');
    t.equal(await sv.locator('[data-testid=campaign-live-card]').count(), 1, 'one card');

    await sv.selectOption('select[name=language]', 'en');
    await card.locator('.mode', { hasText: 'Predictive' }).waitFor();
    t.equal(await figure('agents'), '1 free / 4 taking part', 'in English');
    t.equal(await droppedRow.locator('td[data-col=state]').textContent(), 'Abandoned');
    await sv.screenshot({ path: join(SCREENSHOTS, 'campaign-live-en.png'), fullPage: true });
    await sv.click('[data-testid=pages] a[href="#/supervisor/stats/campaigns"]');
    await sv.locator('[data-testid=campaign-stats] tr[data-key=total]').waitFor();
    t.equal(
      await sv.locator('[data-testid=campaign-stats] thead th[data-col=busy]').textContent(),
      'Busy',
      'the system results in English',
    );
    await sv.screenshot({ path: join(SCREENSHOTS, 'campaign-stats-en.png'), fullPage: true });
    await sv.selectOption('select[name=language]', 'ja');
  });

  await t.test('an agent sees neither screen', async (t) => {
    const agent = await loggedInPage(browser, baseUrl, { loginId: 'op1', password: 'Operator1' });
    await agent.goto(`${baseUrl}/#/supervisor/stats/campaigns`);
    await agent.waitForTimeout(500);
    t.equal(await agent.locator('[data-testid=campaign-stats-search]').count(), 0);
    t.equal(await agent.locator('[data-tab=supervisor]').count(), 0, 'no SV tab');
  });
});
