/**
 * Call history (§9-1): rows opened when a call starts and completed when it ends.
 *
 * The writes follow the call (write-behind): a row is written once the event that caused it has
 * been handled — the targets already rung — and every read flushes them first.
 */
import type { IvrStep } from '../ivr/path.js';
import type BetterSqlite3 from 'better-sqlite3';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { WRITE_THROUGH, type WriteBehind } from '../platform/db/write-behind.js';
import { notFound } from '../platform/http/errors.js';
import { callType, talkSeconds, type Direction, type EndReason } from './outcomes.js';
import { scopeCondition, type HistoryScope } from './history-search.js';
import type { Call } from './model.js';
import { callHistory, callHistoryAgents, HANDLED_VIA, type CallHistoryRow } from './schema.js';

export type HandledVia = (typeof HANDLED_VIA)[number];

/** A call's history row as it opens: what the call says of itself, and the agents on it. */
export function callStart(
  call: Call,
  who: { agentId: number | null; calleeAgentId: number | null },
): CallStart {
  return {
    callId: call.id,
    direction: call.direction,
    fromNumber: call.from.number,
    fromName: call.from.name,
    toNumber: call.to,
    ourNumber: call.ourNumber,
    phoneNumberId: call.phoneNumberId,
    ...who,
  };
}

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

type AssignedField = 'agentId' | 'calleeAgentId' | 'ourNumber' | 'phoneNumberId' | 'groupId';

export interface CallHistoryService {
  open(start: CallStart): void;
  /** Who the call ended up with (the agent who answered), as it becomes known. */
  assign(callId: string, fields: Partial<Pick<CallHistoryRow, AssignedField>>): void;
  answered(callId: string, recordingName: string | null): void;
  /** An agent has the customer now (the first, or one taking over): the call's chain grows. */
  handled(callId: string, agentId: number, via: HandledVia): void;
  /** The chain of agents who had the call, in order. */
  handlers(callId: string): { agentId: number | null; at: Date; via: HandledVia }[];
  ended(callId: string, reason: EndReason, hangupCause: number | null): void;
  /** The IVRs the caller has gone through so far, and how they left each. */
  tookIvrPath(callId: string, path: readonly IvrStep[]): void;
  /** The caller left a voicemail message (§9-1 marks the call). */
  leftVoicemail(callId: string, voicemailId: number): void;
  openRows(): CallHistoryRow[];
  /** One row, if the scope sees it (404 otherwise: another agent's call is not even there). */
  get(id: number, scope: HistoryScope): CallHistoryRow;
  byCallId(callId: string): CallHistoryRow | undefined;
}

