/**
 * Hot-desk (フリーデスク, spec §11-4, §13), pure: what a dialled number asks for, what the caller
 * hears, and what a PIN attempt leads to.
 *
 * `998` + an agent's extension: the phone answers, asks for the agent's 4-digit PIN (keyed, `#`
 * optional), and on the right one becomes the agent's until `997` from it or a login of the same
 * agent elsewhere. Three tries; a try is a wrong PIN or nothing keyed in time.
 */
import type { PromptName } from '../prompts/catalogue.js';
import type { DigitRules } from '../calls/digit-collector.js';
import type { EndReason } from '../calls/outcomes.js';

export const HOT_DESK_LOGIN = '998';
export const HOT_DESK_LOGOUT = '997';

/** How many PINs a caller may try in one call. */
export const PIN_ATTEMPTS = 3;

/** A 4-digit PIN (§11-1): complete at 4 digits, or ended early by `#`. */
export const PIN_RULES: DigitRules = {
  maxDigits: 4,
  terminator: '#',
  firstDigitMs: 10_000,
  interDigitMs: 5_000,
};

export type HotDeskRequest = { kind: 'login'; extension: string } | { kind: 'logout' };

/** What a dialled number asks of hot-desk, or null: not a hot-desk number. */
export function hotDeskRequest(dialled: string): HotDeskRequest | null {
  if (dialled === HOT_DESK_LOGOUT) return { kind: 'logout' };
  if (dialled.startsWith(HOT_DESK_LOGIN))
    return { kind: 'login', extension: dialled.slice(HOT_DESK_LOGIN.length) };
  return null;
}

/** What the caller hears: system prompts (prompts/catalogue.ts), replaceable per language. */
export const PROMPTS = {
  /** "Please enter your password followed by the pound key." */
  enterPin: 'hot_desk_enter_pin',
  /** "Password incorrect. Please enter your password followed by the pound key." */
  wrongPin: 'hot_desk_wrong_pin',
  /** "Agent logged in." */
  loggedIn: 'hot_desk_logged_in',
  /** "Agent logged off." */
  loggedOut: 'hot_desk_logged_out',
} as const satisfies Record<string, PromptName>;

/** Why hot-desk says no. */
export type Refusal =
  /** Before the PIN: the call is refused with an announcement (early media) and a SIP error. */
  | 'unknown_extension'
  | 'no_pin'
  | 'not_our_phone'
  | 'not_logged_in'
  /** After the PIN prompt: announced on the answered call, then hung up. */
  | 'wrong_pin'
  | 'no_input'
  | 'locked';

export const REFUSALS: Record<Refusal, { prompt: PromptName; reason: EndReason }> = {
  /** "I am sorry, that's not a valid extension. Please try again." → 404 */
  unknown_extension: { prompt: 'invalid_extension', reason: 'unknown_number' },
  /** "Your call cannot be completed as dialed." → 403 */
  no_pin: { prompt: 'call_cannot_complete', reason: 'forbidden' },
  not_our_phone: { prompt: 'call_cannot_complete', reason: 'forbidden' },
  /** 997 on a phone no one is hot-desked on → 404 */
  not_logged_in: { prompt: 'call_cannot_complete', reason: 'unknown_number' },
  /** "Login incorrect." "Goodbye." */
  wrong_pin: { prompt: 'hot_desk_failed', reason: 'completed' },
  /** "Goodbye." */
  no_input: { prompt: 'goodbye', reason: 'completed' },
  /** "We're sorry." "Please try your call again later." */
  locked: { prompt: 'hot_desk_locked', reason: 'completed' },
};

/** How a try ended: the PIN was right or wrong, the account is locked, or nothing was keyed. */
export type PinOutcome = 'right' | 'wrong' | 'locked' | 'none';

/** The tries of one call so far. */
export interface PinTries {
  /** The try now ending (1-based). */
  attempt: number;
  /** Wrong PINs keyed before it. */
  wrong: number;
}

export const FIRST_TRY: PinTries = { attempt: 1, wrong: 0 };

export type PinStep =
  | { next: 'login' }
  /** Ask again; `prompt` is what the caller hears first. */
  | { next: 'retry'; tries: PinTries; prompt: PromptName }
  | { next: 'refuse'; refusal: 'wrong_pin' | 'no_input' | 'locked' };

/** After a try ended with `outcome`. */
export function afterPin(tries: PinTries, outcome: PinOutcome): PinStep {
  if (outcome === 'right') return { next: 'login' };
  if (outcome === 'locked') return { next: 'refuse', refusal: 'locked' };
  const wrong = tries.wrong + (outcome === 'wrong' ? 1 : 0);
  if (tries.attempt >= PIN_ATTEMPTS)
    return { next: 'refuse', refusal: wrong > 0 ? 'wrong_pin' : 'no_input' };
  return {
    next: 'retry',
    tries: { attempt: tries.attempt + 1, wrong },
    prompt: outcome === 'wrong' ? PROMPTS.wrongPin : PROMPTS.enterPin,
  };
}
