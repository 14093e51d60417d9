/**
 * Agent status, as pure functions (spec/cloudcallcenter-004.md §4, spec/operator-extensions A4).
 *
 * An agent's status has two layers:
 * - the **selection**: what the agent (or a supervisor, or a rule) chose — `available` (待機),
 *   or `paused` (停止), optionally with an admin-defined custom status (ACW, 離席, 昼休憩 …; every
 *   custom status behaves as paused: no incoming calls);
 * - the **facts**: whether Asterisk is reachable, whether any of the agent's terminals is
 *   registered, and the agent's calls.
 * The status everyone sees is derived from both: the facts win while they apply
 *   unknown (未確認, Asterisk unreachable) > on_hold (保留) > on_call (通話中) > ringing (着信中)
 *   > offline (オフライン, no terminal registered) > the selection.
 * So a call or an unplugged phone never loses the agent's choice: when the call ends or the phone
 * registers again, the selection shows again.
 *
 * Rules attached to custom statuses express the operator statuses of seed 001:
 * - `onLogin`: selected at login (準備中, "preparing");
 * - `afterCall` (+ seconds, 0 = until changed): selected when an external call ends (後処理, ACW);
 * - `toggle`: choosing the status you are already in leaves it — to the `previous` selection
 *   (小休憩: back to what you were doing) or to the `login_status` (昼休憩 and other work: back to
 *   準備中, or available when there is none).
 */

export const BUILT_IN_STATUSES = [
  'offline',
  'available',
  'ringing',
  'on_call',
  'on_hold',
  'unknown',
  'paused',
] as const;
export type BuiltInStatus = (typeof BUILT_IN_STATUSES)[number];

export type Selection = { kind: 'available' } | { kind: 'paused'; customStatusId: number | null };

export const AVAILABLE: Selection = { kind: 'available' };
export const PAUSED: Selection = { kind: 'paused', customStatusId: null };

export interface CallCounts {
  /** The agent's phones ringing for a call. */
  ringing: number;
  /** Calls the agent is in (answered), held ones included. */
  up: number;
  /** Of those, the ones the agent holds. */
  held: number;
}

export const NO_CALLS: CallCounts = { ringing: 0, up: 0, held: 0 };

export interface Facts {
  asteriskUp: boolean;
  registered: boolean;
  calls: CallCounts;
}

export interface EffectiveStatus {
  status: BuiltInStatus;
  /** The custom status shown, when the status is `paused` by one. */
  customStatusId: number | null;
}

export function effectiveStatus(selection: Selection, facts: Facts): EffectiveStatus {
  const fact = (status: BuiltInStatus): EffectiveStatus => ({ status, customStatusId: null });
  if (!facts.asteriskUp) return fact('unknown');
  if (facts.calls.up > 0) return fact(facts.calls.held >= facts.calls.up ? 'on_hold' : 'on_call');
  if (facts.calls.ringing > 0) return fact('ringing');
  if (!facts.registered) return fact('offline');
  return selection.kind === 'available'
    ? fact('available')
    : { status: 'paused', customStatusId: selection.customStatusId };
}

export function sameStatus(a: EffectiveStatus, b: EffectiveStatus): boolean {
  return a.status === b.status && a.customStatusId === b.customStatusId;
}

export function sameSelection(a: Selection, b: Selection): boolean {
  return (
    a.kind === b.kind &&
    (a.kind === 'available' || (b.kind === 'paused' && a.customStatusId === b.customStatusId))
  );
}

/** The rules of one custom status. */
export interface StatusRule {
  id: number;
  onLogin: boolean;
  afterCall: boolean;
  /** How long an after-call status lasts; 0 = until changed. */
  afterCallSeconds: number;
  toggle: 'none' | 'previous' | 'login_status';
}

export interface SelectionState {
  selection: Selection;
  /** The selection before the current one (for `toggle: previous`). */
  previous: Selection;
  /** When a timed selection ends and the agent becomes available again. */
  until: Date | null;
}

export const INITIAL_SELECTION: SelectionState = {
  selection: AVAILABLE,
  previous: AVAILABLE,
  until: null,
};

function select(
  state: SelectionState,
  selection: Selection,
  until: Date | null = null,
): SelectionState {
  if (sameSelection(state.selection, selection)) return { ...state, until };
  return { selection, previous: state.selection, until };
}

function loginSelection(rules: readonly StatusRule[]): Selection {
  const rule = rules.find((r) => r.onLogin);
  return rule === undefined ? AVAILABLE : { kind: 'paused', customStatusId: rule.id };
}

/** The agent or a supervisor chooses a status. */
export function choose(
  state: SelectionState,
  wanted: Selection,
  rules: readonly StatusRule[],
): SelectionState {
  if (
    wanted.kind === 'paused' &&
    wanted.customStatusId !== null &&
    sameSelection(state.selection, wanted)
  ) {
    const rule = rules.find((r) => r.id === wanted.customStatusId);
    if (rule?.toggle === 'previous') return select(state, state.previous);
    if (rule?.toggle === 'login_status') {
      const target = loginSelection(rules);
      // Toggling out of the login status itself would go nowhere: go to available.
      return select(state, sameSelection(target, wanted) ? AVAILABLE : target);
    }
  }
  return select(state, wanted);
}

/** The agent logged in: the login status, if one is defined. */
export function onLogin(state: SelectionState, rules: readonly StatusRule[]): SelectionState {
  const target = loginSelection(rules);
  return target.kind === 'available' ? state : select(state, target);
}

/**
 * A call of the agent ended. After an external call the after-call status applies, if one is
 * defined (a queue's own ACW setting, when it has one, is passed as `override`).
 */
export function onCallEnded(
  state: SelectionState,
  rules: readonly StatusRule[],
  external: boolean,
  now: Date,
  override?: { customStatusId: number; seconds: number },
): SelectionState {
  if (!external) return state;
  const rule =
    override ??
    (() => {
      const r = rules.find((x) => x.afterCall);
      return r === undefined ? undefined : { customStatusId: r.id, seconds: r.afterCallSeconds };
    })();
  if (rule === undefined) return state;
  const until = rule.seconds > 0 ? new Date(now.getTime() + rule.seconds * 1000) : null;
  return select(state, { kind: 'paused', customStatusId: rule.customStatusId }, until);
}

/**
 * A group paused the agent for not answering (無応答自動停止): 停止 for `seconds`, then available
 * again (0 = until changed). An agent already paused by choice keeps their choice.
 */
export function onAutoPause(state: SelectionState, now: Date, seconds: number): SelectionState {
  if (state.selection.kind === 'paused') return state;
  return select(state, PAUSED, seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null);
}

/** Time passed: a timed selection whose time is up returns the agent to available. */
export function onTick(state: SelectionState, now: Date): SelectionState {
  if (state.until === null || now < state.until) return state;
  return select(state, AVAILABLE);
}

/** May the agent be offered an external (DID, queue, campaign) call? Only when available. */
export function takesExternalCalls(status: EffectiveStatus): boolean {
  return status.status === 'available';
}

/** May the agent's phones ring for an internal call? In any status but offline, unknown or busy. */
export function takesInternalCalls(status: EffectiveStatus): boolean {
  return status.status === 'available' || status.status === 'paused';
}
