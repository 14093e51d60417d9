/**
 * A call as the engine keeps it: its legs (the channels in our Stasis application that belong to
 * it), and what the history and the realtime feed say about it.
 *
 * `Call` and `Leg` are read-only: only the engine (src/calls/engine and the files it is built
 * from) changes them, through the mutable records of registry.ts. Routing, the ACD and the API
 * read them and ask the engine for changes.
 */
import type { Direction, EndReason } from './outcomes.js';

export type LegRole = 'caller' | 'callee';
export type LegState = 'ringing' | 'up' | 'gone';

export interface Leg {
  readonly channelId: string;
  /** The channel name (PJSIP/desk201-0000002a): AMI addresses channels by name. */
  readonly channelName: string;
  readonly role: LegRole;
  /** A phone of ours, or the carrier. */
  readonly kind: 'phone' | 'trunk';
  readonly terminal: string | null;
  readonly agentId: number | null;
  readonly state: LegState;
  /** The party on this leg put the call on hold. */
  readonly held: boolean;
}

export type CallState = 'ringing' | 'up' | 'ended';

/** What routing and the ACD learn about a call and tell the engine (`engine.describe`). */
export interface CallFacts {
  direction: Direction;
  /** The number dialled, or the DID called. */
  to: string;
  ourNumber: string | null;
  phoneNumberId: number | null;
  /** Screen pop for the agent (§11-5): URLs with @@@@ already replaced, and the message. */
  popup: { incomingUrl: string | null; answerUrl: string | null; message: string | null };
  /** The group (queue) the call was offered to, if any. */
  groupId: number | null;
  /** The agent's status once the call ends, when its group sets one (ACWステータス). */
  afterCall: { customStatusId: number; seconds: number } | null;
  /** Whether the call is recorded once answered: not a line that is no conversation itself. */
  recorded: boolean;
}

export interface Call extends Readonly<CallFacts> {
  readonly id: string;
  readonly state: CallState;
  readonly from: { readonly number: string; readonly name: string };
  readonly legs: ReadonlyMap<string, Leg>;
  readonly bridgeId: string | null;
  readonly startedAt: Date;
  readonly answeredAt: Date | null;
  /** Set once the call is over (or being torn down). */
  readonly endReason: EndReason | null;
  /** Whose hang-up ended the call, once known. */
  readonly endedBy: LegRole | null;
}

/** The party outside: whom an agent called, or who called in. */
export function farEnd(call: Call): { number: string; name: string } {
  return call.direction === 'outbound' ? { number: call.to, name: '' } : call.from;
}

/** Whether the call is answered and not over; read again after every await. */
export const isUp = (call: Call): boolean => call.state === 'up';

export function liveLegs(call: Call): Leg[] {
  return [...call.legs.values()].filter((l) => l.state !== 'gone');
}

/** The agents taking part in the call. */
export function agentsOf(call: Call): number[] {
  return [
    ...new Set([...call.legs.values()].flatMap((l) => (l.agentId === null ? [] : [l.agentId]))),
  ];
}

export function toWire(call: Call) {
  return {
    id: call.id,
    direction: call.direction,
    state: call.state,
    from: call.from,
    to: call.to,
    ourNumber: call.ourNumber,
    agentIds: agentsOf(call),
    held: liveLegs(call).some((l) => l.held),
    startedAt: call.startedAt.toISOString(),
    answeredAt: call.answeredAt?.toISOString() ?? null,
    legs: [...call.legs.values()].map((l) => ({
      channelId: l.channelId,
      role: l.role,
      kind: l.kind,
      terminal: l.terminal,
      agentId: l.agentId,
      state: l.state,
      held: l.held,
    })),
    popup: call.popup,
    groupId: call.groupId,
  };
}

export type CallWire = ReturnType<typeof toWire>;
