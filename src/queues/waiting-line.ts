/**
 * The waiting line of each group: the calls waiting, in order of arrival, with what each one is
 * doing (being rung, hearing music), and the view the API and the statistics show of it.
 *
 * A call joins at its place by arrival: a new call at the end; one taken back after a restart,
 * or after an agent failed to take it, where it was; a customer transferred to the group from
 * another agent's call by their original arrival — the call's start — ahead of those who called
 * later. The wait (the group's timeout, the statistics, the skill levels it accepts) counts from
 * when the call entered this group.
 */
import type { ForkResult } from '../calls/ringing.js';
import { farEnd, type Call, type Leg } from '../calls/model.js';
import type { WaitingMedia } from '../calls/waiting-media.js';
import type { Clock, Timer } from '../platform/clock.js';
import { estimatedWaitSeconds, waitedSeconds } from './dispatch.js';

/** A call waiting in a group. */
export interface Waiting {
  call: Call;
  caller: Leg;
  groupId: number;
  /** When the call entered this group: its wait here counts from then. */
  enteredAt: Date;
  /** Its place in the line: when the customer first arrived (a transferred call: its start). */
  arrivedAt: Date;
  originalPosition: number;
  /** Groups the call already left (overflow, timeout), against loops. */
  visited: ReadonlySet<number>;
  /** Past the greeting: it may be offered to agents. */
  ready: boolean;
  attempt: { agentIds: number[]; startedAt: Date } | null;
  tried: Set<number>;
  notBefore: Map<number, Date>;
  media: WaitingMedia;
  /** The queue's timeout for this call. */
  timeout: Timer | null;
  /**
   * An agent consulting the group for an attended transfer (the customer on hold): the first
   * member who answers is theirs to talk to, told here instead of being connected to the caller.
   */
  consultation: ((result: ForkResult) => void) | null;
}

export interface WaitingView {
  callId: string;
  groupId: number;
  from: { number: string; name: string };
  enteredAt: Date;
  arrivedAt: Date;
  position: number;
  waitedSeconds: number;
  /** Null until the group has handled a call (nothing to estimate from) or nobody staffs it. */
  estimatedWaitSeconds: number | null;
  ringingAgentIds: number[];
  /** An agent consulting the group for a transfer, the customer on hold meanwhile. */
  consultation: boolean;
}

/** The one constructor of a waiting call, new or taken back after a restart. */
export function newWaiting(fields: {
  call: Call;
  caller: Leg;
  groupId: number;
  enteredAt: Date;
  /** Defaults to `enteredAt`: a call new to the queues. */
  arrivedAt?: Date;
  originalPosition: number;
  visited?: ReadonlySet<number>;
  ready: boolean;
  media: WaitingMedia;
  consultation?: Waiting['consultation'];
}): Waiting {
  return {
    visited: new Set(),
    arrivedAt: fields.enteredAt,
    consultation: null,
    ...fields,
    attempt: null,
    tried: new Set(),
    notBefore: new Map(),
    timeout: null,
  };
}

export function createWaitingLine(clock: Clock) {
  const lines = new Map<number, Waiting[]>();
  const byCall = new Map<string, Waiting>();

  const of = (groupId: number): Waiting[] => lines.get(groupId) ?? [];

  return {
    of,
    has: (groupId: number): boolean => lines.has(groupId),
    byCall: (callId: string): Waiting | undefined => byCall.get(callId),
    /** Whether `w` is (still) waiting. */
    holds: (w: Waiting): boolean => byCall.get(w.call.id) === w,
    positionOf: (w: Waiting): number => of(w.groupId).indexOf(w) + 1,
    /** Puts a call in the line at its place by arrival; `expire` runs at its timeout. */
    join(w: Waiting, timeoutSeconds: number, expire: () => void): void {
      const list = of(w.groupId);
      const index = list.findIndex((other) => other.arrivedAt > w.arrivedAt);
      list.splice(index < 0 ? list.length : index, 0, w);
      lines.set(w.groupId, list);
      byCall.set(w.call.id, w);
      if (timeoutSeconds > 0) {
        const left = w.enteredAt.getTime() + timeoutSeconds * 1000 - clock.now().getTime();
        w.timeout = clock.setTimeout(expire, Math.max(0, left));
      }
    },
    /** Takes the call out of the line (answered, timed out or abandoned). */
    leave(w: Waiting): void {
      const list = of(w.groupId);
      const index = list.indexOf(w);
      if (index >= 0) list.splice(index, 1);
      if (list.length === 0) lines.delete(w.groupId);
      if (byCall.get(w.call.id) === w) byCall.delete(w.call.id);
      if (w.timeout !== null) clock.clearTimeout(w.timeout);
      w.timeout = null;
    },
    /** The group's line as the API shows it, with positions and estimated waits. */
    view(
      groupId: number,
      averageHandleSeconds: number | null,
      agentsStaffed: number,
    ): WaitingView[] {
      const now = clock.now();
      return of(groupId).map((w, i) => {
        const waited = Math.round(waitedSeconds(w, now));
        return {
          callId: w.call.id,
          groupId,
          from: farEnd(w.call),
          enteredAt: w.enteredAt,
          arrivedAt: w.arrivedAt,
          position: i + 1,
          waitedSeconds: waited,
          estimatedWaitSeconds:
            averageHandleSeconds === null || agentsStaffed === 0
              ? null
              : estimatedWaitSeconds({
                  position: i + 1,
                  averageHandleSeconds,
                  agentsStaffed,
                  waitedSeconds: waited,
                }),
          ringingAgentIds: w.attempt?.agentIds ?? [],
          consultation: w.consultation !== null,
        };
      });
    },
  };
}

export type WaitingLine = ReturnType<typeof createWaitingLine>;
