import t from 'tap';
import type { QueueEvent, QueueEventName } from '../../src/queues/model.js';
import { startOfDay } from '../../src/platform/calendar.js';
import { answerRateBuckets } from '../../src/queues/answer-rate.js';
import {
  columnsOf,
  countEvent,
  emptyCounters,
  rates,
  type QueueCounters,
} from '../../src/queues/counters.js';
import {
  groupReport,
  talkBandOf,
  type GroupReportOptions,
  type ReportRow,
} from '../../src/queues/group-report.js';

// ---- Building queue events

const GROUP = 1;
let lastCall = 0;
const newCallId = () => `call-${++lastCall}`;

function ev(
  event: QueueEventName,
  at: string,
  fields: {
    callId?: string;
    groupId?: number | null;
    agentId?: number | null;
    data?: string[];
  } = {},
): QueueEvent {
  return {
    at: new Date(at),
    callId: fields.callId ?? newCallId(),
    groupId: fields.groupId === undefined ? GROUP : fields.groupId,
    agentId: fields.agentId ?? null,
    event,
    data: fields.data ?? [],
  };
}

// The data fields as app_queue writes them (model.ts): CONNECT wait|channel|ring,
// ABANDON/EXITWITHTIMEOUT position|original position|wait, COMPLETE* wait|talk|position.
const answered = (at: string, wait: number, agentId = 7, callId = newCallId()) =>
  ev('CONNECT', at, { callId, agentId, data: [String(wait), `PJSIP/${agentId}-0001`, '3'] });
const abandoned = (at: string, wait: number, callId = newCallId()) =>
  ev('ABANDON', at, { callId, data: ['2', '3', String(wait)] });
const timedOut = (at: string, wait: number, callId = newCallId()) =>
  ev('EXITWITHTIMEOUT', at, { callId, data: ['1', '4', String(wait)] });
const overflowed = (at: string, callId = newCallId()) =>
  ev('EXITFULL', at, { callId, data: ['10', '10'] });
const completed = (
  at: string,
  callId: string,
  talk: number,
  by: 'COMPLETECALLER' | 'COMPLETEAGENT' = 'COMPLETECALLER',
  groupId = GROUP,
) => ev(by, at, { callId, groupId, agentId: 7, data: ['5', String(talk), '1'] });

const fold = (events: readonly QueueEvent[], threshold?: number): QueueCounters =>
  events.reduce<QueueCounters>((c, e) => countEvent(c, e, threshold), emptyCounters());

const TOKYO = 'Asia/Tokyo';
const NEW_YORK = 'America/New_York';
/** A Tokyo wall time on a day of March 2026. */
const jst = (time: string, day = 15) => `2026-03-${String(day).padStart(2, '0')}T${time}+09:00`;

const byKey = (rows: readonly ReportRow[], key: string): ReportRow => {
  const row = rows.find((r) => r.key === key);
  if (row === undefined) throw new Error(`no row ${key}`);
  return row;
};
const keys = (rows: readonly ReportRow[]) => rows.map((r) => r.key);

// ---- Counters and rates

t.test('each call counts once, by its outcome event (seed §10-1 definitions)', async (t) => {
  const call = newCallId();
  const events = [
    ev('ENTERQUEUE', jst('09:00:00'), { callId: call, data: ['', '0312345678', '1'] }),
    ev('RINGNOANSWER', jst('09:00:05'), { callId: call, agentId: 3, data: ['5000'] }),
    answered(jst('09:00:08'), 8, 7, call),
    completed(jst('09:02:08'), call, 120),
    abandoned(jst('09:10:00'), 12),
    timedOut(jst('09:20:00'), 60),
    overflowed(jst('09:30:00')),
    ev('PAUSE', jst('09:40:00'), { callId: 'NONE', agentId: 7, data: ['lunch'] }),
    ev('ADDMEMBER', jst('09:41:00'), { callId: 'NONE', agentId: 8 }),
  ];
  t.same(fold(events), {
    calls: 4,
    answered: 1,
    abandoned: 1,
    overflow: 1,
    timedOut: 1,
    answeredWithinThreshold: 1,
    answerWaitTotal: 8,
    answerWaitMax: 8,
    abandonWaitTotal: 12,
    abandonWaitMax: 12,
  });
  // The timed-out call's 60 s are the group's timeout, not a caller's patience: not 放棄時間.
  t.equal(rates(fold(events)).maxAbandonSeconds, 12);
});

