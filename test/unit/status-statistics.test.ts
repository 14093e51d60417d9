/** Agent status statistics (§10-5 ステータス統計): clipping, counts, shares, hours, zones. */
import t from 'tap';
import {
  statusKeyOf,
  statusReport,
  type StatusInterval,
} from '../../src/agents/status-statistics.js';

const TOKYO = 'Asia/Tokyo';
const jst = (time: string, day = 15) => `2026-03-${String(day).padStart(2, '0')}T${time}+09:00`;

// ---- Agent status statistics

const iv = (
  agentId: number,
  status: string,
  startedAt: string,
  endedAt: string | null,
  customStatusId: number | null = null,
): StatusInterval => ({
  agentId,
  status,
  customStatusId,
  startedAt: new Date(startedAt),
  endedAt: endedAt === null ? null : new Date(endedAt),
});

const sumOfShares = (statuses: Record<string, { share: number }>) =>
  Object.values(statuses).reduce((s, c) => s + c.share, 0);

t.test('status keys: built-in statuses, and custom:<id> for a paused custom status', async (t) => {
  t.equal(statusKeyOf('available', null), 'available');
  t.equal(statusKeyOf('paused', null), 'paused');
  t.equal(statusKeyOf('paused', 3), 'custom:3');
  t.equal(statusKeyOf('on_call', 3), 'on_call', 'only paused shows a custom status');
});

t.test('status by agent: clipped to [from, min(to, now)], open intervals run to now', async (t) => {
  const ACW = 3;
  const intervals = [
    // Agent 2, listed first: rows still come by agent id.
    iv(2, 'offline', jst('00:00:00'), jst('09:00:00')), // ends at from: not in the window
    iv(2, 'offline', jst('09:00:00'), null),
    iv(2, 'ringing', jst('09:05:00'), jst('09:05:00')), // no time, but entered
    iv(2, 'available', jst('09:30:00'), null), // starts at now: not in the window
    // Agent 1: 1800 s observed between 09:00 and now, 09:30.
    iv(1, 'available', jst('08:50:00'), jst('09:10:00')), // began before from: 600 s, counted
    iv(1, 'on_call', jst('09:10:00'), jst('09:15:00')),
    iv(1, 'paused', jst('09:15:00'), jst('09:20:00'), ACW),
    iv(1, 'paused', jst('09:20:00'), jst('09:25:00')),
    iv(1, 'available', jst('09:25:00'), null), // open: until now
  ];
  const rows = statusReport(intervals, {
    from: new Date(jst('09:00:00')),
    to: new Date(jst('10:00:00')),
    now: new Date(jst('09:30:00')),
    breakdown: 'agent',
    timeZone: TOKYO,
  });
  t.same(
    rows.map((r) => [r.agentId, r.hour]),
    [
      [1, null],
      [2, null],
    ],
  );
  const [one, two] = rows;
  t.equal(one?.observedSeconds, 1800, 'the range is cut at now');
  t.same(one?.statuses, {
    available: { seconds: 900, count: 2, share: 50, averageSeconds: 450 },
    on_call: { seconds: 300, count: 1, share: 16.67, averageSeconds: 300 },
    'custom:3': { seconds: 300, count: 1, share: 16.67, averageSeconds: 300 },
    // Three thirds of 50 % cannot all round up: the largest remainder rule keeps the sum 100.
    paused: { seconds: 300, count: 1, share: 16.66, averageSeconds: 300 },
  });
  t.same(two?.statuses, {
    offline: { seconds: 1800, count: 1, share: 100, averageSeconds: 1800 },
    ringing: { seconds: 0, count: 1, share: 0, averageSeconds: 0 },
  });
  for (const row of rows) t.equal(Math.round(sumOfShares(row.statuses) * 100), 10000);
});

t.test('status by agent: a past range is cut at to, and nothing is seen before now', async (t) => {
  const intervals = [
    iv(5, 'available', jst('08:00:00'), null),
    iv(5, 'on_call', jst('09:10:00'), jst('09:20:00')), // after to
  ];
  const past = statusReport(intervals, {
    from: new Date(jst('09:00:00')),
    to: new Date(jst('09:10:00')),
    now: new Date(jst('12:00:00')),
    breakdown: 'agent',
    timeZone: TOKYO,
  });
  t.same(past, [
    {
      agentId: 5,
      hour: null,
      observedSeconds: 600,
      statuses: { available: { seconds: 600, count: 1, share: 100, averageSeconds: 600 } },
    },
  ]);
  const future = statusReport(intervals, {
    from: new Date(jst('09:00:00')),
    to: new Date(jst('10:00:00')),
    now: new Date(jst('09:00:00')),
    breakdown: 'agent',
    timeZone: TOKYO,
  });
  t.same(future, [], 'a window starting at now has nothing yet');
  // A closed interval can only have ended by now; a later end (a clock ahead) is cut at now.
  const ahead = statusReport([iv(6, 'on_call', jst('09:00:00'), jst('09:45:00'))], {
    from: new Date(jst('09:00:00')),
    to: new Date(jst('10:00:00')),
    now: new Date(jst('09:30:00')),
    breakdown: 'agent',
    timeZone: TOKYO,
  });
  t.equal(ahead[0]?.observedSeconds, 1800);
});

