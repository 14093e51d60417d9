/**
 * What becomes of a call that does not connect, and how it is written down (pure).
 *
 * A call that is refused is hung up with a reason that chan_pjsip turns into the SIP final
 * response the caller's phone sees; the history type follows the direction and whether the call
 * was answered.
 */
import type { CALL_TYPES, END_REASONS } from './schema.js';

export type EndReason = (typeof END_REASONS)[number];
export type CallType = (typeof CALL_TYPES)[number];
export type Direction = 'inbound' | 'outbound' | 'internal';

/** The ARI hang-up reason for a caller refused for `reason`. */
export function refusalCause(reason: EndReason): string {
  switch (reason) {
    case 'busy':
    case 'blocked':
      return 'busy'; // 486 Busy Here
    case 'no_answer':
      return 'no_answer'; // 480 Temporarily Unavailable
    case 'unregistered':
      return 'no_answer'; // 480: the callee is not reachable now
    case 'unknown_number':
      return 'unallocated'; // 404 Not Found
    case 'forbidden':
    case 'restricted':
      return 'rejected'; // 403 Forbidden
    case 'failed':
    case 'ended_while_away':
      return 'congestion'; // 503 Service Unavailable
    case 'completed':
    case 'cancelled':
      return 'normal';
  }
}

/** 区分: outbound calls (ours, internal ones included) and inbound ones, answered or not. */
export function callType(direction: Direction, answered: boolean): CallType {
  if (direction === 'inbound') return answered ? 'inbound' : 'inbound_missed';
  return answered ? 'outbound' : 'outbound_unanswered';
}

/** Collapses the results of ringing several phones into one reason. */
export function forkFailure(results: readonly ('busy' | 'no_answer' | 'unavailable')[]): EndReason {
  if (results.includes('busy')) return 'busy';
  if (results.includes('no_answer')) return 'no_answer';
  return 'unregistered';
}

/** Talk time in whole seconds. */
export function talkSeconds(answeredAt: Date | null, endedAt: Date): number {
  return answeredAt === null
    ? 0
    : Math.max(0, Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000));
}