t.test(
  'counting never mutates; an event that is no outcome returns the same counters',
  async (t) => {
    const before = Object.freeze(emptyCounters());
    for (const name of ['ENTERQUEUE', 'RINGNOANSWER', 'COMPLETEAGENT', 'PAUSE'] as const) {
      t.equal(countEvent(before, ev(name, jst('09:00:00'))), before, `${name} counts nothing`);
    }
    const after = countEvent(before, answered(jst('09:00:00'), 5));
    t.not(after, before);
    t.equal(after.answered, 1);
    t.same(before, emptyCounters(), 'the input is untouched');
    t.not(emptyCounters(), emptyCounters(), 'every call gets fresh counters');
  },
);

t.test('service level: answered within the threshold (inclusive) over every call', async (t) => {
  const events = [
    answered(jst('09:00:00'), 20),
    answered(jst('09:01:00'), 21),
    abandoned(jst('09:02:00'), 3),
    overflowed(jst('09:03:00')),
  ];
  t.equal(fold(events).answeredWithinThreshold, 1, 'default 20 s: 20 is within, 21 is not');
  t.equal(rates(fold(events)).serviceLevel, 25, 'overflow and abandon count against it');
  t.equal(rates(fold(events, 21)).serviceLevel, 50);
  t.equal(rates(fold(events, 19)).serviceLevel, 0);
  t.equal(fold([answered(jst('09:00:00'), 0)], 0).answeredWithinThreshold, 1, 'threshold 0');
});

t.test(
  'the seed example: 5 calls = 2 + 0 + 2 + 1 is 40 %, the total 2 / 6 is 33.33 %',
  async (t) => {
    const row = [
      answered(jst('10:00:00'), 7),
      answered(jst('10:05:00'), 8),
      overflowed(jst('10:10:00')),
      overflowed(jst('10:11:00')),
      timedOut(jst('10:20:00'), 90),
    ];
    t.same(columnsOf(fold(row)), {
      calls: 5,
      answered: 2,
      abandoned: 0,
      overflow: 2,
      timedOut: 1,
      answerRate: 40,
      serviceLevel: 40,
      averageAnswerSeconds: 7.5,
      maxAnswerSeconds: 8,
      averageAbandonSeconds: 0,
      maxAbandonSeconds: null,
    });
    t.equal(rates(fold([...row, abandoned(jst('11:00:00'), 4)])).answerRate, 33.33);
  },
);

t.test('zero rows: 応答率 and 最大 are null (`-`), 平均 is 0 (`0s`)', async (t) => {
  t.same(rates(emptyCounters()), {
    answerRate: null,
    serviceLevel: null,
    averageAnswerSeconds: 0,
    maxAnswerSeconds: null,
    averageAbandonSeconds: 0,
    maxAbandonSeconds: null,
  });
  // Calls, but none answered or abandoned: the rates are 0 %, the waits still have nothing.
  t.same(rates(fold([overflowed(jst('09:00:00')), timedOut(jst('09:01:00'), 30)])), {
    answerRate: 0,
    serviceLevel: 0,
    averageAnswerSeconds: 0,
    maxAnswerSeconds: null,
    averageAbandonSeconds: 0,
    maxAbandonSeconds: null,
  });
  // An answer after 0 s is a maximum of 0, not "none".
  t.equal(rates(fold([answered(jst('09:00:00'), 0)])).maxAnswerSeconds, 0);
});

