/**
 * Answering-machine detection's verdict on a customer who answered (issue 13 §2): Asterisk's
 * AMD() runs on the answered channel in the dialplan (asterisk-config/extensions.conf
 * `[campaign-amd]`), which leaves `<AMDSTATUS>:<AMDCAUSE>:<answered at>` in the channel variable
 * MACHINE_CHECK_VARIABLE before the channel enters our application. Pure.
 */

/** The channel variable the dialplan leaves the verdict in. */
export const MACHINE_CHECK_VARIABLE = 'CC_AMD';
/** Where a target checked for a machine is originated to (asterisk-config/extensions.conf). */
export const MACHINE_CHECK_DIALPLAN = { context: 'campaign-amd', extension: 's', priority: 1 };

/**
 * machine / human / notsure: AMDSTATUS MACHINE, HUMAN, NOTSURE (nothing decided within the
 * analysis time). hangup: the customer hung up before a verdict.
 */
export type MachineVerdict = 'machine' | 'human' | 'notsure' | 'hangup';

export interface MachineCheck {
  verdict: MachineVerdict;
  /** AMDCAUSE, e.g. `LONGGREETING-1500-1500`, `HUMAN-600-600`, `TOOLONG-3000`; '' when none. */
  cause: string;
  /**
   * When the customer answered — before the analysis, whose time counts against the 2-second
   * abandon rule; null when Asterisk did not say.
   */
  answeredAt: Date | null;
}

const VERDICTS: Record<string, MachineVerdict> = {
  MACHINE: 'machine',
  HUMAN: 'human',
  NOTSURE: 'notsure',
  HANGUP: 'hangup',
};

/**
 * The check from the variable's value. A value that says nothing usable (AMD() could not run:
 * AMDSTATUS empty) is `notsure`: the customer goes on to an agent, as without detection. The
 * answer instant is Asterisk's `%s.%3q` (seconds since the epoch, with milliseconds).
 */
export function parseMachineCheck(value: string): MachineCheck {
  const [status = '', cause = '', answered = ''] = value.trim().split(':');
  const seconds = /^\d+(\.\d+)?$/.test(answered) ? Number(answered) : NaN;
  return {
    verdict: VERDICTS[status.toUpperCase()] ?? 'notsure',
    cause,
    answeredAt:
      Number.isFinite(seconds) && seconds > 0 ? new Date(Math.round(seconds * 1000)) : null,
  };
}

/** AMD() decides within its total analysis time (3 s, extensions.conf); this with room to spare. */
const LONGEST_CHECK_MS = 10_000;

/**
 * The answer instant to count from: Asterisk's, but never later than `now` (the verdict is in,
 * so the answer was before it) nor earlier than any analysis could take (an Asterisk whose
 * clock is off ours); `now` when Asterisk gave none.
 */
export function answerInstant(check: MachineCheck, now: Date): Date {
  const at = check.answeredAt?.getTime();
  if (at === undefined) return now;
  return new Date(Math.min(now.getTime(), Math.max(now.getTime() - LONGEST_CHECK_MS, at)));
}
