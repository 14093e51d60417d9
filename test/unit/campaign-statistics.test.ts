import t from 'tap';
import {
  campaignStatistics,
  type CampaignStatsOptions,
  type StatisticsEntry,
} from '../../src/campaigns/statistics.js';
import { SYSTEM_RESULTS } from '../../src/campaigns/results.js';
import { instantsOfDateKey } from '../../src/platform/calendar.js';

const TOKYO = 'Asia/Tokyo';
const tokyo = (wall: string) => new Date(`${wall}+09:00`);
const RESULTS = [
  { number: 5, text: '受注' },
  { number: 2, text: '検討' },
  { number: 9, text: 'NG' },
];

const entry = (
  result: string,
  wall: string,
  lastAgentId: number | null,
  attempts = 1,
): StatisticsEntry => ({ result, lastDialedAt: tokyo(wall), lastAgentId, attempts });

const ENTRIES: StatisticsEntry[] = [
  entry('5', '2026-12-01T09:10:00', 7, 2),
  entry('5', '2026-12-01T10:20:00', 3, 1),
  entry('2', '2026-12-01T10:59:59', 7, 3),
  entry('busy', '2026-12-02T09:00:00', null, 4),
  entry('no_entry', '2026-12-03T23:59:59', 3, 1),
  // Outside the range: the day before and the day after.
  entry('9', '2026-11-30T23:59:59', 7, 1),
  entry('9', '2026-12-04T00:00:00', 7, 1),
];

function options(overrides: Partial<CampaignStatsOptions> = {}): CampaignStatsOptions {
  return {
    breakdown: 'date',
    display: 'count',
    from: instantsOfDateKey('2026-12-01', TOKYO).from,
    to: instantsOfDateKey('2026-12-03', TOKYO).to,
    timeZone: TOKYO,
    results: RESULTS,
    ...overrides,
  };
}

t.test('columns: the campaign’s results in their order, then the system results', async (t) => {
  const { columns } = campaignStatistics(ENTRIES, options());
  t.same(
    columns.map((c) => c.label),
    [
      '受注',
      '検討',
      'NG',
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
  );
  t.same(
    columns.map((c) => c.result),
    ['5', '2', '9', ...SYSTEM_RESULTS],
  );
});

t.test('by date: every day, 件数 by the last dial, コール数 the attempts', async (t) => {
  const stats = campaignStatistics(ENTRIES, options());
  t.same(
    stats.rows.map((r) => [r.key, r.entries, r.calls]),
    [
      ['2026-12-01', 3, 6],
      ['2026-12-02', 1, 4],
      ['2026-12-03', 1, 1],
    ],
  );
  t.match(stats.rows[0]?.results, { '5': 2, '2': 1, '9': 0, busy: 0 });
  t.match(stats.rows[1]?.results, { '5': 0, busy: 1 });
  t.match(stats.total, { key: 'total', entries: 5, calls: 11 });
  t.match(stats.total.results, { '5': 2, '2': 1, '9': 0, busy: 1, no_entry: 1, waiting: 0 });
  for (const row of [...stats.rows, stats.total]) {
    const sum = Object.values(row.results).reduce<number>((a, v) => a + (v ?? 0), 0);
    t.equal(sum, row.entries, `${row.key}: the result columns add up to 件数`);
  }

  const empty = campaignStatistics([], options());
  t.same(
    empty.rows.map((r) => [r.key, r.entries]),
    [
      ['2026-12-01', 0],
      ['2026-12-02', 0],
      ['2026-12-03', 0],
    ],
    'days without entries are rows too',
  );
});

t.test('by hour and by agent', async (t) => {
  const byHour = campaignStatistics(ENTRIES, options({ breakdown: 'hour' }));
  t.equal(byHour.rows.length, 24);
  t.same(
    byHour.rows.filter((r) => r.entries > 0).map((r) => [r.key, r.entries, r.calls]),
    [
      ['09', 2, 6],
      ['10', 2, 4],
      ['23', 1, 1],
    ],
  );

  const byAgent = campaignStatistics(ENTRIES, options({ breakdown: 'agent' }));
  t.same(
    byAgent.rows.map((r) => [r.key, r.entries, r.calls]),
    [
      ['3', 2, 2],
      ['7', 2, 5],
      ['none', 1, 4],
    ],
    'agents by id, then the entries no agent talked to',
  );
});

t.test('as % of 件数', async (t) => {
  const stats = campaignStatistics(ENTRIES, options({ display: 'percent' }));
  t.match(stats.rows[0], { entries: 3, calls: 6, results: { '5': 66.67, '2': 33.33, busy: 0 } });
  t.match(stats.total.results, { '5': 40, '2': 20, busy: 20, no_entry: 20 });
  const empty = campaignStatistics([], options({ display: 'percent' }));
  t.equal(empty.total.results['5'], null, 'no entries: no percentage');
});

t.test('a result line deleted since keeps its column, after the campaign’s', async (t) => {
  const stats = campaignStatistics(
    [entry('12', '2026-12-01T12:00:00', null), entry('5', '2026-12-01T12:00:00', null)],
    options(),
  );
  t.same(
    stats.columns.slice(0, 5).map((c) => c.result),
    ['5', '2', '9', '12', 'waiting'],
  );
  t.match(stats.total, { entries: 2, results: { '12': 1, '5': 1 } });
});

t.test('days and hours in a DST zone', async (t) => {
  const zone = 'America/New_York';
  // 2026-11-01 is 25 hours long: 01:00–01:59 twice.
  const { from, to } = instantsOfDateKey('2026-11-01', zone);
  const entries: StatisticsEntry[] = [
    { result: '5', lastDialedAt: new Date('2026-11-01T04:00:00Z'), lastAgentId: null, attempts: 1 }, // 00:00 EDT
    { result: '5', lastDialedAt: new Date('2026-11-01T05:30:00Z'), lastAgentId: null, attempts: 1 }, // 01:30 EDT
    { result: '5', lastDialedAt: new Date('2026-11-01T06:30:00Z'), lastAgentId: null, attempts: 1 }, // 01:30 EST
    { result: '5', lastDialedAt: new Date('2026-11-02T04:59:59Z'), lastAgentId: null, attempts: 1 }, // 23:59 EST
    { result: '5', lastDialedAt: new Date('2026-11-02T05:00:00Z'), lastAgentId: null, attempts: 1 }, // the next day
  ];
  const byDate = campaignStatistics(entries, { ...options(), from, to, timeZone: zone });
  t.same(
    byDate.rows.map((r) => [r.key, r.entries]),
    [['2026-11-01', 4]],
  );
  const byHour = campaignStatistics(entries, {
    ...options({ breakdown: 'hour' }),
    from,
    to,
    timeZone: zone,
  });
  t.same(
    byHour.rows.filter((r) => r.entries > 0).map((r) => [r.key, r.entries]),
    [
      ['00', 1],
      ['01', 2],
      ['23', 1],
    ],
    'the repeated hour counts in its one row',
  );
});
