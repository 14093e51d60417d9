/**
 * Workflow statistics (ワークフロー統計, §10-6): per step, how many stays ended in the range (件数)
 * and the time they took — average (平均時間), longest (最大時間), shortest (最小時間) and sum
 * (時間合計) — and a 合計 row over every step. A stay is the time from a case entering a step to
 * leaving it (by a button, or by losing the workflow); it counts in the range it ended in, when
 * its length is known. The manual's example (件数 6, 時間合計 163 s, 平均 27 s) shows the average
 * as the sum over the count, so the seconds are rounded each on its own. Pure.
 */

/** One finished stay in a step. */
export interface StepStay {
  stepId: number;
  stepName: string;
  enteredAt: Date;
  leftAt: Date;
}

export interface StepFigures {
  count: number;
  averageSeconds: number | null;
  maxSeconds: number | null;
  minSeconds: number | null;
  totalSeconds: number;
}

export interface StepStatisticsRow extends StepFigures {
  stepId: number;
  stepName: string;
}

export interface WorkflowStatistics {
  rows: StepStatisticsRow[];
  total: StepFigures;
}

interface Sums {
  count: number;
  totalMs: number;
  maxMs: number;
  minMs: number;
}

const EMPTY: Sums = { count: 0, totalMs: 0, maxMs: -Infinity, minMs: Infinity };

const seconds = (ms: number) => Math.round(ms / 1000);

function add(s: Sums, ms: number): Sums {
  return {
    count: s.count + 1,
    totalMs: s.totalMs + ms,
    maxMs: Math.max(s.maxMs, ms),
    minMs: Math.min(s.minMs, ms),
  };
}

function figures(s: Sums): StepFigures {
  if (s.count === 0)
    return { count: 0, averageSeconds: null, maxSeconds: null, minSeconds: null, totalSeconds: 0 };
  return {
    count: s.count,
    averageSeconds: seconds(s.totalMs / s.count),
    maxSeconds: seconds(s.maxMs),
    minSeconds: seconds(s.minMs),
    totalSeconds: seconds(s.totalMs),
  };
}

/**
 * The statistics of the stays that ended in [from, to). `steps` are the workflow's steps in
 * display order: each has a row, with no stays too. Steps since deleted that have stays follow
 * them, under the name they had.
 */
export function workflowStatistics(
  steps: readonly { id: number; name: string }[],
  stays: Iterable<StepStay>,
  range: { from: Date; to: Date },
): WorkflowStatistics {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const byStep = new Map<number, { name: string; sums: Sums }>(
    steps.map((s) => [s.id, { name: s.name, sums: EMPTY }]),
  );
  let total = EMPTY;
  for (const stay of stays) {
    const left = stay.leftAt.getTime();
    if (left < from || left >= to) continue;
    // A clock set back between entering and leaving gives no negative time.
    const ms = Math.max(0, left - stay.enteredAt.getTime());
    const entry = byStep.get(stay.stepId) ?? { name: stay.stepName, sums: EMPTY };
    byStep.set(stay.stepId, { name: entry.name, sums: add(entry.sums, ms) });
    total = add(total, ms);
  }
  return {
    rows: [...byStep.entries()].map(([stepId, { name, sums }]) => ({
      stepId,
      stepName: name,
      ...figures(sums),
    })),
    total: figures(total),
  };
}
