import t from 'tap';
import {
  firstDialAt,
  inWindow,
  nextOpening,
  recallAt,
  reservationAfter,
  windowRange,
} from '../../src/campaigns/window.js';

const TOKYO = 'Asia/Tokyo';
const NEW_YORK = 'America/New_York';
/** A Tokyo wall-clock time as an instant (Tokyo has no DST: UTC+9 all year). */
const tokyo = (wall: string) => new Date(`${wall}+09:00`);
const utc = (iso: string) => new Date(`${iso}Z`);
const iso = (d: Date) => d.toISOString();

const office = { from: '09:00', to: '18:00' };
const night = { from: '22:00', to: '06:00' };
const allDay = { from: '00:00', to: '23:59' };

t.test('the window in Tokyo: From included, To through the end of its minute', async (t) => {
  t.notOk(inWindow(tokyo('2026-12-03T08:59:59.999'), office, TOKYO));
  t.ok(inWindow(tokyo('2026-12-03T09:00:00'), office, TOKYO));
  t.ok(inWindow(tokyo('2026-12-03T18:00:59.999'), office, TOKYO), '18:00 is in, to its end');
  t.notOk(inWindow(tokyo('2026-12-03T18:01:00'), office, TOKYO));

  for (const wall of ['00:00:00', '12:34:56', '23:59:59.999'])
    t.ok(inWindow(tokyo(`2026-12-03T${wall}`), allDay, TOKYO), `00:00–23:59 covers ${wall}`);
  t.ok(inWindow(tokyo('2026-12-03T09:59:30'), { from: '10:00', to: '09:59' }, TOKYO), 'all day');
  const oneMinute = { from: '12:00', to: '12:00' };
  t.ok(inWindow(tokyo('2026-12-03T12:00:59'), oneMinute, TOKYO), '12:00–12:00 is one minute');
  t.notOk(inWindow(tokyo('2026-12-03T12:01:00'), oneMinute, TOKYO));
});

t.test('a window crossing midnight', async (t) => {
  t.ok(inWindow(tokyo('2026-12-03T22:00:00'), night, TOKYO));
  t.ok(inWindow(tokyo('2026-12-03T23:59:59'), night, TOKYO));
  t.ok(inWindow(tokyo('2026-12-04T00:00:00'), night, TOKYO));
  t.ok(inWindow(tokyo('2026-12-04T06:00:59'), night, TOKYO));
  t.notOk(inWindow(tokyo('2026-12-04T06:01:00'), night, TOKYO));
  t.notOk(inWindow(tokyo('2026-12-04T21:59:59'), night, TOKYO));
  t.equal(
    iso(nextOpening(tokyo('2026-12-04T12:00:00'), night, TOKYO)),
    iso(tokyo('2026-12-04T22:00:00')),
  );
  t.equal(
    iso(nextOpening(tokyo('2026-12-04T06:01:00'), night, TOKYO)),
    iso(tokyo('2026-12-04T22:00:00')),
  );
});

t.test('the next opening', async (t) => {
  const open = tokyo('2026-12-03T10:15:30.5');
  t.equal(nextOpening(open, office, TOKYO), open, 'open now: now');
  t.equal(
    iso(nextOpening(tokyo('2026-12-03T08:30:10'), office, TOKYO)),
    iso(tokyo('2026-12-03T09:00:00')),
    'later the same day',
  );
  t.equal(
    iso(nextOpening(tokyo('2026-12-03T18:01:00'), office, TOKYO)),
    iso(tokyo('2026-12-04T09:00:00')),
    'after To: the next day’s From',
  );
  t.equal(
    iso(nextOpening(tokyo('2026-12-31T23:00:00'), office, TOKYO)),
    iso(tokyo('2027-01-01T09:00:00')),
    'over the year’s end',
  );
  t.throws(() => windowRange({ from: '9:00', to: '18:00' }), RangeError);
  t.throws(() => inWindow(open, { from: '09:00', to: '24:00' }, TOKYO), RangeError);
});

