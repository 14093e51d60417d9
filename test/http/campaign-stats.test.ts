import t from 'tap';
import {
  campaignAttempts,
  campaignEntries,
  campaignResults,
  campaigns,
} from '../../src/campaigns/schema.js';
import { created } from '../../src/platform/db/columns.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

/** A Tokyo wall-clock time as an instant (TIMEZONE is Asia/Tokyo here). */
const tokyo = (wall: string) => new Date(`${wall}+09:00`);

interface Fixture {
  campaignId: number;
  op1: number;
  op2: number;
}

/**
 * A campaign with results 受注 (1), 検討 (2) and a formula-looking =NG (3), and entries last
 * dialled on 12-01 and 12-02 (and one on 11-30, outside the searches), with their attempts.
 */
async function seed(app: TestApp): Promise<Fixture> {
  const op1 = await createAgent(app, { loginId: 'op1', extension: '201' });
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
      { campaignId: campaign.id, number: 2, text: '検討', position: 1 },
      { campaignId: campaign.id, number: 1, text: '受注', position: 0 },
      { campaignId: campaign.id, number: 3, text: '=NG', position: 2 },
    ])
    .run();
  const other = db
    .insert(campaigns)
    .values({ name: 'other', ...audit })
    .returning({ id: campaigns.id })
    .get();

  const entries: {
    campaignId?: number;
    result: string;
    at: string;
    agent: number | null;
    attempts: number;
  }[] = [
    { result: '1', at: '2026-12-01T09:05:00', agent: op1, attempts: 2 },
    { result: '1', at: '2026-12-01T10:30:00', agent: op2, attempts: 1 },
    { result: '2', at: '2026-12-01T10:45:00', agent: op1, attempts: 1 },
    { result: 'busy', at: '2026-12-02T09:30:00', agent: null, attempts: 3 },
    { result: '3', at: '2026-11-30T23:59:00', agent: op1, attempts: 1 },
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
    for (let n = 0; n < e.attempts; n++) {
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
  }
  // Never dialled: in no row.
  db.insert(campaignEntries)
    .values({ campaignId: campaign.id, phone: '0399999999', ...audit })
    .run();
  return { campaignId: campaign.id, op1, op2 };
}

interface Report {
  campaign: { id: number; name: string };
  columns: { result: string; label: string; kind: string }[];
  rows: {
    key: string;
    label: string;
    entries: number;
    calls: number;
    results: Record<string, number | null>;
  }[];
  total: {
    key: string;
    label: string;
    entries: number;
    calls: number;
    results: Record<string, number | null>;
  };
}

