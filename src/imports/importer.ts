/**
 * What an importer (one kind of CSV upload: customers, call lists, users …) gives the import
 * engine. The engine reads the file, maps its columns, refuses machine-dependent characters,
 * reports bad rows and runs the job; the importer knows its fields, reads one row into a value
 * (or says what is wrong with it), and writes the good values inside the engine's transaction.
 *
 * A mapping names, for each column of the file, the field it holds — a field key, or `--` for a
 * column to ignore (the manual's mapping screen: 列1, 列2 … each with a dropdown of fields).
 */
import type { Permission } from '../accounts/permissions.js';
import type { Principal } from '../platform/http/auth.js';
import type { DbOrTx } from '../platform/db/client.js';

/** The mapping value of a column that holds nothing to import. */
export const IGNORE = '--';

/** A field columns can be mapped to. */
export interface ImportField {
  /** What a mapping names: `name`, `phones`, `field.12` … */
  key: string;
  /** The name shown on the mapping screen, and what a header cell is matched against. */
  label: string;
  /** Other header texts that mean this field (e.g. 電話 for 電話番号). */
  aliases?: readonly string[];
  /** A mapping must map some column to it. */
  required?: boolean;
  /** One of the fields that name a record (ID, code, name): a mapping must map one of them. */
  identifies?: boolean;
  /** Several columns may map to it (each adds to the value, e.g. a second phone). */
  repeatable?: boolean;
}

/** A problem with one cell (its 1-based column), or with the row as a whole (column null). */
export interface CellProblem {
  column: number | null;
  message: string;
}

export type RowReading<Value> = { value: Value } | { problems: CellProblem[] };

/** A row's cells by the field key of their column, each with the column it came from. */
export type MappedRow = ReadonlyMap<string, readonly { column: number; text: string }[]>;

/** One row read, ready to write, with its line in the file. */
export interface ReadRow<Value> {
  row: number;
  value: Value;
}

/** What writing the good rows did: counts, and the rows the write itself refused (a duplicate). */
export interface ApplyOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  refused: { row: number; problems: CellProblem[] }[];
}

/** What one upload's session does, read-side: its fields and the reading of one row. */
interface SessionReading<Value> {
  /** The fields columns may be mapped to, in the order the mapping screen lists them. */
  fields(): readonly ImportField[];
  /** One row's cells read into a value, or every problem of the row (ja wording). */
  readRow(row: MappedRow): RowReading<Value>;
}

/**
 * One upload's reading and writing, with what it needs loaded once (field definitions, tag
 * names, the duplicate-phone rule). Methods, not function properties: the engine holds sessions
 * of every importer's value type as ImportSession<unknown>.
 */
export interface TransactionalSession<Value> extends SessionReading<Value> {
  /**
   * Writes the rows, in file order, inside the engine's one transaction. A row the write refuses
   * (its key or phone taken by another record, e.g. an earlier row) is reported, not thrown: the
   * others are still written. What makes a re-upload idempotent (updating the record with the
   * row's key rather than adding another) is the importer's. An HttpError thrown (a limit of the
   * whole file) undoes the upload.
   */
  apply(rows: readonly ReadRow<Value>[], tx: DbOrTx): ApplyOutcome;
}

/**
 * A session whose writes go through services that await (hashing a password, pushing a phone to
 * Asterisk): no transaction can stay open across those awaits (see engine.ts), so each row is
 * written on its own, by the service's own transaction, and a refused row is reported.
 */
export interface RowByRowSession<Value> extends SessionReading<Value> {
  applyRowByRow(rows: readonly ReadRow<Value>[]): Promise<ApplyOutcome>;
}

export type ImportSession<Value> = TransactionalSession<Value> | RowByRowSession<Value>;

/** Why a session is begun: the template and the preview need no upload options. */
export type SessionUse = 'template' | 'preview' | 'upload';

