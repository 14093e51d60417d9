/**
 * The autodial list (自動発信 §10-9): whom a campaign calls — a CRM customer (its number taken from
 * the customer's phones: the phone list first, then its phone fields) or a bare number — with
 * the result, reservation (予約, §9-2), assignee (担当, whose recall list holds it, §7) and
 * remarks. Entries are added one at a time, from a customer search (§8-1 一括して自動発信に登録)
 * or from a MOT call list; a customer with no phone, or already waiting in the campaign, is
 * skipped and counted.
 *
 * An entry whose call is live (phase dialing / in_call) is the engine's: it cannot be edited or
 * deleted (409). A bulk edit changes every ticked entry or none. An entry on the
 * outbound-restriction list is added like any other; the engine gives it 発信規制 when its turn
 * comes. After every change of an assignee or a result the agents concerned are told their
 * recall count (recalls-notifier.ts).
 */
import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import { callListMembers, callLists } from '../call-lists/schema.js';
import { customerPhones, customers } from '../crm/customers/schema.js';
import { customerWhere, type CustomerFilter } from '../crm/customers/search.js';
import { ALL_FORMATS, inScope, type FormatScope } from '../crm/customers/visibility.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../platform/calendar.js';
import type { Clock } from '../platform/clock.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Hub } from '../platform/realtime/hub.js';
import { entryCsvLines, type EntryCsvColumns } from './entries-export.js';
import {
  entryOrder,
  entryViews,
  entryWhere,
  resultChoices,
  type EntryFilter,
  type EntryRow,
  type EntryView,
  type ResultView,
} from './entries-search.js';
import { createRecallsNotifier, type RecallsNotifier } from './recalls-notifier.js';
import { isSystemResult } from './results.js';
import { campaignEntries, campaignResults, campaigns } from './schema.js';

/** More customers than this in one bulk add is refused (one transaction holds the writer). */
export const MAX_BULK_ADD = 20_000;
const CHUNK = 500;

export const RESERVE_OFFSETS = { '10m': 10 * MINUTE_MS, '1h': HOUR_MS, '1d': DAY_MS } as const;
export type ReserveOffset = keyof typeof RESERVE_OFFSETS;

export interface EntryPatch {
  /** A system result's key or one of the campaign's result numbers, in decimal. */
  result?: string | undefined;
  /** null clears it. */
  reservedAt?: Date | null | undefined;
  assigneeId?: number | null | undefined;
  remarks?: string | undefined;
}

export interface NewEntry {
  /** The CRM customer; its first phone unless `phone` names another. */
  customerId?: number | undefined;
  /** Digits only. */
  phone?: string | undefined;
  reservedAt?: Date | null | undefined;
  assigneeId?: number | null | undefined;
  remarks?: string | undefined;
}

export interface AddReport {
  added: number;
  /** noPhone + alreadyWaiting. */
  skipped: number;
  noPhone: number;
  alreadyWaiting: number;
}

export interface EntryDetail extends EntryView {
  /** The result buttons: the campaign's own results, then the system results. */
  choices: ResultView[];
}

export interface EntryRefusal {
  id: number;
  code: string;
  message: string;
}

export type ReserveWhen = { in: ReserveOffset } | { at: Date };

export interface CampaignEntriesDeps {
  db: Db;
  clock: Clock;
  hub: Hub;
  timeZone: string;
}

