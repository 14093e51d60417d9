/**
 * Writes that follow the work they record: a call's history row and its queue-log events are
 * written once the requests that ring its targets have left, not before them.
 *
 * Deferred writes run on the next turn of the event loop, all of them in one transaction (one
 * commit for the burst an event causes instead of one per row). A write that fails is logged and
 * rolled back alone; the others commit. Anything that reads what was deferred calls `flush()`
 * first, so a reader never sees the database behind what the server already did.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock, Timer } from '../clock.js';
import type { Logger } from '../logger.js';

export interface WriteBehind {
  /**
   * Runs `write` (synchronous statements) with the other deferred writes, soon; `written` is
   * called right after it (only if it succeeded), in the order the writes were deferred.
   */
  defer: (write: () => void, written?: () => void) => void;
  /** Runs every deferred write now. */
  flush: () => void;
}

export function createWriteBehind(sqlite: BetterSqlite3.Database, clock: Clock, log: Logger) {
  interface Deferred {
    write: () => void;
    written: (() => void) | undefined;
  }
  let queued: Deferred[] = [];
  let timer: Timer | null = null;

  // Each write runs in a savepoint of the batch's transaction: a failure undoes that write only.
  // Its listener is told right after it, before the next write: what the listener reads then
  // (on this connection) is the database up to that write, as if it had been written at once.
  const runOne = sqlite.transaction((write: () => void) => write());
  const runAll = sqlite.transaction((writes: Deferred[]) => {
    for (const { write, written } of writes) {
      try {
        runOne(write);
      } catch (err) {
        log.error({ err }, 'a deferred database write failed');
        continue;
      }
      try {
        written?.();
      } catch (err) {
        log.error({ err }, 'a listener of a database write failed');
      }
    }
  });

  function flush(): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    // Writes deferred while flushing (by a listener) run in the next round.
    while (queued.length > 0) {
      const writes = queued;
      queued = [];
      runAll(writes);
    }
  }

  const writeBehind: WriteBehind = {
    defer(write, written) {
      queued.push({ write, written });
      timer ??= clock.setTimeout(flush, 0);
    },
    flush,
  };
  return writeBehind;
}

/** Writes at once: for code run outside a server (CLI tools, seeding). */
export const WRITE_THROUGH: WriteBehind = {
  defer(write, written) {
    write();
    written?.();
  },
  flush: () => undefined,
};
