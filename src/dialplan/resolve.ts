/**
 * What a number dialled on one of our phones means (pure). Asterisk hands every call to us with
 * the digits dialled (`Stasis(app, internal, <digits>)`); this decides where it goes.
 *
 * In order:
 * 1. an agent's extension (内線), 2. a group's extension (800–899 by default), 3. an external
 *    transfer's extension, 4. a terminal's ID;
 * 5. 184 / 186 in front of a number (Japan): withhold / present the caller ID for this call;
 * 6. a phone number's プレフィックス in front of a number: call out with that number;
 * 7. anything else that looks like a telephone number — 0 or + first and at least 5 digits, or
 *    an emergency number (110, 118, 119) — is an outbound call;
 * 8. the rest is an unknown number (404).
 * Feature codes (#72, 9001…) arrive with their issues and are checked before all of these.
 */

export type Privacy = 'withhold' | 'present' | 'default';

export type Destination =
  | { kind: 'agent'; agentId: number }
  | { kind: 'group'; groupId: number }
  | { kind: 'external_transfer'; externalTransferId: number }
  | { kind: 'terminal'; sipUser: string }
  | { kind: 'outbound'; number: string; privacy: Privacy; phoneNumberId: number | null }
  | { kind: 'unknown'; dialled: string };

export interface DialplanLookup {
  agentByExtension(extension: string): number | undefined;
  groupByExtension(extension: string): number | undefined;
  externalTransferByExtension(extension: string): number | undefined;
  terminalExists(sipUser: string): boolean;
  /** A phone number whose prefix starts `dialled`, and the digits after it. */
  numberByPrefix(dialled: string): { phoneNumberId: number; rest: string } | undefined;
}

export const EMERGENCY_NUMBERS: ReadonlySet<string> = new Set(['110', '118', '119']);

export function looksExternal(number: string): boolean {
  if (EMERGENCY_NUMBERS.has(number)) return true;
  return /^(\+[0-9]{5,20}|0[0-9]{4,19})$/.test(number);
}

export function resolveDialled(dialled: string, lookup: DialplanLookup): Destination {
  const agentId = lookup.agentByExtension(dialled);
  if (agentId !== undefined) return { kind: 'agent', agentId };
  const groupId = lookup.groupByExtension(dialled);
  if (groupId !== undefined) return { kind: 'group', groupId };
  const externalTransferId = lookup.externalTransferByExtension(dialled);
  if (externalTransferId !== undefined) return { kind: 'external_transfer', externalTransferId };
  if (lookup.terminalExists(dialled)) return { kind: 'terminal', sipUser: dialled };

  /** An outbound number, after an optional プレフィックス choosing the caller ID. */
  const outbound = (
    digits: string,
  ): { number: string; phoneNumberId: number | null } | undefined => {
    const prefixed = lookup.numberByPrefix(digits);
    if (prefixed !== undefined && looksExternal(prefixed.rest)) {
      return { number: prefixed.rest, phoneNumberId: prefixed.phoneNumberId };
    }
    return looksExternal(digits) ? { number: digits, phoneNumberId: null } : undefined;
  };
  const privacyPrefix = /^(184|186)(.+)$/.exec(dialled);
  if (privacyPrefix !== null) {
    const target = outbound(privacyPrefix[2] ?? '');
    if (target !== undefined) {
      return {
        kind: 'outbound',
        ...target,
        privacy: privacyPrefix[1] === '184' ? 'withhold' : 'present',
      };
    }
  }
  const target = outbound(dialled);
  if (target !== undefined) return { kind: 'outbound', ...target, privacy: 'default' };
  return { kind: 'unknown', dialled };
}
