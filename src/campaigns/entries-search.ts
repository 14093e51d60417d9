/**
 * The autodial list's search (自動発信 §10-9, 発信予約 §9-2, 再コール一覧 §7): the criteria as one
 * SQL condition on campaign_entries, and the entries as the screens show them — with the
 * campaign's name, the customer (`#C` id and name, when the reader may see its format), the
 * result's label (a system result's or the campaign's own) and the agents' names, read for a
 * whole page at once (one query per part, not per entry).
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import { customers } from '../crm/customers/schema.js';
import { displayIdOf } from '../crm/customers/views.js';
import { inScope, type FormatScope } from '../crm/customers/visibility.js';
import type { DbOrTx } from '../platform/db/client.js';
import {
  entryStatusOf,
  isSystemResult,
  SYSTEM_RESULT_LABELS,
  SYSTEM_RESULTS,
  type EntryPhase,
  type EntryStatus,
  type StoredResult,
} from './results.js';
import { campaignEntries, campaignResults, campaigns } from './schema.js';

export type EntryRow = typeof campaignEntries.$inferSelect;

export interface EntryFilter {
  campaignId?: number | undefined;
  /** 業務: entries of customers of this business format. */
  formatId?: number | undefined;
  customerId?: number | undefined;
  /** Stored results (system keys, campaign result numbers): any of them. */
  results?: string[] | undefined;
  /** コール数: exactly, or within a range (both ends included). */
  callCount?: number | undefined;
  callCountMin?: number | undefined;
  callCountMax?: number | undefined;
  /** ステータス icons: any of them. */
  statuses?: EntryStatus[] | undefined;
  /** 担当. */
  assigneeId?: number | undefined;
  /** 予約: with one (true) or without (false). */
  reserved?: boolean | undefined;
  /** These entries only (checked rows). */
  ids?: number[] | undefined;
}

const STATUS_CONDITIONS: Record<EntryStatus, SQL> = {
  dialing: sql`${campaignEntries.phase} = 'dialing'`,
  in_call: sql`${campaignEntries.phase} = 'in_call'`,
  waiting: sql`(${campaignEntries.phase} = 'idle' AND ${campaignEntries.result} = 'waiting')`,
  stopped: sql`(${campaignEntries.phase} = 'idle' AND ${campaignEntries.result} = 'stopped')`,
  dialled: sql`(${campaignEntries.phase} = 'idle' AND ${campaignEntries.result} NOT IN ('waiting', 'stopped'))`,
};

export function entryWhere(f: EntryFilter): SQL | undefined {
  return and(
    f.campaignId === undefined ? undefined : eq(campaignEntries.campaignId, f.campaignId),
    f.customerId === undefined ? undefined : eq(campaignEntries.customerId, f.customerId),
    f.formatId === undefined
      ? undefined
      : sql`${campaignEntries.customerId} IN (SELECT ${customers.id} FROM ${customers} WHERE ${customers.formatId} = ${f.formatId})`,
    f.results === undefined || f.results.length === 0
      ? undefined
      : inArray(campaignEntries.result, f.results),
    f.callCount === undefined ? undefined : eq(campaignEntries.callCount, f.callCount),
    f.callCountMin === undefined ? undefined : gte(campaignEntries.callCount, f.callCountMin),
    f.callCountMax === undefined ? undefined : lte(campaignEntries.callCount, f.callCountMax),
    f.statuses === undefined || f.statuses.length === 0
      ? undefined
      : sql`(${sql.join(
          f.statuses.map((s) => STATUS_CONDITIONS[s]),
          sql` OR `,
        )})`,
    f.assigneeId === undefined ? undefined : eq(campaignEntries.assigneeId, f.assigneeId),
    f.reserved === undefined
      ? undefined
      : f.reserved
        ? isNotNull(campaignEntries.reservedAt)
        : isNull(campaignEntries.reservedAt),
    f.ids === undefined ? undefined : inArray(campaignEntries.id, f.ids),
  );
}

/** The order of a list: as added (自動発信), or by reservation, unreserved last (予約, 再コール). */
export function entryOrder(order: 'added' | 'reservation'): SQL[] {
  return order === 'added'
    ? [asc(campaignEntries.id)]
    : [
        sql`${campaignEntries.reservedAt} IS NULL`,
        asc(campaignEntries.reservedAt),
        asc(campaignEntries.id),
      ];
}

export interface Person {
  id: number;
  name: string;
}

export interface ResultView {
  /** As stored: a system key, or the campaign result's number in decimal. */
  key: string;
  label: string;
  kind: 'system' | 'campaign';
}

