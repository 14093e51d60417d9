/**
 * Queue statistics (§10-1 リアルタイム, §10-2 統計) and agent status statistics (§10-5 ステータス統計),
 * as pure functions over the queue event log (model.ts) and the agent status log
 * (agents/schema.ts). No I/O: callers load the rows and pass them in.
 *
 * Definitions (queue statistics). A call offered to a group has exactly one outcome event, and
 * that event alone says what the call counts as:
 * - CONNECT → 応答呼 answered; its wait is data[0] seconds;
 * - ABANDON → 破棄呼/放棄呼 abandoned (the caller hung up while waiting); wait data[2];
 * - EXITWITHTIMEOUT → 制限時間 timed out (the group's timeout elapsed); wait data[2];
 * - EXITFULL → あふれ overflow: the queue was full, the call never entered it; no wait.
 * The other events (ENTERQUEUE, RING*, COMPLETE*, PAUSE …) count nothing, so a call is counted
 * once however many agents it rang.
 * - コール数 calls = answered + abandoned + overflow + timed out (the seed's example row 5 = 2+0+2+1).
 * - 応答率 answer rate = answered ÷ calls, in %, rounded to 2 decimals (seed: 2/6 = 33.33%); null
 *   (shown `-`) when there are no calls.
 * - Service level = calls answered within the threshold (wait ≤ thresholdSeconds, default 20) ÷
 *   calls, in %, 2 decimals, null when there are no calls. Overflowed calls count against it: they
 *   were offered and not answered.
 * - 平均/最大応答時間 = average/maximum wait of the answered calls; 平均/最大放棄時間 = the same
 *   for the abandoned calls. Timed-out calls feed neither: their wait is the group's timeout, not a
 *   caller's patience. Averages are rounded to 1 decimal; with nothing to average the average is 0
 *   and the maximum null (the seed's zero rows show 平均 `0s`, 最大 `-`).
 * - A wait that is not a number (a malformed log row) counts as 0 s rather than turning every
 *   average into NaN.
 * - A call belongs to the period, hour, agent … of its outcome event (`at`), not of its arrival:
 *   a call that waited across midnight is counted on the day it was answered or lost.
 *
 * The realtime view (§10-1) folds live events with the same reducer (`countEvent`) from the start
 * of the day in the call center's time zone (`startOfDay`), so its numbers always equal a recount
 * of the log by `groupReport`.
 */
import { outcomeOf, talkSecondsOf, waitSecondsOf, type QueueEvent } from './model.js';

/** Service level threshold when none is configured (seconds). */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

// ---------------------------------------------------------------------------------------------
// Counters

/** The additive state of a set of calls: every column is derived from it (see `rates`). */
export interface QueueCounters {
  readonly calls: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly overflow: number;
  readonly timedOut: number;
  /** Answered with a wait ≤ the threshold the events were counted with. */
  readonly answeredWithinThreshold: number;
  readonly answerWaitTotal: number;
  /** 0 while nothing was answered (`rates` then reports null). */
  readonly answerWaitMax: number;
  readonly abandonWaitTotal: number;
  /** 0 while nothing was abandoned (`rates` then reports null). */
  readonly abandonWaitMax: number;
}

export function emptyCounters(): QueueCounters {
  return {
    calls: 0,
    answered: 0,
    abandoned: 0,
    overflow: 0,
    timedOut: 0,
    answeredWithinThreshold: 0,
    answerWaitTotal: 0,
    answerWaitMax: 0,
    abandonWaitTotal: 0,
    abandonWaitMax: 0,
  };
}