t.test('rounding: rates to 2 decimals (half up), averages to 1 decimal', async (t) => {
  const rate = (answeredCalls: number, calls: number) =>
    rates({ ...emptyCounters(), calls, answered: answeredCalls }).answerRate;
  t.equal(rate(2, 3), 66.67);
  t.equal(rate(1, 3), 33.33);
  t.equal(rate(1, 32), 3.13, '3.125 rounds up');
  t.equal(rate(5, 32), 15.63, '15.625 rounds up');
  t.equal(rate(1, 16), 6.25);
  t.equal(rate(3, 3), 100);
  const waits = (...w: number[]) => fold(w.map((s, i) => answered(jst(`09:0${i}:00`), s)));
  t.equal(rates(waits(1, 1, 2)).averageAnswerSeconds, 1.3);
  t.equal(rates(waits(1, 2)).averageAnswerSeconds, 1.5);
  t.equal(rates(waits(1, 2, 2)).averageAnswerSeconds, 1.7);
  const lost = fold([abandoned(jst('09:00:00'), 10), abandoned(jst('09:01:00'), 15)]);
  t.equal(rates(lost).averageAbandonSeconds, 12.5);
  t.equal(rates(lost).maxAbandonSeconds, 15);
});

t.test('a malformed wait counts as 0 s instead of poisoning the averages', async (t) => {
  const c = fold([
    ev('CONNECT', jst('09:00:00'), { agentId: 7, data: ['soon'] }),
    ev('CONNECT', jst('09:01:00'), { agentId: 7, data: [] }),
    ev('ABANDON', jst('09:02:00'), { data: ['1'] }),
    answered(jst('09:03:00'), 9),
  ]);
  t.equal(c.answered, 3);
  t.equal(c.answerWaitTotal, 9);
  t.equal(rates(c).averageAnswerSeconds, 3);
  t.equal(rates(c).averageAbandonSeconds, 0);
  t.equal(rates(c).maxAbandonSeconds, 0);
});

// ---- Days in a time zone

t.test('startOfDay: midnight in the zone', async (t) => {
  // Tokyo, UTC+9 all year: the day starts at 15:00 UTC the day before.
  t.same(startOfDay(new Date('2026-03-15T14:59:59Z'), TOKYO), new Date('2026-03-14T15:00:00Z'));
  t.same(startOfDay(new Date('2026-03-15T15:00:00Z'), TOKYO), new Date('2026-03-15T15:00:00Z'));
  t.same(startOfDay(new Date('2026-03-15T00:00:00Z'), TOKYO), new Date('2026-03-14T15:00:00Z'));
  t.same(startOfDay(new Date('2026-03-15T23:59:59.999Z'), 'UTC'), new Date('2026-03-15T00:00Z'));
  const midnight = new Date('2026-03-14T15:00:00Z');
  t.same(startOfDay(midnight, TOKYO), midnight, 'midnight is the start of its own day');
  t.throws(() => startOfDay(new Date(), 'Mars/Olympus_Mons'), RangeError);
});

t.test('startOfDay across DST changes: 23- and 25-hour days in New York', async (t) => {
  // 2024-03-10: 02:00 EST → 03:00 EDT. The day starts in EST (UTC-5) and is 23 hours long.
  const spring = startOfDay(new Date('2024-03-10T20:00:00Z'), NEW_YORK);
  t.same(spring, new Date('2024-03-10T05:00:00Z'));
  const after = startOfDay(new Date('2024-03-11T12:00:00Z'), NEW_YORK);
  t.same(after, new Date('2024-03-11T04:00:00Z'), 'the next day starts in EDT (UTC-4)');
  t.equal((after.getTime() - spring.getTime()) / 3_600_000, 23);
  t.same(startOfDay(new Date('2024-03-11T03:59:59Z'), NEW_YORK), spring, '23:59:59 EDT');

  // 2024-11-03: 02:00 EDT → 01:00 EST. 25 hours long; the repeated hour is still that day.
  const fall = startOfDay(new Date('2024-11-03T12:00:00Z'), NEW_YORK);
  t.same(fall, new Date('2024-11-03T04:00:00Z'));
  t.same(startOfDay(new Date('2024-11-03T05:30:00Z'), NEW_YORK), fall, '01:30 EDT');
  t.same(startOfDay(new Date('2024-11-03T06:30:00Z'), NEW_YORK), fall, '01:30 EST, again');
  const next = startOfDay(new Date('2024-11-04T12:00:00Z'), NEW_YORK);
  t.same(next, new Date('2024-11-04T05:00:00Z'));
  t.equal((next.getTime() - fall.getTime()) / 3_600_000, 25);
});