t.test('status shares sum to 100 even when every share is a repeating fraction', async (t) => {
  const statuses = ['available', 'ringing', 'on_call', 'on_hold', 'offline', 'paused', 'unknown'];
  const intervals = statuses.map((s, i) =>
    iv(1, s, `2026-03-15T00:00:0${i}Z`, `2026-03-15T00:00:0${i + 1}Z`),
  );
  const [row] = statusReport(intervals, {
    from: new Date('2026-03-15T00:00:00Z'),
    to: new Date('2026-03-15T01:00:00Z'),
    now: new Date('2026-03-15T02:00:00Z'),
    breakdown: 'agent',
    timeZone: 'UTC',
  });
  const shares = Object.values(row?.statuses ?? {}).map((c) => c.share);
  t.equal(shares.length, 7);
  t.ok(
    shares.every((s) => s === 14.29 || s === 14.28),
    'each within a hundredth of 100/7',
  );
  t.equal(Math.round(sumOfShares(row?.statuses ?? {}) * 100), 10000);
  t.ok(Math.abs(sumOfShares(row?.statuses ?? {}) - 100) <= 0.01);
});

t.test('status by hour: cut at the local hours, each hour of each day a window', async (t) => {
  const intervals = [
    iv(1, 'on_call', jst('09:50:00'), jst('10:10:00')),
    iv(1, 'available', jst('09:00:00', 14), jst('09:30:00', 14)),
    iv(1, 'available', jst('09:00:00'), jst('09:30:00')),
    iv(1, 'paused', jst('09:30:00', 14), jst('10:00:00', 14), 4),
  ];
  const rows = statusReport(intervals, {
    from: new Date(jst('00:00:00', 14)),
    to: new Date(jst('00:00:00', 16)),
    now: new Date(jst('00:00:00', 17)),
    breakdown: 'hour',
    timeZone: TOKYO,
  });
  t.same(
    rows.map((r) => r.hour),
    ['09', '10'],
  );
  const [nine, ten] = rows;
  t.same(nine?.statuses, {
    on_call: { seconds: 600, count: 1, share: 10, averageSeconds: 600 },
    available: { seconds: 3600, count: 2, share: 60, averageSeconds: 1800 },
    'custom:4': { seconds: 1800, count: 1, share: 30, averageSeconds: 1800 },
  });
  t.equal(nine?.observedSeconds, 6000);
  t.same(ten?.statuses, { on_call: { seconds: 600, count: 1, share: 100, averageSeconds: 600 } });
  for (const row of rows) t.equal(Math.round(sumOfShares(row.statuses) * 100), 10000);
});

t.test('status by hour: local hours of a half-hour zone (Asia/Kolkata, +05:30)', async (t) => {
  // 03:00–04:00 UTC is 08:30–09:30 in India: the cut is at 03:30 UTC, not at a UTC hour.
  const rows = statusReport([iv(3, 'available', '2026-03-15T03:00:00Z', '2026-03-15T04:00:00Z')], {
    from: new Date('2026-03-15T00:00:00Z'),
    to: new Date('2026-03-16T00:00:00Z'),
    now: new Date('2026-03-16T00:00:00Z'),
    breakdown: 'hour',
    timeZone: 'Asia/Kolkata',
  });
  t.same(
    rows.map((r) => [r.agentId, r.hour, r.observedSeconds, r.statuses.available?.count]),
    [
      [3, '08', 1800, 1],
      [3, '09', 1800, 1],
    ],
  );
});

t.test('status by hour: a window starting mid-hour counts what overlaps its start', async (t) => {
  const rows = statusReport(
    [
      iv(8, 'on_hold', jst('08:00:00'), jst('09:40:00')),
      iv(8, 'available', jst('09:40:00'), jst('11:00:00')),
    ],
    {
      from: new Date(jst('09:15:00')),
      to: new Date(jst('10:30:00')),
      now: new Date(jst('12:00:00')),
      breakdown: 'hour',
      timeZone: TOKYO,
    },
  );
  t.same(
    rows.map((r) => [r.hour, r.statuses]),
    [
      [
        '09',
        {
          on_hold: { seconds: 1500, count: 1, share: 55.56, averageSeconds: 1500 },
          available: { seconds: 1200, count: 1, share: 44.44, averageSeconds: 1200 },
        },
      ],
      ['10', { available: { seconds: 1800, count: 1, share: 100, averageSeconds: 1800 } }],
    ],
  );
});
