/**
 * Call lists (コールリスト, MOT part A) over the CRM's customers: lists made from parsed rows
 * (the CSV importer's entry point, createListFromRows) or from a customer search (re-creation,
 * A.12); the list index and edit (name, target groups, 配布); soft delete that keeps the
 * customers; the customer list and its CSV; retrieval by operators (claim.ts) and their result
 * uploads (results.ts); data initialisation (A.21).
 *
 * Customers are written only through the customers service, as customers of the built-in
 * `mot_call_list` format; this module keeps, beside them, which lists hold them and their
 * call-list state (schema.ts).
 */
import { and, asc, count, eq, inArray, isNull, max, ne, sql } from 'drizzle-orm';
import type { CustomersService } from '../crm/customers/service.js';
import { ALL_FORMATS } from '../crm/customers/visibility.js';
import type { BusinessFormatsService } from '../crm/formats/service.js';
import { customers } from '../crm/customers/schema.js';
import { dateKeyOfDayNumber, dayNumber, wallClock } from '../platform/calendar.js';
import type { Clock } from '../platform/clock.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains } from '../platform/db/query.js';
import {
  conflict,
  forbidden,
  HttpError,
  notFound,
  unprocessable,
} from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { agents } from '../accounts/schema.js';
import { groups } from '../queues/schema.js';
import { usableListIds } from './access.js';
import { lastDials, type HeldDial } from './autocall-dials.js';
import { claimNext } from './claim.js';
import { claimSize } from './claim-size.js';
import {
  callListCustomerViews,
  matchingIds,
  searchCallListCustomers,
  type CallListCustomerFilter,
  type CallListCustomerView,
} from './customer-search.js';
import { callListCsvLines } from './export.js';
import { MOT_FORMAT_FIELDS, MOT_FORMAT_NAME, motFormatOf, type MotFormat } from './mot-format.js';
import { uploadResults, type ResultRecord, type UploadOutcome } from './results.js';
import { readCallListRow, type CallListCustomerInput, type RowProblem } from './rows.js';
import {
  callListCustomers,
  callListGroups,
  callListMembers,
  callListResults,
  callLists,
  type CallListResultRow,
  type CallListRow,
} from './schema.js';
import { readCallListSettings } from './settings.js';

/** At most this many customers per list (A.8.1). */

export interface CallListView extends CallListRow {
  groupIds: number[];
  /** 顧客登録数: the list's live customers. */
  customerCount: number;
}

export interface CallListInput {
  name: string;
  distribute?: boolean | undefined;
  groupIds?: number[] | undefined;
}

export interface RowsOutcome {
  list: CallListView;
  /** Rows given, applied, refused; each refusal with its row and reason. */
  total: number;
  applied: number;
  errors: RowProblem[];
}

export interface ClaimedCustomer {
  /** No: 1, 2, 3 … in this retrieval. */
  number: number;
  listId: number;
  listName: string;
  customer: CallListCustomerView;
}

/** A 通話一覧 row (A.11) with the customer's 会社名 and 電話番号. */
export interface CallListResultView extends CallListResultRow {
  company: string;
  phone: string;
}

export type InitialiseTarget = 'customers_and_lists' | 'lists';

