/**
 * Keeps the report rollups (queues/schema.ts) equal to a fold of the queue event log.
 *
 * - `apply` runs inside the transaction that appends an event, so a rollup never lacks an event
 *   the log holds, nor the other way round.
 * - `catchUp` folds the log rows not yet counted — once after the upgrade that brought the
 *   rollups, or after rows were loaded into the log directly — in batches, each a transaction.
 * Both feed events through rollup.ts and apply its changes the same way: the changes of a batch
 * are summed in memory, then written with one upsert per row touched.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../platform/db/client.js';
import { addCounters, DEFAULT_SERVICE_LEVEL_SECONDS, type QueueCounters } from './counters.js';
import {
  affectsRollups,
  rollupChanges,
  type LoggedEvent,
  type OpenAnswer,
  type RollupChange,
} from './rollup.js';

export interface RollupStore {
  /** Counts one event just appended to the log (call inside the append's transaction). */
  apply(event: LoggedEvent): void;
  /**
   * Counts every log row not counted yet, read in id order by `rowsAfter` (the log's own
   * reader); returns how many rows it read.
   */
  catchUp(rowsAfter: (id: number, limit: number) => LoggedEvent[]): number;
}

/** The counter columns of every rollup table, in QueueCounters order. */
const COUNTER_COLUMNS = [
  ['calls', 'calls'],
  ['answered', 'answered'],
  ['abandoned', 'abandoned'],
  ['overflow', 'overflow'],
  ['timedOut', 'timed_out'],
  ['answeredWithinThreshold', 'answered_within'],
  ['answerWaitTotal', 'answer_wait_total'],
  ['answerWaitMax', 'answer_wait_max'],
  ['abandonWaitTotal', 'abandon_wait_total'],
  ['abandonWaitMax', 'abandon_wait_max'],
] as const satisfies readonly (readonly [keyof QueueCounters, string])[];

