/**
 * The words of the ACD, shared by its pure cores (strategies, dispatch, statistics) and its I/O.
 *
 * Groups (グループ, a.k.a. queues, §11-2) ring their member agents by a ring strategy and a skill
 * level per member. What happens to every call is written to the queue event log, in the spirit
 * of Asterisk's queue_log: one row per event, from which every statistic is computed.
 */

/** 鳴動方式: how a group picks the agents to ring (semantics in queues/strategies.ts). */
export const RING_STRATEGIES = [
  'ring_all',
  'least_recent',
  'shortest_talk_time',
  'random',
  'round_robin',
  'skill_weighted',
  'fewest_calls',
  'linear',
] as const;
export type RingStrategy = (typeof RING_STRATEGIES)[number];

/** Skill levels: 1 is the best; a group rings its lowest level first. */
export const MIN_SKILL_LEVEL = 1;
export const MAX_SKILL_LEVEL = 99;

/**
 * Queue event names, as Asterisk's queue_log writes them (apps/app_queue.c), so that existing
 * queue reporting tools read our export. EXITFULL is ours: app_queue writes nothing when a full
 * queue turns a caller away, but the seed counts those calls (あふれ).
 *
 * The data fields follow app_queue:
 * - ENTERQUEUE      url | caller number | position
 * - RINGNOANSWER    ring time (ms)
 * - RINGCANCELED    ring time (ms)
 * - CONNECT         wait (s) | agent's channel id | ring time (s)
 * - COMPLETECALLER  wait (s) | talk (s) | original position   (the caller hung up)
 * - COMPLETEAGENT   wait (s) | talk (s) | original position   (the agent hung up)
 * - ABANDON         position | original position | wait (s)
 * - EXITWITHTIMEOUT position | original position | wait (s)
 * - EXITFULL        waiting calls | maximum
 * - PAUSE           reason      UNPAUSE  reason
 * - ADDMEMBER, REMOVEMEMBER, PENALTY (skill level)
 */
export const QUEUE_EVENTS = [
  'ENTERQUEUE',
  'RINGNOANSWER',
  'RINGCANCELED',
  'CONNECT',
  'COMPLETECALLER',
  'COMPLETEAGENT',
  'ABANDON',
  'EXITWITHTIMEOUT',
  'EXITFULL',
  'PAUSE',
  'UNPAUSE',
  'ADDMEMBER',
  'REMOVEMEMBER',
  'PENALTY',
] as const;
export type QueueEventName = (typeof QUEUE_EVENTS)[number];

/** One row of the queue event log. */
export interface QueueEvent {
  at: Date;
  /** Our call id; 'NONE' for agent events, as in queue_log. */
  callId: string;
  /** The group; null for an agent event that concerns every group (e.g. a pause of all). */
  groupId: number | null;
  agentId: number | null;
  event: QueueEventName;
  data: string[];
}

/** What finally became of a call offered to a group. */
export type QueueOutcome = 'answered' | 'abandoned' | 'overflow' | 'timed_out';

/** A call's outcome from its final event; undefined for events that are not outcomes. */
export function outcomeOf(event: QueueEventName): QueueOutcome | undefined {
  switch (event) {
    case 'CONNECT':
      return 'answered';
    case 'ABANDON':
      return 'abandoned';
    case 'EXITFULL':
      return 'overflow';
    case 'EXITWITHTIMEOUT':
      return 'timed_out';
    default:
      return undefined;
  }
}

/** Seconds waited, from an event's data (CONNECT, ABANDON, EXITWITHTIMEOUT, COMPLETE*). */
export function waitSecondsOf(e: Pick<QueueEvent, 'event' | 'data'>): number {
  switch (e.event) {
    case 'CONNECT':
    case 'COMPLETECALLER':
    case 'COMPLETEAGENT':
      return Number(e.data[0] ?? 0);
    case 'ABANDON':
    case 'EXITWITHTIMEOUT':
      return Number(e.data[2] ?? 0);
    default:
      return 0;
  }
}

/** Seconds talked, from COMPLETECALLER / COMPLETEAGENT. */
export function talkSecondsOf(e: Pick<QueueEvent, 'event' | 'data'>): number {
  return e.event === 'COMPLETECALLER' || e.event === 'COMPLETEAGENT' ? Number(e.data[1] ?? 0) : 0;
}
