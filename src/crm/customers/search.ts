/**
 * The customer search (§8-1): the manual's criteria (ID, 顧客コード, 名称, 業務, 電話番号, タグ,
 * 備考), the detailed search by custom fields, registration and update ranges, deleted ones or
 * not — as one SQL condition, limited to the formats the reader may see (visibility.ts). The
 * phone is matched on the digits index (exactly, or by its first digits: an index range), so a
 * phone search never reads the customers table through.
 */
import { and, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { contains, countRows } from '../../platform/db/query.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import type { CustomFieldType } from '../formats/field-types.js';
import { readFieldValue } from '../formats/field-values.js';
import { customerPhones, customers, customerTags, type CustomerRow } from './schema.js';
import type { FormatScope } from './visibility.js';

export interface CustomFieldCriterion {
  fieldId: number;
  value: string;
  /** Text fields match a part of the value; number, date and list fields the value. */
  match: 'contains' | 'exact';
}

export interface CustomerFilter {
  id?: number | undefined;
  /** 一括: these customers only (the checked rows of a download). */
  ids?: number[] | undefined;
  code?: string | undefined;
  /** Part of the name. */
  name?: string | undefined;
  formatId?: number | undefined;
  /** Digits of a number, or their beginning (see phoneMatch). */
  phone?: string | undefined;
  phoneMatch?: 'prefix' | 'exact' | undefined;
  tagId?: number | undefined;
  /** Part of the remarks. */
  remarks?: string | undefined;
  custom?: CustomFieldCriterion[] | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  updatedFrom?: Date | undefined;
  updatedTo?: Date | undefined;
  /** Deleted customers too (they are hidden otherwise). */
  includeDeleted?: boolean | undefined;
}

export function customerWhere(filter: CustomerFilter, scope: FormatScope): SQL | undefined {
  const f = filter;
  const live = f.includeDeleted !== true;
  const phoneRows =
    f.phone === undefined
      ? undefined
      : and(
          (f.phoneMatch ?? 'prefix') === 'exact'
            ? eq(customerPhones.digits, f.phone)
            : and(gte(customerPhones.digits, f.phone), lt(customerPhones.digits, `${f.phone}:`)),
          live ? eq(customerPhones.live, true) : undefined,
        );
  return and(
    scope.all
      ? undefined
      : scope.formatIds.length === 0
        ? sql`0`
        : inArray(customers.formatId, scope.formatIds),
    live ? isNull(customers.deletedAt) : undefined,
    f.id === undefined ? undefined : eq(customers.id, f.id),
    f.ids === undefined ? undefined : inArray(customers.id, f.ids),
    f.code === undefined ? undefined : eq(customers.code, f.code),
    f.name === undefined ? undefined : contains(customers.name, f.name),
    f.formatId === undefined ? undefined : eq(customers.formatId, f.formatId),
    phoneRows === undefined
      ? undefined
      : sql`${customers.id} IN (SELECT ${customerPhones.customerId} FROM ${customerPhones} WHERE ${phoneRows})`,
    f.tagId === undefined
      ? undefined
      : sql`${customers.id} IN (SELECT ${customerTags.customerId} FROM ${customerTags} WHERE ${customerTags.tagId} = ${f.tagId})`,
    f.remarks === undefined ? undefined : contains(customers.remarks, f.remarks),
    ...(f.custom ?? []).map((c) => {
      const value = sql`json_extract(${customers.custom}, ${`$."${c.fieldId}"`})`;
      return c.match === 'exact' ? sql`${value} = ${c.value}` : contains(value, c.value);
    }),
    f.createdFrom === undefined ? undefined : gte(customers.createdAt, f.createdFrom),
    f.createdTo === undefined ? undefined : lt(customers.createdAt, f.createdTo),
    f.updatedFrom === undefined ? undefined : gte(customers.updatedAt, f.updatedFrom),
    f.updatedTo === undefined ? undefined : lt(customers.updatedAt, f.updatedTo),
  );
}

/** A page of customers, newest first, and how many match. */
export function searchCustomers(
  db: DbOrTx,
  filter: CustomerFilter & PageQuery,
  scope: FormatScope,
): Page<CustomerRow> {
  const where = customerWhere(filter, scope);
  return {
    items: db
      .select()
      .from(customers)
      .where(where)
      .orderBy(desc(customers.id))
      .limit(filter.limit)
      .offset(filter.offset)
      .all(),
    total: countRows(db, customers, where),
  };
}

/**
 * The detailed search's criteria from `custom.<id>=value` pairs: a text field matches a part of
 * its value; the others match the value as the field reads it (a date `2026/1/5` finds
 * 2026-01-05). Keys of no customer custom field are returned as unknown.
 */
export function customCriteria(
  fields: readonly { id: number; type: CustomFieldType; options: string[] }[],
  pairs: readonly [number, string][],
): { criteria: CustomFieldCriterion[]; unknown: number[] } {
  const byId = new Map(fields.map((f) => [f.id, f]));
  const criteria: CustomFieldCriterion[] = [];
  const unknown: number[] = [];
  for (const [fieldId, value] of pairs) {
    const field = byId.get(fieldId);
    if (field === undefined) {
      unknown.push(fieldId);
      continue;
    }
    if (field.type === 'text') {
      criteria.push({ fieldId, value, match: 'contains' });
      continue;
    }
    const reading = readFieldValue(
      { type: field.type, required: false, options: field.options },
      value,
    );
    criteria.push({
      fieldId,
      value: reading.ok && typeof reading.value === 'string' ? reading.value : value,
      match: 'exact',
    });
  }
  return { criteria, unknown };
}