t.test('startOfDay when a DST change skips midnight (America/Santiago)', async (t) => {
  // 2024-09-08 00:00 -04 became 01:00 -03: the day has no midnight and starts at 01:00.
  const santiago = 'America/Santiago';
  t.same(startOfDay(new Date('2024-09-08T15:00:00Z'), santiago), new Date('2024-09-08T04:00:00Z'));
  t.same(
    startOfDay(new Date('2024-09-07T15:00:00Z'), santiago),
    new Date('2024-09-07T04:00:00Z'),
    'the day before, in -04',
  );
  t.same(
    startOfDay(new Date('2024-09-09T15:00:00Z'), santiago),
    new Date('2024-09-09T03:00:00Z'),
    'the day after, in -03',
  );
});

// ---- The 統計 report

t.test('by date: one row per day in the zone, zero days included, total 33.33 %', async (t) => {
  const events = [
    // 03-14: the seed's row of 5 calls.
    answered(jst('10:00:00', 14), 7),
    answered(jst('10:05:00', 14), 8),
    overflowed(jst('11:00:00', 14)),
    overflowed(jst('11:01:00', 14)),
    timedOut(jst('12:00:00', 14), 90),
    // 03-15: nothing. 03-16: one call lost.
    abandoned(jst('09:00:00', 16), 40),
  ];
  const report = groupReport(events, {
    breakdown: 'date',
    from: new Date(jst('00:00:00', 14)),
    to: new Date(jst('00:00:00', 17)),
    timeZone: TOKYO,
  });
  t.same(keys(report.rows), ['2026-03-14', '2026-03-15', '2026-03-16'], 'to is exclusive');
  t.same(byKey(report.rows, '2026-03-14'), {
    key: '2026-03-14',
    calls: 5,
    answered: 2,
    abandoned: 0,
    overflow: 2,
    timedOut: 1,
    answerRate: 40,
    averageAnswerSeconds: 7.5,
    maxAnswerSeconds: 8,
    averageAbandonSeconds: 0,
    maxAbandonSeconds: null,
    serviceLevel: 40,
  });
  t.same(byKey(report.rows, '2026-03-15'), {
    key: '2026-03-15',
    calls: 0,
    answered: 0,
    abandoned: 0,
    overflow: 0,
    timedOut: 0,
    answerRate: null,
    averageAnswerSeconds: 0,
    maxAnswerSeconds: null,
    averageAbandonSeconds: 0,
    maxAbandonSeconds: null,
    serviceLevel: null,
  });
  t.equal(byKey(report.rows, '2026-03-16').answerRate, 0);
  t.equal(report.total.key, 'total');
  t.equal(report.total.calls, 6);
  t.equal(report.total.answerRate, 33.33);
  t.equal(report.total.maxAbandonSeconds, 40);
});

t.test('by date: the window [from, to) and the day of the outcome decide', async (t) => {
  const from = new Date(jst('12:00:00', 14));
  const to = new Date(jst('06:00:00', 16));
  const call = newCallId();
  const events = [
    answered(jst('11:59:59', 14), 1), // before from
    answered(jst('12:00:00', 14), 2), // at from: in
    answered(jst('05:59:59', 16), 3), // just before to: in
    answered(jst('06:00:00', 16), 4), // at to: out
    // A call that entered the queue before midnight and was answered after it is the next day's.
    ev('ENTERQUEUE', jst('23:59:00', 14), { callId: call }),
    answered(jst('00:00:30', 15), 90, 7, call),
    // 15:30 UTC is already the 16th in Tokyo.
    abandoned('2026-03-15T15:30:00Z', 5),
  ];
  const report = groupReport(events, { breakdown: 'date', from, to, timeZone: TOKYO });
  t.same(keys(report.rows), ['2026-03-14', '2026-03-15', '2026-03-16'], 'partial days are rows');
  t.same(
    report.rows.map((r) => r.calls),
    [1, 1, 2],
  );
  t.equal(byKey(report.rows, '2026-03-14').maxAnswerSeconds, 2);
  t.equal(byKey(report.rows, '2026-03-15').maxAnswerSeconds, 90);
  t.equal(byKey(report.rows, '2026-03-16').abandoned, 1);
  t.equal(report.total.calls, 4);

  const empty = groupReport(events, { breakdown: 'date', from: to, to: from, timeZone: TOKYO });
  t.same(empty.rows, [], 'an empty range has no days');
  t.equal(empty.total.calls, 0);
  t.equal(empty.total.answerRate, null);
});

