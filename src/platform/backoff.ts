/**
 * Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with ±20 % jitter so many
 * clients do not retry in lockstep. Retrying never stops; only the delay stops growing.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
