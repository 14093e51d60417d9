/**
 * Time as a dependency. Decision code (strategies, state machines, pacing) takes a Clock so unit
 * tests can drive it with a fake one; everything else uses `systemClock`.
 */
export interface Clock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

/** An opaque timer handle; only the clock that made it can clear it. */
export interface Timer {
  readonly id: unknown;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => ({ id: setTimeout(callback, ms) }),
  clearTimeout: (timer) => clearTimeout(timer.id as NodeJS.Timeout),
};