/** Options of an upload beyond the CSV ones, as the query string gave them. */
export type ImportOptions = Readonly<Record<string, string | undefined>>;

export interface Importer {
  kind: string;
  /** Needed on top of the upload permission (e.g. customers.update for customers). */
  permission: Permission;
  /** Rows an upload of this kind may hold, when the manual limits it (MOT lists: 500). */
  maxRows?: number;
  /**
   * The file's first row must be its title row, naming every required field (the MOT and MiiTel
   * imports: 「1行目はタイトル行です。異なる場合は処理できません」): without one, 422 `bad_header`.
   */
  headerRequired?: boolean;
  /**
   * Reads the upload's options for this principal (the format, tags to add …) and loads what
   * reading rows needs. Throws an HttpError (4xx) for bad options: the upload is refused before
   * a job exists. Options an upload needs (a list's name) are only required for `upload`.
   */
  begin(options: ImportOptions, principal: Principal, use: SessionUse): ImportSession<unknown>;
}

/** Header cells compared as a person reads them: case, spaces and full/half width aside. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s_\-・]/g, '')
    .toLowerCase();
}

/**
 * The mapping a header row suggests: each header cell matched to the field of that label (or
 * alias, or key); a non-repeatable field taken once; anything else `--`.
 */
export function suggestMapping(
  header: readonly string[],
  fields: readonly ImportField[],
): string[] {
  const byName = new Map<string, ImportField>();
  for (const f of fields)
    for (const name of [f.label, f.key, ...(f.aliases ?? [])]) {
      const key = normaliseHeader(name);
      if (!byName.has(key)) byName.set(key, f);
    }
  const taken = new Set<string>();
  return header.map((cell) => {
    const field = byName.get(normaliseHeader(cell));
    if (field === undefined || (taken.has(field.key) && field.repeatable !== true)) return IGNORE;
    taken.add(field.key);
    return field.key;
  });
}

/** Whether a first row is a header: some cell of it names a field. */
export function looksLikeHeader(cells: readonly string[], fields: readonly ImportField[]): boolean {
  return suggestMapping(cells, fields).some((key) => key !== IGNORE);
}

export type MappingProblem =
  | { problem: 'unknown_field'; column: number; key: string }
  | { problem: 'mapped_twice'; column: number; key: string }
  | { problem: 'required_unmapped'; key: string; label: string };

/** Whether a mapping names only known fields, each non-repeatable one once, every required one. */
export function mappingProblems(
  mapping: readonly string[],
  fields: readonly ImportField[],
): MappingProblem[] {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  for (const [i, key] of mapping.entries()) {
    if (key === IGNORE) continue;
    const field = byKey.get(key);
    if (field === undefined) problems.push({ problem: 'unknown_field', column: i + 1, key });
    else if (seen.has(key) && field.repeatable !== true)
      problems.push({ problem: 'mapped_twice', column: i + 1, key });
    seen.add(key);
  }
  for (const f of fields)
    if (f.required === true && !seen.has(f.key))
      problems.push({ problem: 'required_unmapped', key: f.key, label: f.label });
  return problems;
}

/** A row's cells by the field of their column (ignored and missing columns left out). */
export function mapRow(cells: readonly string[], mapping: readonly string[]): MappedRow {
  const mapped = new Map<string, { column: number; text: string }[]>();
  for (const [i, key] of mapping.entries()) {
    if (key === IGNORE) continue;
    const text = cells[i] ?? '';
    const list = mapped.get(key);
    if (list === undefined) mapped.set(key, [{ column: i + 1, text }]);
    else list.push({ column: i + 1, text });
  }
  return mapped;
}

/** The report wording of a bad row: `3行目: 2列目(電話番号) 電話番号ではありません`. */
export function rowMessage(row: number, problem: CellProblem, label?: string): string {
  const where =
    problem.column === null
      ? ''
      : `${problem.column}列目${label === undefined ? '' : `(${label})`} `;
  return `${row}行目: ${where}${problem.message}`;
}
