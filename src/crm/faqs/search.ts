/**
 * How a FAQ search text becomes a query on the trigram index (migration faq_search). Pure.
 *
 * The text is split at white space (full-width spaces too) into terms, every one of which must
 * be found (AND). The trigram tokenizer indexes every run of 3 characters, so a term of 3 or more
 * characters is an FTS5 phrase — found wherever it occurs as a substring, Japanese included.
 * A term of 1 or 2 characters has no trigram to look up: FTS5 would match nothing, so those
 * terms are matched with LIKE '%term%' on the table instead (a scan, narrowed by the longer
 * terms when there are some).
 */

/** Where a search looks: 題名 only, or 題名 and 詳細 (the free word). */
export type SearchColumns = 'title' | 'title_and_details';

export interface SearchPlan {
  /** The FTS5 MATCH expression of the long terms; null when there is none. */
  match: string | null;
  /** The terms too short for the index, for LIKE. */
  short: string[];
}

/** Terms of fewer code points than this cannot use the index. */
export const TRIGRAM = 3;

/**
 * Characters as SQLite's trigram tokenizer counts them: code points (a surrogate pair is one),
 * not UTF-16 units and not grapheme clusters.
 */
const codePoints = (term: string) => term.match(/./gsu)?.length ?? 0;

/** A term as an FTS5 phrase: quoted, its own quotes doubled, so no term is FTS5 syntax. */
const phrase = (term: string) => `"${term.replace(/"/g, '""')}"`;

export function planSearch(text: string, columns: SearchColumns): SearchPlan {
  const terms = [...new Set(text.split(/\s+/u).filter((t) => t !== ''))];
  const long = terms.filter((t) => codePoints(t) >= TRIGRAM);
  const short = terms.filter((t) => codePoints(t) < TRIGRAM);
  if (long.length === 0) return { match: null, short };
  const scoped = (p: string) => (columns === 'title' ? `title : ${p}` : p);
  return { match: long.map((t) => scoped(phrase(t))).join(' AND '), short };
}
