/**
 * The customer list of the call lists (顧客一覧, A.10): every customer of the MOT format that a
 * call list has held, searched by list, 配布 (未配布 = not retrieved yet, 配布済 = retrieved),
 * 登録日 range, final statuses (several; a customer without a result counts as 未架電), deleted
 * ones or not, 会社名, フリガナ, 電話番号 (digits, prefix) and 都道府県 + 住所. Read-only over the
 * CRM tables: the values live in the customer's format fields.
 */
import {
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  sql,
  type SQL,
} from 'drizzle-orm';
import { customerPhones, customers, type CustomerRow } from '../crm/customers/schema.js';
import { phoneListsOf } from '../crm/customers/phones.js';
import { displayIdOf } from '../crm/customers/views.js';
import type { FieldValue } from '../crm/formats/field-types.js';
import type { DbOrTx } from '../platform/db/client.js';
import { contains } from '../platform/db/query.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { MotField, MotFormat } from './mot-format.js';
import { MOT_FIELD_KEYS } from './mot-format.js';
import type { FinalStatus } from './outcomes.js';
import { callListCustomers, callListMembers, callLists } from './schema.js';

export interface CallListCustomerFilter {
  /** リスト名: customers of this list. */
  listId?: number | undefined;
  /** 配布. */
  distributed?: 'undistributed' | 'distributed' | undefined;
  /** 登録日 from / to (YYYY-MM-DD, both inclusive). */
  registeredFrom?: string | undefined;
  registeredTo?: string | undefined;
  /** 最終ステータス: any of these. */
  finalStatuses?: FinalStatus[] | undefined;
  includeDeleted?: boolean | undefined;
  /** Part of 会社名. */
  company?: string | undefined;
  /** Part of 会社名フリガナ. */
  companyKana?: string | undefined;
  /** The digits of 電話番号, or their beginning. */
  phone?: string | undefined;
  prefecture?: string | undefined;
  /** Part of 住所 (都道府県 + 住所1 + 住所2). */
  address?: string | undefined;
  /** These customers only. */
  ids?: number[] | undefined;
  /** The customers in this user's charge ((自社)担当者) only. */
  assigneeId?: number | undefined;
}

