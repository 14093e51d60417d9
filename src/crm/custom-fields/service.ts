/**
 * Custom fields (カスタムフィールド, §11-9): fields of every customer or every case, searched in
 * the detailed search. Values live with the records (customers.custom, keyed by field id).
 *
 * Decided here, as for format fields: the category never changes (the values are elsewhere);
 * the type does not change while customers hold values of the field, and a list field keeps the
 * options customers have chosen (409 naming how many). Deleting a field deletes its values from
 * the customers (or cases) too: a value of no field could be neither shown nor searched.
 */
import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { contains, countRows } from '../../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import { cases } from '../cases/schema.js';
import { customers } from '../customers/schema.js';
import type { CustomFieldType } from '../formats/field-types.js';
import { customFields, type CustomFieldCategory, type CustomFieldRow } from './schema.js';

export interface CustomFieldInput {
  name: string;
  category: CustomFieldCategory;
  type: CustomFieldType;
  options?: string[] | undefined;
  position?: number | undefined;
}

export type CustomFieldPatch = Partial<Omit<CustomFieldInput, 'category'>>;

export interface CustomFieldFilter extends PageQuery {
  name?: string | undefined;
  category?: CustomFieldCategory | undefined;
}

export interface CustomFieldsService {
  list: (filter: CustomFieldFilter) => Page<CustomFieldRow>;
  /** Every field of a category, in display order. */
  ofCategory: (category: CustomFieldCategory) => CustomFieldRow[];
  get: (id: number) => CustomFieldRow;
  create: (input: CustomFieldInput, actor: string) => CustomFieldRow;
  update: (id: number, patch: CustomFieldPatch, actor: string) => CustomFieldRow;
  remove: (id: number) => void;
}

function optionsFor(type: CustomFieldType, options: string[] | undefined): string[] {
  if (type !== 'list') return [];
  const list = [...new Set((options ?? []).map((o) => o.trim()).filter((o) => o !== ''))];
  if (list.length === 0)
    throw unprocessable('options_required', 'A list field needs at least one option', {
      field: 'options',
    });
  return list;
}

export function createCustomFieldsService(deps: { db: Db; clock: Clock }): CustomFieldsService {
  const { db, clock } = deps;

  function get(id: number): CustomFieldRow {
    const row = db.select().from(customFields).where(eq(customFields.id, id)).get();
    if (row === undefined) throw notFound('Custom field');
    return row;
  }

  function assertNameFree(category: CustomFieldCategory, name: string, except?: number): void {
    const holder = db
      .select({ id: customFields.id })
      .from(customFields)
      .where(and(eq(customFields.category, category), eq(customFields.name, name)))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A ${category} custom field is already named ${name}`);
  }

  /** Records (customers or cases, by the field's category) holding a value of the field. */
  function recordsHolding(field: CustomFieldRow, values?: string[]): number {
    const column = field.category === 'customer' ? customers.custom : cases.custom;
    const path = `$."${field.id}"`;
    const holds: SQL =
      values === undefined
        ? sql`json_extract(${column}, ${path}) IS NOT NULL`
        : sql`json_extract(${column}, ${path}) IN (${sql.join(
            values.map((v) => sql`${v}`),
            sql`, `,
          )})`;
    const table = field.category === 'customer' ? customers : cases;
    return db.select({ n: count() }).from(table).where(holds).get()?.n ?? 0;
  }

  const heldConflict = (field: CustomFieldRow, code: string, held: number, what: string) => {
    const kind = field.category === 'customer' ? 'customer' : 'case';
    return conflict(code, `${held} ${kind}${held === 1 ? '' : 's'} ${what}`, {
      [`${kind}s`]: held,
    });
  };

  return {
    list: ({ limit, offset, name, category }) => {
      const where = and(
        name === undefined ? undefined : contains(customFields.name, name),
        category === undefined ? undefined : eq(customFields.category, category),
      );
      return {
        items: db
          .select()
          .from(customFields)
          .where(where)
          .orderBy(asc(customFields.category), asc(customFields.position), asc(customFields.id))
          .limit(limit)
          .offset(offset)
          .all(),
        total: countRows(db, customFields, where),
      };
    },
    ofCategory: (category) =>
      db
        .select()
        .from(customFields)
        .where(eq(customFields.category, category))
        .orderBy(asc(customFields.position), asc(customFields.id))
        .all(),
    get,
    create: (input, actor) => {
      assertNameFree(input.category, input.name);
      return db
        .insert(customFields)
        .values({
          name: input.name,
          category: input.category,
          type: input.type,
          options: optionsFor(input.type, input.options),
          position: input.position ?? 0,
          ...created(actor, clock.now()),
        })
        .returning()
        .get();
    },
    update: (id, patch, actor) => {
      const current = get(id);
      if (patch.name !== undefined) assertNameFree(current.category, patch.name, id);
      const type = patch.type ?? current.type;
      if (type !== current.type) {
        const held = recordsHolding(current);
        if (held > 0)
          throw heldConflict(current, 'field_in_use', held, 'hold values; the type stays');
      }
      const options =
        patch.options !== undefined || type !== current.type
          ? optionsFor(type, patch.options ?? current.options)
          : current.options;
      const dropped = current.options.filter((o) => !options.includes(o));
      if (type === 'list' && current.type === 'list' && dropped.length > 0) {
        const held = recordsHolding(current, dropped);
        if (held > 0)
          throw heldConflict(current, 'option_in_use', held, `have chosen ${dropped.join(', ')}`);
      }
      return db
        .update(customFields)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.position !== undefined && { position: patch.position }),
          type,
          options,
          ...updated(actor, clock.now()),
        })
        .where(eq(customFields.id, id))
        .returning()
        .get();
    },
    remove: (id) => {
      const field = get(id);
      db.transaction((tx) => {
        if (field.category === 'customer') {
          const path = `$."${id}"`;
          tx.update(customers)
            .set({ custom: sql`json_remove(${customers.custom}, ${path})` })
            .where(sql`json_extract(${customers.custom}, ${path}) IS NOT NULL`)
            .run();
        } else {
          const path = `$."${id}"`;
          tx.update(cases)
            .set({ custom: sql`json_remove(${cases.custom}, ${path})` })
            .where(sql`json_extract(${cases.custom}, ${path}) IS NOT NULL`)
            .run();
        }
        tx.delete(customFields).where(eq(customFields.id, id)).run();
      });
    },
  };
}
