/**
 * The registry of live calls and their legs: which call a channel belongs to, and the mutable
 * records behind the read-only `Call` and `Leg` the rest of the code sees.
 *
 * A leg is not a call's for life: `detachLeg` takes it out of its call (a transfer, a park, a
 * conference join) and `attachLeg` gives it to another, so a channel is always found under the
 * call that owns it now.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { Call, CallFacts, CallState, Leg, LegRole, LegState } from './model.js';
import type { Direction, EndReason } from './outcomes.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface LegRecord extends Mutable<Leg> {
  role: LegRole;
  state: LegState;
}

export interface CallRecord extends Mutable<CallFacts> {
  readonly id: string;
  state: CallState;
  from: { number: string; name: string };
  legs: Map<string, LegRecord>;
  bridgeId: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endReason: EndReason | null;
  endedBy: LegRole | null;
}

/** What a new call needs to know about itself. */
export interface CallOrigin {
  direction: Direction;
  from: { number: string; name: string };
  to: string;
  ourNumber?: string | null;
  phoneNumberId?: number | null;
  popup?: Call['popup'];
}

const NO_POPUP: Call['popup'] = { incomingUrl: null, answerUrl: null, message: null };

export function createCallRegistry(clock: Clock) {
  const calls = new Map<string, CallRecord>();
  const legs = new Map<string, { call: CallRecord; leg: LegRecord }>();

  return {
    create(origin: CallOrigin, id: string = randomUUID()): CallRecord {
      const call: CallRecord = {
        id,
        direction: origin.direction,
        state: 'ringing',
        from: { ...origin.from },
        to: origin.to,
        ourNumber: origin.ourNumber ?? null,
        phoneNumberId: origin.phoneNumberId ?? null,
        legs: new Map(),
        bridgeId: null,
        startedAt: clock.now(),
        answeredAt: null,
        endReason: null,
        popup: origin.popup ?? NO_POPUP,
        groupId: null,
        afterCall: null,
        recorded: true,
        endedBy: null,
      };
      calls.set(id, call);
      return call;
    },
    attachLeg(call: CallRecord, leg: LegRecord): LegRecord {
      call.legs.set(leg.channelId, leg);
      legs.set(leg.channelId, { call, leg });
      return leg;
    },
    /** Takes a leg out of its call; the channel belongs to no call until attached again. */
    detachLeg(channelId: string): LegRecord | undefined {
      const entry = legs.get(channelId);
      if (entry === undefined) return undefined;
      entry.call.legs.delete(channelId);
      legs.delete(channelId);
      return entry.leg;
    },
    /** Forgets an ended call and its legs. */
    remove(call: CallRecord): void {
      calls.delete(call.id);
      for (const channelId of call.legs.keys()) {
        if (legs.get(channelId)?.call === call) legs.delete(channelId);
      }
    },
    /** The mutable record of a call handed out read-only (the same object). */
    record(call: Call): CallRecord | undefined {
      const record = calls.get(call.id);
      return record === call ? record : undefined;
    },
    legRecord(call: Call, leg: Leg): LegRecord | undefined {
      const record = calls.get(call.id)?.legs.get(leg.channelId);
      return record === leg ? record : undefined;
    },
    get: (callId: string): CallRecord | undefined => calls.get(callId),
    has: (callId: string): boolean => calls.has(callId),
    byChannel: (channelId: string) => legs.get(channelId),
    list: (): CallRecord[] => [...calls.values()],
  };
}

export type CallRegistry = ReturnType<typeof createCallRegistry>;