/** Adds counters to a row, creating it: sums add up, maxima take the larger. */
function upsertSql(table: string, keys: readonly string[]): string {
  const columns = [...keys, ...COUNTER_COLUMNS.map(([, c]) => c)];
  const updates = COUNTER_COLUMNS.map(([, c]) =>
    c.endsWith('_max') ? `${c} = max(${c}, excluded.${c})` : `${c} = ${c} + excluded.${c}`,
  );
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}`
  );
}

const counterValues = (c: QueueCounters): number[] => COUNTER_COLUMNS.map(([k]) => c[k]);

interface OpenAnswerRow {
  log_id: number;
  call_id: string;
  group_id: number;
  slot: number;
  at: number;
  wait: number;
  within: number;
}

const toOpenAnswer = (r: OpenAnswerRow): OpenAnswer => ({
  logId: r.log_id,
  callId: r.call_id,
  groupId: r.group_id,
  slot: r.slot,
  at: new Date(r.at),
  wait: r.wait,
  within: r.within === 1,
});

/** Log rows read per catch-up batch (and transaction). */
const BATCH = 20_000;

export function createRollupStore(db: Db): RollupStore {
  const sqlite: BetterSqlite3.Database = db.$client;
  const statements = {
    slot: sqlite.prepare(upsertSql('queue_stats_slots', ['group_id', 'slot'])),
    agent: sqlite.prepare(upsertSql('queue_stats_agents', ['group_id', 'slot', 'agent_id'])),
    talk: sqlite.prepare(upsertSql('queue_stats_talk', ['group_id', 'slot', 'band'])),
    openOfCall: sqlite.prepare<[string], OpenAnswerRow>(
      'SELECT * FROM queue_open_answers WHERE call_id = ?',
    ),
    open: sqlite.prepare(
      'INSERT INTO queue_open_answers (log_id, call_id, group_id, slot, at, wait, within) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    close: sqlite.prepare('DELETE FROM queue_open_answers WHERE log_id = ?'),
    threshold: sqlite.prepare<[number], { seconds: number }>(
      'SELECT service_level_seconds AS seconds FROM groups WHERE id = ?',
    ),
    lastLogId: sqlite.prepare<[], { id: number }>(
      'SELECT last_log_id AS id FROM queue_rollup_state WHERE id = 1',
    ),
    setLastLogId: sqlite.prepare(
      'INSERT INTO queue_rollup_state (id, last_log_id) VALUES (1, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET last_log_id = excluded.last_log_id',
    ),
  };

  /** The changes of a batch, summed per row, written by `flush`. */
  function createBatch() {
    const sums = new Map<string, { change: RollupChange; counters: QueueCounters }>();
    const opened = new Map<number, OpenAnswer>();
    const openedByCall = new Map<string, OpenAnswer[]>();
    const closed = new Set<number>();
    const thresholds = new Map<number, number>();
    let lastLogId = 0;

    function openOfCall(callId: string): OpenAnswer[] {
      const stored = statements.openOfCall.all(callId).map(toOpenAnswer);
      const fresh = openedByCall.get(callId) ?? [];
      return [...stored, ...fresh].filter((a) => !closed.has(a.logId));
    }

    function thresholdOf(groupId: number): number {
      let seconds = thresholds.get(groupId);
      if (seconds === undefined) {
        seconds = statements.threshold.get(groupId)?.seconds ?? DEFAULT_SERVICE_LEVEL_SECONDS;
        thresholds.set(groupId, seconds);
      }
      return seconds;
    }

    function add(change: RollupChange): void {
      switch (change.kind) {
        case 'open':
          opened.set(change.answer.logId, change.answer);
          openedByCall.set(change.answer.callId, [
            ...(openedByCall.get(change.answer.callId) ?? []),
            change.answer,
          ]);
          return;
        case 'close':
          for (const logId of change.logIds) closed.add(logId);
          return;
        default: {
          const key =
            change.kind === 'slot'
              ? `s|${change.groupId}|${change.slot}`
              : change.kind === 'agent'
                ? `a|${change.groupId}|${change.slot}|${change.agentId}`
                : `t|${change.groupId}|${change.slot}|${change.band}`;
          const sum = sums.get(key);
          sums.set(key, {
            change,
            counters:
              sum === undefined ? change.counters : addCounters(sum.counters, change.counters),
          });
        }
      }
    }

    return {
      count(event: LoggedEvent): void {
        lastLogId = Math.max(lastLogId, event.id);
        if (!affectsRollups(event) || event.groupId === null) return;
        const open =
          event.event === 'COMPLETECALLER' || event.event === 'COMPLETEAGENT'
            ? openOfCall(event.callId)
            : [];
        for (const change of rollupChanges(event, thresholdOf(event.groupId), open)) add(change);
      },
      flush(): void {
        for (const { change, counters } of sums.values()) {
          const values = counterValues(counters);
          if (change.kind === 'slot') statements.slot.run(change.groupId, change.slot, ...values);
          if (change.kind === 'agent')
            statements.agent.run(change.groupId, change.slot, change.agentId, ...values);
          if (change.kind === 'talk')
            statements.talk.run(change.groupId, change.slot, change.band, ...values);
        }
        for (const a of opened.values()) {
          if (closed.has(a.logId)) continue;
          statements.open.run(
            a.logId,
            a.callId,
            a.groupId,
            a.slot,
            a.at.getTime(),
            a.wait,
            a.within ? 1 : 0,
          );
        }
        for (const logId of closed) if (!opened.has(logId)) statements.close.run(logId);
        if (lastLogId > 0) statements.setLastLogId.run(lastLogId);
      },
    };
  }

  return {
    apply(event) {
      const batch = createBatch();
      batch.count(event);
      batch.flush();
    },
    catchUp(rowsAfter) {
      let read = 0;
      for (;;) {
        const after = statements.lastLogId.get()?.id ?? 0;
        const rows = rowsAfter(after, BATCH);
        if (rows.length === 0) return read;
        sqlite.transaction(() => {
          const batch = createBatch();
          for (const row of rows) batch.count(row);
          batch.flush();
        })();
        read += rows.length;
      }
    },
  };
}
