/**
 * Call-target lists (発信先リスト, MiiTel B.2–B.8): create an empty list, add targets from the
 * call-target CSV (contacts upserted by phone), edit the targets in bulk (assignee, 発信対象外
 * and back, remove from the list), delete a list (its contacts stay), read a list's targets with
 * the last call with each, download them, and give autocall a list's dialling order.
 *
 * Who sees what (B.8): a manager (target_lists.update) sees every list and target; anyone else
 * only the lists where they are the assignee of a target, and only their own targets in them.
 */
import { and, asc, count, desc, eq, inArray, max, or, sql, type SQL } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import { callHistory } from '../calls/schema.js';
import { phoneListsOf } from '../crm/customers/phones.js';
import { customerPhones, customers } from '../crm/customers/schema.js';
import type { CustomersService } from '../crm/customers/service.js';
import { displayIdOf } from '../crm/customers/views.js';
import { ALL_FORMATS } from '../crm/customers/visibility.js';
import type { BusinessFormatsService } from '../crm/formats/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { HttpError, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { targetContacts, targetListEntries, targetLists, type TargetListRow } from './schema.js';
import { TARGET_COLUMNS, type TargetRow } from './target-rows.js';

/** The contacts' format: MiiTel's 連絡先, a company name beside the contact's name. */
export const TARGET_FORMAT = {
  name: '発信先リスト (MiiTel)',
  fields: [
    { name: TARGET_COLUMNS.company, type: 'text' as const },
    { name: TARGET_COLUMNS.contact, type: 'text' as const },
  ],
};

/** A viewer of lists: a manager sees all; anyone else their assigned targets (B.8). */
export type TargetViewer = { all: true } | { all: false; agentId: number | null };

export interface TargetListView extends TargetListRow {
  targets: number;
  excluded: number;
  /** The assignees of the list's targets (一つのリストに複数の担当者). */
  assignees: { id: number; name: string }[];
}

export interface LastCall {
  /** 最終通話種別: the call type of the history (inbound, outbound, outbound_unanswered …). */
  type: string;
  /** 最終担当者. */
  agent: { id: number; name: string } | null;
  /** 最終通話日時. */
  at: Date;
}

export interface TargetView {
  customerId: number;
  displayId: string;
  company: string;
  contact: string;
  phone: string;
  categories: string[];
  assignee: { id: number; name: string } | null;
  excluded: boolean;
  position: number;
  lastCall: LastCall | null;
}

export interface TargetFilter extends PageQuery {
  /** hide: 発信対象外を表示 off (the default); show: all; only: the excluded only. */
  excluded: 'hide' | 'show' | 'only';
  category?: string | undefined;
  assigneeId?: number | undefined;
  /** Part of the company, contact or phone. */
  q?: string | undefined;
}

export type BulkAction =
  | { action: 'assign'; assigneeId: number | null }
  | { action: 'exclude' }
  | { action: 'include' }
  | { action: 'remove' };

/** A good row of an upload, with the assignee it names (undefined: keep the contact's). */
export interface TargetWrite {
  row: number;
  target: TargetRow;
  assigneeId: number | null | undefined;
}

export interface TargetsWritten {
  created: number;
  updated: number;
  /** Rows the CRM refused (a phone another business holds), with its message. */
  refused: { row: number; message: string }[];
}

export interface TargetListsDeps {
  db: Db;
  clock: Clock;
  formats: BusinessFormatsService;
  customers: CustomersService;
  maxTargets: number;
}

