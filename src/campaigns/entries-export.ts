/**
 * The autodial list's ダウンロード (§10-9): the entries of a search as CSV, in the order they were
 * added, a chunk at a time (keyset pages), so a long list is never held whole. When the search
 * names a 業務 (business format), the customer's fields of that format follow the list's columns
 * ("choosing it makes the download include the customer details"). Times are wall-clock times
 * in TIMEZONE; every cell quoted and neutralised by csvLine (platform/csv-export.ts).
 */
import { and, asc, gt, inArray } from 'drizzle-orm';
import { customers } from '../crm/customers/schema.js';
import { CHECKBOX_SEPARATOR } from '../crm/formats/field-values.js';
import type { FormatScope } from '../crm/customers/visibility.js';
import { pad, wallClock } from '../platform/calendar.js';
import { csvLine } from '../platform/csv-export.js';
import type { DbOrTx } from '../platform/db/client.js';
import { entryViews, entryWhere, type EntryFilter } from './entries-search.js';
import { ENTRY_STATUS_LABELS } from './results.js';
import { campaignEntries } from './schema.js';

const CHUNK = 500;

export interface EntryCsvColumns {
  /** The chosen format's fields (id, name); none without a format. */
  formatFields: { id: number; name: string }[];
}

export const ENTRY_CSV_HEADER = [
  'ID',
  'キャンペーン',
  '顧客ID',
  '顧客',
  '電話番号',
  '結果',
  'コール数',
  '発信日時',
  'エージェント',
  '予約',
  '担当',
  '備考',
  'ステータス',
] as const;

/** `YYYY-MM-DD HH:MM` as a clock in the zone shows it. */
export function localMinute(instant: Date | null, timeZone: string): string {
  if (instant === null) return '';
  const w = wallClock(instant, timeZone);
  return `${w.year}-${pad(w.month, 2)}-${pad(w.day, 2)} ${pad(w.hour, 2)}:${pad(w.minute, 2)}`;
}

export function* entryCsvLines(
  db: DbOrTx,
  filter: EntryFilter,
  scope: FormatScope,
  columns: EntryCsvColumns,
  timeZone: string,
): Generator<string> {
  yield csvLine([...ENTRY_CSV_HEADER, ...columns.formatFields.map((f) => f.name)]);
  const where = entryWhere(filter);
  let after = 0;
  for (;;) {
    const rows = db
      .select()
      .from(campaignEntries)
      .where(and(where, gt(campaignEntries.id, after)))
      .orderBy(asc(campaignEntries.id))
      .limit(CHUNK)
      .all();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    const views = entryViews(db, rows, scope);
    const customerIds = views.flatMap((v) => (v.customer === null ? [] : [v.customer.id]));
    const fieldsOf = new Map(
      columns.formatFields.length === 0 || customerIds.length === 0
        ? []
        : db
            .select({ id: customers.id, fields: customers.fields })
            .from(customers)
            .where(inArray(customers.id, customerIds))
            .all()
            .map((c) => [c.id, c.fields]),
    );
    let chunk = '';
    for (const e of views) {
      const fields = e.customer === null ? undefined : fieldsOf.get(e.customer.id);
      const field = (id: number) => {
        const v = fields?.[String(id)];
        return Array.isArray(v) ? v.join(CHECKBOX_SEPARATOR) : (v ?? '');
      };
      chunk += csvLine([
        String(e.id),
        e.campaign.name,
        e.customer?.displayId ?? '',
        e.customer?.name ?? '',
        e.phone,
        e.result.label,
        e.callCount,
        localMinute(e.lastDialedAt, timeZone),
        e.lastAgent?.name ?? '',
        localMinute(e.reservedAt, timeZone),
        e.assignee?.name ?? '',
        e.remarks,
        ENTRY_STATUS_LABELS[e.status],
        ...columns.formatFields.map((f) => field(f.id)),
      ]);
    }
    yield chunk;
    if (rows.length < CHUNK) return;
  }
}
