/** Call history: rows opened when a call starts and completed when it ends, and their search (§9-1). */
import { and, count, desc, eq, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { contains } from '../platform/db/query.js';
import { notFound } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import {
  callType,
  talkSeconds,
  type CallType,
  type Direction,
  type EndReason,
} from './outcomes.js';
import { callHistory, type CallHistoryRow } from './schema.js';

export interface CallStart {
  callId: string;
  direction: Direction;
  fromNumber: string;
  fromName: string;
  toNumber: string;
  ourNumber: string | null;
  phoneNumberId: number | null;
  agentId: number | null;
  calleeAgentId: number | null;
}

/**
 * Whose calls a reader sees: everyone's (call_history.view_all), or only the calls one agent
 * took part in — as caller, as the agent who took it, or as the agent called.
 */
export type HistoryScope = { all: true } | { all: false; agentId: number | null };

export interface HistoryFilter extends PageQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  /** Part of the other party's number. */
  party?: string | undefined;
  ourNumber?: string | undefined;
  type?: CallType | undefined;
  agentId?: number | undefined;
  minSeconds?: number | undefined;
  groupId?: number | undefined;
}

export interface CallHistoryService {
  open(start: CallStart): void;
  /** Who the call ended up with (the agent who answered), as it becomes known. */
  assign(
    callId: string,
    fields: Partial<
      Pick<CallHistoryRow, 'agentId' | 'calleeAgentId' | 'ourNumber' | 'phoneNumberId' | 'groupId'>
    >,
  ): void;
  answered(callId: string, recordingName: string | null): void;
  ended(callId: string, reason: EndReason, hangupCause: number | null): CallHistoryRow | undefined;
  openRows(): CallHistoryRow[];
  /** One row, if the scope sees it (404 otherwise: another agent's call is not even there). */
  get(id: number, scope: HistoryScope): CallHistoryRow;
  byCallId(callId: string): CallHistoryRow | undefined;
  search(filter: HistoryFilter, scope: HistoryScope): Page<CallHistoryRow>;
}

/** The condition that limits rows to a scope (undefined: no limit). */
function scopeCondition(scope: HistoryScope): SQL | undefined {
  if (scope.all) return undefined;
  if (scope.agentId === null) return sql`0`;
  return or(eq(callHistory.agentId, scope.agentId), eq(callHistory.calleeAgentId, scope.agentId));
}

export function createCallHistoryService(db: Db, clock: Clock): CallHistoryService {
  const byCallId = (callId: string) =>
    db.select().from(callHistory).where(eq(callHistory.callId, callId)).get();

  return {
    open(start) {
      db.insert(callHistory)
        .values({ ...start, type: callType(start.direction, false), startedAt: clock.now() })
        .run();
    },
    assign(callId, fields) {
      if (Object.keys(fields).length === 0) return;
      db.update(callHistory).set(fields).where(eq(callHistory.callId, callId)).run();
    },
    answered(callId, recordingName) {
      const row = byCallId(callId);
      if (row === undefined) return;
      db.update(callHistory)
        .set({ answeredAt: clock.now(), type: callType(row.direction, true), recordingName })
        .where(eq(callHistory.callId, callId))
        .run();
    },
    ended(callId, reason, hangupCause) {
      const row = byCallId(callId);
      if (row === undefined || row.endedAt !== null) return row;
      const now = clock.now();
      return db
        .update(callHistory)
        .set({
          endedAt: now,
          endReason: reason,
          hangupCause,
          talkSeconds: talkSeconds(row.answeredAt, now),
        })
        .where(eq(callHistory.callId, callId))
        .returning()
        .get();
    },
    openRows: () => db.select().from(callHistory).where(isNull(callHistory.endedAt)).all(),
    get(id, scope) {
      const row = db
        .select()
        .from(callHistory)
        .where(and(eq(callHistory.id, id), scopeCondition(scope)))
        .get();
      if (row === undefined) throw notFound('Call');
      return row;
    },
    byCallId,
    search(
      { limit, offset, from, to, party, ourNumber, type, agentId, minSeconds, groupId },
      scope,
    ) {
      const conditions: (SQL | undefined)[] = [
        scopeCondition(scope),
        from === undefined ? undefined : gte(callHistory.startedAt, from),
        to === undefined ? undefined : lt(callHistory.startedAt, to),
        party === undefined
          ? undefined
          : or(contains(callHistory.fromNumber, party), contains(callHistory.toNumber, party)),
        ourNumber === undefined ? undefined : eq(callHistory.ourNumber, ourNumber),
        type === undefined ? undefined : eq(callHistory.type, type),
        agentId === undefined
          ? undefined
          : or(eq(callHistory.agentId, agentId), eq(callHistory.calleeAgentId, agentId)),
        minSeconds === undefined ? undefined : gte(callHistory.talkSeconds, minSeconds),
        groupId === undefined ? undefined : eq(callHistory.groupId, groupId),
      ];
      const where = and(...conditions);
      const items = db
        .select()
        .from(callHistory)
        .where(where)
        .orderBy(desc(callHistory.startedAt), desc(callHistory.id))
        .limit(limit)
        .offset(offset)
        .all();
      return {
        items,
        total: db.select({ n: count() }).from(callHistory).where(where).get()?.n ?? 0,
      };
    },
  };
}
