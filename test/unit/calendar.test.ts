/** Calendar arithmetic in a time zone: the fast local time agrees with Intl everywhere. */
import fc from 'fast-check';
import t from 'tap';
import {
  HOUR_MS,
  dateKeyOf,
  hourKeyOf,
  instantsOfDateKey,
  localTimeMs,
  startOfDateKey,
  startOfDay,
  wallClock,
} from '../../src/platform/calendar.js';

const ZONES = [
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Europe/London',
  'UTC',
];

t.test('localTimeMs is the wall clock of Intl, DST changes included', async (t) => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES),
      // Any instant of 2000–2040; the DST changes are walked minute by minute below.
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
      (zone, instant) => {
        const w = wallClock(new Date(instant), zone);
        const expected =
          Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) + (instant % 1000);
        return localTimeMs(instant, zone) === expected;
      },
    ),
    { seed: 11, numRuns: 20_000 },
  );
  // Every minute around New York's and Lord Howe's (30-minute) changes of 2026.
  for (const [zone, around] of [
    ['America/New_York', Date.UTC(2026, 2, 8, 7)],
    ['America/New_York', Date.UTC(2026, 10, 1, 6)],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)],
  ] as const) {
    const wrong: number[] = [];
    for (let m = -180; m <= 180; m++) {
      const instant = around + m * 60_000 + 1234;
      const w = wallClock(new Date(instant), zone);
      const expected =
        Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) + (instant % 1000);
      if (localTimeMs(instant, zone) !== expected) wrong.push(m);
    }
    t.same(wrong, [], `${zone} around ${new Date(around).toISOString()}`);
  }
});

t.test('days and hours in a zone', async (t) => {
  t.equal(
    startOfDateKey('2026-03-08', 'America/New_York').toISOString(),
    '2026-03-08T05:00:00.000Z',
  );
  t.equal(
    startOfDateKey('2026-03-09', 'America/New_York').toISOString(),
    '2026-03-09T04:00:00.000Z',
  );
  t.equal(startOfDateKey('2026-01-01', 'Asia/Kathmandu').toISOString(), '2025-12-31T18:15:00.000Z');
  t.equal(dateKeyOf(new Date('2026-03-31T15:00:00Z'), 'Asia/Tokyo'), '2026-04-01');
  t.equal(hourKeyOf(new Date('2026-03-31T15:30:00Z'), 'Asia/Tokyo'), '00');
  t.equal(
    Math.floor(localTimeMs(Date.parse('2026-03-31T15:30:00Z'), 'Asia/Tokyo') / HOUR_MS) % 24,
    0,
  );
});

t.test(
  'the instants of a date: midnight to midnight, 23 or 25 hours on a DST change',
  async (t) => {
    const iso = (r: { from: Date; to: Date }) => [r.from.toISOString(), r.to.toISOString()];
    t.same(iso(instantsOfDateKey('2026-04-01', 'Asia/Tokyo')), [
      '2026-03-31T15:00:00.000Z',
      '2026-04-01T15:00:00.000Z',
    ]);
    t.same(iso(instantsOfDateKey('2026-03-08', 'America/New_York')), [
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ]);
    t.same(iso(instantsOfDateKey('2026-11-01', 'America/New_York')), [
      '2026-11-01T04:00:00.000Z',
      '2026-11-02T05:00:00.000Z',
    ]);
    t.same(
      iso(instantsOfDateKey('2026-12-31', 'UTC')),
      ['2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
      'across a year',
    );
  },
);

t.test('startOfDay remembers the last day asked for and no more than it', async (t) => {
  // Random instants in any order and zone, many on the same days: each answer is the start of
  // the instant's own date, as worked out afresh from its date key.
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          fc.constantFrom(...ZONES),
          fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
        ),
        { minLength: 1, maxLength: 40 },
      ),
      (asks) =>
        asks.every(([zone, instant]) => {
          const expected = startOfDateKey(dateKeyOf(new Date(instant), zone), zone).getTime();
          return startOfDay(new Date(instant), zone).getTime() === expected;
        }),
    ),
    { seed: 5, numRuns: 2_000 },
  );
  // Each minute across New York's spring-forward day, in order: the day changes at midnight.
  const starts = new Set<number>();
  const outside: number[] = [];
  for (let m = 0; m < 3 * 24 * 60; m++) {
    const instant = new Date(Date.UTC(2026, 2, 7, 5) + m * 60_000);
    const start = startOfDay(instant, 'America/New_York');
    if (start > instant || instant.getTime() - start.getTime() >= 24 * HOUR_MS) outside.push(m);
    starts.add(start.getTime());
  }
  t.same(outside, [], 'every minute lies in the day that starts it');
  t.same(
    [...starts].map((s) => new Date(s).toISOString()),
    [
      '2026-03-07T05:00:00.000Z',
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
      '2026-03-10T04:00:00.000Z',
    ],
  );
});