export function createCampaignEntriesService(deps: CampaignEntriesDeps) {
  const { db, clock, hub, timeZone } = deps;

  /** The recall badge: the agent's entries waiting to be dialled by them. */
  const recallCount = (agentId: number): number =>
    countRows(
      db,
      campaignEntries,
      and(eq(campaignEntries.assigneeId, agentId), eq(campaignEntries.result, 'waiting')),
    );
  const recalls: RecallsNotifier = createRecallsNotifier(hub, recallCount);
  const tell = (agentIds: Iterable<number | null>) => {
    for (const agentId of new Set(agentIds)) if (agentId !== null) recalls.changed(agentId);
  };

  function campaignExists(tx: DbOrTx, id: number): boolean {
    return (
      tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, id)).get() !==
      undefined
    );
  }

  function assertCampaign(tx: DbOrTx, id: number): void {
    if (!campaignExists(tx, id)) throw notFound('Campaign');
  }

  function row(tx: DbOrTx, id: number): EntryRow {
    const found = tx.select().from(campaignEntries).where(eq(campaignEntries.id, id)).get();
    if (found === undefined) throw notFound('Autodial entry');
    return found;
  }

  function assertIdle(entry: EntryRow): void {
    if (entry.phase !== 'idle')
      throw conflict('entry_in_call', 'The entry is being dialled or in a call', {
        phase: entry.phase,
      });
  }

  /** Whether the campaign has this result: a system one, or one of its own numbers. */
  function hasResult(tx: DbOrTx, campaignId: number, result: string): boolean {
    if (isSystemResult(result)) return true;
    if (!/^[1-9][0-9]{0,9}$/.test(result)) return false;
    return (
      tx
        .select({ n: campaignResults.number })
        .from(campaignResults)
        .where(
          and(
            eq(campaignResults.campaignId, campaignId),
            eq(campaignResults.number, Number(result)),
          ),
        )
        .get() !== undefined
    );
  }

  function assertAgent(tx: DbOrTx, agentId: number | null | undefined): void {
    if (agentId === null || agentId === undefined) return;
    if (tx.select({ id: agents.id }).from(agents).where(eq(agents.id, agentId)).get() === undefined)
      throw unprocessable('unknown_agent', `No agent ${agentId}`, { agentId });
  }

  /** The first phone of each customer: the phone list in order, then the phone fields. */
  function firstPhones(tx: DbOrTx, ids: readonly number[]): Map<number, string> {
    const phones = new Map<number, string>();
    if (ids.length === 0) return phones;
    for (const r of tx
      .select({ id: customerPhones.customerId, digits: customerPhones.digits })
      .from(customerPhones)
      .where(inArray(customerPhones.customerId, [...ids]))
      .orderBy(asc(customerPhones.customerId), asc(customerPhones.position))
      .all())
      if (!phones.has(r.id)) phones.set(r.id, r.digits);
    return phones;
  }

  /** The customers of `ids` with an entry waiting in the campaign. */
  function waitingCustomers(tx: DbOrTx, campaignId: number, ids: readonly number[]): Set<number> {
    if (ids.length === 0) return new Set();
    return new Set(
      tx
        .select({ id: campaignEntries.customerId })
        .from(campaignEntries)
        .where(
          and(
            eq(campaignEntries.campaignId, campaignId),
            eq(campaignEntries.result, 'waiting'),
            inArray(campaignEntries.customerId, [...ids]),
          ),
        )
        .all()
        .flatMap((r) => (r.id === null ? [] : [r.id])),
    );
  }

  /** Adds the customers (in order) that have a phone and are not waiting already. */
  function addCustomers(
    tx: DbOrTx,
    campaignId: number,
    ids: readonly number[],
    actor: string,
    report: AddReport,
  ): void {
    const phones = firstPhones(tx, ids);
    const waiting = waitingCustomers(tx, campaignId, ids);
    const rows: (typeof campaignEntries.$inferInsert)[] = [];
    for (const customerId of ids) {
      const phone = phones.get(customerId);
      if (phone === undefined) report.noPhone += 1;
      else if (waiting.has(customerId)) report.alreadyWaiting += 1;
      else {
        waiting.add(customerId);
        rows.push({ campaignId, customerId, phone, ...created(actor, clock.now()) });
      }
    }
    if (rows.length > 0) tx.insert(campaignEntries).values(rows).run();
    report.added += rows.length;
    report.skipped = report.noPhone + report.alreadyWaiting;
  }

  const emptyReport = (): AddReport => ({ added: 0, skipped: 0, noPhone: 0, alreadyWaiting: 0 });

  /** The refusals a change of these entries meets; none: it may go ahead. */
  function refusals(tx: DbOrTx, ids: readonly number[], patch: EntryPatch): EntryRefusal[] {
    const found = new Map(
      tx
        .select()
        .from(campaignEntries)
        .where(inArray(campaignEntries.id, [...ids]))
        .all()
        .map((e) => [e.id, e]),
    );
    const refused: EntryRefusal[] = [];
    for (const id of new Set(ids)) {
      const entry = found.get(id);
      if (entry === undefined)
        refused.push({ id, code: 'not_found', message: 'Autodial entry not found' });
      else if (entry.phase !== 'idle')
        refused.push({ id, code: 'entry_in_call', message: 'Being dialled or in a call' });
      else if (patch.result !== undefined && !hasResult(tx, entry.campaignId, patch.result))
        refused.push({
          id,
          code: 'unknown_result',
          message: `The campaign has no result ${patch.result}`,
        });
    }
    return refused;
  }

  function patchValues(patch: EntryPatch, actor: string) {
    return {
      ...(patch.result !== undefined && { result: patch.result }),
      ...(patch.reservedAt !== undefined && { reservedAt: patch.reservedAt }),
      ...(patch.assigneeId !== undefined && { assigneeId: patch.assigneeId }),
      ...(patch.remarks !== undefined && { remarks: patch.remarks }),
      ...updated(actor, clock.now()),
    };
  }

  function detail(entry: EntryRow, scope: FormatScope): EntryDetail {
    const [view] = entryViews(db, [entry], scope);
    if (view === undefined) throw notFound('Autodial entry');
    return { ...view, choices: resultChoices(db, entry.campaignId) };
  }

  function page(
    filter: EntryFilter & PageQuery,
    scope: FormatScope,
    order: 'added' | 'reservation',
  ): Page<EntryView> {
    const where = entryWhere(filter);
    const rows = db
      .select()
      .from(campaignEntries)
      .where(where)
      .orderBy(...entryOrder(order))
      .limit(filter.limit)
      .offset(filter.offset)
      .all();
    return { items: entryViews(db, rows, scope), total: countRows(db, campaignEntries, where) };
  }

  const service = {
    /** 自動発信: the entries of a search, in the order they were added. */
    list: (filter: EntryFilter & PageQuery, scope: FormatScope) => page(filter, scope, 'added'),

    /** 発信予約: the entries with a reservation, soonest first. */
    reservations: (filter: EntryFilter & PageQuery, scope: FormatScope) =>
      page({ ...filter, reserved: true }, scope, 'reservation'),

    get: (id: number, scope: FormatScope): EntryDetail => detail(row(db, id), scope),

    /** The CSV download of a search (export.ts), a chunk of entries at a time. */
    csvLines: (filter: EntryFilter, scope: FormatScope, columns: EntryCsvColumns) =>
      entryCsvLines(db, filter, scope, columns, timeZone),

    add(campaignId: number, input: NewEntry, scope: FormatScope, actor: string): EntryDetail {
      const entry = db.transaction((tx) => {
        assertCampaign(tx, campaignId);
        assertAgent(tx, input.assigneeId);
        let phone = input.phone;
        if (input.customerId !== undefined) {
          const customer = tx
            .select({ id: customers.id, formatId: customers.formatId })
            .from(customers)
            .where(and(eq(customers.id, input.customerId), isNull(customers.deletedAt)))
            .get();
          if (customer === undefined || !inScope(scope, customer.formatId))
            throw unprocessable('unknown_customer', `No customer ${input.customerId}`, {
              customerId: input.customerId,
            });
          phone ??= firstPhones(tx, [customer.id]).get(customer.id);
          if (phone === undefined)
            throw unprocessable('no_phone', 'The customer has no phone number');
          if (waitingCustomers(tx, campaignId, [customer.id]).size > 0)
            throw conflict('already_waiting', 'The customer is already waiting in the campaign');
        }
        if (phone === undefined)
          throw unprocessable('phone_required', 'A customer or a phone number is needed');
        return tx
          .insert(campaignEntries)
          .values({
            campaignId,
            customerId: input.customerId ?? null,
            phone,
            reservedAt: input.reservedAt ?? null,
            assigneeId: input.assigneeId ?? null,
            remarks: input.remarks ?? '',
            ...created(actor, clock.now()),
          })
          .returning()
          .get();
      });
      tell([entry.assigneeId]);
      return detail(entry, scope);
    },

    /** + 新規自動発信 from the customer detail (the campaign named in the body: 422 if none). */
    addCustomer(
      customerId: number,
      campaignId: number,
      scope: FormatScope,
      actor: string,
    ): EntryDetail {
      if (!campaignExists(db, campaignId))
        throw unprocessable('unknown_campaign', `No campaign ${campaignId}`, { campaignId });
      return service.add(campaignId, { customerId }, scope, actor);
    },

    /** 一括して自動発信に登録: every customer of a search (CRM権限 applies; deleted ones never). */
    addFromCustomers(
      campaignId: number,
      filter: CustomerFilter,
      scope: FormatScope,
      actor: string,
    ): AddReport {
      const where = customerWhere({ ...filter, includeDeleted: false }, scope);
      return db.transaction((tx) => {
        assertCampaign(tx, campaignId);
        const matching = countRows(tx, customers, where);
        if (matching > MAX_BULK_ADD)
          throw unprocessable(
            'too_many_customers',
            `The search finds ${matching} customers; at most ${MAX_BULK_ADD} are added at once`,
            { matching, max: MAX_BULK_ADD },
          );
        const report = emptyReport();
        let after = 0;
        for (;;) {
          const ids = tx
            .select({ id: customers.id })
            .from(customers)
            .where(and(where, gt(customers.id, after)))
            .orderBy(asc(customers.id))
            .limit(CHUNK)
            .all()
            .map((r) => r.id);
          if (ids.length === 0) break;
          after = ids[ids.length - 1] ?? after;
          addCustomers(tx, campaignId, ids, actor, report);
        }
        return report;
      });
    },

    /** The live customers of a MOT call list, in its order. */
    addFromCallList(campaignId: number, callListId: number, actor: string): AddReport {
      return db.transaction((tx) => {
        assertCampaign(tx, campaignId);
        const list = tx
          .select({ id: callLists.id })
          .from(callLists)
          .where(and(eq(callLists.id, callListId), isNull(callLists.deletedAt)))
          .get();
        if (list === undefined)
          throw unprocessable('unknown_call_list', `No call list ${callListId}`, { callListId });
        const ids = tx
          .select({ id: callListMembers.customerId })
          .from(callListMembers)
          .innerJoin(customers, eq(customers.id, callListMembers.customerId))
          .where(and(eq(callListMembers.listId, callListId), isNull(customers.deletedAt)))
          .orderBy(asc(callListMembers.position))
          .all()
          .map((r) => r.id);
        const report = emptyReport();
        for (let i = 0; i < ids.length; i += CHUNK)
          addCustomers(tx, campaignId, ids.slice(i, i + CHUNK), actor, report);
        return report;
      });
    },

    /** 自動発信詳細: result, reservation, assignee, remarks. */
    update(id: number, patch: EntryPatch, scope: FormatScope, actor: string): EntryDetail {
      const { before, after } = db.transaction((tx) => {
        const entry = row(tx, id);
        assertIdle(entry);
        if (patch.result !== undefined && !hasResult(tx, entry.campaignId, patch.result))
          throw unprocessable('unknown_result', `The campaign has no result ${patch.result}`, {
            result: patch.result,
          });
        assertAgent(tx, patch.assigneeId);
        const changed = tx
          .update(campaignEntries)
          .set(patchValues(patch, actor))
          .where(eq(campaignEntries.id, id))
          .returning()
          .get();
        return { before: entry, after: changed };
      });
      tell([before.assigneeId, after.assigneeId]);
      return detail(after, scope);
    },

    /**
     * The 10分後 / 1時間後 / 1日後 buttons, or an explicit time: the entry is to be dialled again
     * then, so its result goes back to 発信待機中.
     */
    reserve(id: number, when: ReserveWhen, scope: FormatScope, actor: string): EntryDetail {
      const now = clock.now();
      const at = 'at' in when ? when.at : new Date(now.getTime() + RESERVE_OFFSETS[when.in]);
      if (at.getTime() <= now.getTime())
        throw unprocessable('reservation_in_past', 'The reservation must be in the future');
      return service.update(id, { reservedAt: at, result: 'waiting' }, scope, actor);
    },

    /** 一括編集 of ticked entries: all of them or, with 422 `bulk_edit_refused`, none. */
    bulkEdit(ids: readonly number[], patch: EntryPatch, actor: string): { updated: number } {
      const touched = db.transaction((tx) => {
        const refused = refusals(tx, ids, patch);
        if (refused.length > 0)
          throw unprocessable('bulk_edit_refused', 'Some entries cannot be changed', refused);
        assertAgent(tx, patch.assigneeId);
        const before = tx
          .select({ assigneeId: campaignEntries.assigneeId })
          .from(campaignEntries)
          .where(inArray(campaignEntries.id, [...ids]))
          .all()
          .map((r) => r.assigneeId);
        const updatedRows = tx
          .update(campaignEntries)
          .set(patchValues(patch, actor))
          .where(inArray(campaignEntries.id, [...ids]))
          .returning({ assigneeId: campaignEntries.assigneeId })
          .all();
        return {
          agents: [...before, ...updatedRows.map((r) => r.assigneeId)],
          n: updatedRows.length,
        };
      });
      tell(touched.agents);
      return { updated: touched.n };
    },

    remove(id: number): void {
      const entry = db.transaction((tx) => {
        const found = row(tx, id);
        assertIdle(found);
        tx.delete(campaignEntries).where(eq(campaignEntries.id, id)).run();
        return found;
      });
      tell([entry.assigneeId]);
    },

    /** Deletes ticked entries: all of them or, with 422 `bulk_delete_refused`, none. */
    bulkRemove(ids: readonly number[]): { deleted: number } {
      const removed = db.transaction((tx) => {
        const refused = refusals(tx, ids, {});
        if (refused.length > 0)
          throw unprocessable('bulk_delete_refused', 'Some entries cannot be deleted', refused);
        return tx
          .delete(campaignEntries)
          .where(inArray(campaignEntries.id, [...ids]))
          .returning({ assigneeId: campaignEntries.assigneeId })
          .all();
      });
      tell(removed.map((r) => r.assigneeId));
      return { deleted: removed.length };
    },

    /** The customer detail's 自動発信 tab: the customer's entries, newest first. */
    ofCustomer(customerId: number): EntryView[] {
      const rows = db
        .select()
        .from(campaignEntries)
        .where(eq(campaignEntries.customerId, customerId))
        .orderBy(desc(campaignEntries.id))
        .all();
      return entryViews(db, rows, ALL_FORMATS);
    },

    /** 再コール一覧: the agent's entries waiting to be dialled, by reservation (none last). */
    recallsOf(agentId: number, scope: FormatScope): EntryView[] {
      const rows = db
        .select()
        .from(campaignEntries)
        .where(entryWhere({ assigneeId: agentId, results: ['waiting'] }))
        .orderBy(...entryOrder('reservation'))
        .all();
      return entryViews(db, rows, scope);
    },

    recallCount,

    /** For the dialer engine: after it changes an entry's result or assignee. */
    recalls,
  };
  return service;
}

export type CampaignEntriesService = ReturnType<typeof createCampaignEntriesService>;