export function createTargetListsService(deps: TargetListsDeps) {
  const { db, clock, maxTargets } = deps;
  let formatId: number | undefined;
  /** The contacts' format, made on first use (so a center without MiiTel lists has none). */
  const contactFormat = (): number =>
    (formatId ??= deps.formats.ensureBuiltInFormat(
      'miitel_targets',
      TARGET_FORMAT.name,
      TARGET_FORMAT.fields,
    ).id);
  /** A field of the contacts' format, by its name (an administrator may have added others). */
  const fieldOf = (name: string): number => {
    const field = deps.formats.get(contactFormat()).fields.find((f) => f.name === name);
    if (field === undefined)
      throw unprocessable('format_changed', `The format ${TARGET_FORMAT.name} lost its ${name}`);
    return field.id;
  };
  const companyField = () => fieldOf(TARGET_COLUMNS.company);
  const contactField = () => fieldOf(TARGET_COLUMNS.contact);

  function listRow(tx: DbOrTx, id: number, viewer: TargetViewer): TargetListRow {
    const found = tx.select().from(targetLists).where(eq(targetLists.id, id)).get();
    if (found === undefined) throw notFound('Target list');
    if (!viewer.all && !assignedLists(tx, viewer.agentId).includes(id))
      throw notFound('Target list');
    return found;
  }

  function assignedLists(tx: DbOrTx, agentId: number | null): number[] {
    if (agentId === null) return [];
    return tx
      .selectDistinct({ id: targetListEntries.listId })
      .from(targetListEntries)
      .innerJoin(targetContacts, eq(targetContacts.customerId, targetListEntries.customerId))
      .where(eq(targetContacts.assigneeId, agentId))
      .all()
      .map((r) => r.id);
  }

  function listView(tx: DbOrTx, row: TargetListRow): TargetListView {
    const counts = tx
      .select({
        targets: count(),
        excluded: sql<number>`coalesce(sum(${targetListEntries.excluded}), 0)`,
      })
      .from(targetListEntries)
      .where(eq(targetListEntries.listId, row.id))
      .get();
    const assignees = tx
      .selectDistinct({ id: agents.id, name: agents.name })
      .from(targetListEntries)
      .innerJoin(targetContacts, eq(targetContacts.customerId, targetListEntries.customerId))
      .innerJoin(agents, eq(agents.id, targetContacts.assigneeId))
      .where(eq(targetListEntries.listId, row.id))
      .orderBy(asc(agents.id))
      .all();
    return {
      ...row,
      targets: counts?.targets ?? 0,
      excluded: counts?.excluded ?? 0,
      assignees,
    };
  }

  /** The live contact with this phone, if any: the one an upload overwrites. */
  function contactWithPhone(tx: DbOrTx, phone: string): number | undefined {
    return tx
      .select({ id: customers.id })
      .from(customerPhones)
      .innerJoin(customers, eq(customers.id, customerPhones.customerId))
      .where(
        and(
          eq(customerPhones.digits, phone),
          eq(customerPhones.live, true),
          eq(customers.formatId, contactFormat()),
        ),
      )
      .orderBy(asc(customers.id))
      .get()?.id;
  }

  function lastCallOf(tx: DbOrTx, phone: string): LastCall | null {
    const call = tx
      .select({
        type: callHistory.type,
        at: callHistory.startedAt,
        agentId: callHistory.agentId,
        agentName: agents.name,
      })
      .from(callHistory)
      .leftJoin(agents, eq(agents.id, callHistory.agentId))
      .where(or(eq(callHistory.fromNumber, phone), eq(callHistory.toNumber, phone)))
      .orderBy(desc(callHistory.startedAt), desc(callHistory.id))
      .limit(1)
      .get();
    if (call === undefined) return null;
    return {
      type: call.type,
      at: call.at,
      agent:
        call.agentId === null || call.agentName === null
          ? null
          : { id: call.agentId, name: call.agentName },
    };
  }

  function targetWhere(
    listId: number,
    filter: Omit<TargetFilter, keyof PageQuery>,
    viewer: TargetViewer,
  ): SQL | undefined {
    const q = filter.q?.trim();
    return and(
      eq(targetListEntries.listId, listId),
      filter.excluded === 'hide'
        ? eq(targetListEntries.excluded, false)
        : filter.excluded === 'only'
          ? eq(targetListEntries.excluded, true)
          : undefined,
      viewer.all
        ? filter.assigneeId === undefined
          ? undefined
          : eq(targetContacts.assigneeId, filter.assigneeId)
        : viewer.agentId === null
          ? sql`0`
          : eq(targetContacts.assigneeId, viewer.agentId),
      filter.category === undefined
        ? undefined
        : sql`exists (select 1 from json_each(${targetContacts.categories}) where value = ${filter.category})`,
      q === undefined || q === ''
        ? undefined
        : or(
            contains(customers.name, q),
            sql`json_extract(${customers.fields}, ${`$."${companyField()}"`}) like ${`%${q}%`}`,
            sql`json_extract(${customers.fields}, ${`$."${contactField()}"`}) like ${`%${q}%`}`,
            sql`exists (select 1 from customer_phones p where p.customer_id = ${customers.id} and p.digits like ${`%${q.replace(/\D/g, '') || q}%`})`,
          ),
    );
  }

  function targetRows(tx: DbOrTx, where: SQL | undefined, page: PageQuery | null): TargetView[] {
    const base = tx
      .select({
        customerId: customers.id,
        name: customers.name,
        fields: customers.fields,
        position: targetListEntries.position,
        excluded: targetListEntries.excluded,
        categories: targetContacts.categories,
        assigneeId: targetContacts.assigneeId,
        assigneeName: agents.name,
      })
      .from(targetListEntries)
      .innerJoin(customers, eq(customers.id, targetListEntries.customerId))
      .leftJoin(targetContacts, eq(targetContacts.customerId, customers.id))
      .leftJoin(agents, eq(agents.id, targetContacts.assigneeId))
      .where(where)
      .orderBy(asc(targetListEntries.position));
    const rows = page === null ? base.all() : base.limit(page.limit).offset(page.offset).all();
    const company = String(companyField());
    const contact = String(contactField());
    const phones = phoneListsOf(
      tx,
      rows.map((r) => r.customerId),
    );
    return rows.map((r) => {
      const phone = phones.get(r.customerId)?.[0] ?? '';
      const text = (key: string) => {
        const v = r.fields[key];
        return typeof v === 'string' ? v : '';
      };
      return {
        customerId: r.customerId,
        displayId: displayIdOf(r.customerId),
        company: text(company),
        contact: text(contact),
        phone,
        categories: r.categories ?? [],
        assignee:
          r.assigneeId === null || r.assigneeName === null
            ? null
            : { id: r.assigneeId, name: r.assigneeName },
        excluded: r.excluded,
        position: r.position,
        lastCall: page === null || phone === '' ? null : lastCallOf(tx, phone),
      };
    });
  }

  /** Writes one good row: the contact (made or overwritten), its assignee and categories, entry. */
  function applyRow(
    listId: number,
    target: TargetRow,
    assigneeId: number | null | undefined,
    actor: string,
  ): 'created' | 'updated' {
    const existing = contactWithPhone(db, target.phone);
    const input = {
      name: target.contact !== '' ? target.contact : target.company,
      fields: {
        [String(companyField())]: target.company === '' ? null : target.company,
        [String(contactField())]: target.contact === '' ? null : target.contact,
      },
    };
    const customerId =
      existing === undefined
        ? deps.customers.create(
            { ...input, formatId: contactFormat(), phones: [target.phone] },
            ALL_FORMATS,
            actor,
          ).id
        : deps.customers.update(existing, input, ALL_FORMATS, actor).id;
    const contact = db
      .select()
      .from(targetContacts)
      .where(eq(targetContacts.customerId, customerId))
      .get();
    const assignee = assigneeId === undefined ? (contact?.assigneeId ?? null) : assigneeId;
    db.insert(targetContacts)
      .values({ customerId, assigneeId: assignee, categories: target.categories })
      .onConflictDoUpdate({
        target: targetContacts.customerId,
        set: { assigneeId: assignee, categories: target.categories },
      })
      .run();
    const entry = db
      .select({ position: targetListEntries.position })
      .from(targetListEntries)
      .where(
        and(eq(targetListEntries.listId, listId), eq(targetListEntries.customerId, customerId)),
      )
      .get();
    if (entry === undefined) {
      const last = db
        .select({ position: max(targetListEntries.position) })
        .from(targetListEntries)
        .where(eq(targetListEntries.listId, listId))
        .get();
      db.insert(targetListEntries)
        .values({
          listId,
          customerId,
          position: (last?.position ?? 0) + 1,
          excluded: target.excluded ?? false,
          addedAt: clock.now(),
        })
        .run();
    } else if (target.excluded !== undefined)
      db.update(targetListEntries)
        .set({ excluded: target.excluded })
        .where(
          and(eq(targetListEntries.listId, listId), eq(targetListEntries.customerId, customerId)),
        )
        .run();
    return existing === undefined ? 'created' : 'updated';
  }

  function touch(tx: DbOrTx, listId: number, actor: string): void {
    tx.update(targetLists).set(updated(actor, clock.now())).where(eq(targetLists.id, listId)).run();
  }

  function assertAgent(tx: DbOrTx, id: number): void {
    const found = tx.select({ id: agents.id }).from(agents).where(eq(agents.id, id)).get();
    if (found === undefined)
      throw unprocessable('unknown_agent', `No user ${id}`, { assigneeId: id });
  }

  return {
    list: (
      filter: PageQuery & { name?: string | undefined },
      viewer: TargetViewer,
    ): Page<TargetListView> => {
      const where = and(
        filter.name === undefined ? undefined : contains(targetLists.name, filter.name),
        viewer.all ? undefined : inArray(targetLists.id, assignedLists(db, viewer.agentId)),
      );
      return {
        items: db
          .select()
          .from(targetLists)
          .where(where)
          .orderBy(asc(targetLists.id))
          .limit(filter.limit)
          .offset(filter.offset)
          .all()
          .map((r) => listView(db, r)),
        total: countRows(db, targetLists, where),
      };
    },
    get: (id: number, viewer: TargetViewer): TargetListView =>
      listView(db, listRow(db, id, viewer)),
    /** B.2: an empty list, to which targets are added. */
    create: (name: string, actor: string): TargetListView => {
      const row = db
        .insert(targetLists)
        .values({ name, ...created(actor, clock.now()) })
        .returning()
        .get();
      return listView(db, row);
    },
    rename: (id: number, name: string, actor: string): TargetListView => {
      listRow(db, id, { all: true });
      db.update(targetLists)
        .set({ name, ...updated(actor, clock.now()) })
        .where(eq(targetLists.id, id))
        .run();
      return listView(db, listRow(db, id, { all: true }));
    },
    /** B.5: the list and its entries go; the contacts stay in the CRM. */
    remove: (id: number): void => {
      listRow(db, id, { all: true });
      db.delete(targetLists).where(eq(targetLists.id, id)).run();
    },
    targets: (listId: number, filter: TargetFilter, viewer: TargetViewer): Page<TargetView> => {
      listRow(db, listId, viewer);
      const where = targetWhere(listId, filter, viewer);
      const total =
        db
          .select({ n: count() })
          .from(targetListEntries)
          .innerJoin(customers, eq(customers.id, targetListEntries.customerId))
          .leftJoin(targetContacts, eq(targetContacts.customerId, customers.id))
          .where(where)
          .get()?.n ?? 0;
      return { items: targetRows(db, where, filter), total };
    },
    /** Each user's login ID, for the 発信担当者 column of a download. */
    loginIds: (): Map<number, string> =>
      new Map(
        db
          .select({ id: agents.id, loginId: agents.loginId })
          .from(agents)
          .all()
          .map((a) => [a.id, a.loginId]),
      ),
    /** Every target of the list in order, for the download (no last calls). */
    allTargets: (listId: number): TargetView[] => {
      listRow(db, listId, { all: true });
      return targetRows(db, targetWhere(listId, { excluded: 'show' }, { all: true }), null);
    },
    /** Throws 404 unless the list exists: an upload into it is refused before it runs. */
    assertList: (listId: number): void => {
      listRow(db, listId, { all: true });
    },
    /** Throws 422 `unknown_agent` unless the user exists. */
    assertAgent: (agentId: number): void => assertAgent(db, agentId),
    /** Each user's id by login ID in lower case: 発信担当者 is matched regardless of case. */
    agentsByLoginId: (): Map<string, number> =>
      new Map(
        db
          .select({ id: agents.id, loginId: agents.loginId })
          .from(agents)
          .all()
          .map((a) => [a.loginId.toLowerCase(), a.id]),
      ),
    /**
     * B.2 step 5 / B.3: the good rows of a call-target CSV (read by the targets importer) into
     * the list, inside the transaction the caller holds (the import engine's). Over the list's
     * limit: 422 `too_many_targets`, thrown before anything is written.
     */
    writeTargets: (
      tx: DbOrTx,
      listId: number,
      rows: readonly TargetWrite[],
      actor: string,
    ): TargetsWritten => {
      listRow(tx, listId, { all: true });
      const known = new Set(
        tx
          .select({ id: targetListEntries.customerId })
          .from(targetListEntries)
          .where(eq(targetListEntries.listId, listId))
          .all()
          .map((r) => r.id),
      );
      const adding = rows.filter((r) => {
        const contact = contactWithPhone(tx, r.target.phone);
        return contact === undefined || !known.has(contact);
      }).length;
      if (known.size + adding > maxTargets)
        throw unprocessable(
          'too_many_targets',
          `A list holds at most ${maxTargets} targets (${known.size} + ${adding})`,
          { max: maxTargets, present: known.size, adding },
        );
      const written: TargetsWritten = { created: 0, updated: 0, refused: [] };
      for (const { row, target, assigneeId } of rows) {
        try {
          // Its own savepoint: a row the CRM refuses (a phone another business holds) is undone alone.
          const done = tx.transaction(() => applyRow(listId, target, assigneeId, actor));
          written[done] += 1;
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          written.refused.push({ row, message: err.message });
        }
      }
      touch(tx, listId, actor);
      return written;
    },
    /** B.4: the bulk actions on the ticked targets of one list. */
    bulk: (
      listId: number,
      customerIds: number[],
      action: BulkAction,
      actor: string,
    ): { updated: number } => {
      listRow(db, listId, { all: true });
      if (action.action === 'assign' && action.assigneeId !== null)
        assertAgent(db, action.assigneeId);
      const inList = and(
        eq(targetListEntries.listId, listId),
        inArray(targetListEntries.customerId, customerIds),
      );
      return db.transaction((tx) => {
        const ids = tx
          .select({ id: targetListEntries.customerId })
          .from(targetListEntries)
          .where(inList)
          .all()
          .map((r) => r.id);
        const missing = customerIds.filter((id) => !ids.includes(id));
        if (missing.length > 0)
          throw unprocessable('not_in_list', `Not targets of this list: ${missing.join(', ')}`, {
            customerIds: missing,
          });
        switch (action.action) {
          case 'assign':
            tx.update(targetContacts)
              .set({ assigneeId: action.assigneeId })
              .where(inArray(targetContacts.customerId, ids))
              .run();
            break;
          case 'exclude':
          case 'include':
            tx.update(targetListEntries)
              .set({ excluded: action.action === 'exclude' })
              .where(inList)
              .run();
            break;
          case 'remove':
            tx.delete(targetListEntries).where(inList).run();
            break;
        }
        touch(tx, listId, actor);
        return { updated: ids.length };
      });
    },
    /**
     * B.9: the targets autocall dials for an agent, from the top: their own, never the
     * excluded ones.
     */
    dialOrder: (listId: number, agentId: number, viewer: TargetViewer): TargetView[] => {
      listRow(db, listId, viewer);
      return targetRows(
        db,
        targetWhere(listId, { excluded: 'hide' }, { all: false, agentId }),
        null,
      );
    },
  };
}

export type TargetListsService = ReturnType<typeof createTargetListsService>;
