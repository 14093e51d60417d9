/**
 * The group statistics report (§10-2 統計) and today's realtime counters, answered from the
 * rollups (rollup.ts) rather than from the event log: a 90-day report reads a few thousand slot
 * rows, not millions of events, and holds only per-row sums.
 *
 * The rows are those group-report.ts defines over events (a test holds the two equal):
 * - 'date' / 'hour': each 15-minute slot counts in the local date or hour it starts in. Local
 *   days and hours are whole slots wherever the zone's offset is a multiple of 15 minutes (every
 *   offset in use); for a range where it is not, the report is counted from the log instead;
 * - 'agent': the answered calls per agent; 'none' = the calls nobody answered;
 * - 'talk_duration': the answered calls per talk band once their talk ended, 'in_progress' the
 *   open answers, 'unanswered' the rest.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { dateKeyOf, hourKeyOf } from '../platform/calendar.js';
import type { Db } from '../platform/db/client.js';
import { addCounters, emptyCounters, type QueueCounters } from './counters.js';
import {
  IN_PROGRESS,
  NO_AGENT,
  TALK_BANDS,
  UNANSWERED,
  emptyRows,
  groupReport,
  reportOf,
  type GroupReport,
  type ReportBreakdown,
} from './group-report.js';
import { queueLogPage } from './queue-log.js';
import { NO_AGENT_ID, SLOT_MS, answerCounters, slotOf, slotStart } from './rollup.js';

export interface GroupStatsQuery {
  /** One group, or every group. */
  groupIds?: readonly number[] | undefined;
  breakdown: ReportBreakdown;
  /** Inclusive, a local midnight. */
  from: Date;
  /** Exclusive, a local midnight. */
  to: Date;
  timeZone: string;
  /** For a report counted from the log: the group's service-level time (rollups keep their own). */
  thresholdSeconds?: number | undefined;
}

const SUMS =
  'sum(calls) AS calls, sum(answered) AS answered, sum(abandoned) AS abandoned, ' +
  'sum(overflow) AS overflow, sum(timed_out) AS timed_out, ' +
  'sum(answered_within) AS answered_within, sum(answer_wait_total) AS answer_wait_total, ' +
  'max(answer_wait_max) AS answer_wait_max, sum(abandon_wait_total) AS abandon_wait_total, ' +
  'max(abandon_wait_max) AS abandon_wait_max';

interface SumRow {
  calls: number | null;
  answered: number | null;
  abandoned: number | null;
  overflow: number | null;
  timed_out: number | null;
  answered_within: number | null;
  answer_wait_total: number | null;
  answer_wait_max: number | null;
  abandon_wait_total: number | null;
  abandon_wait_max: number | null;
}

const countersOf = (r: SumRow): QueueCounters => ({
  calls: r.calls ?? 0,
  answered: r.answered ?? 0,
  abandoned: r.abandoned ?? 0,
  overflow: r.overflow ?? 0,
  timedOut: r.timed_out ?? 0,
  answeredWithinThreshold: r.answered_within ?? 0,
  answerWaitTotal: r.answer_wait_total ?? 0,
  answerWaitMax: r.answer_wait_max ?? 0,
  abandonWaitTotal: r.abandon_wait_total ?? 0,
  abandonWaitMax: r.abandon_wait_max ?? 0,
});

/** The calls of some counters nobody answered (all answered calls taken out). */
function unansweredOf(c: QueueCounters): QueueCounters {
  return {
    ...c,
    calls: c.calls - c.answered,
    answered: 0,
    answeredWithinThreshold: 0,
    answerWaitTotal: 0,
    answerWaitMax: 0,
  };
}

/** `AND group_id IN (…)`, or nothing for every group; with its parameters. */
function groupFilter(groupIds: readonly number[] | undefined): { sql: string; params: number[] } {
  if (groupIds === undefined) return { sql: '', params: [] };
  return {
    sql: ` AND group_id IN (${groupIds.map(() => '?').join(', ') || 'NULL'})`,
    params: [...groupIds],
  };
}

function all<R>(sqlite: BetterSqlite3.Database, sql: string, params: unknown[]): R[] {
  return sqlite.prepare<unknown[], R>(sql).all(...params);
}

