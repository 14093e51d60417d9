/**
 * What a restarted server needs to take its queue calls back, and where it finds it:
 * - a caller still waiting carries the CC_QUEUE tag on their channel — group, entry, original
 *   position and arrival (a transferred customer's is the call's start) — written when they
 *   joined;
 * - an answered queue call is in the queue log: its CONNECT (agent, wait) and ENTERQUEUE
 *   (original position), for the COMPLETE event its end will write.
 */
import type { QueueEvent } from './model.js';

export interface WaitingTag {
  groupId: number;
  enteredAt: Date;
  originalPosition: number;
  arrivedAt: Date;
}

export function queueTag(w: WaitingTag): string {
  return `${w.groupId}:${w.enteredAt.getTime()}:${w.originalPosition}:${w.arrivedAt.getTime()}`;
}

/** A tag as written now, or by an earlier release (no arrival: it arrived when it entered). */
export function parseQueueTag(value: string): WaitingTag | undefined {
  const [group, entered, position, arrived = entered] = value.split(':').map(Number);
  if (group === undefined || entered === undefined || position === undefined) return undefined;
  if (![group, entered, position, arrived].every(Number.isFinite)) return undefined;
  return {
    groupId: group,
    enteredAt: new Date(entered),
    originalPosition: position,
    arrivedAt: new Date(arrived ?? entered),
  };
}

/** A call an agent of a group took, until it ends. */
export interface Taken {
  groupId: number;
  agentId: number;
  waitSeconds: number;
  originalPosition: number;
  answeredAt: Date;
}

/** An answered queue call as its log describes it, or undefined if no agent took it. */
export function takenFromLog(
  groupId: number,
  answeredAt: Date | null,
  events: readonly QueueEvent[],
): Taken | undefined {
  const connect = events.filter((e) => e.event === 'CONNECT').at(-1);
  const enter = events.find((e) => e.event === 'ENTERQUEUE');
  if (connect?.agentId == null) return undefined;
  return {
    groupId,
    agentId: connect.agentId,
    waitSeconds: Number(connect.data[0] ?? 0),
    originalPosition: Number(enter?.data[2] ?? 1),
    answeredAt: answeredAt ?? connect.at,
  };
}
