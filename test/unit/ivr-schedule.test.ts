import t from 'tap';
import { matchingRule, minutesOf, type ScheduleRule } from '../../src/ivr/schedule.js';
import { weekdayOfDayNumber } from '../../src/platform/calendar.js';

const TOKYO = 'Asia/Tokyo';
const WEEKDAYS_ONLY = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const none = () => false;
/** A Tokyo wall-clock time as an instant (Tokyo has no DST: UTC+9 all year). */
const tokyo = (wall: string) => new Date(`${wall}+09:00`);

const office: ScheduleRule = {
  from: '09:00',
  to: '18:00',
  weekdays: WEEKDAYS_ONLY,
  specifiedDates: false,
};
const night: ScheduleRule = {
  from: '22:00',
  to: '06:00',
  weekdays: ['fri'],
  specifiedDates: false,
};
const allDay: ScheduleRule = {
  from: '00:00',
  to: '00:00',
  weekdays: ['sat', 'sun'],
  specifiedDates: true,
};

t.test('times of day', async (t) => {
  t.equal(minutesOf('00:00'), 0);
  t.equal(minutesOf('23:59'), 23 * 60 + 59);
  for (const bad of ['24:00', '9:00', '09:60', '0900', '09:00:00', ''])
    t.equal(minutesOf(bad), undefined, bad);
});

t.test('weekdays from day numbers, Monday first', async (t) => {
  t.equal(weekdayOfDayNumber(0), 3, '1970-01-01 was a Thursday');
  t.equal(weekdayOfDayNumber(-1), 2, 'and the day before a Wednesday');
  t.equal(weekdayOfDayNumber(Date.UTC(2026, 11, 7) / 86_400_000), 0, '2026-12-07 is a Monday');
});

t.test('a range on weekdays: start in, end out, weekends and other hours out', async (t) => {
  // 2026-12-07 is a Monday, 2026-12-12 a Saturday.
  t.equal(matchingRule([office], tokyo('2026-12-07T09:00:00'), TOKYO, none), 0, '09:00 is in');
  t.equal(matchingRule([office], tokyo('2026-12-07T17:59:59'), TOKYO, none), 0);
  t.equal(matchingRule([office], tokyo('2026-12-07T18:00:00'), TOKYO, none), null, '18:00 out');
  t.equal(matchingRule([office], tokyo('2026-12-07T08:59:00'), TOKYO, none), null);
  t.equal(matchingRule([office], tokyo('2026-12-12T10:00:00'), TOKYO, none), null, 'Saturday');
});

t.test('rules are tried in order; the first that covers now wins', async (t) => {
  const lunch: ScheduleRule = {
    from: '12:00',
    to: '13:00',
    weekdays: WEEKDAYS_ONLY,
    specifiedDates: false,
  };
  t.equal(matchingRule([lunch, office], tokyo('2026-12-07T12:30:00'), TOKYO, none), 0);
  t.equal(matchingRule([office, lunch], tokyo('2026-12-07T12:30:00'), TOKYO, none), 0);
  t.equal(matchingRule([lunch, office], tokyo('2026-12-07T14:00:00'), TOKYO, none), 1);
});

t.test('across midnight: the early hours belong to the day the range started', async (t) => {
  // Friday 2026-12-11 22:00 → Saturday 06:00.
  t.equal(matchingRule([night], tokyo('2026-12-11T23:30:00'), TOKYO, none), 0, 'Friday night');
  t.equal(matchingRule([night], tokyo('2026-12-12T02:00:00'), TOKYO, none), 0, 'Saturday 02:00');
  t.equal(matchingRule([night], tokyo('2026-12-12T06:00:00'), TOKYO, none), null, 'ends at 06:00');
  t.equal(
    matchingRule([night], tokyo('2026-12-11T02:00:00'), TOKYO, none),
    null,
    'Thursday’s night is not ticked',
  );
  t.equal(
    matchingRule([night], tokyo('2026-12-12T23:00:00'), TOKYO, none),
    null,
    'Saturday evening',
  );
});

t.test('equal ends: the whole day', async (t) => {
  t.equal(matchingRule([allDay], tokyo('2026-12-12T00:00:00'), TOKYO, none), 0);
  t.equal(matchingRule([allDay], tokyo('2026-12-13T23:59:59'), TOKYO, none), 0);
  t.equal(matchingRule([allDay], tokyo('2026-12-14T12:00:00'), TOKYO, none), null, 'Monday');
});

t.test('specified dates: only ★ rules match, whatever their weekdays', async (t) => {
  const holiday = (date: string) => date === '2026-12-07' || date === '2026-12-11';
  t.equal(
    matchingRule([office], tokyo('2026-12-07T10:00:00'), TOKYO, holiday),
    null,
    'a Monday that is a specified date: no ★, so the default routing (the holiday mechanism)',
  );
  const starred: ScheduleRule = { ...office, weekdays: [], specifiedDates: true };
  t.equal(
    matchingRule([office, starred], tokyo('2026-12-07T10:00:00'), TOKYO, holiday),
    1,
    'the ★ rule',
  );
  t.equal(
    matchingRule([starred], tokyo('2026-12-08T10:00:00'), TOKYO, holiday),
    null,
    '★ alone: only on those dates',
  );
  t.equal(
    matchingRule([night], tokyo('2026-12-12T02:00:00'), TOKYO, holiday),
    null,
    'the early hours after a specified Friday follow that Friday: no ★, no match',
  );
});

t.test('wall-clock time in a zone with DST', async (t) => {
  const ny = 'America/New_York';
  const rule: ScheduleRule = { ...office, weekdays: ['sun', 'mon'] };
  // 2026-03-08 (Sunday) 02:00 EST → 03:00 EDT; 2026-11-01 (Sunday) 02:00 EDT → 01:00 EST.
  t.equal(matchingRule([rule], new Date('2026-03-08T13:59:00Z'), ny, none), 0, '09:59 EDT');
  t.equal(
    matchingRule([rule], new Date('2026-03-08T13:00:00Z'), ny, none),
    0,
    '09:00 EDT, 13:00 UTC',
  );
  t.equal(matchingRule([rule], new Date('2026-03-08T12:59:00Z'), ny, none), null, '08:59 EDT');
  t.equal(
    matchingRule([rule], new Date('2026-11-01T14:00:00Z'), ny, none),
    0,
    '09:00 EST, 14:00 UTC',
  );
  t.equal(matchingRule([rule], new Date('2026-11-01T13:30:00Z'), ny, none), null, '08:30 EST');
  const early: ScheduleRule = {
    from: '01:00',
    to: '02:00',
    weekdays: ['sun'],
    specifiedDates: false,
  };
  t.equal(matchingRule([early], new Date('2026-11-01T05:30:00Z'), ny, none), 0, '01:30 EDT');
  t.equal(
    matchingRule([early], new Date('2026-11-01T06:30:00Z'), ny, none),
    0,
    'and 01:30 EST, the repeated hour',
  );
});

t.test('a rule with a malformed time never matches (the API refuses it at save)', async (t) => {
  const bad: ScheduleRule = { ...office, from: '9:00' };
  t.equal(matchingRule([bad, office], tokyo('2026-12-07T10:00:00'), TOKYO, none), 1);
});
