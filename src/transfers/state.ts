/**
 * A transfer's state machine (pure): what each thing that can happen to a transfer means in its
 * current state, and what must be done about it. The transfer service applies the actions; the
 * parties are the initiator (the agent transferring), the transferred (the customer) and the
 * recipient (the number transferred to).
 *
 * After wazo-calld's transfers (plugins/transfers/state.py), whose bug history is the list of
 * races this table answers: every input is defined in every state, a terminal state ignores the
 * parties' hang-ups (a second hang-up, a late answer never act twice), and refuses a late
 * `complete` or `cancel` so that the API can say so.
 *
 * - An attended transfer (`#9`, REST `attended`) rings the recipient while the customer hears
 *   music; once answered, the initiator and the recipient talk (the consultation, a call of its
 *   own); completing it (REST, or the initiator hanging up) hands the customer to the recipient.
 * - A blind transfer (`#8`, REST `blind`) is an attended one completed at once: the initiator is
 *   released while the recipient rings, and the customer is theirs on the answer. Completing an
 *   attended transfer while it still rings, or its initiator hanging up, turns it blind.
 * - A recipient that fails (busy, no answer, refusal) returns the initiator to the customer with a
 *   short tone; in a blind transfer, whose initiator is gone, the initiator's phones are rung
 *   back (a recall).
 * - The customer hanging up cancels it; a consultation already answered goes on as a call
 *   between the initiator and the recipient.
 */

export type TransferMode = 'blind' | 'attended';
export type TransferStatus = 'ringing' | 'answered' | 'completed' | 'cancelled';

export type TransferInput =
  /** The recipient answered. */
  | { type: 'recipient_answered' }
  /** The recipient will not answer: busy, no answer in the ring time, refused, unreachable. */
  | { type: 'recipient_failed' }
  /** The recipient, having answered, hung up. */
  | { type: 'recipient_hung_up' }
  /** Complete it now (REST `complete`; an attended transfer's initiator hanging up is the same). */
  | { type: 'complete' }
  /** Call it off (REST `cancel`, the cancel key). */
  | { type: 'cancel' }
  | { type: 'initiator_hung_up' }
  | { type: 'transferred_hung_up' };

export type TransferAction =
  /** The recipient answered an attended transfer: the initiator and the recipient talk. */
  | 'connect_initiator_with_recipient'
  /** The customer is handed to the recipient (the transfer is done). */
  | 'connect_transferred_with_recipient'
  /** The initiator's part is over: their phone is hung up. */
  | 'release_initiator'
  /** The initiator is back with the customer (the music stops). */
  | 'return_initiator'
  /** A short tone to the initiator: the recipient did not answer. */
  | 'tone_to_initiator'
  /** The initiator of a blind transfer, already gone, is rung back for the customer. */
  | 'recall_initiator'
  /** The recipient is still ringing: stop it. */
  | 'stop_ringing_recipient'
  /** The recipient answered (the consultation): hang them up. */
  | 'hang_up_recipient';

export type TransferEventName =
  'transfer_answered' | 'transfer_completed' | 'transfer_cancelled' | 'transfer_abandoned';

export type TransferStep =
  /** Nothing changes. */
  | { type: 'ignore' }
  /** The input cannot apply (a REST `complete` of a transfer that is over): 409. */
  | { type: 'refuse'; code: 'transfer_over' }
  | {
      type: 'transition';
      status: TransferStatus;
      mode: TransferMode;
      actions: TransferAction[];
      /** What the feed is told, in order. */
      events: TransferEventName[];
    };

export interface TransferSituation {
  status: TransferStatus;
  mode: TransferMode;
}

const IGNORE: TransferStep = { type: 'ignore' };

function to(
  status: TransferStatus,
  mode: TransferMode,
  actions: TransferAction[],
  events: TransferEventName[],
): TransferStep {
  return { type: 'transition', status, mode, actions, events };
}

export function decideTransfer(at: TransferSituation, input: TransferInput): TransferStep {
  const { status, mode } = at;
  if (status === 'completed' || status === 'cancelled') {
    return input.type === 'complete' || input.type === 'cancel'
      ? { type: 'refuse', code: 'transfer_over' }
      : IGNORE;
  }
  if (status === 'ringing') return whileRinging(mode, input);
  return whileAnswered(input);
}

/** The recipient is ringing. In a blind transfer the initiator is gone already. */
function whileRinging(mode: TransferMode, input: TransferInput): TransferStep {
  const attended = mode === 'attended';
  switch (input.type) {
    case 'recipient_answered':
      return attended
        ? to('answered', mode, ['connect_initiator_with_recipient'], ['transfer_answered'])
        : to(
            'completed',
            mode,
            ['connect_transferred_with_recipient'],
            ['transfer_answered', 'transfer_completed'],
          );
    case 'recipient_failed':
      return attended
        ? to('cancelled', mode, ['return_initiator', 'tone_to_initiator'], ['transfer_cancelled'])
        : to('cancelled', mode, ['recall_initiator'], ['transfer_cancelled']);
    case 'recipient_hung_up':
      // Not answered yet: a hang-up now is a failure, reported as such by the ringing.
      return IGNORE;
    case 'complete':
      // Completed while it rings: it goes on blind, the initiator released.
      return attended ? to('ringing', 'blind', ['release_initiator'], []) : IGNORE;
    case 'cancel':
      return attended
        ? to(
            'cancelled',
            mode,
            ['stop_ringing_recipient', 'return_initiator'],
            ['transfer_cancelled'],
          )
        : to(
            'cancelled',
            mode,
            ['stop_ringing_recipient', 'recall_initiator'],
            ['transfer_cancelled'],
          );
    case 'initiator_hung_up':
      // The initiator left before the answer: the transfer goes on blind (Wazo's "abandoned").
      // A blind transfer expects it (a phone that asked for it may hang up before it is let go):
      // it goes on, the leg taken care of.
      return attended
        ? to('ringing', 'blind', [], ['transfer_abandoned'])
        : to('ringing', 'blind', [], []);
    case 'transferred_hung_up':
      // Nobody to transfer any more; an attended initiator hears the ringing stop and is free.
      return attended
        ? to(
            'cancelled',
            mode,
            ['stop_ringing_recipient', 'release_initiator'],
            ['transfer_cancelled'],
          )
        : to('cancelled', mode, ['stop_ringing_recipient'], ['transfer_cancelled']);
  }
}

/** An attended transfer's recipient answered: the initiator and the recipient are talking. */
function whileAnswered(input: TransferInput): TransferStep {
  const mode = 'attended';
  switch (input.type) {
    case 'recipient_answered':
    case 'recipient_failed':
      return IGNORE;
    case 'complete':
    case 'initiator_hung_up':
      return to(
        'completed',
        mode,
        ['connect_transferred_with_recipient', 'release_initiator'],
        ['transfer_completed'],
      );
    case 'cancel':
      return to(
        'cancelled',
        mode,
        ['hang_up_recipient', 'return_initiator'],
        ['transfer_cancelled'],
      );
    case 'recipient_hung_up':
      return to(
        'cancelled',
        mode,
        ['return_initiator', 'tone_to_initiator'],
        ['transfer_cancelled'],
      );
    case 'transferred_hung_up':
      // The consultation goes on as a call between the initiator and the recipient.
      return to('cancelled', mode, [], ['transfer_cancelled']);
  }
}
