/**
 * The report answered from the rollups equals the report counted from the events, for every
 * breakdown, over random call flows in several time zones; and rollups folded event by event
 * equal rollups rebuilt from the log in one pass.
 */
import fc from 'fast-check';
import t from 'tap';
import { dayNumberOfKey, dateKeyOfDayNumber, startOfDateKey } from '../../src/platform/calendar.js';
import { migrateDatabase, openDatabase } from '../../src/platform/db/client.js';
import { groupReport, type ReportBreakdown } from '../../src/queues/group-report.js';
import { groupStatsReport } from '../../src/queues/group-stats.js';
import type { QueueEvent } from '../../src/queues/model.js';
import { createQueueLog } from '../../src/queues/queue-log.js';
import { fakeClock } from '../support/fake-clock.js';

const ZONES = ['Asia/Tokyo', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'UTC'];
const BREAKDOWNS: ReportBreakdown[] = ['date', 'hour', 'agent', 'talk_duration'];
/** Calls start within these days; 2026-03-08 is New York's spring forward. */
const FIRST_DAY = '2026-03-06';
const DAYS = 4;

interface CallFlow {
  group: number;
  startMinute: number;
  waitSeconds: number;
  outcome: 'answered' | 'abandoned' | 'timed_out' | 'overflow';
  agentId: number | null;
  /** Talk seconds, or null when the call is still talking (no COMPLETE). */
  talkSeconds: number | null;
  /** A wait that is not a number, as a malformed row would have it. */
  malformed: boolean;
}

const callFlow = fc.record<CallFlow>({
  group: fc.integer({ min: 1, max: 3 }),
  startMinute: fc.integer({ min: 0, max: DAYS * 24 * 60 - 1 }),
  // Around the thresholds (5, 20, 60 s) often.
  waitSeconds: fc.oneof(
    fc.constantFrom(4, 5, 6, 19, 20, 21, 60, 61),
    fc.integer({ min: 0, max: 400 }),
  ),
  outcome: fc.constantFrom(
    'answered',
    'answered',
    'answered',
    'abandoned',
    'timed_out',
    'overflow',
  ),
  agentId: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 12 }),
  // The band edges (30 s, 1 min, 3, 5, 10 min) often, and calls that end days later.
  talkSeconds: fc.option(
    fc.oneof(
      fc.constantFrom(0, 29, 30, 59, 60, 179, 180, 299, 300, 599, 600),
      fc.integer({ min: 0, max: 2 * 24 * 3600 }),
    ),
    { freq: 8 },
  ),
  malformed: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});

