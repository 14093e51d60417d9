/**
 * Business formats (業務フォーマット, §11-8): a name, the fields its customers have (type,
 * required, side, options, the postal-code auto-fill), and the agents who may see its customers
 * (CRM権限, §11-1).
 *
 * Rules the manual leaves open, decided here:
 * - The built-in デフォルト format always exists (ensureBuiltIns); no built-in is deleted.
 * - A format with customers (deleted ones included: they are kept for the call lists that name
 *   them) is not deleted: 409 naming how many.
 * - A field's type does not change while customers hold a value for it, and a choice field does
 *   not lose an option a customer has chosen: 409 naming how many. The values would otherwise
 *   stop reading as their field says, silently. Making a field required is allowed: it applies
 *   from the next save of each customer.
 * - Deleting a field deletes its values from the customers (and its phones from the index).
 */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { agents } from '../../accounts/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { contains, countRows } from '../../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import { customers } from '../customers/schema.js';
import { CHOICE_TYPES, type FormatFieldType } from './field-types.js';
import { readFieldValue } from './field-values.js';
import { fillOf, type PostalLookup } from './postal-fill.js';
import {
  businessFormatAgents,
  businessFormatFields,
  businessFormats,
  type BuiltInFormat,
  type BusinessFormatFieldRow,
  type BusinessFormatRow,
} from './schema.js';

export interface FormatFieldInput {
  name: string;
  type: FormatFieldType;
  required?: boolean | undefined;
  side?: 'left' | 'right' | undefined;
  options?: string[] | undefined;
}

export interface FormatFieldPatch extends Partial<FormatFieldInput> {
  /** The new place in the field table, from 0 (past the end: last). */
  position?: number | undefined;
  postalAutofill?: boolean | undefined;
  postalPrefectureFieldId?: number | null | undefined;
  postalCityFieldId?: number | null | undefined;
  postalStreetFieldId?: number | null | undefined;
  postalOtherFieldId?: number | null | undefined;
}

export interface FormatInput {
  name: string;
  fields?: FormatFieldInput[] | undefined;
  agentIds?: number[] | undefined;
}

export interface FormatView extends BusinessFormatRow {
  fields: BusinessFormatFieldRow[];
  agentIds: number[];
}

export interface FormatFilter extends PageQuery {
  name?: string | undefined;
}

export interface PostalFill {
  postalCode: string;
  matches: {
    address: { prefecture: string; city: string; street: string };
    fields: Record<string, string>;
  }[];
}

export interface BusinessFormatsService {
  /** Creates the built-in デフォルト format when it is missing. */
  ensureBuiltIns: () => void;
  list: (filter: FormatFilter) => Page<FormatView>;
  get: (id: number) => FormatView;
  /** The built-in デフォルト format's id. */
  defaultId: () => number;
  /**
   * The id of another built-in format (the MOT call-list or MiiTel target layout), created with
   * `fields` when missing; a field of `fields` the administrator removed is added back at the end.
   */
  ensureBuiltInFormat: (
    builtIn: Exclude<BuiltInFormat, 'default'>,
    name: string,
    fields: readonly FormatFieldInput[],
  ) => FormatView;
  create: (input: FormatInput, actor: string) => FormatView;
  rename: (id: number, name: string, actor: string) => FormatView;
  remove: (id: number) => void;
  addField: (formatId: number, input: FormatFieldInput, actor: string) => FormatView;
  updateField: (
    formatId: number,
    fieldId: number,
    patch: FormatFieldPatch,
    actor: string,
  ) => FormatView;
  removeField: (formatId: number, fieldId: number, actor: string) => FormatView;
  /** Replaces the member agents (CRM権限) as a whole. */
  setAgents: (formatId: number, agentIds: number[], actor: string) => FormatView;
  /** What a postal code fills in, per registry address (several for some codes). */
  postalFill: (formatId: number, fieldId: number, code: string) => PostalFill;
}

export interface BusinessFormatsDeps {
  db: Db;
  clock: Clock;
  postal: PostalLookup;
}

const DEFAULT_NAME = 'デフォルト';

/** Options of a choice field: trimmed, each once, at least one. */
function optionsFor(type: FormatFieldType, options: string[] | undefined): string[] {
  if (!CHOICE_TYPES.includes(type)) return [];
  const list = [...new Set((options ?? []).map((o) => o.trim()).filter((o) => o !== ''))];
  if (list.length === 0)
    throw unprocessable('options_required', `A ${type} field needs at least one option`, {
      field: 'options',
    });
  return list;
}

