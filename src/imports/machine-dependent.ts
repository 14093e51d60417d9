/**
 * 機種依存文字 (§10-13: an upload containing them is refused): the characters of Windows'
 * Shift_JIS (CP932) outside JIS X 0208 — the NEC special characters of row 13 (①…⑳, Ⅰ…Ⅹ, ㍉,
 * ㈱, №, ℡ …), the NEC-selected IBM extensions (0xED40–0xEEFC) and the IBM extensions
 * (0xFA40–0xFC4B: ⅰ…ⅹ, 髙, 﨑 …). Another system's Shift_JIS shows them as other characters or
 * not at all, which is why the manual refuses them.
 *
 * Decided by code point, so a UTF-8 file is judged like a Shift_JIS one. The set is computed from
 * the CP932 table itself: every character those byte ranges decode to, minus the ones that also
 * have a JIS X 0208 code (∵, ≒, ¬ … appear in row 13 as duplicates and are ordinary).
 */
import iconv from 'iconv-lite';

const EXTENSION_RANGES: readonly [number, number][] = [
  [0x8740, 0x879c],
  [0xed40, 0xeefc],
  [0xfa40, 0xfc4b],
];

const inExtension = (code: number) => EXTENSION_RANGES.some(([lo, hi]) => code >= lo && code <= hi);

function machineDependentSet(): ReadonlySet<number> {
  const set = new Set<number>();
  for (const [lo, hi] of EXTENSION_RANGES)
    for (let code = lo; code <= hi; code++) {
      const trail = code & 0xff;
      if (trail < 0x40 || trail === 0x7f || trail > 0xfc) continue;
      const char = iconv.decode(Buffer.from([code >> 8, trail]), 'cp932');
      const point = char.codePointAt(0);
      if (point === undefined || char === '\uFFFD' || char.length !== 1) continue;
      // The standard code of this character, if it has one, is what an encoder picks first.
      const back = iconv.encode(char, 'cp932');
      const encoded = back.length === 2 ? ((back[0] ?? 0) << 8) | (back[1] ?? 0) : 0;
      if (inExtension(encoded)) set.add(point);
    }
  return set;
}

export const MACHINE_DEPENDENT: ReadonlySet<number> = machineDependentSet();

/** The first machine-dependent character of the text, or undefined. */
export function machineDependentCharOf(text: string): string | undefined {
  for (const char of text) {
    const point = char.codePointAt(0);
    if (point !== undefined && point >= 0x2100 && MACHINE_DEPENDENT.has(point)) return char;
  }
  return undefined;
}
