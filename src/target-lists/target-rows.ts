/**
 * The call-target CSV of MiiTel (spec B.3), read row by row: the header row is mandatory and
 * names the columns (取引先会社名, 取引先担当者名, 電話番号, カテゴリー; our downloads add
 * 発信担当者 and 発信対象, which an upload then also reads, so a downloaded list uploads back
 * unchanged). Phones with or without hyphens; at least one of the two names; categories
 * `|`-separated, at most 100; a phone twice in the file is an error on its second row (the first
 * row stands). Pure: no I/O.
 */
import {
  CHECKBOX_SEPARATOR,
  describeProblem,
  readFieldValue,
} from '../crm/formats/field-values.js';
import { unneutralisedCell } from '../platform/csv.js';

export const TARGET_COLUMNS = {
  company: '取引先会社名',
  contact: '取引先担当者名',
  phone: '電話番号',
  categories: 'カテゴリー',
  assignee: '発信担当者',
  callable: '発信対象',
} as const;
type ColumnKey = keyof typeof TARGET_COLUMNS;

/** The four columns of the manual; the last two are ours and optional. */
const REQUIRED: readonly ColumnKey[] = ['company', 'contact', 'phone', 'categories'];

export const MAX_CATEGORIES = 100;
/** 発信対象 / 発信対象外, as our downloads write them. */
export const CALLABLE = '対象';
export const EXCLUDED = '対象外';

export interface TargetRow {
  row: number;
  company: string;
  contact: string;
  /** Digits only. */
  phone: string;
  categories: string[];
  /** A login ID from the 発信担当者 column; undefined when the file has no such column. */
  assignee: string | undefined;
  /** From the 発信対象 column; undefined when the file has no such column. */
  excluded: boolean | undefined;
}

export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

export type HeaderReading =
  { ok: true; columns: Partial<Record<ColumnKey, number>> } | { ok: false; missing: string[] };

/** Where each column is, by its name in the header row (any order; unknown columns ignored). */
export function readHeader(cells: readonly string[]): HeaderReading {
  const columns: Partial<Record<ColumnKey, number>> = {};
  for (const key of Object.keys(TARGET_COLUMNS) as ColumnKey[]) {
    const at = cells.findIndex((c) => c.replace(/^\uFEFF/, '').trim() === TARGET_COLUMNS[key]);
    if (at >= 0) columns[key] = at;
  }
  const missing = REQUIRED.filter((k) => columns[k] === undefined).map((k) => TARGET_COLUMNS[k]);
  return missing.length === 0 ? { ok: true, columns } : { ok: false, missing };
}

const problem = (row: number, column: string, text: string): RowProblem => ({
  row,
  column,
  message: `${row}行目: ${column}: ${text}`,
});

/** Reads the data rows: the good ones, and every problem of the bad ones. */
export function readTargetRows(
  columns: Partial<Record<ColumnKey, number>>,
  rows: readonly { row: number; cells: readonly string[] }[],
): { targets: TargetRow[]; problems: RowProblem[] } {
  const targets: TargetRow[] = [];
  const problems: RowProblem[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of rows) {
    const cell = (key: ColumnKey) => {
      const at = columns[key];
      return at === undefined ? undefined : unneutralisedCell((cells[at] ?? '').trim());
    };
    const found: RowProblem[] = [];
    const company = cell('company') ?? '';
    const contact = cell('contact') ?? '';
    if (company === '' && contact === '')
      found.push(
        problem(row, TARGET_COLUMNS.contact, `${TARGET_COLUMNS.company}か取引先担当者名が必要です`),
      );
    const phoneReading = readFieldValue(
      { type: 'phone', required: true, options: [] },
      cell('phone'),
    );
    let phone = '';
    if (!phoneReading.ok)
      found.push(problem(row, TARGET_COLUMNS.phone, describeProblem(phoneReading.problem, 'ja')));
    else phone = typeof phoneReading.value === 'string' ? phoneReading.value : '';
    const earlier = phone === '' ? undefined : firstRowOf.get(phone);
    if (earlier !== undefined)
      found.push(problem(row, TARGET_COLUMNS.phone, `${earlier}行目と同じ電話番号です`));
    const categories = [
      ...new Set(
        (cell('categories') ?? '')
          .split(CHECKBOX_SEPARATOR)
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      ),
    ];
    if (categories.length > MAX_CATEGORIES)
      found.push(
        problem(row, TARGET_COLUMNS.categories, `カテゴリーは${MAX_CATEGORIES}個までです`),
      );
    const callable = cell('callable');
    if (callable !== undefined && callable !== '' && callable !== CALLABLE && callable !== EXCLUDED)
      found.push(problem(row, TARGET_COLUMNS.callable, `${CALLABLE}か${EXCLUDED}を書いてください`));
    if (found.length > 0) {
      problems.push(...found);
      continue;
    }
    firstRowOf.set(phone, row);
    const assignee = cell('assignee');
    targets.push({
      row,
      company,
      contact,
      phone,
      categories,
      assignee,
      excluded: callable === undefined || callable === '' ? undefined : callable === EXCLUDED,
    });
  }
  return { targets, problems };
}
