/**
 * Campaign statistics (§10-3 キャンペーン統計): each entry of the campaign by its final result
 * (最終結果), in rows by date, hour or agent, as counts or as % of the row's entries.
 *
 * - 件数: the entries whose last dial (発信日時) falls in the range; each counts once, in the row of
 *   its last dial (its date or hour in the zone) or of its last agent (エージェント). An entry never
 *   dialled is in no row.
 * - コール数: the dial attempts of those entries (the ledger's, all of them: the calls it took to
 *   reach the final result).
 * - One column per result: the campaign's own results in their order, then the system results
 *   (SYSTEM_RESULTS' order); an entry left with the number of a result line deleted since gets a
 *   column of that number after the campaign's, so the columns always add up to 件数.
 *
 * Rows: 'date' — every day of the range, days without entries included, ascending; 'hour' — the
 * 24 hours of the day '00'…'23' over the whole range; 'agent' — one per agent by id, then 'none'
 * for entries no agent talked to. The total (合計) is counted over every entry. Pure.
 */
import {
  dateKeyOf,
  dateKeyOfDayNumber,
  dayNumber,
  hourKeyOf,
  pad,
  wallClock,
} from '../platform/calendar.js';
import { percent } from '../platform/rounding.js';
import { SYSTEM_RESULTS, SYSTEM_RESULT_LABELS, isSystemResult } from './results.js';

/** 区分: 日付 / 時間 / エージェント. */
export const CAMPAIGN_STATS_BREAKDOWNS = ['date', 'hour', 'agent'] as const;
export type CampaignStatsBreakdown = (typeof CAMPAIGN_STATS_BREAKDOWNS)[number];

/** 表示: 個数 (counts) or % (of the row's 件数). */
export const CAMPAIGN_STATS_DISPLAYS = ['count', 'percent'] as const;
export type CampaignStatsDisplay = (typeof CAMPAIGN_STATS_DISPLAYS)[number];

/** The 'agent' row of entries no agent talked to. */
export const NO_AGENT = 'none';

/** One entry as the statistics need it. */
export interface StatisticsEntry {
  /** The stored result (results.ts): a system result's key or a campaign result's number. */
  result: string;
  lastDialedAt: Date;
  lastAgentId: number | null;
  /** Dial attempts of the entry. */
  attempts: number;
}

export interface CampaignStatsOptions {
  breakdown: CampaignStatsBreakdown;
  display: CampaignStatsDisplay;
  /** Inclusive: the first instant of the first day. */
  from: Date;
  /** Exclusive: the first instant after the last day. */
  to: Date;
  timeZone: string;
  /** The campaign's results in their order (position). */
  results: readonly { number: number; text: string }[];
}

export interface CampaignStatsColumn {
  /** The stored result the column counts. */
  result: string;
  label: string;
  kind: 'campaign' | 'system';
}

export interface CampaignStatsRow {
  /** YYYY-MM-DD, '00'…'23', or an agent id ('none': no agent). */
  key: string;
  /** 件数. */
  entries: number;
  /** コール数. */
  calls: number;
  /**
   * By column (its `result`): the count, or in % of 件数 (2 decimals; null when 件数 is 0).
   */
  results: Record<string, number | null>;
}

export interface CampaignStats {
  columns: CampaignStatsColumn[];
  rows: CampaignStatsRow[];
  /** 合計 (key 'total'). */
  total: CampaignStatsRow;
}

/** The result columns: the campaign's own, any orphaned numbers, then the system results. */
export function statsColumns(
  results: CampaignStatsOptions['results'],
  entries: Iterable<StatisticsEntry>,
): CampaignStatsColumn[] {
  const own = results.map((r) => ({
    result: String(r.number),
    label: r.text,
    kind: 'campaign' as const,
  }));
  const defined = new Set(own.map((c) => c.result));
  const orphans = new Set<string>();
  for (const e of entries) {
    if (!isSystemResult(e.result) && !defined.has(e.result)) orphans.add(e.result);
  }
  return [
    ...own,
    ...[...orphans]
      .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
      .map((n) => ({ result: n, label: n, kind: 'campaign' as const })),
    ...SYSTEM_RESULTS.map((key) => ({
      result: key,
      label: SYSTEM_RESULT_LABELS[key],
      kind: 'system' as const,
    })),
  ];
}

interface Tally {
  entries: number;
  calls: number;
  byResult: Map<string, number>;
}

const emptyTally = (): Tally => ({ entries: 0, calls: 0, byResult: new Map() });

const HOUR_KEYS = Array.from({ length: 24 }, (_, h) => pad(h, 2));

/** The row keys that are there whatever the entries: every day, or every hour. */
function fixedKeys(options: CampaignStatsOptions): string[] {
  switch (options.breakdown) {
    case 'hour':
      return HOUR_KEYS;
    case 'agent':
      return [];
    case 'date': {
      const first = dayNumber(wallClock(options.from, options.timeZone));
      const last = dayNumber(wallClock(new Date(options.to.getTime() - 1), options.timeZone));
      const keys: string[] = [];
      for (let day = first; day <= last; day++) keys.push(dateKeyOfDayNumber(day));
      return keys;
    }
  }
}

/** The statistics of the entries given; those whose last dial is outside [from, to) are left out. */
export function campaignStatistics(
  entries: readonly StatisticsEntry[],
  options: CampaignStatsOptions,
): CampaignStats {
  const from = options.from.getTime();
  const to = options.to.getTime();
  const inRange = entries.filter((e) => {
    const at = e.lastDialedAt.getTime();
    return at >= from && at < to;
  });
  const columns = statsColumns(options.results, inRange);

  const keyOf = (e: StatisticsEntry): string => {
    switch (options.breakdown) {
      case 'date':
        return dateKeyOf(e.lastDialedAt, options.timeZone);
      case 'hour':
        return hourKeyOf(e.lastDialedAt, options.timeZone);
      case 'agent':
        return e.lastAgentId === null ? NO_AGENT : String(e.lastAgentId);
    }
  };

  const tallies = new Map<string, Tally>(fixedKeys(options).map((k) => [k, emptyTally()]));
  const total = emptyTally();
  for (const e of inRange) {
    const key = keyOf(e);
    let tally = tallies.get(key);
    if (tally === undefined) {
      tally = emptyTally();
      tallies.set(key, tally);
    }
    for (const t of [tally, total]) {
      t.entries += 1;
      t.calls += e.attempts;
      t.byResult.set(e.result, (t.byResult.get(e.result) ?? 0) + 1);
    }
  }

  const rowOf = (key: string, tally: Tally): CampaignStatsRow => ({
    key,
    entries: tally.entries,
    calls: tally.calls,
    results: Object.fromEntries(
      columns.map((c) => {
        const count = tally.byResult.get(c.result) ?? 0;
        return [c.result, options.display === 'count' ? count : percent(count, tally.entries)];
      }),
    ),
  });

  let keys = [...tallies.keys()];
  if (options.breakdown === 'agent') {
    // By agent id, and the entries no agent talked to last.
    keys = keys
      .filter((k) => k !== NO_AGENT)
      .sort((a, b) => Number(a) - Number(b))
      .concat(tallies.has(NO_AGENT) ? [NO_AGENT] : []);
  }
  return {
    columns,
    rows: keys.map((k) => rowOf(k, tallies.get(k) ?? emptyTally())),
    total: rowOf('total', total),
  };
}