t.test('by date and hour across the New York fall-back day', async (t) => {
  const events = [
    answered('2024-11-03T04:30:00Z', 1), // 00:30 EDT, the 3rd
    answered('2024-11-03T05:30:00Z', 2), // 01:30 EDT
    answered('2024-11-03T06:30:00Z', 3), // 01:30 EST: the same hour of the clock, again
    answered('2024-11-03T07:30:00Z', 4), // 02:30 EST
    answered('2024-11-04T04:30:00Z', 5), // 23:30 EST, still the 3rd (it would be the 4th in EDT)
    answered('2024-11-04T05:00:00Z', 6), // 00:00 EST, the 4th
  ];
  const range = {
    from: startOfDay(new Date('2024-11-02T12:00:00Z'), NEW_YORK),
    to: startOfDay(new Date('2024-11-05T12:00:00Z'), NEW_YORK),
    timeZone: NEW_YORK,
  };
  const byDate = groupReport(events, { ...range, breakdown: 'date' });
  t.same(keys(byDate.rows), ['2024-11-02', '2024-11-03', '2024-11-04']);
  t.same(
    byDate.rows.map((r) => r.answered),
    [0, 5, 1],
  );
  const byHour = groupReport(events, { ...range, breakdown: 'hour' });
  t.equal(byKey(byHour.rows, '00').answered, 2);
  t.equal(byKey(byHour.rows, '01').answered, 2, 'both 01:00 hours');
  t.equal(byKey(byHour.rows, '01').maxAnswerSeconds, 3);
  t.equal(byKey(byHour.rows, '02').answered, 1);
  t.equal(byKey(byHour.rows, '23').answered, 1);
});

t.test('by hour: 24 rows 00…23, the hour of day over the whole range', async (t) => {
  const events = [
    answered(jst('09:10:00', 14), 4),
    answered(jst('09:50:00', 15), 6),
    abandoned(jst('23:59:59', 15), 30),
    answered('2026-03-15T00:10:00Z', 2), // 09:10 in Tokyo
  ];
  const report = groupReport(events, {
    breakdown: 'hour',
    from: new Date(jst('00:00:00', 14)),
    to: new Date(jst('00:00:00', 16)),
    timeZone: TOKYO,
  });
  t.same(
    keys(report.rows),
    Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
  );
  t.equal(byKey(report.rows, '09').answered, 3);
  t.equal(byKey(report.rows, '09').averageAnswerSeconds, 4);
  t.equal(byKey(report.rows, '23').abandoned, 1);
  t.equal(byKey(report.rows, '00').calls, 0);
  t.equal(byKey(report.rows, '00').answerRate, null);
});

