/**
 * The CSV download of a customer search (§8-1 ダウンロード): the search's customers in ID order,
 * read and written a chunk at a time (keyset pages of EXPORT_CHUNK rows), so a download of a
 * million customers holds one chunk in memory, never the file. Lines are written by csvLine
 * (platform/csv-export.ts: every cell quoted and neutralised, so no formula runs in a
 * spreadsheet); numbers are text as stored, so leading zeros stay. The same columns read back
 * through the customers importer (an export re-uploaded changes nothing).
 *
 * Columns: the core fields, then the fields of the format searched for (only when the search
 * names one format: formats differ in their fields), then the customer custom fields.
 */
import { and, asc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { csvLine } from '../../platform/csv-export.js';
import { CHECKBOX_SEPARATOR } from '../formats/field-values.js';
import { customers } from './schema.js';
import { customerWhere, type CustomerFilter } from './search.js';
import { customerViews } from './views.js';
import type { FormatScope } from './visibility.js';

export const EXPORT_CHUNK = 500;

export interface ExportColumns {
  /** The format's fields (id, name), when the search names one format. */
  formatFields: { id: number; name: string }[];
  customFields: { id: number; name: string }[];
}

const CORE_HEADER = [
  'ID',
  '業務',
  '顧客コード',
  '名称',
  '電話番号',
  'メール',
  '備考',
  'タグ',
  '登録日時',
  '登録者',
  '更新日時',
  '更新者',
];

export const CUSTOMER_EXPORT_HEADER: readonly string[] = CORE_HEADER;

/** The file's text, a chunk of rows at a time (the header first). */
export function* customerCsvLines(
  db: DbOrTx,
  filter: CustomerFilter,
  scope: FormatScope,
  columns: ExportColumns,
): Generator<string> {
  yield csvLine([
    ...CORE_HEADER,
    ...columns.formatFields.map((f) => f.name),
    ...columns.customFields.map((f) => f.name),
  ]);
  const where = customerWhere(filter, scope);
  let after = 0;
  for (;;) {
    const rows = db
      .select()
      .from(customers)
      .where(and(where, gt(customers.id, after)))
      .orderBy(asc(customers.id))
      .limit(EXPORT_CHUNK)
      .all();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    let chunk = '';
    for (const c of customerViews(db, rows)) {
      const field = (id: number) => {
        const v = c.fields[String(id)];
        return Array.isArray(v) ? v.join(CHECKBOX_SEPARATOR) : (v ?? '');
      };
      chunk += csvLine([
        c.displayId,
        c.formatName,
        c.code ?? '',
        c.name,
        c.phones.join(CHECKBOX_SEPARATOR),
        c.email,
        c.remarks,
        c.tags.map((t) => t.name).join(CHECKBOX_SEPARATOR),
        c.createdAt.toISOString(),
        c.createdBy,
        c.updatedAt.toISOString(),
        c.updatedBy,
        ...columns.formatFields.map((f) => field(f.id)),
        ...columns.customFields.map((f) => c.custom[String(f.id)] ?? ''),
      ]);
    }
    yield chunk;
    if (rows.length < EXPORT_CHUNK) return;
  }
}
