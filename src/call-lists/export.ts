/**
 * 顧客CSVダウンロード (A.14): the customers of a search, in the layout of the call-list CSV
 * (A.8.2, so a file can be edited and imported again), then what the list screen shows besides
 * (最終ステータス, 配布済, リスト名). Columns 15–17 of A.8.2 are illegible in the manual; they are
 * taken as 従業員数, 年商 and 顧客備考, and URL follows the A.8.2 columns. Every cell is quoted and
 * neutralised against formulas; a chunk of customers at a time, UTF-8 with BOM or Shift_JIS.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import { customers } from '../crm/customers/schema.js';
import type { DbOrTx } from '../platform/db/client.js';
import { csvLine } from '../platform/csv-export.js';
import {
  callListCustomerViews,
  callListCustomerWhere,
  type CallListCustomerFilter,
  type CallListCustomerView,
} from './customer-search.js';
import type { MotFormat } from './mot-format.js';
import { RESULT_LABELS } from './outcomes.js';
import { callListCustomers } from './schema.js';

const CHUNK = 500;

/** The A.8.2 title row, as the importer expects it. */
export const CALL_LIST_CSV_HEADER = [
  '顧客ID',
  '登録日',
  '区分',
  '業種',
  '会社名',
  '会社名フリガナ',
  '(顧客)担当者名',
  '郵便番号',
  '都道府県',
  '住所(市区町村・番地)',
  '住所(建物名・部屋番号など)',
  '電話番号',
  'FAX番号',
  'メールアドレス',
  '従業員数',
  '年商',
  '顧客備考',
  'ユーザID',
  'リストID',
  '取得元',
] as const;

const EXTRA_HEADER = ['URL', '最終ステータス', '配布済', 'リスト名'];

function line(c: CallListCustomerView): string {
  const v = c.values;
  return csvLine([
    String(c.id),
    v.registeredOn.replace(/-/g, '/'),
    v.kind,
    v.industry,
    c.company,
    v.companyKana,
    v.contactName,
    v.postalCode,
    v.prefecture,
    v.address1,
    v.address2,
    c.phone,
    v.fax,
    c.email,
    v.employees,
    v.annualSales,
    c.remarks,
    '',
    c.lists.map((l) => l.id).join('|'),
    v.source,
    v.url,
    c.finalStatus === null ? '' : RESULT_LABELS[c.finalStatus],
    c.distributed ? '済' : '',
    c.lists.map((l) => l.name).join('|'),
  ]);
}

export function* callListCsvLines(
  db: DbOrTx,
  format: MotFormat,
  filter: CallListCustomerFilter,
): Generator<string> {
  yield csvLine([...CALL_LIST_CSV_HEADER, ...EXTRA_HEADER]);
  const where = callListCustomerWhere(format, filter);
  let after = 0;
  for (;;) {
    const rows = db
      .select({ customer: customers, state: callListCustomers })
      .from(customers)
      .innerJoin(callListCustomers, eq(callListCustomers.customerId, customers.id))
      .where(and(where, gt(customers.id, after)))
      .orderBy(asc(customers.id))
      .limit(CHUNK)
      .all();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.customer.id ?? after;
    yield callListCustomerViews(
      db,
      format,
      rows.map((r) => ({ ...r.customer, state: r.state })),
      filter.includeDeleted === true,
    )
      .map(line)
      .join('');
    if (rows.length < CHUNK) return;
  }
}
