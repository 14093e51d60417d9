/** The answer-rate chart of a group's detail page (§10-1 "5分間ごとの応答率"). Pure. */
import { MINUTE_MS } from '../platform/calendar.js';
import { countEvent, emptyCounters, rates } from './counters.js';
import type { QueueEvent } from './model.js';

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