export function createBusinessFormatsService(deps: BusinessFormatsDeps): BusinessFormatsService {
  const { db, clock, postal } = deps;

  function row(id: number): BusinessFormatRow {
    const found = db.select().from(businessFormats).where(eq(businessFormats.id, id)).get();
    if (found === undefined) throw notFound('Business format');
    return found;
  }

  function fieldsOf(tx: DbOrTx, formatId: number): BusinessFormatFieldRow[] {
    return tx
      .select()
      .from(businessFormatFields)
      .where(eq(businessFormatFields.formatId, formatId))
      .orderBy(asc(businessFormatFields.position), asc(businessFormatFields.id))
      .all();
  }

  function view(format: BusinessFormatRow): FormatView {
    return {
      ...format,
      fields: fieldsOf(db, format.id),
      agentIds: db
        .select({ id: businessFormatAgents.agentId })
        .from(businessFormatAgents)
        .where(eq(businessFormatAgents.formatId, format.id))
        .orderBy(asc(businessFormatAgents.agentId))
        .all()
        .map((a) => a.id),
    };
  }

  const get = (id: number) => view(row(id));

  function assertNameFree(name: string, except?: number): void {
    const holder = db
      .select({ id: businessFormats.id })
      .from(businessFormats)
      .where(eq(businessFormats.name, name))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A business format is already named ${name}`);
  }

  function assertFieldNamesFree(names: string[], formatId: number | null, except?: number): void {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw conflict('name_taken', `Two fields are named ${name}`);
      seen.add(name);
    }
    if (formatId === null) return;
    for (const field of fieldsOf(db, formatId))
      if (field.id !== except && seen.has(field.name))
        throw conflict('name_taken', `The format already has a field named ${field.name}`);
  }

  function assertAgentsExist(agentIds: number[]): void {
    const unique = [...new Set(agentIds)];
    if (unique.length === 0) return;
    const known = new Set(
      db
        .select({ id: agents.id })
        .from(agents)
        .where(inArray(agents.id, unique))
        .all()
        .map((a) => a.id),
    );
    const unknown = unique.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw unprocessable('unknown_agents', `No agents ${unknown.join(', ')}`, {
        agentIds: unknown,
      });
  }

  function touch(tx: DbOrTx, formatId: number, actor: string): void {
    tx.update(businessFormats)
      .set(updated(actor, clock.now()))
      .where(eq(businessFormats.id, formatId))
      .run();
  }

  function insertFields(tx: DbOrTx, formatId: number, inputs: FormatFieldInput[], from: number) {
    for (const [i, input] of inputs.entries())
      tx.insert(businessFormatFields)
        .values({
          formatId,
          position: from + i,
          name: input.name,
          type: input.type,
          required: input.required ?? false,
          side: input.side ?? 'left',
          options: optionsFor(input.type, input.options),
        })
        .run();
  }

  function field(formatId: number, fieldId: number): BusinessFormatFieldRow {
    const found = db
      .select()
      .from(businessFormatFields)
      .where(and(eq(businessFormatFields.id, fieldId), eq(businessFormatFields.formatId, formatId)))
      .get();
    if (found === undefined) throw notFound('Field');
    return found;
  }

  /** The format's customers (deleted ones too) whose value of the field matches `where`. */
  function customersHolding(formatId: number, fieldId: number, values?: string[]): number {
    const path = `$."${fieldId}"`;
    const holds: SQL =
      values === undefined
        ? sql`json_extract(${customers.fields}, ${path}) IS NOT NULL`
        : sql`EXISTS (SELECT 1 FROM json_each(${customers.fields}, ${path}) AS v WHERE v.value IN (${sql.join(
            values.map((v) => sql`${v}`),
            sql`, `,
          )}))`;
    return (
      db
        .select({ n: count() })
        .from(customers)
        .where(and(eq(customers.formatId, formatId), holds))
        .get()?.n ?? 0
    );
  }

  /** A postal mapping's target: another text field of the same format. */
  function assertMappingTarget(formatId: number, self: number, target: number | null | undefined) {
    if (target === null || target === undefined) return;
    const found = db
      .select()
      .from(businessFormatFields)
      .where(and(eq(businessFormatFields.id, target), eq(businessFormatFields.formatId, formatId)))
      .get();
    if (found === undefined || found.id === self || !['text', 'long_text'].includes(found.type))
      throw unprocessable(
        'invalid_postal_mapping',
        `Field ${target} is not another text field of this format`,
        { fieldId: target },
      );
  }

  return {
    ensureBuiltIns: () => {
      const present = db
        .select({ id: businessFormats.id })
        .from(businessFormats)
        .where(eq(businessFormats.builtIn, 'default'))
        .get();
      if (present !== undefined) return;
      const named = db
        .select({ id: businessFormats.id })
        .from(businessFormats)
        .where(eq(businessFormats.name, DEFAULT_NAME))
        .get();
      if (named !== undefined)
        db.update(businessFormats)
          .set({ builtIn: 'default' })
          .where(eq(businessFormats.id, named.id))
          .run();
      else
        db.insert(businessFormats)
          .values({ name: DEFAULT_NAME, builtIn: 'default', ...created('system', clock.now()) })
          .run();
    },
    list: ({ limit, offset, name }) => {
      const where = name === undefined ? undefined : contains(businessFormats.name, name);
      return {
        items: db
          .select()
          .from(businessFormats)
          .where(where)
          .orderBy(asc(businessFormats.id))
          .limit(limit)
          .offset(offset)
          .all()
          .map(view),
        total: countRows(db, businessFormats, where),
      };
    },
    get,
    ensureBuiltInFormat: (builtIn, name, fields) => {
      const id = db.transaction((tx) => {
        const present = tx
          .select({ id: businessFormats.id })
          .from(businessFormats)
          .where(eq(businessFormats.builtIn, builtIn))
          .get();
        if (present !== undefined) {
          const have = new Set(fieldsOf(tx, present.id).map((f) => f.name));
          const missing = fields.filter((f) => !have.has(f.name));
          if (missing.length > 0) insertFields(tx, present.id, missing, have.size);
          return present.id;
        }
        // An administrator's format may already have the name: the built-in takes a suffix.
        const taken = tx
          .select({ id: businessFormats.id })
          .from(businessFormats)
          .where(eq(businessFormats.name, name))
          .get();
        const format = tx
          .insert(businessFormats)
          .values({
            name: taken === undefined ? name : `${name} (${builtIn})`,
            builtIn,
            ...created('system', clock.now()),
          })
          .returning({ id: businessFormats.id })
          .get();
        insertFields(tx, format.id, [...fields], 0);
        return format.id;
      });
      return get(id);
    },
    defaultId: () => {
      const found = db
        .select({ id: businessFormats.id })
        .from(businessFormats)
        .where(eq(businessFormats.builtIn, 'default'))
        .get();
      if (found === undefined) throw notFound('Default business format');
      return found.id;
    },
    create: (input, actor) => {
      assertNameFree(input.name);
      const fields = input.fields ?? [];
      assertFieldNamesFree(
        fields.map((f) => f.name),
        null,
      );
      fields.forEach((f) => optionsFor(f.type, f.options));
      assertAgentsExist(input.agentIds ?? []);
      const id = db.transaction((tx) => {
        const format = tx
          .insert(businessFormats)
          .values({ name: input.name, ...created(actor, clock.now()) })
          .returning()
          .get();
        insertFields(tx, format.id, fields, 0);
        for (const agentId of new Set(input.agentIds ?? []))
          tx.insert(businessFormatAgents).values({ formatId: format.id, agentId }).run();
        return format.id;
      });
      return get(id);
    },
    rename: (id, name, actor) => {
      row(id);
      assertNameFree(name, id);
      db.update(businessFormats)
        .set({ name, ...updated(actor, clock.now()) })
        .where(eq(businessFormats.id, id))
        .run();
      return get(id);
    },
    remove: (id) => {
      const format = row(id);
      if (format.builtIn !== null)
        throw conflict('built_in_format', `${format.name} is built in and cannot be deleted`);
      const held = countRows(db, customers, eq(customers.formatId, id));
      if (held > 0)
        throw conflict(
          'business_format_in_use',
          `${format.name} has ${held} customer${held === 1 ? '' : 's'}`,
          { customers: held },
        );
      db.delete(businessFormats).where(eq(businessFormats.id, id)).run();
    },
    addField: (formatId, input, actor) => {
      row(formatId);
      assertFieldNamesFree([input.name], formatId);
      optionsFor(input.type, input.options);
      db.transaction((tx) => {
        insertFields(tx, formatId, [input], fieldsOf(tx, formatId).length);
        touch(tx, formatId, actor);
      });
      return get(formatId);
    },
    updateField: (formatId, fieldId, patch, actor) => {
      row(formatId);
      const current = field(formatId, fieldId);
      if (patch.name !== undefined) assertFieldNamesFree([patch.name], formatId, fieldId);
      const type = patch.type ?? current.type;
      if (type !== current.type) {
        const held = customersHolding(formatId, fieldId);
        if (held > 0)
          throw conflict(
            'field_in_use',
            `${held} customer${held === 1 ? ' holds a value' : 's hold values'} of ${current.name}; its type cannot change`,
            { customers: held },
          );
      }
      const options =
        patch.options !== undefined || type !== current.type
          ? optionsFor(type, patch.options ?? current.options)
          : current.options;
      const dropped = current.options.filter((o) => !options.includes(o));
      if (CHOICE_TYPES.includes(current.type) && type === current.type && dropped.length > 0) {
        const held = customersHolding(formatId, fieldId, dropped);
        if (held > 0)
          throw conflict(
            'option_in_use',
            `${held} customer${held === 1 ? ' has' : 's have'} chosen ${dropped.join(', ')}`,
            { customers: held, options: dropped },
          );
      }
      const postal = type === 'postal_code';
      const mapping = {
        postalPrefectureFieldId: patch.postalPrefectureFieldId,
        postalCityFieldId: patch.postalCityFieldId,
        postalStreetFieldId: patch.postalStreetFieldId,
        postalOtherFieldId: patch.postalOtherFieldId,
      };
      const mappingGiven =
        patch.postalAutofill !== undefined || Object.values(mapping).some((v) => v !== undefined);
      if (!postal && mappingGiven)
        throw unprocessable(
          'not_a_postal_code_field',
          'Only a postal-code field has the auto-fill settings',
        );
      for (const target of Object.values(mapping)) assertMappingTarget(formatId, fieldId, target);
      db.transaction((tx) => {
        if (patch.position !== undefined) {
          const others = fieldsOf(tx, formatId).filter((f) => f.id !== fieldId);
          const at = Math.min(patch.position, others.length);
          others.splice(at, 0, current);
          for (const [i, f] of others.entries())
            tx.update(businessFormatFields)
              .set({ position: i })
              .where(eq(businessFormatFields.id, f.id))
              .run();
        }
        tx.update(businessFormatFields)
          .set({
            ...(patch.name !== undefined && { name: patch.name }),
            type,
            options,
            ...(patch.required !== undefined && { required: patch.required }),
            ...(patch.side !== undefined && { side: patch.side }),
            ...(postal
              ? {
                  ...(patch.postalAutofill !== undefined && {
                    postalAutofill: patch.postalAutofill,
                  }),
                  ...Object.fromEntries(Object.entries(mapping).filter(([, v]) => v !== undefined)),
                }
              : {
                  postalAutofill: false,
                  postalPrefectureFieldId: null,
                  postalCityFieldId: null,
                  postalStreetFieldId: null,
                  postalOtherFieldId: null,
                }),
          })
          .where(eq(businessFormatFields.id, fieldId))
          .run();
        touch(tx, formatId, actor);
      });
      return get(formatId);
    },
    removeField: (formatId, fieldId, actor) => {
      row(formatId);
      field(formatId, fieldId);
      db.transaction((tx) => {
        // Its phones leave the index by the foreign key's cascade; its values go here.
        tx.update(customers)
          .set({ fields: sql`json_remove(${customers.fields}, ${`$."${fieldId}"`})` })
          .where(eq(customers.formatId, formatId))
          .run();
        tx.delete(businessFormatFields).where(eq(businessFormatFields.id, fieldId)).run();
        fieldsOf(tx, formatId).forEach((f, i) =>
          tx
            .update(businessFormatFields)
            .set({ position: i })
            .where(eq(businessFormatFields.id, f.id))
            .run(),
        );
        touch(tx, formatId, actor);
      });
      return get(formatId);
    },
    setAgents: (formatId, agentIds, actor) => {
      row(formatId);
      assertAgentsExist(agentIds);
      db.transaction((tx) => {
        tx.delete(businessFormatAgents).where(eq(businessFormatAgents.formatId, formatId)).run();
        for (const agentId of new Set(agentIds))
          tx.insert(businessFormatAgents).values({ formatId, agentId }).run();
        touch(tx, formatId, actor);
      });
      return get(formatId);
    },
    postalFill: (formatId, fieldId, code) => {
      row(formatId);
      const source = field(formatId, fieldId);
      if (source.type !== 'postal_code')
        throw unprocessable('not_a_postal_code_field', `${source.name} is not a postal-code field`);
      const reading = readFieldValue({ type: 'postal_code', required: true, options: [] }, code);
      if (!reading.ok || typeof reading.value !== 'string')
        throw unprocessable('not_a_postal_code', 'The code is not a postal code (7 digits)');
      const postalCode = reading.value;
      if (!source.postalAutofill) return { postalCode, matches: [] };
      const mapping = {
        prefectureFieldId: source.postalPrefectureFieldId,
        cityFieldId: source.postalCityFieldId,
        streetFieldId: source.postalStreetFieldId,
        otherFieldId: source.postalOtherFieldId,
      };
      return {
        postalCode,
        matches: postal.find(postalCode).map((address) => ({
          address: { prefecture: address.prefecture, city: address.city, street: address.street },
          fields: fillOf(mapping, address),
        })),
      };
    },
  };
}
