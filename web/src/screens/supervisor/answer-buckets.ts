/**
 * The answer-rate chart's buckets (§10-1 "5分間ごとの応答率") as the server counted them, kept live
 * from the feed. Pure (no imports), so the browser test checks it directly.
 *
 * Live without polling: the `groups` topic pushes the group's counters since midnight (calls,
 * answered, abandoned) whenever a call's outcome is logged. What they grew by since the last push
 * is what happened since, so it is added to the bucket of now; the server counts a call in the
 * bucket of its outcome, and the push follows the outcome by at most its batching delay (50 ms),
 * so the two agree except for an outcome in the last instant of a bucket. When the counters go
 * down (they restart at midnight) the chart is read again. A passing 5-minute boundary moves the
 * window on by one empty bucket (a local timer, no request).
 */
export interface Bucket {
  start: string;
  calls: number;
  answered: number;
  abandoned: number;
  answerRate: number | null;
}

export interface Counters {
  calls: number;
  answered: number;
  abandoned: number;
}

export const BUCKET_MS = 5 * 60_000;
export const CHART_HOURS = [3, 6, 9, 12, 24] as const;

/** answered ÷ calls in %, 2 decimals, as the server rounds it; null without calls. */
export function rateOf(answered: number, calls: number): number | null {
  return calls === 0 ? null : Math.round((answered * 10000) / calls) / 100;
}

const bucketStart = (at: number) => Math.floor(at / BUCKET_MS) * BUCKET_MS;

/** The window moved on to the bucket of `at`: empty buckets added, as many of the oldest dropped. */
export function roll(buckets: Bucket[], at: number): Bucket[] {
  const last = buckets.at(-1);
  if (last === undefined) return buckets;
  const now = bucketStart(at);
  let next = Date.parse(last.start) + BUCKET_MS;
  if (next > now) return buckets;
  const added: Bucket[] = [];
  for (; next <= now; next += BUCKET_MS)
    added.push({
      start: new Date(next).toISOString(),
      calls: 0,
      answered: 0,
      abandoned: 0,
      answerRate: null,
    });
  return [...buckets, ...added].slice(-buckets.length);
}

/**
 * The buckets with what the counters grew by (from `seen` to `now`) added to the bucket of `at`;
 * null when a counter went down (the day's counters restarted: read the chart again).
 */
export function advance(
  buckets: Bucket[],
  seen: Counters,
  now: Counters,
  at: number,
): Bucket[] | null {
  const grew = {
    calls: now.calls - seen.calls,
    answered: now.answered - seen.answered,
    abandoned: now.abandoned - seen.abandoned,
  };
  if (grew.calls < 0 || grew.answered < 0 || grew.abandoned < 0) return null;
  const rolled = roll(buckets, at);
  if (grew.calls === 0 && grew.answered === 0 && grew.abandoned === 0) return rolled;
  return rolled.map((b, i) => {
    if (i !== rolled.length - 1) return b;
    const calls = b.calls + grew.calls;
    const answered = b.answered + grew.answered;
    return {
      ...b,
      calls,
      answered,
      abandoned: b.abandoned + grew.abandoned,
      answerRate: rateOf(answered, calls),
    };
  });
}

export function totals(buckets: Bucket[]): Counters {
  return buckets.reduce(
    (sum, b) => ({
      calls: sum.calls + b.calls,
      answered: sum.answered + b.answered,
      abandoned: sum.abandoned + b.abandoned,
    }),
    { calls: 0, answered: 0, abandoned: 0 },
  );
}
