/**
 * Agent status statistics (§10-5 ステータス統計): time, count, share and average per status, per
 * agent or per agent and hour of day, from the agent status log. Pure: the caller hands the
 * intervals in (status-statistics-query.ts streams them from the log).
 */
import { HOUR_MS, SECOND_MS, localTimeMs, pad } from '../platform/calendar.js';
import { average } from '../platform/rounding.js';

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
  intervals: Iterable<StatusInterval>,
  options: StatusReportOptions,
): StatusRow[] {
  const tally = createStatusTally(options);
  for (const interval of intervals) tally.add(interval);
  return tally.rows();
}

/**
 * The table of `statusReport` built one interval at a time, so that a caller can stream the log
 * through it: what it holds grows with the rows (agents × hours × statuses), not the intervals.
 */
export function createStatusTally(options: StatusReportOptions): {
  add(interval: StatusInterval): void;
  /** The same, from the log's columns as they are (instants in ms; no objects made). */
  addSpan(
    agentId: number,
    status: string,
    customStatusId: number | null,
    startedMs: number,
    endedMs: number | null,
  ): void;
  rows(): StatusRow[];
} {
  const now = options.now.getTime();
  const windowStart = options.from.getTime();
  const windowEnd = Math.min(options.to.getTime(), now);

  // Keyed by agent and hour as one number (hour 24 = the whole window), tallied in place: a
  // report of weeks adds millions of pieces.
  const rows = new Map<
    number,
    { agentId: number; hour: string | null; tallies: Map<string, StatusTally> }
  >();
  const addTime = (agentId: number, hour: number | null, status: string, ms: number) => {
    const rowKey = agentId * 25 + (hour ?? 24);
    let row = rows.get(rowKey);
    if (row === undefined) {
      row = { agentId, hour: hour === null ? null : pad(hour, 2), tallies: new Map() };
      rows.set(rowKey, row);
    }
    const tally = row.tallies.get(status);
    if (tally === undefined) row.tallies.set(status, { ms, count: 1 });
    else {
      tally.ms += ms;
      tally.count += 1;
    }
  };

  function addSpan(
    agentId: number,
    status: string,
    customStatusId: number | null,
    started: number,
    endedAt: number | null,
  ): void {
    const ended = Math.min(endedAt ?? now, now);
    const start = Math.max(started, windowStart);
    const end = Math.min(ended, windowEnd);
    // Inside the window: some time in it, or a zero-length interval that starts in it.
    const inside = start < windowEnd && (end > start || (end === start && started >= windowStart));
    if (!inside) return;
    const key = statusKeyOf(status, customStatusId);
    if (options.breakdown === 'agent') {
      addTime(agentId, null, key, end - start);
      return;
    }
    // Each piece begins at the interval's start, the window's start or a local hour: it
    // started inside its hour or overlaps the hour's start, so each counts once.
    let cursor = start;
    do {
      const local = localTimeMs(cursor, options.timeZone);
      const intoHour = ((local % HOUR_MS) + HOUR_MS) % HOUR_MS;
      const hour = ((Math.floor(local / HOUR_MS) % 24) + 24) % 24;
      const next = Math.min(end, cursor - intoHour + HOUR_MS);
      addTime(agentId, hour, key, next - cursor);
      cursor = next;
    } while (cursor < end);
  }

  return {
    add: (i) =>
      addSpan(
        i.agentId,
        i.status,
        i.customStatusId,
        i.startedAt.getTime(),
        i.endedAt?.getTime() ?? null,
      ),
    addSpan,
    rows() {
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
    },
  };
}
