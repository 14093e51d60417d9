/**
 * The 統計 table of a group (§10-2): a row per date, hour, agent or talk-time band, and the total,
 * counted from the queue event log with the definitions of counters.ts. `groupReport` is the
 * definition, over events; reports.ts answers the same table from the rollups (rollup.ts), and a
 * test holds the two equal.
 */
import { dateKeyOfDayNumber, dayNumber, pad, wallClock } from '../platform/calendar.js';
import {
  DEFAULT_SERVICE_LEVEL_SECONDS,
  columnsOf,
  countEvent,
  emptyCounters,
  finiteOrZero,
  type QueueColumns,
  type QueueCounters,
} from './counters.js';
import { outcomeOf, talkSecondsOf, type QueueEvent } from './model.js';

/** 区分: 日付 / 時間 / エージェント / 通話時間. */
export type ReportBreakdown = 'date' | 'hour' | 'agent' | 'talk_duration';

export interface GroupReportOptions {
  breakdown: ReportBreakdown;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** IANA zone of the calendar days and hours. */
  timeZone: string;
  thresholdSeconds?: number;
}

export interface ReportRow extends QueueColumns {
  key: string;
}

export interface GroupReport {
  rows: ReportRow[];
  /** 合計: the same columns over every call of the rows (key 'total'). */
  total: ReportRow;
}

/** Talk time bands of the 通話時間 breakdown: [lower, upper) in seconds. */
export const TALK_BANDS = [
  { key: '0-30s', upTo: 30 },
  { key: '30-60s', upTo: 60 },
  { key: '1-3m', upTo: 180 },
  { key: '3-5m', upTo: 300 },
  { key: '5-10m', upTo: 600 },
  { key: '10m+', upTo: Infinity },
] as const;

/** Answered calls whose COMPLETE event is not (yet) in the log. */
export const IN_PROGRESS = 'in_progress';
/** Calls no agent answered (abandoned, overflow, timed out), in the 通話時間 breakdown. */
export const UNANSWERED = 'unanswered';
/** Calls no agent answered, in the エージェント breakdown. */
export const NO_AGENT = 'none';

const TALK_DURATION_KEYS: readonly string[] = [
  ...TALK_BANDS.map((b) => b.key),
  IN_PROGRESS,
  UNANSWERED,
];

/** The index in TALK_BANDS of the band of an answered call that talked `seconds`. */
export function talkBandIndex(seconds: number): number {
  const index = TALK_BANDS.findIndex((b) => seconds < b.upTo);
  // Only NaN is below no bound; callers pass finite numbers.
  return index === -1 ? TALK_BANDS.length - 1 : index;
}

/** The talk band of an answered call that talked `seconds`. */
export function talkBandOf(seconds: number): string {
  return TALK_BANDS[talkBandIndex(seconds)]?.key ?? TALK_DURATION_KEYS[0] ?? '';
}

const HOUR_KEYS = Array.from({ length: 24 }, (_, h) => pad(h, 2));

/**
 * The talk time of each answered call, keyed by its CONNECT event: from the first COMPLETECALLER
 * or COMPLETEAGENT of the same call in the same group at or after the CONNECT, wherever it falls
 * in time (a call answered before `to` and ended after still has its talk time, if the log given
 * holds it). Matching on the group too keeps a call that went through two groups apart.
 */
function talkSecondsByConnect(events: readonly QueueEvent[]): Map<QueueEvent, number> {
  const callKey = (e: QueueEvent) => `${String(e.groupId)}|${e.callId}`;
  const completions = new Map<string, QueueEvent[]>();
  for (const e of events) {
    if (e.event !== 'COMPLETECALLER' && e.event !== 'COMPLETEAGENT') continue;
    const list = completions.get(callKey(e)) ?? [];
    list.push(e);
    completions.set(callKey(e), list);
  }
  for (const list of completions.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime());
  const talk = new Map<QueueEvent, number>();
  for (const e of events) {
    if (e.event !== 'CONNECT') continue;
    const end = completions.get(callKey(e))?.find((c) => c.at.getTime() >= e.at.getTime());
    if (end !== undefined) talk.set(e, finiteOrZero(talkSecondsOf(end)));
  }
  return talk;
}

