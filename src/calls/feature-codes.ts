/**
 * Feature codes keyed on an agent's phone during a call (spec §13): `#72` parks, `#8` + number
 * + `#` transfers blind, `#9` + number + `#` transfers after a consultation, `#0` calls a
 * consultation off (back to the customer). Pure: the engine
 * feeds it each digit with the time, and asks it when its pause runs out.
 *
 * An agent must still be able to key through a customer's IVR, so the agent's digits are held
 * back from the other party (absorbed by the bridge) and passed on by us: a digit that cannot
 * begin a code is passed on at once; the digits of a code's beginning are held until they make a
 * code, stop matching one (then they are all passed on, in order) or the pause between two
 * digits runs out (passed on too). A transfer's number, once its code is complete, is ours: it
 * is never passed on, and a number abandoned by a pause is dropped.
 */

export interface FeatureCodeSettings {
  park: string;
  blindTransfer: string;
  attendedTransfer: string;
  /** During a consultation: call the transfer off, back to the customer. */
  cancelTransfer: string;
  /** Ends a transfer's number. */
  terminator: string;
  /** The longest pause between two digits of a code before it is given up (ms). */
  digitTimeoutMs: number;
}

/** The manual's codes (§13) and a pause an agent keying a code does not reach. */
export const DEFAULT_FEATURE_CODES: FeatureCodeSettings = {
  park: '#72',
  blindTransfer: '#8',
  attendedTransfer: '#9',
  cancelTransfer: '#0',
  terminator: '#',
  digitTimeoutMs: 3000,
};

export type Feature =
  | { type: 'park' }
  | { type: 'cancel_transfer' }
  | { type: 'blind_transfer'; to: string }
  | { type: 'attended_transfer'; to: string };

type TransferType = 'blind_transfer' | 'attended_transfer';

export type FeatureCodeState =
  /** Nothing held. */
  | { mode: 'idle' }
  /** The beginning of a code, held back. */
  | { mode: 'code'; held: string; lastAt: number }
  /** A transfer code was keyed: collecting its number. */
  | { mode: 'number'; transfer: TransferType; number: string; lastAt: number };

export interface FeatureCodeStep {
  state: FeatureCodeState;
  /** Digits for the other party, in order ('' for none). */
  passOn: string;
  feature: Feature | null;
}

export const IDLE: FeatureCodeState = { mode: 'idle' };

const DIGIT = /^[0-9*#]$/;
const DIGITS = /^[0-9*#]+$/;

/** Why a set of codes cannot work, or null: each must be digits, none a prefix of another. */
export function featureCodesProblem(settings: FeatureCodeSettings): string | null {
  const codes = codesOf(settings);
  for (const code of codes) {
    if (!DIGITS.test(code)) return `feature code "${code}" must be keypad digits (0-9, *, #)`;
  }
  for (const a of codes) {
    for (const b of codes) {
      if (a !== b && b.startsWith(a)) return `feature code "${a}" is the beginning of "${b}"`;
    }
  }
  if (new Set(codes).size !== codes.length) return 'two features have the same code';
  if (!DIGIT.test(settings.terminator)) return 'the terminator must be one keypad digit';
  if (settings.digitTimeoutMs <= 0) return 'the digit timeout must be positive';
  return null;
}

function codesOf(settings: FeatureCodeSettings): string[] {
  return [
    settings.park,
    settings.blindTransfer,
    settings.attendedTransfer,
    settings.cancelTransfer,
  ];
}

function codeOf(
  settings: FeatureCodeSettings,
  held: string,
): 'park' | 'cancel_transfer' | TransferType | null {
  if (held === settings.park) return 'park';
  if (held === settings.cancelTransfer) return 'cancel_transfer';
  if (held === settings.blindTransfer) return 'blind_transfer';
  if (held === settings.attendedTransfer) return 'attended_transfer';
  return null;
}

function beginsACode(settings: FeatureCodeSettings, held: string): boolean {
  return codesOf(settings).some((code) => code.startsWith(held));
}

/** One digit keyed at `now` (ms). */
export function press(
  settings: FeatureCodeSettings,
  state: FeatureCodeState,
  digit: string,
  now: number,
): FeatureCodeStep {
  // A digit after the pause ran out comes after a state the engine has not expired yet.
  const { state: current, passOn: before } = expireIfDue(settings, state, now);
  const step = pressFresh(settings, current, digit, now);
  return { ...step, passOn: before + step.passOn };
}

function pressFresh(
  settings: FeatureCodeSettings,
  state: FeatureCodeState,
  digit: string,
  now: number,
): FeatureCodeStep {
  if (state.mode === 'number') {
    if (digit === settings.terminator) {
      if (state.number === '') return { state: IDLE, passOn: '', feature: null };
      return { state: IDLE, passOn: '', feature: { type: state.transfer, to: state.number } };
    }
    return {
      state: { ...state, number: state.number + digit, lastAt: now },
      passOn: '',
      feature: null,
    };
  }
  const held = (state.mode === 'code' ? state.held : '') + digit;
  const code = codeOf(settings, held);
  if (code === 'park' || code === 'cancel_transfer')
    return { state: IDLE, passOn: '', feature: { type: code } };
  if (code !== null)
    return {
      state: { mode: 'number', transfer: code, number: '', lastAt: now },
      passOn: '',
      feature: null,
    };
  if (beginsACode(settings, held))
    return { state: { mode: 'code', held, lastAt: now }, passOn: '', feature: null };
  if (state.mode === 'code') {
    // The held digits were not a code: they go on, and the new digit may begin one itself.
    const again = pressFresh(settings, IDLE, digit, now);
    return { ...again, passOn: state.held + again.passOn };
  }
  return { state: IDLE, passOn: digit, feature: null };
}

/** When the held digits are given up unless another digit comes (ms), or null: nothing held. */
export function deadline(settings: FeatureCodeSettings, state: FeatureCodeState): number | null {
  return state.mode === 'idle' ? null : state.lastAt + settings.digitTimeoutMs;
}

/** The pause ran out: held code digits go on to the other party; a number is dropped. */
export function expire(settings: FeatureCodeSettings, state: FeatureCodeState, now: number) {
  return expireIfDue(settings, state, now);
}

function expireIfDue(
  settings: FeatureCodeSettings,
  state: FeatureCodeState,
  now: number,
): { state: FeatureCodeState; passOn: string } {
  const due = deadline(settings, state);
  if (due === null || now < due) return { state, passOn: '' };
  return { state: IDLE, passOn: state.mode === 'code' ? state.held : '' };
}
