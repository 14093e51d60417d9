/**
 * Customers (顧客, §8-1): create, read, change, soft delete and restore, bulk edit, within the
 * formats the caller may see (visibility.ts).
 *
 * Every save reads the whole customer as it will be — the format's fields by their types and
 * required flags, the custom fields, the phones as digits, the e-mail — and refuses it with every
 * problem at once (422 `invalid_values`, one entry per field). Then, unless the CRM settings
 * allow it, no phone of it may be a phone of another live customer (409 `phone_taken` naming the
 * holder), and a customer code is one live customer's (409 `code_taken`). The write (row, phone
 * index, tags) is one transaction: a refused save changes nothing.
 */
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { conflict, HttpError, notFound, unprocessable } from '../../platform/http/errors.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import type { CustomFieldsService } from '../custom-fields/service.js';
import type { FieldValue } from '../formats/field-types.js';
import { readFieldValue } from '../formats/field-values.js';
import { businessFormats } from '../formats/schema.js';
import type { BusinessFormatsService } from '../formats/service.js';
import { tags } from '../tags/schema.js';
import { indexPhones, phoneHolders, phoneListsOf, setPhonesLive } from './phones.js';
import { customers, customerTags, type CustomerRow } from './schema.js';
import { searchCustomers, type CustomerFilter } from './search.js';
import { readCrmSettings } from './settings.js';
import {
  fieldPhones,
  mergeValues,
  problemAt,
  readPhones,
  type NamedSpec,
  type RawValue,
  type ValueProblem,
} from './values.js';
import { customerViews, displayIdOf, type CustomerView } from './views.js';
import { inScope, type FormatScope } from './visibility.js';

export interface CustomerInput {
  formatId?: number | undefined;
  code?: string | null | undefined;
  name: string;
  phones?: string[] | undefined;
  email?: string | undefined;
  remarks?: string | undefined;
  /** Format field values by field id; null removes one. */
  fields?: Record<string, RawValue> | undefined;
  /** Custom field values by custom-field id; null removes one. */
  custom?: Record<string, string | null> | undefined;
  tagIds?: number[] | undefined;
}

export type CustomerPatch = Partial<CustomerInput>;

export interface BulkEdit {
  formatFields?: Record<string, RawValue> | undefined;
  custom?: Record<string, string | null> | undefined;
  remarks?: string | undefined;
  addTags?: number[] | undefined;
  removeTags?: number[] | undefined;
}

/** One customer a bulk edit could not change, and why. */
export interface BulkEditError {
  id: number;
  displayId: string;
  code: string;
  message: string;
  details?: unknown;
}

export interface CustomersService {
  list: (filter: CustomerFilter & PageQuery, scope: FormatScope) => Page<CustomerView>;
  get: (id: number, scope: FormatScope) => CustomerView;
  create: (input: CustomerInput, scope: FormatScope, actor: string) => CustomerView;
  update: (id: number, patch: CustomerPatch, scope: FormatScope, actor: string) => CustomerView;
  /** Soft delete: kept (for the lists that name it), hidden, its phones out of the live index. */
  remove: (id: number, scope: FormatScope, actor: string) => CustomerView;
  restore: (id: number, scope: FormatScope, actor: string) => CustomerView;
  /**
   * Live customers other than `except` holding any of the numbers (digits): for rules stricter
   * than the CRM setting, such as the call lists' phone uniqueness (A.8.3).
   */
  phoneHolders: (
    digits: readonly string[],
    except?: number,
  ) => { digits: string; customerId: number }[];
  /** Hard delete (データ初期化 物理削除): the rows with their phones and tags; how many went. */
  purge: (ids: readonly number[]) => number;
  /** Every customer changed, or none (422 `bulk_edit_refused` listing each refusal). */
  bulkEdit: (
    ids: number[],
    set: BulkEdit,
    scope: FormatScope,
    actor: string,
  ) => { updated: number };
}

export interface CustomersDeps {
  db: Db;
  clock: Clock;
  formats: BusinessFormatsService;
  customFields: CustomFieldsService;
}

interface Prepared {
  formatId: number;
  code: string | null;
  name: string;
  email: string;
  remarks: string;
  fields: Record<string, FieldValue>;
  custom: Record<string, string>;
  phones: string[];
  fieldPhones: { fieldId: number; digits: string }[];
  tagIds: number[] | undefined;
}

const stringsOnly = (values: Record<string, FieldValue>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );

