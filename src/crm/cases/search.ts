/**
 * The case search (§8-2): ID, 題名, ステータス, タグ, 顧客 (part of the customer's name), the
 * customer-linked search (顧客連動検索: the cases of one customer), 担当, 詳細 and 注記 (parts of
 * them), the workflow and step, the detailed search by case custom fields, registration and
 * update ranges, deleted ones or not — as one SQL condition, limited to what the reader may see:
 * a case of a customer in a business format hidden from them (CRM権限) is hidden too.
 */
import { and, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { contains, countRows } from '../../platform/db/query.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import { customers } from '../customers/schema.js';
import type { CustomFieldCriterion } from '../customers/search.js';
import type { FormatScope } from '../customers/visibility.js';
import { cases, caseTags, type CaseRow } from './schema.js';

export interface CaseFilter {
  id?: number | undefined;
  /** These cases only (the checked rows of a download). */
  ids?: number[] | undefined;
  /** Part of the title. */
  title?: string | undefined;
  statusId?: number | undefined;
  tagId?: number | undefined;
  /** 顧客連動検索: the cases of this customer. */
  customerId?: number | undefined;
  /** 顧客: part of the customer's name. */
  customerName?: string | undefined;
  assigneeId?: number | undefined;
  /** Cases no one is assigned to. */
  unassigned?: boolean | undefined;
  details?: string | undefined;
  notes?: string | undefined;
  workflowId?: number | undefined;
  stepId?: number | undefined;
  custom?: CustomFieldCriterion[] | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  updatedFrom?: Date | undefined;
  updatedTo?: Date | undefined;
  includeDeleted?: boolean | undefined;
}

/** The cases a reader may see: no customer, or a customer of a format they may see. */
export function caseScope(scope: FormatScope): SQL | undefined {
  if (scope.all) return undefined;
  const visible =
    scope.formatIds.length === 0
      ? sql`0`
      : sql`${cases.customerId} IN (SELECT ${customers.id} FROM ${customers} WHERE ${inArray(customers.formatId, scope.formatIds)})`;
  return or(isNull(cases.customerId), visible);
}

export function caseWhere(filter: CaseFilter, scope: FormatScope): SQL | undefined {
  const f = filter;
  return and(
    caseScope(scope),
    f.includeDeleted === true ? undefined : isNull(cases.deletedAt),
    f.id === undefined ? undefined : eq(cases.id, f.id),
    f.ids === undefined ? undefined : inArray(cases.id, f.ids),
    f.title === undefined ? undefined : contains(cases.title, f.title),
    f.statusId === undefined ? undefined : eq(cases.statusId, f.statusId),
    f.tagId === undefined
      ? undefined
      : sql`${cases.id} IN (SELECT ${caseTags.caseId} FROM ${caseTags} WHERE ${caseTags.tagId} = ${f.tagId})`,
    f.customerId === undefined ? undefined : eq(cases.customerId, f.customerId),
    f.customerName === undefined
      ? undefined
      : sql`${cases.customerId} IN (SELECT ${customers.id} FROM ${customers} WHERE ${contains(customers.name, f.customerName)})`,
    f.assigneeId === undefined ? undefined : eq(cases.assigneeId, f.assigneeId),
    f.unassigned === true ? isNull(cases.assigneeId) : undefined,
    f.details === undefined ? undefined : contains(cases.details, f.details),
    f.notes === undefined ? undefined : contains(cases.notes, f.notes),
    f.workflowId === undefined ? undefined : eq(cases.workflowId, f.workflowId),
    f.stepId === undefined ? undefined : eq(cases.stepId, f.stepId),
    ...(f.custom ?? []).map((c) => {
      const value = sql`json_extract(${cases.custom}, ${`$."${c.fieldId}"`})`;
      return c.match === 'exact' ? sql`${value} = ${c.value}` : contains(value, c.value);
    }),
    f.createdFrom === undefined ? undefined : gte(cases.createdAt, f.createdFrom),
    f.createdTo === undefined ? undefined : lt(cases.createdAt, f.createdTo),
    f.updatedFrom === undefined ? undefined : gte(cases.updatedAt, f.updatedFrom),
    f.updatedTo === undefined ? undefined : lt(cases.updatedAt, f.updatedTo),
  );
}

/** A page of cases, newest first, and how many match. */
export function searchCases(
  db: DbOrTx,
  filter: CaseFilter & PageQuery,
  scope: FormatScope,
): Page<CaseRow> {
  const where = caseWhere(filter, scope);
  return {
    items: db
      .select()
      .from(cases)
      .where(where)
      .orderBy(desc(cases.id))
      .limit(filter.limit)
      .offset(filter.offset)
      .all(),
    total: countRows(db, cases, where),
  };
}