t.test('a DST zone: the window follows the wall clock', async (t) => {
  // 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
  t.equal(
    iso(nextOpening(utc('2026-03-07T23:01:00'), office, NEW_YORK)),
    '2026-03-08T13:00:00.000Z',
    'Saturday 18:01 EST → Sunday 09:00 EDT: 13 h 59 min, an hour less than the clock shows',
  );
  t.ok(inWindow(utc('2026-03-08T13:00:00'), office, NEW_YORK));
  t.notOk(inWindow(utc('2026-03-08T12:59:59'), office, NEW_YORK));
  t.ok(inWindow(utc('2026-11-01T23:00:59'), office, NEW_YORK), '18:00 EST');
  t.notOk(inWindow(utc('2026-11-01T23:01:00'), office, NEW_YORK), '18:01 EST');
  t.ok(inWindow(utc('2026-11-01T14:00:00'), office, NEW_YORK), '09:00 EST');
  t.notOk(inWindow(utc('2026-11-01T13:59:59'), office, NEW_YORK), '08:59 EST (09:59 in EDT)');
});

t.test('DST changes inside the window', async (t) => {
  // Spring forward: the clock jumps from 01:59:59 EST to 03:00 EDT (07:00Z).
  t.equal(
    iso(nextOpening(utc('2026-03-08T06:00:00'), { from: '02:30', to: '04:00' }, NEW_YORK)),
    '2026-03-08T07:00:00.000Z',
    'the clock jumps into the window: it opens at the change',
  );
  t.equal(
    iso(nextOpening(utc('2026-03-08T06:00:00'), { from: '02:15', to: '02:45' }, NEW_YORK)),
    '2026-03-09T06:15:00.000Z',
    'a window the change skips opens the next day',
  );
  // Fall back: 01:00–01:59 is shown twice, EDT (05:00Z) then EST (06:00Z).
  const early = { from: '00:30', to: '01:15' };
  t.ok(inWindow(utc('2026-11-01T05:10:00'), early, NEW_YORK), '01:10 EDT');
  t.notOk(inWindow(utc('2026-11-01T05:30:00'), early, NEW_YORK), '01:30 EDT');
  t.ok(inWindow(utc('2026-11-01T06:10:00'), early, NEW_YORK), '01:10 EST, the second time');
  t.equal(
    iso(nextOpening(utc('2026-11-01T05:30:00'), early, NEW_YORK)),
    '2026-11-01T06:00:00.000Z',
    'the repeated hour reopens it',
  );
});

t.test('recall times and the reservation buttons', async (t) => {
  const now = tokyo('2026-12-03T10:00:00');
  t.equal(
    iso(recallAt(now, { minutes: 15, hours: 2, days: 0 }, TOKYO)),
    iso(tokyo('2026-12-03T12:15:00')),
  );
  t.equal(
    iso(recallAt(now, { minutes: 5, hours: 1, days: 3 }, TOKYO)),
    iso(tokyo('2026-12-06T11:05:00')),
  );
  t.equal(iso(reservationAfter(now, '10m', TOKYO)), iso(tokyo('2026-12-03T10:10:00')));
  t.equal(iso(reservationAfter(now, '1h', TOKYO)), iso(tokyo('2026-12-03T11:00:00')));
  t.equal(iso(reservationAfter(now, '1d', TOKYO)), iso(tokyo('2026-12-04T10:00:00')));

  // New York: a day is the same wall time the next date, 23 or 25 hours away.
  const saturday = utc('2026-03-07T15:00:00'); // 10:00 EST
  t.equal(iso(reservationAfter(saturday, '1d', NEW_YORK)), '2026-03-08T14:00:00.000Z', '10:00 EDT');
  t.equal(
    iso(recallAt(saturday, { minutes: 0, hours: 24, days: 0 }, NEW_YORK)),
    '2026-03-08T15:00:00.000Z',
    '24 hours are elapsed time: 11:00 EDT',
  );
  t.equal(
    iso(reservationAfter(utc('2026-10-31T14:00:00'), '1d', NEW_YORK)),
    '2026-11-01T15:00:00.000Z',
    '10:00 EDT → 10:00 EST, 25 hours',
  );
  t.equal(
    iso(reservationAfter(utc('2026-03-07T07:30:00'), '1d', NEW_YORK)),
    '2026-03-08T07:00:00.000Z',
    '02:30 does not exist the next day: the change, 03:00 EDT',
  );
  t.equal(
    iso(reservationAfter(utc('2026-10-31T05:30:00'), '1d', NEW_YORK)),
    '2026-11-01T05:30:00.000Z',
    '01:30 is shown twice the next day: the first',
  );
});

t.test('a reservation outside the window waits for its opening', async (t) => {
  t.equal(
    iso(firstDialAt(tokyo('2026-12-03T20:00:00'), office, TOKYO)),
    iso(tokyo('2026-12-04T09:00:00')),
  );
  const inside = tokyo('2026-12-03T11:11:00');
  t.equal(iso(firstDialAt(inside, office, TOKYO)), iso(inside));
});