export function createCustomersService(deps: CustomersDeps): CustomersService {
  const { db, clock, formats, customFields } = deps;

  function row(tx: DbOrTx, id: number, scope: FormatScope): CustomerRow {
    const found = tx.select().from(customers).where(eq(customers.id, id)).get();
    if (found === undefined || !inScope(scope, found.formatId)) throw notFound('Customer');
    return found;
  }

  function view(tx: DbOrTx, id: number): CustomerView {
    const found = tx.select().from(customers).where(eq(customers.id, id)).get();
    if (found === undefined) throw notFound('Customer');
    const [shown] = customerViews(tx, [found]);
    if (shown === undefined) throw notFound('Customer');
    return shown;
  }

  function formatSpecs(tx: DbOrTx, formatId: number, scope: FormatScope): NamedSpec[] {
    const exists = tx
      .select({ id: businessFormats.id })
      .from(businessFormats)
      .where(eq(businessFormats.id, formatId))
      .get();
    if (exists === undefined || !inScope(scope, formatId))
      throw unprocessable('unknown_format', `No business format ${formatId}`, { formatId });
    return formats.get(formatId).fields;
  }

  function assertTagsExist(tx: DbOrTx, ids: readonly number[]): void {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const known = new Set(
      tx
        .select({ id: tags.id })
        .from(tags)
        .where(inArray(tags.id, unique))
        .all()
        .map((t) => t.id),
    );
    const unknown = unique.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw unprocessable('unknown_tags', `No tags ${unknown.join(', ')}`, { tagIds: unknown });
  }

  function tagIdsOf(tx: DbOrTx, customerId: number): number[] {
    return tx
      .select({ id: customerTags.tagId })
      .from(customerTags)
      .where(eq(customerTags.customerId, customerId))
      .all()
      .map((t) => t.id);
  }

  /** The customer as it will be after `input` over `current`, or every problem with it. */
  function prepare(
    tx: DbOrTx,
    current: CustomerRow | null,
    input: CustomerPatch,
    scope: FormatScope,
  ): Prepared {
    const formatId = input.formatId ?? current?.formatId ?? formats.defaultId();
    const specs = formatSpecs(tx, formatId, scope);
    const sameFormat = current !== null && current.formatId === formatId;
    const fields = mergeValues(
      specs,
      sameFormat ? current.fields : {},
      input.fields ?? {},
      'fields',
    );
    const customSpecs = customFields
      .ofCategory('customer')
      .map((c) => ({ id: c.id, name: c.name, type: c.type, required: false, options: c.options }));
    const custom = mergeValues(customSpecs, current?.custom ?? {}, input.custom ?? {}, 'custom');
    const phones =
      input.phones !== undefined
        ? readPhones(input.phones)
        : {
            phones: current === null ? [] : (phoneListsOf(tx, [current.id]).get(current.id) ?? []),
            problems: [],
          };
    const problems: ValueProblem[] = [...phones.problems, ...fields.problems, ...custom.problems];
    let email = current?.email ?? '';
    if (input.email !== undefined) {
      const reading = readFieldValue({ type: 'email', required: false, options: [] }, input.email);
      if (!reading.ok) problems.push(problemAt('email', reading.problem));
      else email = typeof reading.value === 'string' ? reading.value : '';
    }
    if (problems.length > 0)
      throw unprocessable('invalid_values', problems.map((p) => p.message).join('; '), problems);
    if (input.tagIds !== undefined) assertTagsExist(tx, input.tagIds);
    const code =
      input.code !== undefined
        ? input.code === null || input.code === ''
          ? null
          : input.code
        : (current?.code ?? null);
    return {
      formatId,
      code,
      name: input.name ?? current?.name ?? '',
      email,
      remarks: input.remarks ?? current?.remarks ?? '',
      fields: fields.values,
      custom: stringsOnly(custom.values),
      phones: phones.phones,
      fieldPhones: fieldPhones(specs, fields.values),
      tagIds: input.tagIds === undefined ? undefined : [...new Set(input.tagIds)],
    };
  }

  /** Another live customer's code or phones: 409. */
  function assertUnique(tx: DbOrTx, self: number | null, p: Prepared): void {
    if (p.code !== null) {
      const holder = tx
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(
            eq(customers.code, p.code),
            isNull(customers.deletedAt),
            self === null ? undefined : ne(customers.id, self),
          ),
        )
        .get();
      if (holder !== undefined)
        throw conflict('code_taken', `${displayIdOf(holder.id)} has the customer code ${p.code}`, {
          customerId: holder.id,
          displayId: displayIdOf(holder.id),
        });
    }
    if (readCrmSettings(tx).allowDuplicatePhones) return;
    const holders = phoneHolders(tx, [...p.phones, ...p.fieldPhones.map((f) => f.digits)], self);
    if (holders.length > 0)
      throw conflict(
        'phone_taken',
        holders.map((h) => `${h.digits} is a phone of ${displayIdOf(h.customerId)}`).join('; '),
        holders.map((h) => ({
          phone: h.digits,
          customerId: h.customerId,
          displayId: displayIdOf(h.customerId),
        })),
      );
  }

  function write(tx: DbOrTx, id: number, p: Prepared, live: boolean): void {
    indexPhones(tx, id, p.phones, p.fieldPhones, live);
    if (p.tagIds !== undefined) {
      tx.delete(customerTags).where(eq(customerTags.customerId, id)).run();
      if (p.tagIds.length > 0)
        tx.insert(customerTags)
          .values(p.tagIds.map((tagId) => ({ customerId: id, tagId })))
          .run();
    }
  }

  const rowValues = (p: Prepared) => ({
    formatId: p.formatId,
    code: p.code,
    name: p.name,
    email: p.email,
    remarks: p.remarks,
    fields: p.fields,
    custom: p.custom,
  });

  function change(
    tx: DbOrTx,
    current: CustomerRow,
    patch: CustomerPatch,
    scope: FormatScope,
    actor: string,
  ) {
    const p = prepare(tx, current, patch, scope);
    const live = current.deletedAt === null;
    if (live) assertUnique(tx, current.id, p);
    tx.update(customers)
      .set({ ...rowValues(p), ...updated(actor, clock.now()) })
      .where(eq(customers.id, current.id))
      .run();
    write(tx, current.id, p, live);
  }

  return {
    list: (filter, scope) => {
      const page = searchCustomers(db, filter, scope);
      return { items: customerViews(db, page.items), total: page.total };
    },
    get: (id, scope) => {
      row(db, id, scope);
      return view(db, id);
    },
    create: (input, scope, actor) =>
      db.transaction((tx) => {
        const p = prepare(tx, null, input, scope);
        assertUnique(tx, null, p);
        const inserted = tx
          .insert(customers)
          .values({ ...rowValues(p), ...created(actor, clock.now()) })
          .returning({ id: customers.id })
          .get();
        write(tx, inserted.id, { ...p, tagIds: p.tagIds ?? [] }, true);
        return view(tx, inserted.id);
      }),
    update: (id, patch, scope, actor) =>
      db.transaction((tx) => {
        change(tx, row(tx, id, scope), patch, scope, actor);
        return view(tx, id);
      }),
    remove: (id, scope, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id, scope);
        if (current.deletedAt !== null) return view(tx, id);
        tx.update(customers)
          .set({ deletedAt: clock.now(), deletedBy: actor })
          .where(eq(customers.id, id))
          .run();
        setPhonesLive(tx, id, false);
        return view(tx, id);
      }),
    restore: (id, scope, actor) =>
      db.transaction((tx) => {
        const current = row(tx, id, scope);
        if (current.deletedAt === null) return view(tx, id);
        // Back among the live customers: the code and the phones must be free again.
        assertUnique(tx, id, prepare(tx, current, {}, { all: true }));
        tx.update(customers)
          .set({ deletedAt: null, deletedBy: null, ...updated(actor, clock.now()) })
          .where(eq(customers.id, id))
          .run();
        setPhonesLive(tx, id, true);
        return view(tx, id);
      }),
    phoneHolders: (digits, except) => phoneHolders(db, digits, except ?? null),
    purge: (ids) =>
      db.transaction((tx) => {
        let gone = 0;
        // In slices: SQLite caps the parameters of one statement.
        for (let i = 0; i < ids.length; i += 500)
          gone += tx
            .delete(customers)
            .where(inArray(customers.id, ids.slice(i, i + 500)))
            .run().changes;
        return gone;
      }),
    bulkEdit: (ids, set, scope, actor) =>
      db.transaction((tx) => {
        const unique = [...new Set(ids)];
        if (set.addTags !== undefined) assertTagsExist(tx, set.addTags);
        if (set.removeTags !== undefined) assertTagsExist(tx, set.removeTags);
        const errors: BulkEditError[] = [];
        for (const id of unique) {
          try {
            const current = row(tx, id, scope);
            if (current.deletedAt !== null)
              throw conflict('customer_deleted', `${displayIdOf(id)} is deleted`);
            const tagsChange = set.addTags !== undefined || set.removeTags !== undefined;
            const tagIds = tagsChange
              ? [...tagIdsOf(tx, id), ...(set.addTags ?? [])].filter(
                  (t) => !(set.removeTags ?? []).includes(t),
                )
              : undefined;
            // Each customer is written before the next is read, so two of the batch given the
            // same phone are caught like any other duplicate.
            change(
              tx,
              current,
              {
                ...(set.formatFields !== undefined && { fields: set.formatFields }),
                ...(set.custom !== undefined && { custom: set.custom }),
                ...(set.remarks !== undefined && { remarks: set.remarks }),
                ...(tagIds !== undefined && { tagIds }),
              },
              scope,
              actor,
            );
          } catch (err) {
            if (!(err instanceof HttpError)) throw err;
            errors.push({
              id,
              displayId: displayIdOf(id),
              code: err.code,
              message: err.message,
              ...(err.details !== undefined && { details: err.details }),
            });
          }
        }
        // Thrown inside the transaction: every change above is rolled back.
        if (errors.length > 0)
          throw unprocessable(
            'bulk_edit_refused',
            `${errors.length} of ${unique.length} customers cannot be changed so; none was`,
            errors,
          );
        return { updated: unique.length };
      }),
  };
}