export interface EntryView {
  id: number;
  campaign: { id: number; name: string };
  /** The CRM customer; null for a bare number, or a customer of a format the reader may not see. */
  customer: { id: number; displayId: string; name: string; formatId: number } | null;
  phone: string;
  result: ResultView;
  callCount: number;
  lastDialedAt: Date | null;
  lastAgent: Person | null;
  reservedAt: Date | null;
  assignee: Person | null;
  remarks: string;
  status: EntryStatus;
  phase: EntryPhase;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

/** The labels of the campaigns' own results, by campaign then number. */
export function campaignResultLabels(
  db: DbOrTx,
  campaignIds: readonly number[],
): Map<number, Map<number, string>> {
  const labels = new Map<number, Map<number, string>>(campaignIds.map((id) => [id, new Map()]));
  if (campaignIds.length === 0) return labels;
  for (const r of db
    .select()
    .from(campaignResults)
    .where(inArray(campaignResults.campaignId, [...campaignIds]))
    .orderBy(asc(campaignResults.campaignId), asc(campaignResults.position))
    .all())
    labels.get(r.campaignId)?.set(r.number, r.text);
  return labels;
}

export function resultView(
  stored: string,
  labels: ReadonlyMap<number, string> | undefined,
): ResultView {
  if (isSystemResult(stored))
    return { key: stored, label: SYSTEM_RESULT_LABELS[stored], kind: 'system' };
  // A campaign result whose line was removed since keeps its number as its label.
  return { key: stored, label: labels?.get(Number(stored)) ?? stored, kind: 'campaign' };
}

/** What the detail's result buttons offer: the campaign's own results, then the system ones. */
export function resultChoices(db: DbOrTx, campaignId: number): ResultView[] {
  const own = campaignResultLabels(db, [campaignId]).get(campaignId) ?? new Map<number, string>();
  return [
    ...[...own].map(([number, text]) => ({
      key: String(number),
      label: text,
      kind: 'campaign' as const,
    })),
    ...SYSTEM_RESULTS.map((key) => ({
      key,
      label: SYSTEM_RESULT_LABELS[key],
      kind: 'system' as const,
    })),
  ];
}

export function entryViews(db: DbOrTx, rows: readonly EntryRow[], scope: FormatScope): EntryView[] {
  if (rows.length === 0) return [];
  const campaignIds = [...new Set(rows.map((r) => r.campaignId))];
  const names = new Map(
    db
      .select({ id: campaigns.id, name: campaigns.name })
      .from(campaigns)
      .where(inArray(campaigns.id, campaignIds))
      .all()
      .map((c) => [c.id, c.name]),
  );
  const labels = campaignResultLabels(db, campaignIds);
  const customerIds = [
    ...new Set(rows.flatMap((r) => (r.customerId === null ? [] : [r.customerId]))),
  ];
  const customersById = new Map(
    customerIds.length === 0
      ? []
      : db
          .select({ id: customers.id, name: customers.name, formatId: customers.formatId })
          .from(customers)
          .where(inArray(customers.id, customerIds))
          .all()
          .map((c) => [c.id, c]),
  );
  const agentIds = [
    ...new Set(rows.flatMap((r) => [r.lastAgentId, r.assigneeId]).filter((id) => id !== null)),
  ];
  const agentNames = new Map(
    agentIds.length === 0
      ? []
      : db
          .select({ id: agents.id, name: agents.name })
          .from(agents)
          .where(inArray(agents.id, agentIds))
          .all()
          .map((a) => [a.id, a.name]),
  );
  const person = (id: number | null): Person | null => {
    if (id === null) return null;
    const name = agentNames.get(id);
    return name === undefined ? null : { id, name };
  };
  return rows.map((r) => {
    const customer = r.customerId === null ? undefined : customersById.get(r.customerId);
    return {
      id: r.id,
      campaign: { id: r.campaignId, name: names.get(r.campaignId) ?? '' },
      customer:
        customer === undefined || !inScope(scope, customer.formatId)
          ? null
          : { ...customer, displayId: displayIdOf(customer.id) },
      phone: r.phone,
      result: resultView(r.result, labels.get(r.campaignId)),
      callCount: r.callCount,
      lastDialedAt: r.lastDialedAt,
      lastAgent: person(r.lastAgentId),
      reservedAt: r.reservedAt,
      assignee: person(r.assigneeId),
      remarks: r.remarks,
      status: entryStatusOf(r.phase, r.result as StoredResult),
      phase: r.phase,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      updatedAt: r.updatedAt,
      updatedBy: r.updatedBy,
    };
  });
}
