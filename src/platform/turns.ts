/**
 * Work that must take turns: each piece starts once the one before it has finished (failed or
 * not), so two steps on the same bridge never interleave across their awaits. One queue per thing
 * guarded (a conference room, a supervision session).
 */
export type Turns = <T>(work: () => Promise<T>) => Promise<T>;

export function createTurns(): Turns {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = last.then(work);
    last = next.catch(() => undefined);
    return next;
  };
}

/**
 * Lets everything already waiting on the event loop (requests, socket writes, timers) run before
 * going on: what a long job awaits between its batches.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