export interface CallListCustomerView {
  id: number;
  displayId: string;
  /** 配布済 (済). */
  distributed: boolean;
  claimedBy: number | null;
  claimedAt: Date | null;
  /** (自社)担当者. */
  assigneeId: number | null;
  /** 最終ステータス: null until a result is uploaded. */
  finalStatus: FinalStatus | null;
  company: string;
  phone: string;
  email: string;
  remarks: string;
  /** Prefecture + address 1 + address 2, as the list shows it. */
  address: string;
  values: Record<MotField, string>;
  /** The lists holding the customer (deleted ones only when asked for deleted customers). */
  lists: { id: number; name: string }[];
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const jsonField = (format: MotFormat, key: MotField) =>
  sql`json_extract(${customers.fields}, ${`$."${format.fieldIds[key]}"`})`;

/** LIKE '%part%' over a JSON value, the wildcards of `part` taken literally. */
function fieldContains(format: MotFormat, key: MotField, part: string): SQL {
  const escaped = part.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`${jsonField(format, key)} LIKE ${`%${escaped}%`} ESCAPE '\\'`;
}

export function callListCustomerWhere(
  format: MotFormat,
  f: CallListCustomerFilter,
): SQL | undefined {
  const statuses = f.finalStatuses ?? [];
  const address = sql`coalesce(${jsonField(format, 'prefecture')}, '') || coalesce(${jsonField(format, 'address1')}, '') || coalesce(${jsonField(format, 'address2')}, '')`;
  return and(
    eq(customers.formatId, format.formatId),
    f.includeDeleted === true ? undefined : isNull(customers.deletedAt),
    f.ids === undefined ? undefined : inArray(customers.id, f.ids.length === 0 ? [-1] : f.ids),
    f.assigneeId === undefined ? undefined : eq(callListCustomers.assigneeId, f.assigneeId),
    f.listId === undefined
      ? undefined
      : sql`EXISTS (SELECT 1 FROM ${callListMembers} WHERE ${callListMembers.customerId} = ${customers.id} AND ${callListMembers.listId} = ${f.listId})`,
    f.distributed === undefined
      ? undefined
      : f.distributed === 'distributed'
        ? isNotNull(callListCustomers.claimedAt)
        : isNull(callListCustomers.claimedAt),
    f.registeredFrom === undefined
      ? undefined
      : sql`${jsonField(format, 'registeredOn')} >= ${f.registeredFrom}`,
    f.registeredTo === undefined
      ? undefined
      : sql`${jsonField(format, 'registeredOn')} <= ${f.registeredTo}`,
    statuses.length === 0
      ? undefined
      : sql`coalesce(${callListCustomers.finalStatus}, 'not_called') IN (${sql.join(
          statuses.map((s) => sql`${s}`),
          sql`, `,
        )})`,
    f.company === undefined ? undefined : contains(customers.name, f.company),
    f.companyKana === undefined ? undefined : fieldContains(format, 'companyKana', f.companyKana),
    f.prefecture === undefined
      ? undefined
      : sql`${jsonField(format, 'prefecture')} = ${f.prefecture}`,
    f.address === undefined ? undefined : sql`instr(${address}, ${f.address}) > 0`,
    f.phone === undefined
      ? undefined
      : sql`EXISTS (SELECT 1 FROM ${customerPhones} WHERE ${customerPhones.customerId} = ${customers.id} AND ${and(
          gte(customerPhones.digits, f.phone),
          lt(customerPhones.digits, `${f.phone}:`),
        )})`,
  );
}

const valueText = (v: FieldValue | undefined) =>
  v === undefined ? '' : Array.isArray(v) ? v.join('|') : v;

export function callListCustomerViews(
  db: DbOrTx,
  format: MotFormat,
  rows: readonly (CustomerRow & { state: typeof callListCustomers.$inferSelect })[],
  withDeletedLists: boolean,
): CallListCustomerView[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const phones = phoneListsOf(db, ids);
  const lists = new Map<number, { id: number; name: string }[]>(ids.map((id) => [id, []]));
  for (const m of db
    .select({ customerId: callListMembers.customerId, id: callLists.id, name: callLists.name })
    .from(callListMembers)
    .innerJoin(callLists, eq(callLists.id, callListMembers.listId))
    .where(
      and(
        inArray(callListMembers.customerId, ids),
        withDeletedLists ? undefined : isNull(callLists.deletedAt),
      ),
    )
    .orderBy(asc(callLists.id))
    .all())
    lists.get(m.customerId)?.push({ id: m.id, name: m.name });
  return rows.map((r) => {
    const values = Object.fromEntries(
      MOT_FIELD_KEYS.map((k) => [k, valueText(r.fields[String(format.fieldIds[k])])]),
    ) as Record<MotField, string>;
    return {
      id: r.id,
      displayId: displayIdOf(r.id),
      distributed: r.state.claimedAt !== null,
      claimedBy: r.state.claimedBy,
      claimedAt: r.state.claimedAt,
      assigneeId: r.state.assigneeId,
      finalStatus: r.state.finalStatus,
      company: r.name,
      phone: phones.get(r.id)?.[0] ?? '',
      email: r.email,
      remarks: r.remarks,
      address: `${values.prefecture}${values.address1}${values.address2}`,
      values,
      lists: lists.get(r.id) ?? [],
      deletedAt: r.deletedAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  });
}

/** The rows of a search, newest first (by customer ID, descending). */
export function searchCallListCustomers(
  db: DbOrTx,
  format: MotFormat,
  filter: CallListCustomerFilter & PageQuery,
): Page<CallListCustomerView> {
  const where = callListCustomerWhere(format, filter);
  const rows = db
    .select({ customer: customers, state: callListCustomers })
    .from(customers)
    .innerJoin(callListCustomers, eq(callListCustomers.customerId, customers.id))
    .where(where)
    .orderBy(desc(customers.id))
    .limit(filter.limit)
    .offset(filter.offset)
    .all();
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(customers)
      .innerJoin(callListCustomers, eq(callListCustomers.customerId, customers.id))
      .where(where)
      .get()?.n ?? 0;
  return {
    items: callListCustomerViews(
      db,
      format,
      rows.map((r) => ({ ...r.customer, state: r.state })),
      filter.includeDeleted === true,
    ),
    total,
  };
}

/** Every matching customer's id, in ID order (re-creation, bulk work). */
export function matchingIds(
  db: DbOrTx,
  format: MotFormat,
  filter: CallListCustomerFilter,
): number[] {
  return db
    .select({ id: customers.id })
    .from(customers)
    .innerJoin(callListCustomers, eq(callListCustomers.customerId, customers.id))
    .where(callListCustomerWhere(format, filter))
    .orderBy(asc(customers.id))
    .all()
    .map((r) => r.id);
}