t.test('by agent: one row per answering agent by id, then none', async (t) => {
  const events = [
    answered(jst('09:00:00'), 5, 10),
    answered(jst('09:01:00'), 7, 2),
    answered(jst('09:02:00'), 9, 10),
    answered(jst('09:03:00'), 3, 7),
    abandoned(jst('09:04:00'), 11),
    overflowed(jst('09:05:00')),
    timedOut(jst('09:06:00'), 60),
    ev('CONNECT', jst('09:07:00'), { agentId: null, data: ['1'] }),
    ev('RINGNOANSWER', jst('09:08:00'), { agentId: 99, data: ['15000'] }),
  ];
  const options: GroupReportOptions = {
    breakdown: 'agent',
    from: new Date(jst('00:00:00')),
    to: new Date(jst('00:00:00', 16)),
    timeZone: TOKYO,
  };
  const report = groupReport(events, options);
  t.same(keys(report.rows), ['2', '7', '10', 'none'], 'numeric order; ringing alone is no row');
  t.same(
    report.rows.map((r) => [r.calls, r.answered]),
    [
      [1, 1],
      [1, 1],
      [2, 2],
      [4, 1],
    ],
  );
  t.equal(byKey(report.rows, '10').averageAnswerSeconds, 7);
  t.equal(byKey(report.rows, 'none').answerRate, 25);
  const noAgentRow = groupReport([answered(jst('09:00:00'), 5, 3)], options);
  t.same(keys(noAgentRow.rows), ['3', 'none'], 'none is always there');
  t.equal(byKey(noAgentRow.rows, 'none').calls, 0);
  t.same(keys(groupReport([], options).rows), ['none']);
});

t.test('talk time bands: [lower, upper) seconds', async (t) => {
  const edges: [number, string][] = [
    [0, '0-30s'],
    [29, '0-30s'],
    [30, '30-60s'],
    [59, '30-60s'],
    [60, '1-3m'],
    [179, '1-3m'],
    [180, '3-5m'],
    [299, '3-5m'],
    [300, '5-10m'],
    [599, '5-10m'],
    [600, '10m+'],
    [7200, '10m+'],
  ];
  for (const [seconds, band] of edges) t.equal(talkBandOf(seconds), band, `${seconds} s`);
});

t.test('by talk duration: from the call’s COMPLETE event; in progress; unanswered', async (t) => {
  const call = (talk: number, by?: 'COMPLETECALLER' | 'COMPLETEAGENT') => {
    const id = newCallId();
    return [answered(jst('10:00:00'), 5, 7, id), completed(jst('10:30:00'), id, talk, by)];
  };
  const stillTalking = newCallId();
  const endedAfterTo = newCallId();
  const otherGroupsEnd = newCallId();
  const events = [
    ...call(12),
    ...call(29, 'COMPLETEAGENT'),
    ...call(30),
    ...call(90),
    ...call(200),
    ...call(420, 'COMPLETEAGENT'),
    ...call(600),
    answered(jst('11:00:00'), 5, 7, stillTalking),
    // Answered inside the window, ended after it: its talk time is known all the same.
    answered(jst('23:50:00'), 5, 7, endedAfterTo),
    completed(jst('00:20:00', 16), endedAfterTo, 1800),
    // The same call id completing in another group says nothing about this group's call.
    answered(jst('12:00:00'), 5, 7, otherGroupsEnd),
    completed(jst('12:05:00'), otherGroupsEnd, 300, 'COMPLETECALLER', 2),
    abandoned(jst('13:00:00'), 20),
    overflowed(jst('13:01:00')),
    timedOut(jst('13:02:00'), 60),
  ];
  const report = groupReport(events, {
    breakdown: 'talk_duration',
    from: new Date(jst('00:00:00')),
    to: new Date(jst('00:00:00', 16)),
    timeZone: TOKYO,
  });
  t.same(keys(report.rows), [
    '0-30s',
    '30-60s',
    '1-3m',
    '3-5m',
    '5-10m',
    '10m+',
    'in_progress',
    'unanswered',
  ]);
  t.same(
    report.rows.map((r) => r.calls),
    [2, 1, 1, 1, 1, 2, 2, 3],
  );
  t.equal(byKey(report.rows, 'unanswered').answered, 0);
  t.equal(byKey(report.rows, 'unanswered').answerRate, 0);
  t.equal(byKey(report.rows, 'in_progress').answerRate, 100);
  t.equal(report.total.calls, 13);
  t.equal(report.total.answered, 10);
});

