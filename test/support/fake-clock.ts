/** A clock the test moves by hand; timers fire when `advance` passes their due time. */
import type { Clock, Timer } from '../../src/platform/clock.js';

export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(date: Date): void;
}

export function fakeClock(start = new Date('2026-04-01T00:00:00Z')): FakeClock {
  let now = start.getTime();
  let nextId = 0;
  const timers = new Map<number, { due: number; callback: () => void }>();

  function runDue(): void {
    for (;;) {
      const due = [...timers.entries()]
        .filter(([, t]) => t.due <= now)
        .sort((a, b) => a[1].due - b[1].due)[0];
      if (due === undefined) return;
      timers.delete(due[0]);
      due[1].callback();
    }
  }

  return {
    now: () => new Date(now),
    setTimeout(callback, ms) {
      nextId += 1;
      timers.set(nextId, { due: now + ms, callback });
      return { id: nextId };
    },
    clearTimeout(timer: Timer) {
      timers.delete(timer.id as number);
    },
    advance(ms) {
      now += ms;
      runDue();
    },
    set(date) {
      now = date.getTime();
      runDue();
    },
  };
}
