/**
 * How many customers one retrieval ([ダウンロード], A.9.4) hands out: the setting
 * 1回の取得時に配布する顧客数 — except that with a setting of 1 an operator who holds none yet gets
 * 3, so automatic retrieval at each hang-up always has the next customers ready. "The first
 * retrieval" is read as: the operator holds no retrieved customer without an uploaded result.
 * An explicit request may ask for fewer, never more. Pure.
 */

export const FIRST_CLAIM_OF_ONE = 3;
/** The manual's ceiling for one retrieval (最大 50 件). */
export const MAX_CLAIM_SIZE = 50;

export function claimSize(setting: number, pendingHeld: number, requested?: number): number {
  const base = setting === 1 && pendingHeld === 0 ? FIRST_CLAIM_OF_ONE : setting;
  const size = requested === undefined ? base : Math.min(requested, base);
  return Math.max(0, Math.min(size, MAX_CLAIM_SIZE));
}