t.test('the total row is the sum of the rows, for every breakdown', async (t) => {
  const events: QueueEvent[] = [];
  // Three days of traffic at various hours, by three agents, with every outcome.
  for (let day = 14; day <= 16; day++) {
    for (const [i, hour] of ['02', '09', '13', '18', '23'].entries()) {
      const id = newCallId();
      events.push(answered(jst(`${hour}:0${i}:00`, day), 3 * i + day - 10, (i % 3) + 1, id));
      if (i !== 2) events.push(completed(jst(`${hour}:3${i}:00`, day), id, 45 * i * i));
      events.push(abandoned(jst(`${hour}:1${i}:00`, day), 10 + i));
      if (i % 2 === 0) events.push(overflowed(jst(`${hour}:2${i}:00`, day)));
      if (i === 4) events.push(timedOut(jst(`${hour}:4${i}:00`, day), 120));
    }
  }
  const from = new Date(jst('09:30:00', 14));
  const to = new Date(jst('20:00:00', 16));
  const inWindow = events.filter((e) => e.at >= from && e.at < to);
  for (const breakdown of ['date', 'hour', 'agent', 'talk_duration'] as const) {
    const report = groupReport(events, {
      breakdown,
      from,
      to,
      timeZone: TOKYO,
      thresholdSeconds: 10,
    });
    const sum = (column: 'calls' | 'answered' | 'abandoned' | 'overflow' | 'timedOut') =>
      report.rows.reduce((s, r) => s + r[column], 0);
    const max = (column: 'maxAnswerSeconds' | 'maxAbandonSeconds') =>
      Math.max(...report.rows.map((r) => r[column] ?? -1));
    for (const column of ['calls', 'answered', 'abandoned', 'overflow', 'timedOut'] as const) {
      t.equal(report.total[column], sum(column), `${breakdown}: ${column}`);
    }
    t.equal(report.total.maxAnswerSeconds, max('maxAnswerSeconds'), `${breakdown}: max answer`);
    t.equal(report.total.maxAbandonSeconds, max('maxAbandonSeconds'), `${breakdown}: max lost`);
    t.same(
      report.total,
      { key: 'total', ...columnsOf(fold(inWindow, 10)) },
      `${breakdown}: the total recounts the window`,
    );
    t.ok(report.total.calls > 0);
  }
});

// ---- Realtime folding and the answer rate chart

t.test('fold equals batch: the realtime counters since midnight equal a recount', async (t) => {
  const now = new Date(jst('14:00:00'));
  const yesterday = [answered(jst('22:00:00', 14), 3), abandoned(jst('23:59:59', 14), 8)];
  const today: QueueEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const at = jst(
      `${String(Math.floor(i / 3)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00`,
    );
    const id = newCallId();
    today.push(ev('ENTERQUEUE', at, { callId: id }));
    if (i % 5 === 0) today.push(abandoned(at, i, id));
    else if (i % 7 === 0) today.push(overflowed(at, id));
    else if (i % 11 === 0) today.push(timedOut(at, 60, id));
    else today.push(answered(at, i % 25, (i % 4) + 1, id), completed(at, id, i * 10));
  }
  // The realtime view: counters reset at midnight, then every live event as it comes.
  const midnight = startOfDay(now, TOKYO);
  let live = emptyCounters();
  for (const e of [...yesterday, ...today]) {
    if (e.at >= midnight) live = countEvent(live, e, 15);
  }
  const log = [...yesterday, ...today];
  const recount = groupReport(log, {
    breakdown: 'date',
    from: midnight,
    to: new Date(now.getTime() + 1),
    timeZone: TOKYO,
    thresholdSeconds: 15,
  });
  t.same(keys(recount.rows), ['2026-03-15']);
  t.same(recount.rows[0], { key: '2026-03-15', ...columnsOf(live) });
  t.same(recount.total, { key: 'total', ...columnsOf(live) });
  t.ok(live.answered > 0 && live.abandoned > 0 && live.overflow > 0 && live.timedOut > 0);

  // The chart's buckets recount the same calls.
  const buckets = answerRateBuckets(log, { now, hours: 24 });
  const inChart = log.filter((e) => e.at >= (buckets[0]?.start ?? now));
  const chart = fold(inChart);
  t.equal(
    buckets.reduce((s, b) => s + b.answered, 0),
    chart.answered,
  );
  t.equal(
    buckets.reduce((s, b) => s + b.abandoned, 0),
    chart.abandoned,
  );
  t.equal(
    buckets.reduce((s, b) => s + b.calls, 0),
    chart.calls,
  );
});