export interface CallListsService {
  /** Customers one list may hold. */
  maxCustomers: number;
  list: (
    filter: PageQuery & { name?: string | undefined; includeDeleted?: boolean | undefined },
  ) => Page<CallListView>;
  get: (id: number) => CallListView;
  create: (input: CallListInput, actor: string) => CallListView;
  /**
   * A list from parsed call-list rows (A.8.2): the list is created even when every row fails;
   * each row is applied or reported (phone already held by a live customer, unknown 業種, values
   * the CRM refuses). More than 500 rows: 422 `too_many_customers` and nothing is created.
   */
  createListFromRows: (
    input: CallListInput,
    rows: readonly CallListCustomerInput[],
    actor: string,
  ) => RowsOutcome;
  /**
   * The writing part of createListFromRows, inside a transaction the caller holds (the CSV
   * import engine's): the list, then each row in its own savepoint. No row limit of its own:
   * the importer's (maxRows) or createListFromRows' applies.
   */
  writeListFromRows: (
    tx: DbOrTx,
    input: CallListInput,
    rows: readonly CallListCustomerInput[],
    actor: string,
  ) => RowsOutcome;
  update: (id: number, patch: Partial<CallListInput>, actor: string) => CallListView;
  /** Soft delete: the list is hidden; its customers stay, with their phones still taken. */
  remove: (id: number, actor: string) => CallListView;
  restore: (id: number, actor: string) => CallListView;
  customers: (filter: CallListCustomerFilter & PageQuery) => Page<CallListCustomerView>;
  exportCsv: (filter: CallListCustomerFilter) => Iterable<string>;
  /** リスト再作成: a new undistributed list of the search's live customers, moved or added. */
  recreate: (
    input: { name: string; filter: CallListCustomerFilter; mode?: 'move' | 'add' | undefined },
    actor: string,
  ) => { list: CallListView; customers: number; mode: 'move' | 'add' };
  /** The lists an operator may retrieve from now. */
  usableLists: (agentId: number) => CallListView[];
  claim: (
    agentId: number,
    request: { listId?: number | undefined; count?: number | undefined },
  ) => ClaimedCustomer[];
  /** The customers an operator holds without an uploaded result. */
  held: (agentId: number) => CallListCustomerView[];
  /** The last call the operator placed to each of those customers since retrieving it. */
  lastDials: (agentId: number, held: readonly CallListCustomerView[]) => Map<number, HeldDial>;
  upload: (agentId: number, records: readonly ResultRecord[]) => UploadOutcome;
  history: (
    filter: PageQuery & {
      customerId?: number | undefined;
      listId?: number | undefined;
      agentId?: number | undefined;
      includeDeleted?: boolean | undefined;
    },
  ) => Page<CallListResultView>;
  initialise: (
    input: { target: InitialiseTarget; hardDelete: boolean },
    actor: string,
  ) => { lists: number; customers: number; results: number };
}

export interface CallListsDeps {
  db: Db;
  clock: Clock;
  timeZone: string;
  formats: BusinessFormatsService;
  customers: CustomersService;
  /** Customers one list may hold (A.8.1: 500; CALL_LIST_MAX_CUSTOMERS). */
  maxCustomers: number;
  /** "UserName(ext)" of an agent, as 通話一覧 shows the caller. */
  agentLabel: (agentId: number) => string;
  /** Writes the call history still deferred (its rows are read for the last dials). */
  flushCallHistory?: () => void;
}

