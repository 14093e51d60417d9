import t from 'tap';
import { calendarDate, dateList, MAX_DATES, normalizeDates } from '../../src/ivr/dates.js';

t.test('only real calendar dates, written YYYY-MM-DD', async (t) => {
  for (const date of ['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31'])
    t.ok(calendarDate.safeParse(date).success, `${date} is a date`);
  for (const date of [
    '2026-02-30',
    '2025-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '20260105',
    '2026/01/05',
    '2026-01-05T00:00:00Z',
    ' 2026-01-05',
    '',
  ])
    t.notOk(calendarDate.safeParse(date).success, `${JSON.stringify(date)} is not`);
});

t.test('a list holds at most MAX_DATES dates', async (t) => {
  const many = Array.from({ length: MAX_DATES + 1 }, () => '2026-01-01');
  t.notOk(dateList.safeParse(many).success);
  t.ok(dateList.safeParse(many.slice(1)).success);
});

t.test('lists are sorted, each date once', async (t) => {
  t.same(normalizeDates([]), []);
  t.same(normalizeDates(['2026-05-05', '2025-12-31', '2026-05-05', '2026-01-01']), [
    '2025-12-31',
    '2026-01-01',
    '2026-05-05',
  ]);
  const input = ['2026-02-01', '2026-01-01'];
  normalizeDates(input);
  t.same(input, ['2026-02-01', '2026-01-01'], 'the input is left as it was');
});