t.test('answer rate buckets: 5-minute, aligned, the last one holding now', async (t) => {
  const now = new Date(jst('10:07:30'));
  const events = [
    answered(jst('07:09:59'), 5), // before the first bucket
    answered(jst('07:10:00'), 5), // the first bucket's first instant
    abandoned(jst('07:14:59'), 5),
    answered(jst('09:00:00'), 5),
    overflowed(jst('09:01:00')), // a call not answered: the rate is 50 %
    answered(jst('10:07:30'), 5), // now
    answered(jst('10:09:59'), 5), // the last bucket, though after now
    answered(jst('10:10:00'), 5), // beyond the last bucket
  ];
  const buckets = answerRateBuckets(events, { now, hours: 3 });
  t.equal(buckets.length, 36);
  t.same(buckets[0]?.start, new Date(jst('07:10:00')));
  t.same(buckets[35]?.start, new Date(jst('10:05:00')));
  for (const [i, b] of buckets.entries()) {
    t.equal(b.start.getTime() % 300_000, 0, 'aligned to 5 minutes');
    if (i > 0) t.equal(b.start.getTime() - (buckets[i - 1]?.start.getTime() ?? 0), 300_000);
  }
  t.same(buckets[0], {
    start: new Date(jst('07:10:00')),
    calls: 2,
    answered: 1,
    abandoned: 1,
    answerRate: 50,
  });
  const nine = buckets.find((b) => b.start.getTime() === new Date(jst('09:00:00')).getTime());
  t.same(nine, {
    start: new Date(jst('09:00:00')),
    calls: 2,
    answered: 1,
    abandoned: 0,
    answerRate: 50,
  });
  t.equal(buckets[35]?.answered, 2);
  t.equal(buckets[1]?.answerRate, null, 'an empty bucket has no rate');
  t.equal(buckets[1]?.calls, 0);

  // now on a boundary opens a new bucket.
  const onBoundary = answerRateBuckets(events, { now: new Date(jst('10:05:00')), hours: 3 });
  t.same(onBoundary.at(-1)?.start, new Date(jst('10:05:00')));
  t.same(onBoundary[0]?.start, new Date(jst('07:10:00')));

  for (const hours of [3, 6, 9, 12, 24] as const) {
    t.equal(answerRateBuckets([], { now, hours }).length, hours * 12, `${hours} h`);
  }
  const quarters = answerRateBuckets(events, { now, hours: 3, bucketMinutes: 15 });
  t.equal(quarters.length, 12);
  t.same(quarters.at(-1)?.start, new Date(jst('10:00:00')));
  t.throws(() => answerRateBuckets(events, { now, hours: 3, bucketMinutes: 7 }), RangeError);
  t.throws(() => answerRateBuckets(events, { now, hours: 3, bucketMinutes: 0 }), RangeError);
});

t.test(
  'answer rate buckets start on the 5 minutes of the local clock, even at +05:45',
  async (t) => {
    const clock = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Kathmandu',
      minute: 'numeric',
      second: 'numeric',
    });
    const buckets = answerRateBuckets([], { now: new Date('2026-03-15T06:33:20Z'), hours: 3 });
    // A loop alone would pass on no buckets at all.
    t.equal(buckets.length, 36, '3 hours of 5-minute buckets');
    const offGrid = buckets
      .map((b) => clock.formatToParts(b.start))
      .map((parts) => ({
        minute: Number(parts.find((p) => p.type === 'minute')?.value),
        second: Number(parts.find((p) => p.type === 'second')?.value),
      }))
      .filter(({ minute, second }) => minute % 5 !== 0 || second !== 0);
    t.same(offGrid, [], 'every bucket on a local multiple of 5 minutes');
  },
);
