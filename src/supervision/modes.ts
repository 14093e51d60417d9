/**
 * Supervision (§6-1, §13): a supervisor listens to an agent's call (モニタリング, `995` +
 * extension), speaks to the agent alone (ウィスパリング, `994` + extension), or joins in (barge,
 * `996` + extension — ours: the manual has no barge code). Pure: what a dialled number asks for,
 * what a key pressed during the session switches to, what each mode needs, and how Asterisk's
 * snoop channel is set up for it.
 */
import type { SnoopDirection } from '../platform/asterisk/ari.js';

export const SUPERVISION_MODES = ['listen', 'whisper', 'barge'] as const;
export type SupervisionMode = (typeof SUPERVISION_MODES)[number];

/** The codes a phone dials before the agent's extension. */
export interface SupervisionCodes {
  listen: string;
  whisper: string;
  barge: string;
}

/**
 * During a session the supervisor switches mode with one key: the last digit of the mode's
 * default code (994 whisper, 995 listen, 996 barge), so the keys are learnt with the codes.
 */
export const MODE_KEYS: Readonly<Record<string, SupervisionMode>> = {
  '4': 'whisper',
  '5': 'listen',
  '6': 'barge',
};

/** A dialled number that asks to supervise: the mode and the agent's extension. */
export function supervisionDialled(
  codes: SupervisionCodes,
  dialled: string,
): { mode: SupervisionMode; extension: string } | undefined {
  for (const mode of SUPERVISION_MODES) {
    const code = codes[mode];
    if (!dialled.startsWith(code)) continue;
    const extension = dialled.slice(code.length);
    if (/^\d{2,8}$/.test(extension)) return { mode, extension };
  }
  return undefined;
}

/** The permissions a mode needs (§11-13 通話機能): barge both, since the supervisor is heard. */
export function permissionsFor(mode: SupervisionMode): string[] {
  switch (mode) {
    case 'listen':
      return ['call_features.monitor'];
    case 'whisper':
      return ['call_features.whisper'];
    case 'barge':
      return ['call_features.monitor', 'call_features.whisper'];
  }
}

export function mayUse(permissions: ReadonlySet<string>, mode: SupervisionMode): boolean {
  return permissionsFor(mode).every((p) => permissions.has(p));
}

/**
 * The snoop channel on the agent's leg: it always hears both directions (the agent and whom the
 * agent hears); what the supervisor says reaches nobody (listen), what the agent hears (whisper:
 * the agent alone), or both directions (barge: the agent and the other party).
 */
export function snoopFor(mode: SupervisionMode): { spy: SnoopDirection; whisper: SnoopDirection } {
  switch (mode) {
    case 'listen':
      return { spy: 'both', whisper: 'none' };
    case 'whisper':
      return { spy: 'both', whisper: 'out' };
    case 'barge':
      return { spy: 'both', whisper: 'both' };
  }
}

/** The codes must differ and none may be the beginning of another (995 and 9951 would clash). */
export function codesProblem(codes: SupervisionCodes): string | null {
  const all = [codes.listen, codes.whisper, codes.barge];
  if (all.some((c) => !/^[0-9*]{1,6}$/.test(c))) return 'a code is 1 to 6 digits or *';
  for (const a of all)
    for (const b of all) if (a !== b && b.startsWith(a)) return `${a} is the beginning of ${b}`;
  if (new Set(all).size !== all.length) return 'two modes have the same code';
  return null;
}
