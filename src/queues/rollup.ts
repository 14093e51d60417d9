/**
 * What one queue event adds to the rollups the reports read (queues/schema.ts: slots, agents,
 * talk bands, open answers). Pure: the store applies the changes as each event is logged, and the
 * same function folds the whole log when the rollups are built afresh, so both agree.
 *
 * Each outcome event (CONNECT, ABANDON, EXITWITHTIMEOUT, EXITFULL) adds its counters
 * (counters.ts countEvent) to its group's 15-minute slot; a CONNECT also to its agent's row and,
 * until the call's talk ends, to the open answers. A COMPLETECALLER / COMPLETEAGENT of the call in
 * that group ends every open answer of it from no later than itself: their counters move to the
 * talk band of its talk time, in the slot of the answer — the first COMPLETE at or after a
 * CONNECT is its talk time, as group-report.ts defines it.
 */
import { MINUTE_MS } from '../platform/calendar.js';
import { countEvent, emptyCounters, finiteOrZero, type QueueCounters } from './counters.js';
import { talkBandIndex } from './group-report.js';
import { outcomeOf, talkSecondsOf, type QueueEvent } from './model.js';

/** A slot is 15 minutes of UTC: every UTC offset in use is a whole number of them. */
export const SLOT_MS = 15 * MINUTE_MS;

export const slotOf = (at: Date | number): number =>
  Math.floor((typeof at === 'number' ? at : at.getTime()) / SLOT_MS);

export const slotStart = (slot: number): Date => new Date(slot * SLOT_MS);

/** A logged event: the log row's id orders events and names an open answer. */
export interface LoggedEvent extends QueueEvent {
  id: number;
}

/** An answered call whose talk has not ended. */
export interface OpenAnswer {
  logId: number;
  callId: string;
  groupId: number;
  slot: number;
  at: Date;
  wait: number;
  within: boolean;
}

export type RollupChange =
  | { kind: 'slot'; groupId: number; slot: number; counters: QueueCounters }
  | { kind: 'agent'; groupId: number; slot: number; agentId: number; counters: QueueCounters }
  | { kind: 'talk'; groupId: number; slot: number; band: number; counters: QueueCounters }
  | { kind: 'open'; answer: OpenAnswer }
  | { kind: 'close'; logIds: number[] };

/** The agent column of an answer with no agent (which the log should never hold). */
export const NO_AGENT_ID = 0;

/** The counters of one answered call, rebuilt from an open answer. */
export function answerCounters(answer: Pick<OpenAnswer, 'wait' | 'within'>): QueueCounters {
  return {
    ...emptyCounters(),
    calls: 1,
    answered: 1,
    answeredWithinThreshold: answer.within ? 1 : 0,
    answerWaitTotal: answer.wait,
    answerWaitMax: answer.wait,
  };
}

/**
 * The changes `event` makes. `thresholdSeconds` is its group's service-level time now;
 * `openOfCall` the open answers of the event's call (only read for a COMPLETE).
 */
export function rollupChanges(
  event: LoggedEvent,
  thresholdSeconds: number,
  openOfCall: readonly OpenAnswer[],
): RollupChange[] {
  const { groupId } = event;
  if (groupId === null) return [];
  const slot = slotOf(event.at);
  const outcome = outcomeOf(event.event);
  if (outcome !== undefined) {
    const counters = countEvent(emptyCounters(), event, thresholdSeconds);
    const changes: RollupChange[] = [{ kind: 'slot', groupId, slot, counters }];
    if (outcome === 'answered') {
      const agentId = event.agentId ?? NO_AGENT_ID;
      changes.push({ kind: 'agent', groupId, slot, agentId, counters });
      changes.push({
        kind: 'open',
        answer: {
          logId: event.id,
          callId: event.callId,
          groupId,
          slot,
          at: event.at,
          wait: counters.answerWaitTotal,
          within: counters.answeredWithinThreshold === 1,
        },
      });
    }
    return changes;
  }
  if (event.event !== 'COMPLETECALLER' && event.event !== 'COMPLETEAGENT') return [];
  const ended = openOfCall.filter(
    (a) => a.groupId === groupId && a.callId === event.callId && a.at <= event.at,
  );
  if (ended.length === 0) return [];
  const band = talkBandIndex(finiteOrZero(talkSecondsOf(event)));
  return [
    ...ended.map((a): RollupChange => ({
      kind: 'talk',
      groupId,
      slot: a.slot,
      band,
      counters: answerCounters(a),
    })),
    { kind: 'close', logIds: ended.map((a) => a.logId) },
  ];
}

/** Whether an event can change the rollups at all (most of the log cannot). */
export function affectsRollups(event: Pick<QueueEvent, 'event' | 'groupId'>): boolean {
  return (
    event.groupId !== null &&
    (outcomeOf(event.event) !== undefined ||
      event.event === 'COMPLETECALLER' ||
      event.event === 'COMPLETEAGENT')
  );
}
