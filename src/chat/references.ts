/**
 * The ID links of chat (§6-2): the customer and case screens copy an ID such as `#C3` (customer,
 * 顧客) or `#T458` (case, 案件); pasted into a message it becomes a link to that record. This
 * finds them in a message's text. Pure.
 *
 * A reference is `#C` or `#T` (capital letters, as the screens copy them) followed by a record id
 * in plain decimal (no leading zero, at most 15 digits), standing on its own: not glued to a
 * letter, digit or `_` before or after (`abc#C3`, `#C3a`, `#C03` are text). Anything else may
 * touch it — spaces, punctuation, Japanese (`#C3開発代表`, `（#T458）`).
 */

export const REFERENCE_KINDS = ['customer', 'case'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface Reference {
  kind: ReferenceKind;
  /** The record's id. */
  id: number;
  /** The reference as written, e.g. `#C3`. */
  text: string;
  /** Where it stands in the text: [start, end), in UTF-16 code units (JavaScript's indices). */
  start: number;
  end: number;
}

// The look-behind keeps a reference from starting inside a word (`abc#C3`); the look-ahead keeps
// `#C3a`, `#C03` and over-long numbers from matching a prefix of them. 15 digits stay below 2^53.
const REFERENCE = /(?<![A-Za-z0-9_])#([CT])([1-9][0-9]{0,14})(?![A-Za-z0-9_])/g;

/** Every reference in `text`, in order. */
export function parseReferences(text: string): Reference[] {
  const found: Reference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, letter, digits = ''] = match;
    const kind: ReferenceKind = letter === 'C' ? 'customer' : 'case';
    const start = match.index;
    found.push({ kind, id: Number(digits), text: whole, start, end: start + whole.length });
  }
  return found;
}

/** How a reference is written: `#C3`, `#T458`. */
export function referenceText(kind: ReferenceKind, id: number): string {
  return `#${kind === 'customer' ? 'C' : 'T'}${id}`;
}

/**
 * The port through which chat names what a reference points at, as the screens show it
 * (`#C3 開発代表`, `#T458 請求書の再発行`): the CRM answers, for one reader, the labels of the
 * records that reader may see; a record they may not see, or one that does not exist, has none.
 * Chat knows nothing of customers or cases beyond this.
 */
export type ReferenceLabeller<P> = (
  reader: P,
  references: readonly { kind: ReferenceKind; id: number }[],
) => Map<string, string>;

/** The key of a reference in a labeller's answer: `customer:3`. */
export const referenceKey = (kind: ReferenceKind, id: number) => `${kind}:${id}`;
