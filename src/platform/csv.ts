/**
 * CSV in and out (design §3). Imports accept UTF-8 (with or without BOM) and Shift_JIS (CP932,
 * what Excel in Japan saves), detected or declared; exports neutralise cells that a spreadsheet
 * would run as a formula (cells starting with = + - @, and tab/CR), by prefixing a quote.
 */
import { parseString, writeToString } from 'fast-csv';
import iconv from 'iconv-lite';
import { z } from 'zod';

export type CsvEncoding = 'auto' | 'utf8' | 'shift_jis';

export interface CsvReadOptions {
  encoding: CsvEncoding;
  /** Whether the first row holds column names (and is skipped). */
  header: boolean;
  delimiter?: string;
}

export interface CsvRow {
  /** 1-based line number in the file, for error reports. */
  row: number;
  cells: string[];
}

/** Query parameters every CSV import endpoint takes. */
export const csvImportQuery = z.object({
  encoding: z
    .enum(['auto', 'utf8', 'shift_jis'])
    .default('auto')
    .describe('auto detects UTF-8, else Shift_JIS (CP932)'),
  header: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('The first row holds column names (最初の行を含む/含まない)'),
  delimiter: z.enum([',', '\t', ';']).default(',').describe('Cell separator (comma by default)'),
});

/** The per-row report of an import: `{ total, applied, skipped, errors: [{ row, message }] }`. */
export const importReportSchema = z.object({
  total: z.number().int(),
  applied: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export function decodeCsv(bytes: Buffer, encoding: CsvEncoding): string {
  const utf8Bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (encoding === 'utf8' || utf8Bom) return bytes.subarray(utf8Bom ? 3 : 0).toString('utf8');
  if (encoding === 'shift_jis') return iconv.decode(bytes, 'cp932');
  // auto: valid UTF-8 is taken as UTF-8 (plain ASCII is both); anything else as CP932.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.includes('\uFFFD') ? iconv.decode(bytes, 'cp932') : text;
}

export async function readCsv(bytes: Buffer, options: CsvReadOptions): Promise<CsvRow[]> {
  const text = decodeCsv(bytes, options.encoding);
  const rows: CsvRow[] = [];
  await new Promise<void>((resolve, reject) => {
    let line = 0;
    parseString(text, {
      headers: false,
      delimiter: options.delimiter ?? ',',
      trim: true,
      ignoreEmpty: true,
    })
      .on('error', reject)
      .on('data', (cells: string[]) => {
        line += 1;
        if (options.header && line === 1) return;
        rows.push({ row: line, cells });
      })
      .on('end', () => resolve());
  });
  return rows;
}

/**
 * A cell a spreadsheet would not evaluate. Numbers (also negative ones) and a lone "-" (the
 * manuals' "no value") cannot be formulas and are kept as they are.
 */
export function safeCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'number' || text === '-' || /^-?\d+(\.\d+)?$/.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
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
