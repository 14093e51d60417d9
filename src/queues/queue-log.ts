/**
 * The queue event log: every event is written to SQLite first, then handed to the listeners
 * (realtime statistics), so what the feed shows is always a recount of the table.
 *
 * The text export is Asterisk's queue_log format — `epoch|callid|queue|agent|EVENT|data…` — so
 * that queue reporting tools written for app_queue (Asternic, QueueMetrics) read our log. The
 * queue is named by the group's extension (or `group-<id>`), the agent as `Agent/<extension>`
 * (or `Agent/<login ID>`), 'NONE' where there is none, as app_queue writes.
 */
import { and, asc, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import type { QueueEvent } from './model.js';
import { queueLog, type QueueLogRow } from './schema.js';

export interface QueueLog {
  append(event: Omit<QueueEvent, 'at'> & { at?: Date }): QueueEvent;
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

export function createQueueLog(db: Db, clock: Clock): QueueLog {
  const listeners = new Set<(event: QueueEvent) => void>();
  return {
    append(input) {
      const event: QueueEvent = { ...input, at: input.at ?? clock.now() };
      db.insert(queueLog)
        .values({
          at: event.at,
          callId: event.callId,
          groupId: event.groupId,
          agentId: event.agentId,
          event: event.event,
          // `|` separates the fields: a value must not contain one.
          data: event.data.map((d) => d.replaceAll('|', '/')).join('|'),
        })
        .run();
      for (const listener of listeners) listener(event);
      return event;
    },
    between(from, to, groupIds) {
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
