/**
 * The call-target CSV of MiiTel (spec B.3), one row at a time, as the CSV import engine gives it
 * (cells by field, the title row already matched): the header row is mandatory and names the
 * columns (取引先会社名, 取引先担当者名, 電話番号, カテゴリー; our downloads add 発信担当者 and
 * 発信対象, which an upload then also reads, so a downloaded list uploads back unchanged). Phones
 * with or without hyphens; at least one of the two names; categories `|`-separated, at most
 * 100. A phone twice in the file is the importer's to find (it sees the rows in order). Pure.
 */
import {
  CHECKBOX_SEPARATOR,
  describeProblem,
  readFieldValue,
} from '../crm/formats/field-values.js';
import type { CellProblem, ImportField, MappedRow, RowReading } from '../imports/importer.js';

export const TARGET_COLUMNS = {
  company: '取引先会社名',
  contact: '取引先担当者名',
  phone: '電話番号',
  categories: 'カテゴリー',
  assignee: '発信担当者',
  callable: '発信対象',
} as const;
type ColumnKey = keyof typeof TARGET_COLUMNS;

/** The four columns of the manual are required in the title row; the last two are ours. */
export const TARGET_FIELDS: readonly ImportField[] = [
  { key: 'company', label: TARGET_COLUMNS.company, required: true },
  { key: 'contact', label: TARGET_COLUMNS.contact, required: true },
  { key: 'phone', label: TARGET_COLUMNS.phone, required: true },
  { key: 'categories', label: TARGET_COLUMNS.categories, required: true },
  { key: 'assignee', label: TARGET_COLUMNS.assignee },
  { key: 'callable', label: TARGET_COLUMNS.callable },
] satisfies readonly (ImportField & { key: ColumnKey })[];

export const MAX_CATEGORIES = 100;
/** 発信対象 / 発信対象外, as our downloads write them. */
export const CALLABLE = '対象';
export const EXCLUDED = '対象外';

export interface TargetRow {
  company: string;
  contact: string;
  /** Digits only. */
  phone: string;
  /** The column of the phone, for a problem the write finds (the same phone twice). */
  phoneColumn: number | null;
  categories: string[];
  /** A login ID from the 発信担当者 column; undefined when the file has no such column. */
  assignee: { loginId: string; column: number } | undefined;
  /** From the 発信対象 column; undefined when the file has no such column. */
  excluded: boolean | undefined;
}

/** One data row read: the target, or every problem of the row. */
export function readTargetRow(row: MappedRow): RowReading<TargetRow> {
  const cell = (key: ColumnKey) => {
    const found = row.get(key)?.[0];
    return found === undefined ? undefined : { column: found.column, text: found.text.trim() };
  };
  const problems: CellProblem[] = [];
  const column = (key: ColumnKey) => cell(key)?.column ?? null;
  const company = cell('company')?.text ?? '';
  const contact = cell('contact')?.text ?? '';
  if (company === '' && contact === '')
    problems.push({
      column: column('contact'),
      message: `${TARGET_COLUMNS.company}か${TARGET_COLUMNS.contact}が必要です`,
    });
  const phoneReading = readFieldValue(
    { type: 'phone', required: true, options: [] },
    cell('phone')?.text,
  );
  let phone = '';
  if (!phoneReading.ok)
    problems.push({
      column: column('phone'),
      message: describeProblem(phoneReading.problem, 'ja'),
    });
  else phone = typeof phoneReading.value === 'string' ? phoneReading.value : '';
  const categories = [
    ...new Set(
      (cell('categories')?.text ?? '')
        .split(CHECKBOX_SEPARATOR)
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  ];
  if (categories.length > MAX_CATEGORIES)
    problems.push({
      column: column('categories'),
      message: `カテゴリーは${MAX_CATEGORIES}個までです`,
    });
  const callable = cell('callable')?.text;
  if (callable !== undefined && callable !== '' && callable !== CALLABLE && callable !== EXCLUDED)
    problems.push({
      column: column('callable'),
      message: `${CALLABLE}か${EXCLUDED}を書いてください`,
    });
  if (problems.length > 0) return { problems };
  const assignee = cell('assignee');
  return {
    value: {
      company,
      contact,
      phone,
      phoneColumn: column('phone'),
      categories,
      assignee:
        assignee === undefined || assignee.text === ''
          ? undefined
          : { loginId: assignee.text, column: assignee.column },
      excluded: callable === undefined || callable === '' ? undefined : callable === EXCLUDED,
    },
  };
}
