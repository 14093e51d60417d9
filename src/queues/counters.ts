/**
 * The counters of queue statistics (§10-1 リアルタイム, §10-2 統計): what each queue event adds, and
 * the columns derived from them. Pure: the realtime view, the reports and the rollups all count
 * with these functions, so their numbers agree.
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
 * - The service level counts a call as the group's threshold stood when the call was answered
 *   (as app_queue's callscompletedinsl does): changing the threshold changes what follows, and
 *   yesterday's figures stay as they were reported.
 */
import { average, percent } from '../platform/rounding.js';
import { outcomeOf, waitSecondsOf, type QueueEvent } from './model.js';

/** Service level threshold when none is configured (seconds). */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20;

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

/** A number from the log, or 0 when the row was malformed (so no average turns NaN). */
export function finiteOrZero(n: number): number {
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

export interface QueueRates {
  answerRate: number | null;
  serviceLevel: number | null;
  averageAnswerSeconds: number;
  maxAnswerSeconds: number | null;
  averageAbandonSeconds: number;
  maxAbandonSeconds: number | null;
}

/** Two sets of calls as one (the "All" row, a report row made of several slots). */
export function addCounters(a: QueueCounters, b: QueueCounters): QueueCounters {
  return {
    calls: a.calls + b.calls,
    answered: a.answered + b.answered,
    abandoned: a.abandoned + b.abandoned,
    overflow: a.overflow + b.overflow,
    timedOut: a.timedOut + b.timedOut,
    answeredWithinThreshold: a.answeredWithinThreshold + b.answeredWithinThreshold,
    answerWaitTotal: a.answerWaitTotal + b.answerWaitTotal,
    answerWaitMax: Math.max(a.answerWaitMax, b.answerWaitMax),
    abandonWaitTotal: a.abandonWaitTotal + b.abandonWaitTotal,
    abandonWaitMax: Math.max(a.abandonWaitMax, b.abandonWaitMax),
  };
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