/** Whether local days and hours fall on slot boundaries all through [from, to). */
function slotAligned(from: Date, to: Date, timeZone: string): boolean {
  if (from.getTime() % SLOT_MS !== 0 || to.getTime() % SLOT_MS !== 0) return false;
  // Where the local hour changes, it must change exactly at a slot's start: the last instant
  // before that start is still in the previous slot's hour.
  let previous = hourKeyOf(from, timeZone);
  for (let slot = slotOf(from) + 1; slot < slotOf(to); slot++) {
    const hour = hourKeyOf(slotStart(slot), timeZone);
    if (hour !== previous && hourKeyOf(new Date(slot * SLOT_MS - 1), timeZone) !== previous)
      return false;
    previous = hour;
  }
  return true;
}

/** The report of §10-2 for a range, from the rollups (or the log, see above). */
export function groupStatsReport(db: Db, query: GroupStatsQuery): GroupReport {
  const sqlite = db.$client;
  const { breakdown, from, to, timeZone } = query;
  if (!slotAligned(from, to, timeZone)) return reportFromLog(db, query);
  const groups = groupFilter(query.groupIds);
  const range = [slotOf(from), slotOf(to)];
  const slots = all<SumRow & { slot: number }>(
    sqlite,
    `SELECT slot, ${SUMS} FROM queue_stats_slots WHERE slot >= ? AND slot < ?${groups.sql} ` +
      'GROUP BY slot',
    [...range, ...groups.params],
  );
  const total = slots.map(countersOf).reduce(addCounters, emptyCounters());
  const rows = emptyRows(query);
  const into = (key: string, counters: QueueCounters) =>
    rows.set(key, addCounters(rows.get(key) ?? emptyCounters(), counters));

  switch (breakdown) {
    case 'date':
    case 'hour': {
      const keyOf = breakdown === 'date' ? dateKeyOf : hourKeyOf;
      for (const row of slots) into(keyOf(slotStart(row.slot), timeZone), countersOf(row));
      break;
    }
    case 'agent': {
      const agents = all<SumRow & { agent_id: number }>(
        sqlite,
        `SELECT agent_id, ${SUMS} FROM queue_stats_agents WHERE slot >= ? AND slot < ?` +
          `${groups.sql} GROUP BY agent_id`,
        [...range, ...groups.params],
      );
      for (const row of agents) {
        into(row.agent_id === NO_AGENT_ID ? NO_AGENT : String(row.agent_id), countersOf(row));
      }
      into(NO_AGENT, unansweredOf(total));
      break;
    }
    case 'talk_duration': {
      const bands = all<SumRow & { band: number }>(
        sqlite,
        `SELECT band, ${SUMS} FROM queue_stats_talk WHERE slot >= ? AND slot < ?${groups.sql} ` +
          'GROUP BY band',
        [...range, ...groups.params],
      );
      for (const row of bands) into(TALK_BANDS[row.band]?.key ?? IN_PROGRESS, countersOf(row));
      const open = all<{ wait: number; within: number }>(
        sqlite,
        `SELECT wait, within FROM queue_open_answers WHERE slot >= ? AND slot < ?${groups.sql}`,
        [...range, ...groups.params],
      );
      for (const a of open)
        into(IN_PROGRESS, answerCounters({ wait: a.wait, within: a.within === 1 }));
      into(UNANSWERED, unansweredOf(total));
      break;
    }
  }
  return reportOf(breakdown, rows, total);
}

/** The report counted from the log itself, for a range the slots do not tile. */
function reportFromLog(db: Db, query: GroupStatsQuery): GroupReport {
  // Talk time comes from the COMPLETE event, which may follow the range's end.
  const events = queueLogPage(db, {
    from: query.from,
    to: new Date(query.to.getTime() + 86_400_000),
    groupIds: query.groupIds === undefined ? undefined : [...query.groupIds],
    limit: Number.MAX_SAFE_INTEGER,
  }).events;
  return groupReport(events, {
    breakdown: query.breakdown,
    from: query.from,
    to: query.to,
    timeZone: query.timeZone,
    ...(query.thresholdSeconds !== undefined && { thresholdSeconds: query.thresholdSeconds }),
  });
}

/** Each group's counters since `from` (a slot boundary): the realtime view's start of day. */
export function countersSince(db: Db, from: Date): Map<number, QueueCounters> {
  const rows = all<SumRow & { group_id: number }>(
    db.$client,
    `SELECT group_id, ${SUMS} FROM queue_stats_slots WHERE slot >= ? GROUP BY group_id`,
    [slotOf(from)],
  );
  return new Map(rows.map((r) => [r.group_id, countersOf(r)]));
}
