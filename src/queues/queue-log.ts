/**
 * The queue event log: every event is written to SQLite first, then handed to the listeners
 * (realtime statistics), so what the feed shows is always a recount of the table. The writes
 * follow the call (write-behind, platform/db/write-behind.ts): an event is stored, and told,
 * once the event that caused it has been handled; every read flushes them first.
 *
 * The text export is Asterisk's queue_log format — `epoch|callid|queue|agent|EVENT|data…` — so
 * that queue reporting tools written for app_queue (Asternic, QueueMetrics) read our log. The
 * queue is named by the group's extension (or `group-<id>`), the agent as `Agent/<extension>`
 * (or `Agent/<login ID>`), 'NONE' where there is none, as app_queue writes.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { WRITE_THROUGH, type WriteBehind } from '../platform/db/write-behind.js';
import type { QueueEvent } from './model.js';
import { createRollupStore } from './rollup-store.js';
import { queueLog, type QueueLogRow } from './schema.js';

export interface QueueLog {
  /** Writes an event (and what it adds to the report rollups, in the same transaction). */
  append(event: Omit<QueueEvent, 'at'> & { at?: Date }): QueueEvent;
  /** Counts into the rollups the log rows they lack (after an upgrade); returns rows read. */
  catchUpRollups(): number;
  /** Events with from ≤ at < to, oldest first, optionally of some groups only. */
  between(from: Date, to: Date, groupIds?: number[]): QueueEvent[];
  /** The newest event of a group matching one of `events` (e.g. the last agent rung). */
  lastOf(groupId: number, events: QueueEvent['event'][]): QueueEvent | undefined;
  /** Every event of one call, oldest first. */
  ofCall(callId: string): QueueEvent[];
  onAppend(listener: (event: QueueEvent) => void): () => void;
}

export function toEvent(row: QueueLogRow): QueueEvent {
  return {
    at: row.at,
    callId: row.callId,
    groupId: row.groupId,
    agentId: row.agentId,
    event: row.event,
    data: row.data === '' ? [] : row.data.split('|'),
  };
}

export function createQueueLog(
  db: Db,
  clock: Clock,
  writes: WriteBehind = WRITE_THROUGH,
): QueueLog {
  const listeners = new Set<(event: QueueEvent) => void>();
  const rollups = createRollupStore(db);
  // Several per call: prepared once, and plain better-sqlite3 (the query builder's mapping of
  // the returned row would cost more than the insert).
  const insertEvent = db.$client
    .prepare<[number, string, number | null, number | null, string, string], number>(
      'INSERT INTO queue_log (at, call_id, group_id, agent_id, event, data) ' +
        'VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    )
    .pluck();
  // The event and its counts together (a savepoint when the write-behind's batch is open):
  // better-sqlite3's own transaction, built once, as there are several events per call.
  const store = db.$client.transaction((event: QueueEvent, data: string[]) => {
    const id = insertEvent.get(
      event.at.getTime(),
      event.callId,
      event.groupId,
      event.agentId,
      event.event,
      data.join('|'),
    );
    if (id === undefined) throw new Error('queue_log: no id returned');
    // Counted as it is stored, so that a rebuild from the table counts the same.
    rollups.apply({ ...event, data, id });
  });
  return {
    append(input) {
      const event: QueueEvent = { ...input, at: input.at ?? clock.now() };
      // `|` separates the fields: a value must not contain one.
      const data = event.data.map((d) => d.replaceAll('|', '/'));
      writes.defer(
        () => store(event, data),
        () => {
          for (const listener of listeners) listener(event);
        },
      );
      return event;
    },
    catchUpRollups: () =>
      rollups.catchUp((id, limit) =>
        db
          .select()
          .from(queueLog)
          .where(gt(queueLog.id, id))
          .orderBy(asc(queueLog.id))
          .limit(limit)
          .all()
          .map((row) => ({ ...toEvent(row), id: row.id })),
      ),
    between(from, to, groupIds) {
      writes.flush();
      const conditions: SQL[] = [gte(queueLog.at, from), lt(queueLog.at, to)];
      if (groupIds !== undefined) conditions.push(inArray(queueLog.groupId, groupIds));
      return db
        .select()
        .from(queueLog)
        .where(and(...conditions))
        .orderBy(asc(queueLog.at), asc(queueLog.id))
        .all()
        .map(toEvent);
    },
    lastOf(groupId, events) {
      writes.flush();
      const row = db
        .select()
        .from(queueLog)
        .where(and(eq(queueLog.groupId, groupId), inArray(queueLog.event, events)))
        .orderBy(desc(queueLog.id))
        .limit(1)
        .get();
      return row === undefined ? undefined : toEvent(row);
    },
    ofCall(callId) {
      writes.flush();
      return db
        .select()
        .from(queueLog)
        .where(eq(queueLog.callId, callId))
        .orderBy(asc(queueLog.id))
        .all()
        .map(toEvent);
    },
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface QueueLogPageQuery {
  from: Date;
  to: Date;
  groupIds?: number[] | undefined;
  /** Where the previous page ended (its `next`); the first page has none. */
  after?: QueueLogCursor | undefined;
  limit: number;
}

/** A position in the log's order (at, then id). */
export interface QueueLogCursor {
  at: number;
  id: number;
}

/**
 * One page of the log between two instants, oldest first: an export reads the log page by page,
 * so that neither the server's memory nor one query holds all of it.
 */
export function queueLogPage(
  db: Db,
  query: QueueLogPageQuery,
): { events: QueueEvent[]; next: QueueLogCursor | null } {
  const conditions: (SQL | undefined)[] = [
    gte(queueLog.at, query.from),
    lt(queueLog.at, query.to),
    query.groupIds === undefined ? undefined : inArray(queueLog.groupId, query.groupIds),
    query.after === undefined
      ? undefined
      : or(
          gt(queueLog.at, new Date(query.after.at)),
          and(eq(queueLog.at, new Date(query.after.at)), gt(queueLog.id, query.after.id)),
        ),
  ];
  const rows = db
    .select()
    .from(queueLog)
    .where(and(...conditions))
    .orderBy(asc(queueLog.at), asc(queueLog.id))
    .limit(query.limit)
    .all();
  const last = rows.at(-1);
  return {
    events: rows.map(toEvent),
    next:
      rows.length < query.limit || last === undefined
        ? null
        : { at: last.at.getTime(), id: last.id },
  };
}

/** One event as a queue_log line. */
export function queueLogLine(
  event: QueueEvent,
  names: { queue(groupId: number): string; agent(agentId: number): string },
): string {
  const epoch = Math.floor(event.at.getTime() / 1000);
  const queue = event.groupId === null ? 'NONE' : names.queue(event.groupId);
  const agent = event.agentId === null ? 'NONE' : names.agent(event.agentId);
  return [String(epoch), event.callId, queue, agent, event.event, ...event.data].join('|');
}
