/** Call history (§9-1): rows opened when a call starts and completed when it ends. */
import { and, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { notFound } from '../platform/http/errors.js';
import { callType, talkSeconds, type Direction, type EndReason } from './outcomes.js';
import { scopeCondition, type HistoryScope } from './history-search.js';
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
  };
}
