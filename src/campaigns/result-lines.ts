/**
 * A campaign's own results (結果, §10-8): the manual's textarea, one `結果番号,結果テキスト` per
 * line, read into numbered results and written back; and the rules every result list keeps,
 * whether it came as text or as an array. Pure.
 *
 * - A number is a positive whole number (what the agent keys before `#`); `0` is not one: keyed
 *   alone it asks for the recall time (§10-8), so no result may take it.
 * - A number appears once; the text is one visible line.
 * - In the text form, the first comma (`,` or the full-width `，`) ends the number, so a text may
 *   hold commas; blank lines are skipped; full-width digits read as digits.
 */

/** The largest result number (six digits keyed before `#`). */
export const MAX_RESULT_NUMBER = 999_999;
export const MAX_RESULT_TEXT = 64;
export const MAX_RESULTS = 200;

export interface CampaignResult {
  number: number;
  text: string;
}

/** What is wrong with one line of the text (1-based) or one item of the array (0-based). */
export interface ResultIssue {
  /** `line N` for the text form, `results.N` for the array. */
  where: string;
  message: string;
}

/** Control, line-separator and bidirectional characters: no result text may hold one. */
const NOT_IN_TEXT = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const DIGITS = /^[0-9]+$/;

function numberIssue(raw: string): string | undefined {
  if (raw === '') return '結果番号 is missing before the comma';
  if (!DIGITS.test(raw)) return `結果番号 ${raw} is not a whole number`;
  const number = Number(raw);
  if (number === 0) return '0 is reserved: keyed alone it starts a recall (再コール) by DTMF';
  if (number > MAX_RESULT_NUMBER) return `結果番号 ${raw} is over ${MAX_RESULT_NUMBER}`;
  return undefined;
}

/** What is wrong with a text as given (checked before trimming, so a stray tab is refused). */
function textIssue(raw: string): string | undefined {
  if (NOT_IN_TEXT.test(raw)) return '結果テキスト holds a control or bidirectional character';
  const text = raw.trim();
  if (text === '') return '結果テキスト is empty';
  if (text.length > MAX_RESULT_TEXT)
    return `結果テキスト is longer than ${MAX_RESULT_TEXT} characters`;
  return undefined;
}

/** Checks a list given as an array: numbers, texts, duplicates and size. */
export function resultIssues(results: readonly CampaignResult[]): ResultIssue[] {
  const issues: ResultIssue[] = [];
  const seen = new Map<number, number>();
  results.forEach((result, index) => {
    const where = `results.${index}`;
    const bad =
      !Number.isInteger(result.number) || result.number < 0
        ? `結果番号 ${result.number} is not a whole number`
        : numberIssue(String(result.number));
    if (bad !== undefined) issues.push({ where, message: bad });
    const badText = textIssue(result.text);
    if (badText !== undefined) issues.push({ where, message: badText });
    const first = seen.get(result.number);
    if (first !== undefined)
      issues.push({ where, message: `結果番号 ${result.number} is already results.${first}` });
    else seen.set(result.number, index);
  });
  if (results.length > MAX_RESULTS)
    issues.push({ where: 'results', message: `more than ${MAX_RESULTS} results` });
  return issues;
}

export type ParsedResults =
  { ok: true; results: CampaignResult[] } | { ok: false; issues: ResultIssue[] };

/** Reads the textarea; every bad line is reported, by its number in the text. */
export function parseResultLines(text: string): ParsedResults {
  const results: CampaignResult[] = [];
  const issues: ResultIssue[] = [];
  const seen = new Map<number, number>();
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    const where = `line ${line}`;
    if (raw.trim() === '') return;
    const comma = raw.search(/[,，]/);
    if (comma < 0) {
      issues.push({ where, message: 'expected 結果番号,結果テキスト (no comma)' });
      return;
    }
    const numberPart = raw.slice(0, comma).normalize('NFKC').trim();
    const textPart = raw.slice(comma + 1);
    const badNumber = numberIssue(numberPart);
    const badText = textIssue(textPart);
    if (badNumber !== undefined) issues.push({ where, message: badNumber });
    if (badText !== undefined) issues.push({ where, message: badText });
    if (badNumber !== undefined || badText !== undefined) return;
    const number = Number(numberPart);
    const first = seen.get(number);
    if (first !== undefined) {
      issues.push({ where, message: `結果番号 ${number} is already on line ${first}` });
      return;
    }
    seen.set(number, line);
    results.push({ number, text: textPart.trim() });
  });
  if (results.length > MAX_RESULTS)
    issues.push({ where: 'results', message: `more than ${MAX_RESULTS} results` });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, results };
}

/** The textarea form of a list, in its order. */
export function formatResultLines(results: readonly CampaignResult[]): string {
  return results.map((r) => `${r.number},${r.text}`).join('\n');
}

/** One message naming every issue, e.g. `line 3: …; line 5: …`. */
export function describeIssues(issues: readonly ResultIssue[]): string {
  return issues.map((i) => `${i.where}: ${i.message}`).join('; ');
}