/**
 * The 統計 table of a group: one row per breakdown value and the total, over the outcome events
 * with from ≤ at < to (pass the group's events; pass every group's for the "All" row). Rows:
 * - 'date': every calendar day in the zone from `from`'s to the last instant before `to`, days
 *   without calls included, key YYYY-MM-DD, ascending;
 * - 'hour': 24 rows '00'…'23', the hour of day in the zone over the whole range (a day's repeated
 *   hour on a DST fall-back counts in its one row);
 * - 'agent': one per agent who answered (key = the agent id), by id, then 'none' for the calls no
 *   agent answered (a CONNECT without an agent, which the log should never hold, counts there);
 * - 'talk_duration': the answered calls by talk time band (TALK_BANDS), then 'in_progress'
 *   (answered, no COMPLETE event yet), then 'unanswered'.
 * The total is counted on its own and equals the sum of the rows.
 */
export function groupReport(
  events: readonly QueueEvent[],
  options: GroupReportOptions,
): GroupReport {
  const { breakdown, timeZone } = options;
  const from = options.from.getTime();
  const to = options.to.getTime();
  const threshold = options.thresholdSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS;

  const talk =
    breakdown === 'talk_duration' ? talkSecondsByConnect(events) : new Map<QueueEvent, number>();
  const keyOf = (e: QueueEvent): string => {
    switch (breakdown) {
      case 'date':
        return dateKeyOfDayNumber(dayNumber(wallClock(e.at, timeZone)));
      case 'hour':
        return pad(wallClock(e.at, timeZone).hour, 2);
      case 'agent':
        return e.event === 'CONNECT' && e.agentId !== null ? String(e.agentId) : NO_AGENT;
      case 'talk_duration': {
        if (e.event !== 'CONNECT') return UNANSWERED;
        const seconds = talk.get(e);
        return seconds === undefined ? IN_PROGRESS : talkBandOf(seconds);
      }
    }
  };

  const rows = emptyRows(options);
  let total = emptyCounters();
  for (const e of events) {
    const at = e.at.getTime();
    if (outcomeOf(e.event) === undefined || at < from || at >= to) continue;
    const key = keyOf(e);
    rows.set(key, countEvent(rows.get(key) ?? emptyCounters(), e, threshold));
    total = countEvent(total, e, threshold);
  }
  return reportOf(breakdown, rows, total);
}

/**
 * The rows a report shows even without calls: every day of the range, the 24 hours, the bands,
 * 'none'. A key outside these — an agent, or (only with a zone whose clock steps back over
 * midnight) a date — gets its row when a call counts in it.
 */
export function emptyRows(
  options: Pick<GroupReportOptions, 'breakdown' | 'from' | 'to' | 'timeZone'>,
): Map<string, QueueCounters> {
  const { breakdown, timeZone } = options;
  const from = options.from.getTime();
  const to = options.to.getTime();
  let keys: string[];
  switch (breakdown) {
    case 'date': {
      keys = [];
      if (from < to) {
        const last = dayNumber(wallClock(new Date(to - 1), timeZone));
        for (let day = dayNumber(wallClock(new Date(from), timeZone)); day <= last; day++) {
          keys.push(dateKeyOfDayNumber(day));
        }
      }
      break;
    }
    case 'hour':
      keys = [...HOUR_KEYS];
      break;
    case 'agent':
      keys = [NO_AGENT];
      break;
    case 'talk_duration':
      keys = [...TALK_DURATION_KEYS];
      break;
  }
  return new Map(keys.map((k) => [k, emptyCounters()]));
}

/** The report from its rows' counters: dates ascending, agents by id then 'none'. */
export function reportOf(
  breakdown: ReportBreakdown,
  rows: ReadonlyMap<string, QueueCounters>,
  total: QueueCounters,
): GroupReport {
  const ordered = [...rows.keys()];
  if (breakdown === 'date') ordered.sort();
  if (breakdown === 'agent') {
    const rank = (k: string) => (k === NO_AGENT ? Infinity : Number(k));
    ordered.sort((a, b) => rank(a) - rank(b));
  }
  return {
    rows: ordered.map((key) => ({ key, ...columnsOf(rows.get(key) ?? emptyCounters()) })),
    total: { key: 'total', ...columnsOf(total) },
  };
}
