/**
 * When a mail that could not be sent is tried again (pure).
 *
 * A transient failure (no connection, a timeout, a 4xx reply) is retried with a delay that
 * doubles from `initialMs` up to `maxMs`; a permanent one (a 5xx reply such as an unknown
 * recipient) would get the same answer again, so it is given up at once. A mail is not retried
 * for ever: past `maxAgeMs` after it was queued it is given up too, with one last attempt at that
 * moment rather than a retry scheduled beyond it.
 *
 * The jitter comes in as `random` (0 ≤ random < 1) and only shortens a delay, by up to a fifth,
 * so that mails failed together spread out and no delay passes the cap.
 */

/** How a failed attempt failed: worth trying again, or not. */
export type FailureKind = 'transient' | 'permanent';

export interface RetryPolicy {
  /** The delay after the first failed attempt. */
  initialMs: number;
  /** The longest delay between two attempts. */
  maxMs: number;
  /** How long after it was queued a mail is still tried. */
  maxAgeMs: number;
}

export const MAIL_RETRY: RetryPolicy = {
  initialMs: 30_000,
  maxMs: 3_600_000,
  maxAgeMs: 3 * 24 * 3_600_000,
};

/** The share of a delay that jitter may take off. */
export const JITTER = 0.2;

export type RetryDecision =
  { kind: 'retry'; at: Date } | { kind: 'give-up'; reason: 'permanent' | 'expired' };

export interface FailedAttempt {
  /** Attempts made so far, the one that just failed included (1 after the first). */
  attempts: number;
  failure: FailureKind;
  /** When the mail was queued. */
  queuedAt: Date;
  now: Date;
  /** A number in [0, 1). */
  random: number;
}

/** The delay before attempt `attempts + 1`, before the age limit is applied. */
export function retryDelay(attempts: number, policy: RetryPolicy, random: number): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (1 - JITTER * random));
}

export function afterFailure(
  attempt: FailedAttempt,
  policy: RetryPolicy = MAIL_RETRY,
): RetryDecision {
  if (attempt.failure === 'permanent') return { kind: 'give-up', reason: 'permanent' };
  const deadline = attempt.queuedAt.getTime() + policy.maxAgeMs;
  const now = attempt.now.getTime();
  if (now >= deadline) return { kind: 'give-up', reason: 'expired' };
  const at = Math.min(now + retryDelay(attempt.attempts, policy, attempt.random), deadline);
  return { kind: 'retry', at: new Date(at) };
}