t.test('campaign statistics by date, hour and agent, as counts and %', async (t) => {
  const app = await buildTestApp({ env: { TIMEZONE: 'Asia/Tokyo' } });
  t.teardown(app.close);
  const { campaignId, op1, op2 } = await seed(app);
  const get = (query: string) =>
    app.request('GET', `/api/v1/stats/campaigns?campaignId=${campaignId}&${query}`, {
      token: app.adminToken,
    });

  const byDate = await get('from=2026-12-01&to=2026-12-02');
  t.equal(byDate.statusCode, 200, byDate.body);
  const report = byDate.json() as Report;
  t.same(report.campaign, { id: campaignId, name: 'プレビュー' });
  t.same(
    report.columns.map((c) => c.label),
    [
      '受注',
      '検討',
      '=NG',
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
    'the campaign’s results by position, then the system results',
  );
  t.same(
    report.rows.map((r) => [
      r.label,
      r.entries,
      r.calls,
      r.results['1'],
      r.results['2'],
      r.results.busy,
    ]),
    [
      ['2026-12-01', 3, 4, 2, 1, 0],
      ['2026-12-02', 1, 3, 0, 0, 1],
    ],
  );
  t.match(report.total, { label: '合計', entries: 4, calls: 7, results: { '1': 2, '3': 0 } });

  const byHour = (await get('by=hour&from=2026-12-01&to=2026-12-02')).json() as Report;
  t.equal(byHour.rows.length, 24);
  t.same(
    byHour.rows.filter((r) => r.entries > 0).map((r) => [r.label, r.entries, r.calls]),
    [
      ['09:00', 2, 5],
      ['10:00', 2, 2],
    ],
  );

  const byAgent = (
    await get('by=agent&display=percent&from=2026-11-30&to=2026-12-02')
  ).json() as Report;
  t.same(
    byAgent.rows.map((r) => [
      r.key,
      r.label,
      r.entries,
      r.results['1'],
      r.results['2'],
      r.results['3'],
    ]),
    [
      [String(op1), '(201)op1', 3, 33.33, 33.33, 33.33],
      [String(op2), '(202)op2', 1, 100, 0, 0],
      ['none', 'なし', 1, 0, 0, 0],
    ],
    '11-30 is in this range',
  );
  t.match(byAgent.total, { entries: 5, results: { '1': 40, busy: 20 } });

  const tokyoDay = (await get('from=2026-11-30&to=2026-11-30')).json() as Report;
  t.same(
    tokyoDay.rows.map((r) => [r.key, r.entries]),
    [['2026-11-30', 1]],
  );
  const otherTz = (
    await get('from=2026-11-30&to=2026-11-30&tz=America/Los_Angeles')
  ).json() as Report;
  t.same(
    otherTz.rows.map((r) => [r.key, r.entries]),
    [['2026-11-30', 4]],
    'in Los Angeles, 12-01 09:05–10:45 in Tokyo were 11-30 afternoon',
  );
});

t.test('the CSV download', async (t) => {
  const app = await buildTestApp({ env: { TIMEZONE: 'Asia/Tokyo' } });
  t.teardown(app.close);
  const { campaignId } = await seed(app);
  const res = await app.request(
    'GET',
    `/api/v1/stats/campaigns/export?campaignId=${campaignId}&display=percent&from=2026-12-01&to=2026-12-02`,
    { token: app.adminToken },
  );
  t.equal(res.statusCode, 200, res.body);
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(
    res.headers['content-disposition'],
    /attachment; filename="campaign-statistics-\d+\.csv"/,
  );
  const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
  t.equal(
    lines[0],
    '"日付","件数","コール数","受注","検討","\'=NG","発信待機中","ビジー","未入力","キャンセル","制限時間","チャンネル制限","エラー","発信規制","停止"',
    'a cell a spreadsheet would run is neutralised',
  );
  t.equal(
    lines[1],
    '"2026-12-01","3","4","66.67%","33.33%","0.00%","0.00%","0.00%","0.00%","0.00%","0.00%","0.00%","0.00%","0.00%","0.00%"',
  );
  t.equal(lines[3]?.split(',').slice(0, 4).join(','), '"合計","4","7","50.00%"');
  t.equal(lines.length, 5, 'two days, the total, and the final line end');

  const sjis = await app.request(
    'GET',
    `/api/v1/stats/campaigns/export?campaignId=${campaignId}&from=2026-12-03&to=2026-12-03&encoding=shift_jis`,
    { token: app.adminToken },
  );
  t.equal(sjis.statusCode, 200);
  t.match(sjis.headers['content-type'], /shift_jis/);
  const empty = (
    await app.request(
      'GET',
      `/api/v1/stats/campaigns/export?campaignId=${campaignId}&display=percent&from=2026-12-03&to=2026-12-03`,
      { token: app.adminToken },
    )
  ).body.split('\r\n');
  t.equal(empty[1]?.split(',').slice(0, 4).join(','), '"2026-12-03","0","0","-"', 'no entries: -');
});

t.test('bad input and permissions', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const { campaignId } = await seed(app);
  const token = app.adminToken;
  const url = (q: string) => `/api/v1/stats/campaigns?${q}`;
  const ok = `campaignId=${campaignId}&from=2026-12-01&to=2026-12-02`;

  for (const q of [
    'from=2026-12-01&to=2026-12-02',
    `campaignId=0&from=2026-12-01&to=2026-12-02`,
    `campaignId=abc&from=2026-12-01&to=2026-12-02`,
    `${ok}&by=week`,
    `${ok}&display=ratio`,
    `campaignId=${campaignId}&from=2026-13-01&to=2026-12-02`,
    `campaignId=${campaignId}&from=2026-12-01`,
    `${ok}&tz=Mars/Olympus`,
  ]) {
    const res = await app.request('GET', url(q), { token });
    t.equal(res.statusCode, 400, q);
    t.match(res.json(), { error: { code: String } });
  }
  const reversed = await app.request(
    'GET',
    url(`campaignId=${campaignId}&from=2026-12-02&to=2026-12-01`),
    { token },
  );
  t.equal(reversed.statusCode, 422);
  t.match(reversed.json(), { error: { code: 'invalid_range' } });
  const tooLong = await app.request(
    'GET',
    url(`campaignId=${campaignId}&from=2025-01-01&to=2026-12-01`),
    { token },
  );
  t.match(tooLong.json(), { error: { code: 'range_too_long' } });
  const missing = await app.request('GET', url('campaignId=999&from=2026-12-01&to=2026-12-02'), {
    token,
  });
  t.equal(missing.statusCode, 404);
  const missingCsv = await app.request(
    'GET',
    `/api/v1/stats/campaigns/export?campaignId=999&from=2026-12-01&to=2026-12-02`,
    { token },
  );
  t.equal(missingCsv.statusCode, 404);

  t.equal((await app.request('GET', url(ok))).statusCode, 401, 'no token');

  // An agent has neither permission; a role with 表示 alone cannot download.
  await createAgent(app, { loginId: 'op9', password: 'Operator9' });
  const agentToken = ((await app.login('op9', 'Operator9')).json() as { token: string }).token;
  t.equal((await app.request('GET', url(ok), { token: agentToken })).statusCode, 403);
  t.equal(
    (await app.request('GET', `/api/v1/stats/campaigns/export?${ok}`, { token: agentToken }))
      .statusCode,
    403,
  );
  const role = (
    await app.request('POST', '/api/v1/roles', {
      token,
      body: { name: 'Viewer', permissions: ['campaign_stats.view'] },
    })
  ).json() as { id: number };
  const created = await app.request('POST', '/api/v1/agents', {
    token,
    body: { loginId: 'viewer', name: 'V', nickname: 'V', password: 'Viewer123', roleId: role.id },
  });
  t.equal(created.statusCode, 201);
  const viewerToken = ((await app.login('viewer', 'Viewer123')).json() as { token: string }).token;
  t.equal((await app.request('GET', url(ok), { token: viewerToken })).statusCode, 200);
  t.equal(
    (await app.request('GET', `/api/v1/stats/campaigns/export?${ok}`, { token: viewerToken }))
      .statusCode,
    403,
  );
});
