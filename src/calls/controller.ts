/**
 * What an event on one of a call's legs means for the call: the call controller's transition
 * function. Pure — the engine applies the decision (marks the leg, ends the call, tells the
 * ringing) — so every state × event pair, hang-up races included, is unit-tested without
 * Asterisk (test/unit/call-controller.test.ts).
 *
 * A race is two events for the same call handled one after the other: whichever comes first
 * decides, and the second finds the call in its new state. Every decision for an ended call is
 * `ignore`, so a second hang-up, a late answer or a late failure never acts twice.
 */
import type { CallState, LegRole, LegState } from './model.js';
import { legEndReason, type EndReason, type TargetFailure } from './outcomes.js';

/** The call and the leg an event is about, as the engine sees them when it arrives. */
export interface LegSituation {
  call: CallState;
  role: LegRole;
  leg: LegState;
  /** The leg is one of the targets being rung right now. */
  ringing: boolean;
}

export type LegEvent =
  /** The leg's channel hung up or left the application (Q.850 cause and SIP code, if known). */
  | { type: 'gone'; cause: number | null; sipCode: number | null }
  /** The leg's channel was answered. */
  | { type: 'answered' };

export type CallDecision =
  /** Nothing changes. */
  | { type: 'ignore' }
  /** A target being rung will not answer: the ringing goes on with the others, or fails. */
  | { type: 'target_failed'; result: TargetFailure['result']; cause: number | null }
  /** A target being rung answered: the ringing is won. */
  | { type: 'target_answered' }
  /** The leg is gone; the call goes on without it. */
  | { type: 'drop_leg' }
  /** The leg is gone and the call ends for `reason`. */
  | { type: 'finish'; reason: EndReason; cause: number | null };

/** How a target failed, from its Q.850 cause: 17 is user busy; 18 and 19 are no answer. */
function targetFailureOf(cause: number | null): TargetFailure['result'] {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19) return 'no_answer';
  return 'unavailable';
}

export function decide(situation: LegSituation, event: LegEvent): CallDecision {
  if (situation.call === 'ended' || situation.leg === 'gone') return { type: 'ignore' };
  if (event.type === 'answered') {
    return situation.ringing ? { type: 'target_answered' } : { type: 'ignore' };
  }
  if (situation.ringing) {
    return { type: 'target_failed', result: targetFailureOf(event.cause), cause: event.cause };
  }
  const wasUp = situation.leg === 'up';
  if (situation.call === 'up') {
    // An answered party hanging up ends a two-party call; the caller leaving ends it whatever
    // state their leg was in. A callee that never answered leaving changes nothing.
    if (wasUp)
      return {
        type: 'finish',
        reason: legEndReason(event.cause, event.sipCode),
        cause: event.cause,
      };
    if (situation.role === 'caller')
      return { type: 'finish', reason: 'completed', cause: event.cause };
    return { type: 'drop_leg' };
  }
  // Still ringing: the caller giving up cancels the call.
  if (situation.role === 'caller')
    return { type: 'finish', reason: 'cancelled', cause: event.cause };
  return { type: 'drop_leg' };
}