export function createCallHistoryService(
  db: Db,
  clock: Clock,
  writes: WriteBehind = WRITE_THROUGH,
): CallHistoryService {
  // Written and read on every call: prepared once (building a statement costs more than running it).
  const rowOfCall = db
    .select()
    .from(callHistory)
    .where(eq(callHistory.callId, sql.placeholder('callId')))
    .prepare();
  const rowOf = (callId: string) => rowOfCall.get({ callId });
  const insertRow = db
    .insert(callHistory)
    .values({
      callId: sql.placeholder('callId'),
      direction: sql.placeholder('direction'),
      type: sql.placeholder('type'),
      fromNumber: sql.placeholder('fromNumber'),
      fromName: sql.placeholder('fromName'),
      toNumber: sql.placeholder('toNumber'),
      ourNumber: sql.placeholder('ourNumber'),
      phoneNumberId: sql.placeholder('phoneNumberId'),
      agentId: sql.placeholder('agentId'),
      calleeAgentId: sql.placeholder('calleeAgentId'),
      startedAt: sql.placeholder('startedAt'),
    })
    .prepare();
  const insertHandler = db
    .insert(callHistoryAgents)
    .values({
      callId: sql.placeholder('callId'),
      agentId: sql.placeholder('agentId'),
      at: sql.placeholder('at'),
      via: sql.placeholder('via'),
    })
    .prepare();
  const sqlite = db.$client;
  const setAnswered = sqlite.prepare<[number, string, string | null, string]>(
    'UPDATE call_history SET answered_at = ?, type = ?, recording_name = ? WHERE call_id = ?',
  );
  const setIvrPath = sqlite.prepare<[string, string]>(
    'UPDATE call_history SET ivr_path = ? WHERE call_id = ?',
  );
  const setVoicemail = sqlite.prepare<[number, string]>(
    'UPDATE call_history SET voicemail_id = ? WHERE call_id = ?',
  );
  const setEnded = sqlite.prepare<[number, string, number | null, number, string]>(
    'UPDATE call_history SET ended_at = ?, end_reason = ?, hangup_cause = ?, talk_seconds = ? ' +
      'WHERE call_id = ?',
  );

  // What routing learns of a call (its group, the agent who answered) comes on every call, a few
  // fields at a time: one statement per set of fields, prepared the first time.
  const assignments = new Map<string, BetterSqlite3.Statement>();
  function assignment(names: readonly AssignedField[]): BetterSqlite3.Statement {
    const key = names.join(',');
    let statement = assignments.get(key);
    if (statement === undefined) {
      const columns = names.map((n) => `${callHistory[n].name} = ?`).join(', ');
      statement = sqlite.prepare(`UPDATE call_history SET ${columns} WHERE call_id = ?`);
      assignments.set(key, statement);
    }
    return statement;
  }

  return {
    open(start) {
      const startedAt = clock.now();
      writes.defer(() =>
        insertRow.run({ ...start, type: callType(start.direction, false), startedAt }),
      );
    },
    assign(callId, fields) {
      const names = (Object.keys(fields) as AssignedField[]).filter((n) => fields[n] !== undefined);
      if (names.length === 0) return;
      const values = names.map((n) => fields[n] ?? null);
      writes.defer(() => assignment(names).run(...values, callId));
    },
    answered(callId, recordingName) {
      const answeredAt = clock.now();
      writes.defer(() => {
        const row = rowOf(callId);
        if (row === undefined) return;
        setAnswered.run(answeredAt.getTime(), callType(row.direction, true), recordingName, callId);
      });
    },
    tookIvrPath(callId, path) {
      const json = JSON.stringify(path);
      writes.defer(() => setIvrPath.run(json, callId));
    },
    leftVoicemail(callId, voicemailId) {
      writes.defer(() => setVoicemail.run(voicemailId, callId));
    },
    ended(callId, reason, hangupCause) {
      const endedAt = clock.now();
      writes.defer(() => {
        const row = rowOf(callId);
        if (row === undefined || row.endedAt !== null) return;
        setEnded.run(
          endedAt.getTime(),
          reason,
          hangupCause,
          talkSeconds(row.answeredAt, endedAt),
          callId,
        );
      });
    },
    handled(callId, agentId, via) {
      const at = clock.now();
      writes.defer(() => insertHandler.run({ callId, agentId, at, via }));
    },
    handlers(callId) {
      writes.flush();
      return db
        .select({
          agentId: callHistoryAgents.agentId,
          at: callHistoryAgents.at,
          via: callHistoryAgents.via,
        })
        .from(callHistoryAgents)
        .where(eq(callHistoryAgents.callId, callId))
        .orderBy(callHistoryAgents.id)
        .all();
    },
    openRows() {
      writes.flush();
      return db.select().from(callHistory).where(isNull(callHistory.endedAt)).all();
    },
    get(id, scope) {
      writes.flush();
      const row = db
        .select()
        .from(callHistory)
        .where(and(eq(callHistory.id, id), scopeCondition(scope)))
        .get();
      if (row === undefined) throw notFound('Call');
      return row;
    },
    byCallId(callId) {
      writes.flush();
      return rowOf(callId);
    },
  };
}