export function createCallListsService(deps: CallListsDeps): CallListsService {
  const { db, clock, timeZone, formats, maxCustomers } = deps;
  const crm = deps.customers;

  // Ensured on each use: cheap when present, and it puts back a field an administrator removed.
  const motFormat = (): MotFormat =>
    motFormatOf(formats.ensureBuiltInFormat('mot_call_list', MOT_FORMAT_NAME, MOT_FORMAT_FIELDS));

  const today = () => dateKeyOfDayNumber(dayNumber(wallClock(clock.now(), timeZone)));

  function row(tx: DbOrTx, id: number): CallListRow {
    const found = tx.select().from(callLists).where(eq(callLists.id, id)).get();
    if (found === undefined) throw notFound('Call list');
    return found;
  }

  function liveRow(tx: DbOrTx, id: number): CallListRow {
    const found = row(tx, id);
    if (found.deletedAt !== null) throw conflict('list_deleted', `Call list ${id} is deleted`);
    return found;
  }

  function views(tx: DbOrTx, rows: readonly CallListRow[]): CallListView[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const groupIds = new Map<number, number[]>(ids.map((id) => [id, []]));
    for (const g of tx
      .select()
      .from(callListGroups)
      .where(inArray(callListGroups.listId, ids))
      .orderBy(asc(callListGroups.groupId))
      .all())
      groupIds.get(g.listId)?.push(g.groupId);
    const counts = new Map(
      tx
        .select({ id: callListMembers.listId, n: count() })
        .from(callListMembers)
        .innerJoin(customers, eq(customers.id, callListMembers.customerId))
        .where(and(inArray(callListMembers.listId, ids), isNull(customers.deletedAt)))
        .groupBy(callListMembers.listId)
        .all()
        .map((c) => [c.id, c.n]),
    );
    return rows.map((r) => ({
      ...r,
      groupIds: groupIds.get(r.id) ?? [],
      customerCount: counts.get(r.id) ?? 0,
    }));
  }

  const view = (tx: DbOrTx, id: number): CallListView => {
    const [shown] = views(tx, [row(tx, id)]);
    if (shown === undefined) throw notFound('Call list');
    return shown;
  };

  function assertGroupsExist(tx: DbOrTx, ids: readonly number[]): void {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const known = new Set(
      tx
        .select({ id: groups.id })
        .from(groups)
        .where(inArray(groups.id, unique))
        .all()
        .map((g) => g.id),
    );
    const unknown = unique.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw unprocessable('unknown_groups', `No groups ${unknown.join(', ')}`, {
        groupIds: unknown,
      });
  }

  function setGroups(tx: DbOrTx, listId: number, groupIds: readonly number[]): void {
    tx.delete(callListGroups).where(eq(callListGroups.listId, listId)).run();
    const unique = [...new Set(groupIds)];
    if (unique.length > 0)
      tx.insert(callListGroups)
        .values(unique.map((groupId) => ({ listId, groupId })))
        .run();
  }

  function insertList(tx: DbOrTx, input: CallListInput, actor: string): number {
    assertGroupsExist(tx, input.groupIds ?? []);
    const inserted = tx
      .insert(callLists)
      .values({
        name: input.name,
        distribute: input.distribute ?? false,
        ...created(actor, clock.now()),
      })
      .returning({ id: callLists.id })
      .get();
    setGroups(tx, inserted.id, input.groupIds ?? []);
    return inserted.id;
  }

  /** Appends customers to a list (after its last place) and gives each its call-list state. */
  function addMembers(tx: DbOrTx, listId: number, customerIds: readonly number[]): void {
    let position =
      tx
        .select({ p: max(callListMembers.position) })
        .from(callListMembers)
        .where(eq(callListMembers.listId, listId))
        .get()?.p ?? 0;
    const now = clock.now();
    for (const customerId of customerIds) {
      position += 1;
      tx.insert(callListMembers)
        .values({ listId, customerId, position, addedAt: now })
        .onConflictDoNothing()
        .run();
      tx.insert(callListCustomers).values({ customerId }).onConflictDoNothing().run();
    }
  }

  function applyRow(
    tx: DbOrTx,
    format: MotFormat,
    listId: number,
    input: CallListCustomerInput,
    actor: string,
  ): Omit<RowProblem, 'row'> | null {
    const read = readCallListRow(input, format, today());
    if (!read.ok) return read.problem;
    const self = input.customerId ?? null;
    if (self !== null) {
      const current = tx.select().from(customers).where(eq(customers.id, self)).get();
      if (
        current === undefined ||
        current.formatId !== format.formatId ||
        current.deletedAt !== null ||
        current.name !== read.customer.name
      )
        return {
          code: 'customer_mismatch',
          message: '(顧客ID) 顧客IDと会社名が一致する顧客が存在しません。',
          details: { customerId: self },
        };
    }
    // MOT's rule, whatever the CRM setting: one live customer per phone number (A.8.3).
    if (crm.phoneHolders([read.phone], self ?? undefined).length > 0)
      return {
        code: 'phone_taken',
        message: '(電話番号) 既に登録されている電話番号の為登録できません。',
        details: { phone: read.phone },
      };
    const alsoIn = [...new Set(input.listIds ?? [])].filter((id) => id !== listId);
    if (alsoIn.length > 0) {
      const live = tx
        .select({ id: callLists.id })
        .from(callLists)
        .where(and(inArray(callLists.id, alsoIn), isNull(callLists.deletedAt)))
        .all();
      if (live.length !== alsoIn.length)
        return {
          code: 'unknown_list',
          message: '(リストID) リストIDが存在しません。',
          details: { listIds: alsoIn.filter((id) => !live.some((l) => l.id === id)) },
        };
    }
    const assigneeId = input.assigneeId;
    if (
      assigneeId !== undefined &&
      tx.select({ id: agents.id }).from(agents).where(eq(agents.id, assigneeId)).get() === undefined
    )
      return {
        code: 'unknown_agent',
        message: '(ユーザID) ユーザIDが存在しません。',
        details: { assigneeId },
      };
    try {
      const saved =
        self === null
          ? crm.create(read.customer, ALL_FORMATS, actor)
          : crm.update(self, read.customer, ALL_FORMATS, actor);
      addMembers(tx, listId, [saved.id]);
      for (const other of alsoIn) addMembers(tx, other, [saved.id]);
      if (assigneeId !== undefined)
        tx.update(callListCustomers)
          .set({ assigneeId })
          .where(eq(callListCustomers.customerId, saved.id))
          .run();
      return null;
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return {
        code: err.code,
        message: err.message,
        ...(err.details !== undefined && { details: err.details }),
      };
    }
  }

  function writeListFromRows(
    tx: DbOrTx,
    input: CallListInput,
    rows: readonly CallListCustomerInput[],
    actor: string,
  ): RowsOutcome {
    const format = motFormat();
    const listId = insertList(tx, input, actor);
    const errors: RowProblem[] = [];
    for (const [i, r] of rows.entries()) {
      // Each row in its own savepoint: a refused row leaves nothing, the others stay.
      const problem = tx.transaction((rowTx) => applyRow(rowTx, format, listId, r, actor));
      if (problem !== null) errors.push({ row: r.row ?? i + 1, ...problem });
    }
    return {
      list: view(tx, listId),
      total: rows.length,
      applied: rows.length - errors.length,
      errors,
    };
  }

  function history(filter: Parameters<CallListsService['history']>[0]): Page<CallListResultView> {
    const where = and(
      filter.customerId === undefined
        ? undefined
        : eq(callListResults.customerId, filter.customerId),
      filter.listId === undefined ? undefined : eq(callListResults.listId, filter.listId),
      filter.agentId === undefined ? undefined : eq(callListResults.agentId, filter.agentId),
      filter.includeDeleted === true ? undefined : isNull(callListResults.deletedAt),
    );
    const rows = db
      .select()
      .from(callListResults)
      .where(where)
      .orderBy(sql`${callListResults.id} DESC`)
      .limit(filter.limit)
      .offset(filter.offset)
      .all();
    const customersById = customerViewsOf(db, [...new Set(rows.map((r) => r.customerId))]);
    return {
      items: rows.map((r) => {
        const customer = customersById.get(r.customerId);
        return { ...r, company: customer?.company ?? '', phone: customer?.phone ?? '' };
      }),
      total: db.select({ n: count() }).from(callListResults).where(where).get()?.n ?? 0,
    };
  }

  function customerViewsOf(tx: DbOrTx, ids: readonly number[]): Map<number, CallListCustomerView> {
    if (ids.length === 0) return new Map();
    const rows = tx
      .select({ customer: customers, state: callListCustomers })
      .from(customers)
      .innerJoin(callListCustomers, eq(callListCustomers.customerId, customers.id))
      .where(inArray(customers.id, [...ids]))
      .all();
    return new Map(
      callListCustomerViews(
        tx,
        motFormat(),
        rows.map((r) => ({ ...r.customer, state: r.state })),
        false,
      ).map((v) => [v.id, v]),
    );
  }

  return {
    list: ({ limit, offset, name, includeDeleted }) => {
      const where = and(
        name === undefined ? undefined : contains(callLists.name, name),
        includeDeleted === true ? undefined : isNull(callLists.deletedAt),
      );
      const rows = db
        .select()
        .from(callLists)
        .where(where)
        .orderBy(sql`${callLists.id} DESC`)
        .limit(limit)
        .offset(offset)
        .all();
      return {
        items: views(db, rows),
        total: db.select({ n: count() }).from(callLists).where(where).get()?.n ?? 0,
      };
    },
    maxCustomers,
    get: (id) => view(db, id),
    create: (input, actor) => db.transaction((tx) => view(tx, insertList(tx, input, actor))),
    createListFromRows: (input, rows, actor) => {
      if (rows.length > maxCustomers)
        throw unprocessable(
          'too_many_customers',
          `A call list holds at most ${maxCustomers} customers; ${rows.length} were given`,
          { max: maxCustomers, given: rows.length },
        );
      return db.transaction((tx) => writeListFromRows(tx, input, rows, actor));
    },
    writeListFromRows,
    update: (id, patch, actor) =>
      db.transaction((tx) => {
        liveRow(tx, id);
        if (patch.groupIds !== undefined) {
          assertGroupsExist(tx, patch.groupIds);
          setGroups(tx, id, patch.groupIds);
        }
        tx.update(callLists)
          .set({
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.distribute !== undefined && { distribute: patch.distribute }),
            ...updated(actor, clock.now()),
          })
          .where(eq(callLists.id, id))
          .run();
        return view(tx, id);
      }),
    remove: (id, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id);
        if (current.deletedAt === null)
          tx.update(callLists)
            .set({ deletedAt: clock.now(), deletedBy: actor })
            .where(eq(callLists.id, id))
            .run();
        return view(tx, id);
      }),
    restore: (id, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id);
        if (current.deletedAt !== null)
          tx.update(callLists)
            .set({ deletedAt: null, deletedBy: null, ...updated(actor, clock.now()) })
            .where(eq(callLists.id, id))
            .run();
        return view(tx, id);
      }),
    customers: (filter) => searchCallListCustomers(db, motFormat(), filter),
    exportCsv: (filter) => callListCsvLines(db, motFormat(), filter),
    recreate: ({ name, filter, mode }, actor) => {
      const format = motFormat();
      const chosen = mode ?? (readCallListSettings(db).recreateKeepsMembership ? 'add' : 'move');
      return db.transaction((tx) => {
        // Deleted customers are not called: they stay out of the new list.
        const ids = matchingIds(tx, format, { ...filter, includeDeleted: false });
        if (ids.length === 0)
          throw unprocessable('no_customers', 'The search finds no live customer to list');
        if (ids.length > maxCustomers)
          throw unprocessable(
            'too_many_customers',
            `A call list holds at most ${maxCustomers} customers; the search finds ${ids.length}`,
            { max: maxCustomers, given: ids.length },
          );
        const listId = insertList(tx, { name }, actor);
        for (let i = 0; i < ids.length; i += 500) {
          const slice = ids.slice(i, i + 500);
          if (chosen === 'move')
            tx.delete(callListMembers)
              .where(
                and(inArray(callListMembers.customerId, slice), ne(callListMembers.listId, listId)),
              )
              .run();
          // Back to undistributed (配布済 blank); the final status stays.
          tx.update(callListCustomers)
            .set({ claimedAt: null, claimedBy: null, claimedFromList: null, resultPending: false })
            .where(inArray(callListCustomers.customerId, slice))
            .run();
        }
        addMembers(tx, listId, ids);
        return { list: view(tx, listId), customers: ids.length, mode: chosen };
      });
    },
    usableLists: (agentId) => {
      const ids = usableListIds(db, agentId, readCallListSettings(db));
      if (ids.length === 0) return [];
      return views(
        db,
        db
          .select()
          .from(callLists)
          .where(inArray(callLists.id, ids))
          .orderBy(asc(callLists.id))
          .all(),
      );
    },
    claim: (agentId, request) => {
      const settings = readCallListSettings(db);
      const usable = usableListIds(db, agentId, settings);
      if (request.listId !== undefined && !usable.includes(request.listId)) {
        row(db, request.listId);
        throw forbidden(
          'list_not_available',
          `Call list ${request.listId} is not distributed to you`,
        );
      }
      const claimed = claimNext(db, {
        agentId,
        listIds: request.listId === undefined ? usable : [request.listId],
        size: (pending) => claimSize(settings.claimSize, pending, request.count),
        order: settings.claimOrder,
        now: clock.now(),
      });
      const shown = customerViewsOf(
        db,
        claimed.map((c) => c.customerId),
      );
      const names = new Map(
        claimed.length === 0
          ? []
          : db
              .select({ id: callLists.id, name: callLists.name })
              .from(callLists)
              .where(inArray(callLists.id, [...new Set(claimed.map((c) => c.listId))]))
              .all()
              .map((l) => [l.id, l.name]),
      );
      return claimed.flatMap((c, i) => {
        const customer = shown.get(c.customerId);
        return customer === undefined
          ? []
          : [{ number: i + 1, listId: c.listId, listName: names.get(c.listId) ?? '', customer }];
      });
    },
    held: (agentId) => {
      const ids = db
        .select({ id: callListCustomers.customerId })
        .from(callListCustomers)
        .where(
          and(eq(callListCustomers.claimedBy, agentId), eq(callListCustomers.resultPending, true)),
        )
        .orderBy(asc(callListCustomers.claimedAt), asc(callListCustomers.customerId))
        .all()
        .map((r) => r.id);
      const shown = customerViewsOf(db, ids);
      return ids.flatMap((id) => {
        const v = shown.get(id);
        return v === undefined ? [] : [v];
      });
    },
    lastDials: (agentId, held) => {
      deps.flushCallHistory?.();
      return lastDials(db, agentId, held);
    },
    upload: (agentId, records) =>
      uploadResults(db, {
        agentId,
        agentLabel: deps.agentLabel(agentId),
        records,
        settings: readCallListSettings(db),
        now: clock.now(),
      }),
    history,
    initialise: ({ target, hardDelete }, actor) => {
      const now = clock.now();
      return db.transaction((tx) => {
        const listIds = tx
          .select({ id: callLists.id })
          .from(callLists)
          .all()
          .map((l) => l.id);
        const resultCount = tx.select({ n: count() }).from(callListResults).get()?.n ?? 0;
        const customerIds =
          target === 'customers_and_lists'
            ? tx
                .select({ id: callListCustomers.customerId })
                .from(callListCustomers)
                .all()
                .map((c) => c.id)
            : [];
        if (hardDelete) {
          tx.delete(callListResults).run();
          tx.delete(callLists).run();
        } else {
          tx.update(callListResults)
            .set({ deletedAt: now })
            .where(isNull(callListResults.deletedAt))
            .run();
          tx.update(callLists)
            .set({ deletedAt: now, deletedBy: actor })
            .where(isNull(callLists.deletedAt))
            .run();
        }
        // No list is left to retrieve from: nobody holds a customer any more.
        tx.update(callListCustomers)
          .set({ claimedAt: null, claimedBy: null, claimedFromList: null, resultPending: false })
          .run();
        if (target === 'customers_and_lists') {
          if (hardDelete) crm.purge(customerIds);
          else for (const id of customerIds) crm.remove(id, ALL_FORMATS, actor);
        }
        return { lists: listIds.length, customers: customerIds.length, results: resultCount };
      });
    },
  };
}