function finiteOrZero(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

/**
 * Counts one event: new counters for an outcome event, the same counters (same object) for any
 * other event. Never mutates its input.
 */
export function countEvent(
  counters: QueueCounters,
  event: Pick<QueueEvent, 'event' | 'data'>,
  thresholdSeconds: number = DEFAULT_SERVICE_LEVEL_SECONDS,
): QueueCounters {
  const outcome = outcomeOf(event.event);
  if (outcome === undefined) return counters;
  const wait = finiteOrZero(waitSecondsOf(event));
  const calls = counters.calls + 1;
  switch (outcome) {
    case 'answered':
      return {
        ...counters,
        calls,
        answered: counters.answered + 1,
        answeredWithinThreshold:
          counters.answeredWithinThreshold + (wait <= thresholdSeconds ? 1 : 0),
        answerWaitTotal: counters.answerWaitTotal + wait,
        answerWaitMax: Math.max(counters.answerWaitMax, wait),
      };
    case 'abandoned':
      return {
        ...counters,
        calls,
        abandoned: counters.abandoned + 1,
        abandonWaitTotal: counters.abandonWaitTotal + wait,
        abandonWaitMax: Math.max(counters.abandonWaitMax, wait),
      };
    case 'overflow':
      return { ...counters, calls, overflow: counters.overflow + 1 };
    case 'timed_out':
      return { ...counters, calls, timedOut: counters.timedOut + 1 };
  }
}

/** part ÷ whole in %, 2 decimals; null for an empty whole. */
function percent(part: number, whole: number): number | null {
  // Rounded in hundredths of a percent, from the integers: (part·10000) ÷ whole lands exactly on
  // a half when the true value is one (1/32 → 312.5 → 3.13), where scaling an already rounded
  // percentage by 100 can miss it (1.005·100 = 100.49999…).
  return whole === 0 ? null : Math.round((part * 10000) / whole) / 100;
}

/** total ÷ count to 1 decimal; 0 when there is nothing to average. */
function average(total: number, count: number): number {
  return count === 0 ? 0 : Math.round((total * 10) / count) / 10;
}

export interface QueueRates {
  answerRate: number | null;
  serviceLevel: number | null;
  averageAnswerSeconds: number;
  maxAnswerSeconds: number | null;
  averageAbandonSeconds: number;
  maxAbandonSeconds: number | null;
}

export function rates(counters: QueueCounters): QueueRates {
  return {
    answerRate: percent(counters.answered, counters.calls),
    serviceLevel: percent(counters.answeredWithinThreshold, counters.calls),
    averageAnswerSeconds: average(counters.answerWaitTotal, counters.answered),
    maxAnswerSeconds: counters.answered === 0 ? null : counters.answerWaitMax,
    averageAbandonSeconds: average(counters.abandonWaitTotal, counters.abandoned),
    maxAbandonSeconds: counters.abandoned === 0 ? null : counters.abandonWaitMax,
  };
}

/** The columns of a statistics row (§10-2), service level added. */
export interface QueueColumns extends QueueRates {
  calls: number;
  answered: number;
  abandoned: number;
  overflow: number;
  timedOut: number;
}

export function columnsOf(counters: QueueCounters): QueueColumns {
  return {
    calls: counters.calls,
    answered: counters.answered,
    abandoned: counters.abandoned,
    overflow: counters.overflow,
    timedOut: counters.timedOut,
    ...rates(counters),
  };
}

// ---------------------------------------------------------------------------------------------
// Calendar in a time zone (Intl only: the zone database is the runtime's)

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// One formatter per zone: building them is the slow part of Intl. An invalid zone throws a
// RangeError here, on first use.
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: Date, timeZone: string): WallClock {
  let format = wallClockFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      // h23, not hour12: false, which some ICU versions render midnight as 24.
      hourCycle: 'h23',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** Days since 1970-01-01 of a calendar date, so that dates compare and step as integers. */
function dayNumber(date: Pick<WallClock, 'year' | 'month' | 'day'>): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function dateKeyOfDayNumber(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** The zone's UTC offset at an instant (ms, east positive). */
function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wall - Math.floor(instant / SECOND_MS) * SECOND_MS;
}

/** The first instant of a calendar date in a zone. */
function startOfDate(day: number, timeZone: string): Date {
  const wallMidnight = day * DAY_MS;
  // Local midnight lies within ±14 h of the same wall time in UTC, so the offsets a day either
  // side (and at it) include the one in force at midnight, even when it changes that day.
  const candidates = [-DAY_MS, 0, DAY_MS].map(
    (shift) => wallMidnight - offsetMs(wallMidnight + shift, timeZone),
  );
  const midnights = candidates.filter((c) => {
    const w = wallClock(new Date(c), timeZone);
    return dayNumber(w) === day && w.hour === 0 && w.minute === 0 && w.second === 0;
  });
  // A fall-back change at midnight shows 00:00 twice: the day starts at the first.
  if (midnights.length > 0) return new Date(Math.min(...midnights));
  // No 00:00 that day (a spring-forward change at midnight, e.g. America/Santiago): the day
  // starts at the change, which lies between the candidate still on the day before and the one
  // already on the day.
  let before = Math.min(...candidates);
  let after = Math.max(...candidates);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (dayNumber(wallClock(new Date(middle), timeZone)) >= day) after = middle;
    else before = middle;
  }
  return new Date(after);
}

/**
 * The start of the calendar day of `instant` in an IANA time zone: its midnight, whatever the
 * day's length (23 or 25 hours on a DST change); where a DST change skips midnight, the first
 * instant of the day. The realtime counters restart then.
 */
export function startOfDay(instant: Date, timeZone: string): Date {
  return startOfDate(dayNumber(wallClock(instant, timeZone)), timeZone);
}

// ---------------------------------------------------------------------------------------------
// Per-group history report (§10-2)

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

