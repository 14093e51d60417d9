/**
 * Who handles a phone's own transfer (SIP REFER) on a given Asterisk (pure).
 *
 * With `PJSIP_TRANSFER_HANDLING()=ari-only` on the endpoint, Asterisk answers the REFER 202,
 * raises `ChannelTransfer` for the application and does nothing else; the application reports
 * the outcome with `transfer_progress` (the NOTIFY sipfrags). The function exists from 22.3 /
 * 21.8 / 20.13, and a blind transfer handed to ARI could crash Asterisk until 22.7 / 21.12 /
 * 20.17: those are the first releases trusted with it. Any other Asterisk (16, a certified
 * release, a build whose version cannot be read) would run the transfer itself — through a
 * Local channel swapped into our bridge, which then leaks — so its endpoints refuse REFER
 * outright (`allow_transfer=no`: a 603 to the REFER, the call stays up).
 */

/** The first release of each branch that hands REFERs to the application safely. */
const FIRST_SAFE: Readonly<Record<number, number>> = { 20: 17, 21: 12, 22: 7 };
/** Every branch from this one on has it. */
const ALL_FROM = 23;

/** Whether the Asterisk reporting `version` (GET /asterisk/info `system.version`) hands REFERs to us. */
export function handsTransfersToApplication(version: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version?.trim() ?? '');
  if (match === null) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major >= ALL_FROM) return true;
  const first = FIRST_SAFE[major];
  return first !== undefined && minor >= first;
}

/** The endpoint variable that hands a phone's REFERs to the application. */
export const ARI_TRANSFER_HANDLING = 'PJSIP_TRANSFER_HANDLING()=ari-only';

/**
 * The endpoint fields for a phone's transfer button: handed to the application where `ours`,
 * refused (603) otherwise.
 */
export function transferFields(ours: boolean): Record<string, string> {
  return ours
    ? { allow_transfer: 'yes', set_var: ARI_TRANSFER_HANDLING }
    : { allow_transfer: 'no' };
}
