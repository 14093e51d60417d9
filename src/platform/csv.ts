/**
 * CSV in and out (design §3). Imports accept UTF-8 (with or without BOM) and Shift_JIS (CP932,
 * what Excel in Japan saves), detected or declared; exports neutralise cells that a spreadsheet
 * would run as a formula (cells starting with = + - @, and tab/CR), by prefixing a quote.
 */
import { parseString, writeToString } from 'fast-csv';
import iconv from 'iconv-lite';
import { z } from 'zod';

/** The manuals' limit for an uploaded CSV file (5 MB). */
export const CSV_MAX_BYTES = 5 * 1024 * 1024;

export type CsvEncoding = 'auto' | 'utf8' | 'shift_jis';

export interface CsvReadOptions {
  encoding: CsvEncoding;
  /**
   * Whether the first row holds column names (and is skipped): yes, no, or decided by looking at
   * it — `isHeader` says whether the first row is column names rather than data.
   */
  header: boolean | { isHeader: (cells: string[]) => boolean };
  delimiter?: string;
}

export interface CsvRow {
  /** 1-based line number in the file, for error reports. */
  row: number;
  cells: string[];
}

export interface CsvRead {
  rows: CsvRow[];
  /** Lines that are not CSV at all (e.g. a quote never closed), by line number. */
  unreadable: { row: number; message: string }[];
}

/** Query parameters every CSV import endpoint takes. */
export const csvImportQuery = z.object({
  encoding: z
    .enum(['auto', 'utf8', 'shift_jis'])
    .default('auto')
    .describe('auto detects UTF-8, else Shift_JIS (CP932)'),
  header: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe(
      'The first row holds column names (最初の行を含む/含まない); auto: it does when it is not data',
    ),
  delimiter: z.enum([',', '\t', ';']).default(',').describe('Cell separator (comma by default)'),
});

/** The `header` option of csvImportQuery, with the importer's test of a header row. */
export function headerOption(
  value: 'auto' | 'true' | 'false',
  isHeader: (cells: string[]) => boolean,
): CsvReadOptions['header'] {
  return value === 'auto' ? { isHeader } : value === 'true';
}

/** The per-row report of an import: `{ total, applied, skipped, errors: [{ row, message }] }`. */
export const importReportSchema = z.object({
  total: z.number().int(),
  applied: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;

const hasUtf8Bom = (bytes: Buffer) =>
  bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

/** The encoding `auto` takes a file to be in: UTF-8 when it is valid UTF-8, else CP932. */
export function detectEncoding(bytes: Buffer): 'utf8' | 'shift_jis' {
  if (hasUtf8Bom(bytes)) return 'utf8';
  // Valid UTF-8 is taken as UTF-8 (plain ASCII is both); anything else as CP932.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.includes('\uFFFD') ? 'shift_jis' : 'utf8';
}

export function decodeCsv(bytes: Buffer, encoding: CsvEncoding): string {
  const utf8Bom = hasUtf8Bom(bytes);
  const chosen = encoding === 'auto' ? detectEncoding(bytes) : encoding;
  if (chosen === 'utf8' || utf8Bom) return bytes.subarray(utf8Bom ? 3 : 0).toString('utf8');
  return iconv.decode(bytes, 'cp932');
}

/**
 * Reads a CSV file into rows. A file that breaks the CSV rules somewhere (a quote never closed
 * swallows the rest of the file) is read again line by line, so that the broken lines are
 * reported and the others still read — every bad row reported, never a failed upload for one.
 * (Cells spanning lines are then read as broken lines: only a file that is broken anyway.)
 */
export async function readCsv(bytes: Buffer, options: CsvReadOptions): Promise<CsvRead> {
  const text = decodeCsv(bytes, options.encoding);
  const delimiter = options.delimiter ?? ',';
  let records: { row: number; cells: string[] }[];
  const unreadable: CsvRead['unreadable'] = [];
  try {
    records = numberedByLine(await parseRecords(text, delimiter));
  } catch {
    records = [];
    const lines = text.split(/\r\n|\n|\r/);
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      try {
        const [cells] = await parseRecords(line, delimiter);
        if (cells !== undefined) records.push({ row: i + 1, cells });
      } catch (err) {
        unreadable.push({ row: i + 1, message: `not CSV: ${csvProblem(err)}` });
      }
    }
  }
  // Only the file's first line can be its header.
  const first = records[0];
  const firstLine = Math.min(first?.row ?? Infinity, unreadable[0]?.row ?? Infinity);
  const skipFirst =
    first?.row === firstLine &&
    (typeof options.header === 'boolean' ? options.header : options.header.isHeader(first.cells));
  return { rows: skipFirst ? records.slice(1) : records, unreadable };
}

/** Line breaks inside a cell: CRLF, LF or a lone CR, each one line of the file. */
const LINE_BREAKS = /\r\n|\n|\r/g;

/**
 * Each record with the line of the file it starts on, blank records (an empty line, or `,,`
 * as a spreadsheet saves an empty row) left out but counted: a report's `N行目` is the line
 * a person finds in their editor, after blank lines and cells that span lines too.
 */
function numberedByLine(records: readonly string[][]): { row: number; cells: string[] }[] {
  const numbered: { row: number; cells: string[] }[] = [];
  let line = 1;
  for (const cells of records) {
    if (cells.some((c) => c !== '')) numbered.push({ row: line, cells });
    line += 1 + cells.reduce((n, c) => n + (c.match(LINE_BREAKS)?.length ?? 0), 0);
  }
  return numbered;
}

function parseRecords(text: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const records: string[][] = [];
    parseString(text, { headers: false, delimiter, trim: true, ignoreEmpty: false })
      .on('error', reject)
      .on('data', (cells: string[]) => records.push(cells))
      .on('end', () => resolve(records));
  });
}

/** fast-csv's reason, without the text of the line it quotes. */
function csvProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /missing closing/i.test(message)
    ? 'a quoted cell is never closed'
    : /expected/i.test(message)
      ? 'text after a closing quote'
      : 'malformed line';
}

/**
 * A cell a spreadsheet would not evaluate. Numbers (also negative ones) and a lone "-" (the
 * manuals' "no value") cannot be formulas and are kept as they are.
 */
export function safeCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'number' || text === '-' || /^-?\d+(\.\d+)?$/.test(text)) return text;
  // A cell that already starts with the quote before such a sign gets one more, so that
  // unneutralisedCell gives back exactly what was written.
  return /^'*[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** What safeCell neutralised, as it was: the quote it added taken off again (for a re-import). */
export function unneutralisedCell(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/**
 * A CSV export. It starts with a UTF-8 byte order mark, without which Excel on Japanese Windows
 * reads the file as Shift_JIS and garbles every Japanese header.
 */
export async function writeCsv(
  header: string[],
  rows: (string | number | null | undefined)[][],
): Promise<string> {
  return (
    '\uFEFF' +
    (await writeToString([header.map(safeCell), ...rows.map((r) => r.map(safeCell))], {
      quoteColumns: true,
    }))
  );
}