/** The talk band of an answered call that talked `seconds`. */
export function talkBandOf(seconds: number): string {
  // Only NaN is below no bound; callers pass finite numbers.
  return TALK_BANDS.find((b) => seconds < b.upTo)?.key ?? TALK_BANDS[5].key;
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

  const rows = new Map<string, QueueCounters>(keys.map((k) => [k, emptyCounters()]));
  let total = emptyCounters();
  for (const e of events) {
    const at = e.at.getTime();
    if (outcomeOf(e.event) === undefined || at < from || at >= to) continue;
    const key = keyOf(e);
    // A key outside the prepared ones is an agent, or (only with a zone whose clock steps back
    // over midnight) a date: it gets its row.
    rows.set(key, countEvent(rows.get(key) ?? emptyCounters(), e, threshold));
    total = countEvent(total, e, threshold);
  }

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

// ---------------------------------------------------------------------------------------------
// Answer rate chart of the group detail page (§10-1 "5分間ごとの応答率")

/** The chart's selectable spans. */
export const CHART_HOURS = [3, 6, 9, 12, 24] as const;
export type ChartHours = (typeof CHART_HOURS)[number];

export interface AnswerRateBucket {
  start: Date;
  /** Every call of the bucket: the answer rate's denominator. */
  calls: number;
  answered: number;
  abandoned: number;
  answerRate: number | null;
}

/**
 * The last `hours` hours in buckets of `bucketMinutes` (a divisor of 60), ascending. Buckets start
 * at multiples of their length since the epoch; as every UTC offset in use is a multiple of 15
 * minutes, 5-minute buckets start at :00, :05 … on every local clock too. The last bucket holds
 * `now`, so 3 hours of 5 minutes are 36 buckets, the last one partial. Events count in the bucket
 * of their outcome, with the definitions of `countEvent`; events before the first bucket or after
 * the end of the last are ignored.
 */
export function answerRateBuckets(
  events: readonly QueueEvent[],
  options: { now: Date; hours: ChartHours; bucketMinutes?: number },
): AnswerRateBucket[] {
  const bucketMinutes = options.bucketMinutes ?? 5;
  if (!Number.isInteger(bucketMinutes) || bucketMinutes <= 0 || 60 % bucketMinutes !== 0) {
    throw new RangeError(`bucketMinutes must divide 60, not ${bucketMinutes}`);
  }
  const size = bucketMinutes * MINUTE_MS;
  const count = (options.hours * 60) / bucketMinutes;
  const last = Math.floor(options.now.getTime() / size) * size;
  const first = last - (count - 1) * size;
  const counters = Array.from({ length: count }, () => emptyCounters());
  for (const e of events) {
    const i = Math.floor((e.at.getTime() - first) / size);
    const current = counters[i];
    if (current !== undefined) counters[i] = countEvent(current, e);
  }
  return counters.map((c, i) => ({
    start: new Date(first + i * size),
    calls: c.calls,
    answered: c.answered,
    abandoned: c.abandoned,
    answerRate: rates(c).answerRate,
  }));
}

// ---------------------------------------------------------------------------------------------
// Agent status statistics (§10-5)

/** One row of the agent status log. */
export interface StatusInterval {
  agentId: number;
  /** A built-in status (agents/status.ts). */
  status: string;
  /** The custom status, when the status is `paused` by one. */
  customStatusId: number | null;
  startedAt: Date;
  /** Null while the agent is still in this status. */
  endedAt: Date | null;
}

/** The column of a status: the built-in status, or `custom:<id>` for a paused custom status. */
export function statusKeyOf(status: string, customStatusId: number | null): string {
  return status === 'paused' && customStatusId !== null ? `custom:${customStatusId}` : status;
}

export interface StatusReportOptions {
  from: Date;
  to: Date;
  now: Date;
  /** 区分: エージェント (one row per agent) or 時間 (one per agent and hour of day). */
  breakdown: 'agent' | 'hour';
  timeZone: string;
}

export interface StatusCell {
  /** Time in the status within the row (ms precision). */
  seconds: number;
  /** 回数: the intervals in the status that started inside the row's window or overlap its start. */
  count: number;
  /** % of the row's observed time, 2 decimals; the shares of a row sum to exactly 100. */
  share: number;
  /** 平均: seconds ÷ count, 1 decimal. */
  averageSeconds: number;
}

export interface StatusRow {
  agentId: number;
  /** The hour of day in the zone, '00'…'23', for the 'hour' breakdown; null for 'agent'. */
  hour: string | null;
  /** Time covered by the agent's log within the row: the sum of the row's seconds. */
  observedSeconds: number;
  /** By status key (`statusKeyOf`); a status the agent was not in within the row is absent. */
  statuses: Record<string, StatusCell>;
}

interface StatusTally {
  ms: number;
  count: number;
}

/**
 * Largest remainder rounding of shares to hundredths of a percent, so that a row's shares sum to
 * exactly 100.00 (the seed: "rows sum to 100%"), where rounding each share alone may miss by a few
 * hundredths. Ties go to the longer time, then the key, so that the result is stable.
 */
function shares(tallies: Map<string, StatusTally>, observedMs: number): Map<string, number> {
  const result = new Map<string, number>();
  if (observedMs === 0) {
    for (const key of tallies.keys()) result.set(key, 0);
    return result;
  }
  const exact = [...tallies].map(([key, t]) => {
    const hundredths = (t.ms * 10000) / observedMs;
    return { key, ms: t.ms, floor: Math.floor(hundredths), rest: hundredths % 1 };
  });
  let missing = 10000 - exact.reduce((sum, s) => sum + s.floor, 0);
  const byRest = [...exact].sort(
    (a, b) => b.rest - a.rest || b.ms - a.ms || a.key.localeCompare(b.key),
  );
  for (const s of byRest) {
    if (missing <= 0) break;
    s.floor += 1;
    missing -= 1;
  }
  for (const s of exact) result.set(s.key, s.floor / 100);
  return result;
}

/**
 * The ステータス統計 table. Each interval is clipped to the window [from, min(to, now)); an open
 * interval (endedAt null) runs until now. Rows are per agent ('agent') or per agent and hour of
 * day in the zone ('hour': an interval is cut at the local hours, and each hour of each day is a
 * window of its own, so 09:50–10:10 counts once in '09' and once in '10', and a multi-day range
 * adds up the same hour of every day). Only agents with time or an interval in the window have
 * rows, by agent id, then hour.
 *
 * 回数 counts the intervals that started inside the window or overlap its start: an interval
 * begun before `from` counts once, as it is the status the agent was in at the start; one that
 * starts at or after the end does not. A zero-length interval inside the window counts, with 0 s.
 * A row's shares are of its observed time (the time its intervals cover), so they sum to 100
 * (largest remainder rounding); a row whose intervals all lasted no time has shares of 0.
 */
export function statusReport(
  intervals: readonly StatusInterval[],
  options: StatusReportOptions,
): StatusRow[] {
  const now = options.now.getTime();
  const windowStart = options.from.getTime();
  const windowEnd = Math.min(options.to.getTime(), now);

  const rows = new Map<
    string,
    { agentId: number; hour: string | null; tallies: Map<string, StatusTally> }
  >();
  const add = (agentId: number, hour: string | null, status: string, ms: number) => {
    const rowKey = `${agentId}|${hour ?? ''}`;
    let row = rows.get(rowKey);
    if (row === undefined) {
      row = { agentId, hour, tallies: new Map() };
      rows.set(rowKey, row);
    }
    const tally = row.tallies.get(status) ?? { ms: 0, count: 0 };
    row.tallies.set(status, { ms: tally.ms + ms, count: tally.count + 1 });
  };

  for (const interval of intervals) {
    const started = interval.startedAt.getTime();
    const ended = Math.min(interval.endedAt?.getTime() ?? now, now);
    const start = Math.max(started, windowStart);
    const end = Math.min(ended, windowEnd);
    // Inside the window: some time in it, or a zero-length interval that starts in it.
    const inside = start < windowEnd && (end > start || (end === start && started >= windowStart));
    if (!inside) continue;
    const key = statusKeyOf(interval.status, interval.customStatusId);
    if (options.breakdown === 'agent') {
      add(interval.agentId, null, key, end - start);
      continue;
    }
    // Each piece begins at the interval's start, the window's start or a local hour: it started
    // inside its hour or overlaps the hour's start, so each counts once.
    let cursor = start;
    do {
      const w = wallClock(new Date(cursor), options.timeZone);
      const intoHour =
        (w.minute * 60 + w.second) * SECOND_MS + (((cursor % SECOND_MS) + SECOND_MS) % SECOND_MS);
      const next = Math.min(end, cursor - intoHour + HOUR_MS);
      add(interval.agentId, pad(w.hour, 2), key, next - cursor);
      cursor = next;
    } while (cursor < end);
  }

  return [...rows.values()]
    .sort((a, b) => a.agentId - b.agentId || (a.hour ?? '').localeCompare(b.hour ?? ''))
    .map(({ agentId, hour, tallies }) => {
      const observedMs = [...tallies.values()].reduce((sum, t) => sum + t.ms, 0);
      const shareOf = shares(tallies, observedMs);
      const statuses: Record<string, StatusCell> = {};
      for (const [key, t] of tallies) {
        statuses[key] = {
          seconds: t.ms / SECOND_MS,
          count: t.count,
          share: shareOf.get(key) ?? 0,
          averageSeconds: average(t.ms / SECOND_MS, t.count),
        };
      }
      return { agentId, hour, observedSeconds: observedMs / SECOND_MS, statuses };
    });
}
