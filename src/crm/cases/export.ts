/**
 * The CSV download of a case search (§8-2 ダウンロード): the search's cases in ID order, a chunk
 * at a time (keyset pages), every cell neutralised (safeCell) and quoted; UTF-8 with a BOM or
 * Shift_JIS, as the customer download (customers/export.ts encodedCsv). Columns: the core
 * fields, then the case custom fields.
 */
import { and, asc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { csvLine } from '../../platform/csv-export.js';
import type { FormatScope } from '../customers/visibility.js';
import { CHECKBOX_SEPARATOR } from '../formats/field-values.js';
import { cases } from './schema.js';
import { caseWhere, type CaseFilter } from './search.js';
import { caseViews } from './views.js';

export const CASE_EXPORT_CHUNK = 500;

const CORE_HEADER = [
  'ID',
  '題名',
  'ステータス',
  '顧客ID',
  '顧客',
  '担当',
  'ワークフロー',
  'ステップ',
  'タグ',
  '詳細',
  '注記',
  '登録日時',
  '登録者',
  '更新日時',
  '更新者',
];

export function* caseCsvLines(
  db: DbOrTx,
  filter: CaseFilter,
  scope: FormatScope,
  customFields: readonly { id: number; name: string }[],
): Generator<string> {
  yield csvLine([...CORE_HEADER, ...customFields.map((f) => f.name)]);
  const where = caseWhere(filter, scope);
  let after = 0;
  for (;;) {
    const rows = db
      .select()
      .from(cases)
      .where(and(where, gt(cases.id, after)))
      .orderBy(asc(cases.id))
      .limit(CASE_EXPORT_CHUNK)
      .all();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    let chunk = '';
    for (const c of caseViews(db, rows))
      chunk += csvLine([
        c.displayId,
        c.title,
        c.statusName,
        c.customer?.displayId ?? '',
        c.customer?.name ?? '',
        c.assigneeName ?? '',
        c.workflowName ?? '',
        c.stepName ?? (c.workflowName === null ? '' : '終了'),
        c.tags.map((t) => t.name).join(CHECKBOX_SEPARATOR),
        c.details,
        c.notes,
        c.createdAt.toISOString(),
        c.createdBy,
        c.updatedAt.toISOString(),
        c.updatedBy,
        ...customFields.map((f) => c.custom[String(f.id)] ?? ''),
      ]);
    yield chunk;
    if (rows.length < CASE_EXPORT_CHUNK) return;
  }
}
