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
    case 'rejected':
      return 'rejected'; // 403 Forbidden
    case 'failed':
    case 'media_timeout':
    case 'ended_while_away':
      return 'congestion'; // 503 Service Unavailable
    case 'completed':
    case 'cancelled':
      return 'normal';
  }
}

/**
 * Q.850 causes chan_pjsip turns back into the SIP response they came from (Asterisk 22,
 * hangup_cause2sip): a refusal with one of these reaches the caller as the far end gave it —
 * a carrier's 403 as 403, 404 as 404, 503 as 503. Any other cause would reach it as 603.
 */
const CAUSES_WITH_A_SIP_RESPONSE: ReadonlySet<number> = new Set([
  1, // 404 Not Found (unallocated number)
  3, // 404 (no route to destination)
  17, // 486 Busy Here
  18, // 408 Request Timeout (no user responding)
  19, // 480 Temporarily Unavailable (no answer)
  21, // 403 Forbidden (call rejected; a 603 from the far end too)
  27, // 502 Bad Gateway (destination out of order)
  28, // 484 Address Incomplete (invalid number format)
  31, // 480 (normal, unspecified)
  34, // 503 Service Unavailable (no circuit, congestion)
  38, // 500 Server Internal Error (network out of order)
  42, // 503 (switching equipment congestion)
  58, // 488 Not Acceptable Here (bearer capability not available)
  127, // 500 (interworking)
]);

/** How to hang up an unanswered caller: with the far end's cause when SIP can carry it. */
export function refusalOf(reason: EndReason, cause: number | null): string | number {
  return cause !== null && CAUSES_WITH_A_SIP_RESPONSE.has(cause) ? cause : refusalCause(reason);
}

/** What a far end's refusal (its Q.850 hang-up cause) means for the call. */
export function reasonOfCause(cause: number): EndReason {
  switch (cause) {
    case 17:
      return 'busy';
    case 18:
    case 19:
    case 20:
    case 31:
      return 'no_answer';
    case 1:
    case 2:
    case 3:
    case 22:
    case 28:
      return 'unknown_number';
    case 21:
      return 'rejected';
    default:
      return 'failed';
  }
}

/**
 * Why a connected call ended, from the hang-up of the leg that left it: Asterisk itself hangs up
 * a party that sent no media for rtp_timeout (Q.850 44, no SIP code), or that did not answer a
 * session-timer refresh (16 with SIP 408) — a phone or line that died without a BYE.
 */
export function legEndReason(cause: number | null, sipCode: number | null): EndReason {
  if (cause === 44 && (sipCode === null || sipCode === 0)) return 'media_timeout';
  if (cause === 16 && sipCode === 408) return 'media_timeout';
  return 'completed';
}

/** 区分: outbound calls (ours, internal ones included) and inbound ones, answered or not. */
export function callType(direction: Direction, answered: boolean): CallType {
  if (direction === 'inbound') return answered ? 'inbound' : 'inbound_missed';
  return answered ? 'outbound' : 'outbound_unanswered';
}

/** One target of a fork that did not answer: how, and the cause its channel ended with. */
export interface TargetFailure {
  kind: 'phone' | 'trunk';
  result: 'busy' | 'no_answer' | 'unavailable';
  /** Q.850, when the channel got as far as the far end; null when it could not be dialled. */
  cause: number | null;
}

/**
 * Collapses the results of ringing several targets into one reason and cause: busy if anyone
 * was busy, no answer if anyone rang out, else what the far end said (a carrier's 403, 404, 503
 * …), else — nobody could be rung — an unregistered phone or a failed line.
 */
export function forkFailure(failures: readonly TargetFailure[]): {
  reason: EndReason;
  cause: number | null;
} {
  const busy = failures.find((f) => f.result === 'busy');
  if (busy !== undefined) return { reason: 'busy', cause: busy.cause ?? 17 };
  const rangOut = failures.find((f) => f.result === 'no_answer');
  if (rangOut !== undefined) return { reason: 'no_answer', cause: rangOut.cause ?? 19 };
  const refused = failures.find((f) => f.cause !== null);
  if (refused?.cause != null) return { reason: reasonOfCause(refused.cause), cause: refused.cause };
  return {
    reason: failures.some((f) => f.kind === 'trunk') ? 'failed' : 'unregistered',
    cause: null,
  };
}

/** Talk time in whole seconds. */
export function talkSeconds(answeredAt: Date | null, endedAt: Date): number {
  return answeredAt === null
    ? 0
    : Math.max(0, Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000));
}
