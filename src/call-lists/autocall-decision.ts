/**
 * MOT autocall's decisions (A.23, A.18 切断時のオートコール / 架電済対象 / リストの自動取得): which of
 * the operator's retrieved customers is dialled next, and what follows a hang-up. Pure.
 *
 * - Order: the customers held, in their No order; skipped are those already dialled in this
 *   session and those already 済 (架電済) under 架電済対象 — with 応答のみ (the default) a customer
 *   who did not answer earlier in this retrieval is not 済 and is dialled again by a new session.
 * - 再架電機能 (mode `recall`): only the customers whose final status is 再架電.
 * - After a hang-up: すべての通話 dials the next one; 不応答のみ (the default) only when this one did
 *   not answer (busy, rejected and unreachable are 不応答; an answering machine is 応答); しない
 *   dials nothing — the operator's one click (`/next`) does.
 * - Nothing left: with リストの自動取得 = する the next customers are retrieved once; still nothing,
 *   and the session stops (`list_empty`).
 */
import { countsAsCalled, type CalledCounts } from './outcomes.js';

export const AUTOCALL_MODES = ['all', 'recall'] as const;
/** `all`: every held customer; `recall`: 再架電機能, only those flagged 再架電. */
export type AutocallMode = (typeof AUTOCALL_MODES)[number];

export const AUTOCALL_ON_HANGUP = ['all_calls', 'no_answer_only', 'off'] as const;
export type AutocallOnHangup = (typeof AUTOCALL_ON_HANGUP)[number];

/** What answer supervision said of the customer's leg: 応答 or 不応答. */
export type DialResult = 'answered' | 'no_answer';

export const STOP_REASONS = ['stopped', 'list_empty', 'agent_no_answer', 'failed'] as const;
/**
 * Why a session ended: the operator stopped it; nothing was left to dial; the operator's phone
 * did not answer its ring (nobody is there to talk); the server could not place the call.
 */
export type StopReason = (typeof STOP_REASONS)[number];

/** A held customer as the decisions see it. */
export interface Candidate {
  customerId: number;
  /** Final status 再架電 (from an earlier upload, kept by a re-created list). */
  recall: boolean;
  /** The last call to them since they were retrieved: its result, null while it goes on. */
  lastDial: { result: DialResult | null } | null;
}

export interface Picking {
  mode: AutocallMode;
  /** Customers dialled in this session. */
  dialled: ReadonlySet<number>;
  calledCounts: CalledCounts;
}

/** 済 under 架電済対象, or still on the phone: either way not dialled again now. */
function done(c: Candidate, calledCounts: CalledCounts): boolean {
  if (c.lastDial === null) return false;
  if (c.lastDial.result === null) return true;
  return countsAsCalled(c.lastDial.result, calledCounts);
}

/** The next customer to dial, in the held order (`rows` as they come), or null. */
export function nextCandidate(rows: readonly Candidate[], picking: Picking): Candidate | null {
  return (
    rows.find(
      (c) =>
        !picking.dialled.has(c.customerId) &&
        !done(c, picking.calledCounts) &&
        (picking.mode === 'all' || c.recall),
    ) ?? null
  );
}

export type Decision =
  /** Dial this customer now. */
  | { kind: 'dial'; customerId: number }
  /** Dial nothing until the operator asks (`/next`); `next` is who that will be. */
  | { kind: 'wait'; next: number | null }
  /** Nothing left: retrieve the next customers (リストの自動取得), then decide again. */
  | { kind: 'retrieve' }
  | { kind: 'stop'; reason: 'list_empty' };

export interface AfterCall extends Picking {
  setting: AutocallOnHangup;
  autoRetrieve: boolean;
  /** Whether this decision already follows a retrieval (it is tried once per hang-up). */
  retrieved: boolean;
  /** The call that just ended; null when the operator asks for the next one (`/next`). */
  result: DialResult | null;
  rows: readonly Candidate[];
}

/** Whether the hang-up of a call with `result` dials the next customer by itself. */
export function dialsOnHangup(setting: AutocallOnHangup, result: DialResult): boolean {
  switch (setting) {
    case 'all_calls':
      return true;
    case 'no_answer_only':
      return result === 'no_answer';
    case 'off':
      return false;
  }
}

/** What happens after a call ends (or when the operator asks for the next call). */
export function decide(input: AfterCall): Decision {
  const next = nextCandidate(input.rows, input);
  if (next === null) {
    if (input.autoRetrieve && !input.retrieved) return { kind: 'retrieve' };
    return { kind: 'stop', reason: 'list_empty' };
  }
  if (input.result === null || dialsOnHangup(input.setting, input.result))
    return { kind: 'dial', customerId: next.customerId };
  return { kind: 'wait', next: next.customerId };
}
