/**
 * Collecting digits keyed on a phone that is not in a call's bridge: a PIN after a prompt, later
 * an IVR's menu choice or a supervisor's mode switch. Pure: the shell (digit-reader.ts) feeds it
 * each digit with the time, tells it when its prompt has ended, and asks it when to give up.
 *
 * - A prompt is interrupted by the first digit (barge-in); no timeout runs while it plays.
 * - The first digit is waited for `firstDigitMs` after the prompt; each further one
 *   `interDigitMs` after the one before. A pause that runs out ends the input with what was keyed.
 * - The terminator (e.g. `#`) ends the input and is not part of it; `maxDigits` digits end it too.
 */

export interface DigitRules {
  /** The input ends by itself once this many digits are keyed. */
  maxDigits: number;
  /** The key that ends an input early (not part of the digits), or null for none. */
  terminator: string | null;
  /** How long the first digit is waited for, from the end of the prompt (ms). */
  firstDigitMs: number;
  /** How long each further digit is waited for (ms). */
  interDigitMs: number;
}

export interface DigitInput {
  digits: string;
  /** How it ended: the terminator, `maxDigits` reached, a pause, or the phone hung up. */
  end: 'terminator' | 'max_digits' | 'timeout' | 'hangup';
}

export interface DigitState {
  digits: string;
  /** The prompt still plays (no timeout runs). */
  prompting: boolean;
  /** When the wait for the next digit started (ms). */
  since: number;
  /** The input, once it is complete. */
  done: DigitInput | null;
}

const KEY = /^[0-9*#]$/;

/** An input starts at `now`, with its prompt playing or not. */
export function beginDigits(now: number, prompting: boolean): DigitState {
  return { digits: '', prompting, since: now, done: null };
}

/** One key at `now`. Keys after the input is complete, and anything not a key, change nothing. */
export function pressDigit(
  rules: DigitRules,
  state: DigitState,
  digit: string,
  now: number,
): DigitState {
  if (state.done !== null || !KEY.test(digit)) return state;
  // A key that comes after the pause ran out is too late for this input.
  const expired = expireDigits(rules, state, now);
  if (expired.done !== null) return expired;
  if (digit === rules.terminator)
    return { ...state, prompting: false, done: { digits: state.digits, end: 'terminator' } };
  const digits = state.digits + digit;
  return {
    digits,
    prompting: false,
    since: now,
    done: digits.length >= rules.maxDigits ? { digits, end: 'max_digits' } : null,
  };
}

/** The prompt has finished playing at `now` (or could not be played): the wait starts. */
export function promptEnded(state: DigitState, now: number): DigitState {
  if (!state.prompting || state.done !== null) return state;
  return { ...state, prompting: false, since: now };
}

/** When the input is given up unless a key comes (ms), or null: complete, or prompting. */
export function digitDeadline(rules: DigitRules, state: DigitState): number | null {
  if (state.done !== null || state.prompting) return null;
  return state.since + (state.digits === '' ? rules.firstDigitMs : rules.interDigitMs);
}

/** At `now`: the pause ran out, the input ends with what was keyed. */
export function expireDigits(rules: DigitRules, state: DigitState, now: number): DigitState {
  const due = digitDeadline(rules, state);
  if (due === null || now < due) return state;
  return { ...state, done: { digits: state.digits, end: 'timeout' } };
}

/** The phone hung up: the input ends with what was keyed. */
export function hangUpDigits(state: DigitState): DigitState {
  if (state.done !== null) return state;
  return { ...state, prompting: false, done: { digits: state.digits, end: 'hangup' } };
}