/** The events of the flows, as the ACD would log them, in time order. */
function eventsOf(flows: readonly CallFlow[]): QueueEvent[] {
  const base = startOfDateKey(FIRST_DAY, 'UTC').getTime();
  const events: QueueEvent[] = [];
  flows.forEach((f, i) => {
    const callId = `call-${i}`;
    const entered = base + f.startMinute * 60_000 + (i % 60) * 1000;
    const outcomeAt = entered + f.waitSeconds * 1000;
    const wait = f.malformed ? 'x' : String(f.waitSeconds);
    const at = (ms: number) => new Date(ms);
    const groupId = f.group;
    events.push({
      at: at(entered),
      callId,
      groupId,
      agentId: null,
      event: 'ENTERQUEUE',
      data: ['', '0312345678', '1'],
    });
    switch (f.outcome) {
      case 'answered':
        events.push({
          at: at(outcomeAt),
          callId,
          groupId,
          agentId: f.agentId,
          event: 'CONNECT',
          data: [wait, 'chan', '3'],
        });
        if (f.talkSeconds !== null) {
          const complete = i % 2 === 0 ? 'COMPLETECALLER' : 'COMPLETEAGENT';
          events.push({
            at: at(outcomeAt + f.talkSeconds * 1000),
            callId,
            groupId,
            agentId: f.agentId,
            event: complete,
            data: [wait, String(f.talkSeconds), '1'],
          });
        }
        break;
      case 'abandoned':
        events.push({
          at: at(outcomeAt),
          callId,
          groupId,
          agentId: null,
          event: 'ABANDON',
          data: ['1', '1', wait],
        });
        break;
      case 'timed_out':
        events.push({
          at: at(outcomeAt),
          callId,
          groupId,
          agentId: null,
          event: 'EXITWITHTIMEOUT',
          data: ['1', '1', wait],
        });
        break;
      case 'overflow':
        events.push({
          at: at(entered),
          callId,
          groupId,
          agentId: null,
          event: 'EXITFULL',
          data: ['5', '5'],
        });
        break;
    }
  });
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function logged(events: readonly QueueEvent[], thresholds: Record<number, number>) {
  const database = openDatabase(':memory:');
  migrateDatabase(database);
  const insertGroup = database.sqlite.prepare(
    `insert into groups (id, name, service_level_seconds, created_at, created_by, updated_at, updated_by)
     values (?, ?, ?, 0, 'test', 0, 'test')`,
  );
  for (const [id, seconds] of Object.entries(thresholds))
    insertGroup.run(Number(id), `G${id}`, seconds);
  const queueLog = createQueueLog(database.db, fakeClock());
  for (const event of events) queueLog.append(event);
  return { database, queueLog };
}

const range = fc.record({
  zone: fc.constantFrom(...ZONES),
  firstDay: fc.integer({ min: -1, max: DAYS }),
  days: fc.integer({ min: 1, max: DAYS + 2 }),
  breakdown: fc.constantFrom(...BREAKDOWNS),
});

t.test('rollup reports equal the reports counted from the events', async (t) => {
  fc.assert(
    fc.property(fc.array(callFlow, { minLength: 1, maxLength: 60 }), range, (flows, r) => {
      const events = eventsOf(flows);
      const thresholds = { 1: 20, 2: 5, 3: 60 };
      const { database } = logged(events, thresholds);
      try {
        const first = dayNumberOfKey(FIRST_DAY) + r.firstDay;
        const from = startOfDateKey(dateKeyOfDayNumber(first), r.zone);
        const to = startOfDateKey(dateKeyOfDayNumber(first + r.days), r.zone);
        const options = { breakdown: r.breakdown, from, to, timeZone: r.zone };
        for (const group of [1, 2, 3]) {
          const fromRollups = groupStatsReport(database.db, { ...options, groupIds: [group] });
          const fromEvents = groupReport(
            events.filter((e) => e.groupId === group),
            { ...options, thresholdSeconds: thresholds[group as 1 | 2 | 3] },
          );
          if (JSON.stringify(fromRollups) !== JSON.stringify(fromEvents)) {
            throw new Error(
              `group ${group}: ${JSON.stringify(fromRollups)}\n≠ ${JSON.stringify(fromEvents)}`,
            );
          }
        }
      } finally {
        database.close();
      }
    }),
    { seed: 8008, numRuns: 150 },
  );
  t.pass('150 random logs × 3 groups');
});

t.test(
  'the all-groups report adds every group up, each call at its group’s threshold',
  async (t) => {
    fc.assert(
      fc.property(fc.array(callFlow, { minLength: 1, maxLength: 60 }), range, (flows, r) => {
        const events = eventsOf(flows);
        // With one threshold for all, the event count is the definition; with several, each
        // call still counts at its own group's (tested below).
        const { database } = logged(events, { 1: 20, 2: 20, 3: 20 });
        try {
          const first = dayNumberOfKey(FIRST_DAY) + r.firstDay;
          const options = {
            breakdown: r.breakdown,
            from: startOfDateKey(dateKeyOfDayNumber(first), r.zone),
            to: startOfDateKey(dateKeyOfDayNumber(first + r.days), r.zone),
            timeZone: r.zone,
          };
          const a = JSON.stringify(groupStatsReport(database.db, options));
          const b = JSON.stringify(groupReport(events, { ...options, thresholdSeconds: 20 }));
          if (a !== b) throw new Error(`${a}\n≠ ${b}`);
        } finally {
          database.close();
        }
      }),
      { seed: 4242, numRuns: 100 },
    );
    t.pass('100 random logs');

    const at = (time: string) => new Date(`2026-03-06T${time}Z`);
    const connect = (groupId: number, callId: string, wait: number): QueueEvent => ({
      at: at('01:00:00'),
      callId,
      groupId,
      agentId: 1,
      event: 'CONNECT',
      data: [String(wait), 'chan', '1'],
    });
    const { database } = logged([connect(1, 'a', 15), connect(2, 'b', 15)], { 1: 20, 2: 10 });
    const report = groupStatsReport(database.db, {
      breakdown: 'date',
      from: at('00:00:00'),
      to: new Date(at('00:00:00').getTime() + 86_400_000),
      timeZone: 'UTC',
    });
    t.match(
      report.total,
      { calls: 2, answered: 2, serviceLevel: 50 },
      '15 s is in 20 s, not in 10 s',
    );
    database.close();
  },
);

t.test(
  'the service level counts a call at the threshold in force when it was answered',
  async (t) => {
    const clock = fakeClock(new Date('2026-03-06T01:00:00Z'));
    const { database, queueLog } = logged([], { 1: 20 });
    const answer = (callId: string) =>
      queueLog.append({
        at: clock.now(),
        callId,
        groupId: 1,
        agentId: 1,
        event: 'CONNECT',
        data: ['15', 'c', '1'],
      });
    answer('before');
    database.sqlite.prepare('update groups set service_level_seconds = 10 where id = 1').run();
    answer('after');
    const report = groupStatsReport(database.db, {
      groupIds: [1],
      breakdown: 'date',
      from: new Date('2026-03-06T00:00:00Z'),
      to: new Date('2026-03-07T00:00:00Z'),
      timeZone: 'UTC',
    });
    t.match(report.total, { answered: 2, serviceLevel: 50 }, 'the first call keeps its 20 s');
    database.close();
  },
);

t.test('rollups rebuilt from the log equal the ones kept event by event', async (t) => {
  const tables = [
    'queue_stats_slots',
    'queue_stats_agents',
    'queue_stats_talk',
    'queue_open_answers',
  ];
  fc.assert(
    fc.property(fc.array(callFlow, { minLength: 1, maxLength: 80 }), (flows) => {
      const { database, queueLog } = logged(eventsOf(flows), { 1: 20, 2: 5, 3: 60 });
      try {
        const dump = () =>
          tables.map((table) =>
            JSON.stringify(
              database.sqlite.prepare(`select * from ${table} order by 1, 2, 3`).all(),
            ),
          );
        const kept = dump();
        for (const table of [...tables, 'queue_rollup_state'])
          database.sqlite.prepare(`delete from ${table}`).run();
        const read = queueLog.catchUpRollups();
        if (read === 0) throw new Error('nothing to catch up');
        const rebuilt = dump();
        if (JSON.stringify(kept) !== JSON.stringify(rebuilt)) {
          throw new Error(`kept ${kept.join('\n')}\n≠ rebuilt ${rebuilt.join('\n')}`);
        }
        if (queueLog.catchUpRollups() !== 0) throw new Error('a second catch-up found rows');
      } finally {
        database.close();
      }
    }),
    { seed: 77, numRuns: 60 },
  );
  t.pass('60 random logs');
});
