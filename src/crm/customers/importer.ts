/**
 * The customers upload (顧客 CSVアップロード, §10-13): columns mapped to the core fields (ID,
 * 顧客コード, 名称, 電話番号, メール, 備考, タグ by name), the fields of the business format chosen
 * for the upload (業務) and the customer custom fields. Each cell is read by its field's type
 * (readFieldValue, as a save through the API reads it), so leading zeros stay.
 *
 * A row with an ID (#C12) changes that customer; a row with a customer code of a live customer
 * changes that one; any other row adds a customer. So an export uploaded again, or the same file
 * twice, changes nothing (a row equal to its customer is not even written). On a change, the
 * mapped columns replace what they hold (an empty cell clears the value); unmapped ones stay.
 *
 * Unless the upload allows duplicates (電話番号の重複を許可する; the CRM setting by default), a row
 * whose phone is a phone of another live customer — or of an earlier row — is refused, as is a
 * code another live customer holds. Rows are written as a save through the API writes them: the
 * customer row, its phones in the digits index (live), its tags.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { Principal } from '../../platform/http/auth.js';
import { badRequest, unprocessable } from '../../platform/http/errors.js';
import type {
  ApplyOutcome,
  CellProblem,
  ImportField,
  Importer,
  ImportOptions,
  ImportSession,
  MappedRow,
  ReadRow,
  RowReading,
} from '../../imports/importer.js';
import type { CustomFieldsService } from '../custom-fields/service.js';
import type { FieldValue } from '../formats/field-types.js';
import {
  CHECKBOX_SEPARATOR,
  describeProblem,
  readFieldValue,
  type FieldSpec,
} from '../formats/field-values.js';
import { businessFormats } from '../formats/schema.js';
import type { BusinessFormatsService } from '../formats/service.js';
import { tags } from '../tags/schema.js';
import { readCrmSettings } from './settings.js';
import { fieldPhones, type NamedSpec } from './values.js';
import { displayIdOf, parseCustomerId } from './views.js';
import { inScope, scopeOfPrincipal, type FormatScope } from './visibility.js';

/** Options of a customers upload (query parameters of POST /imports). */
export const customerImportOptions = z.object({
  formatId: z.coerce.number().int().positive().optional(),
  tagIds: z
    .string()
    .regex(/^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,99}$/)
    .transform((v) => v.split(',').map(Number))
    .optional(),
  allowDuplicates: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/** One row read: each core field only when a column holds it (undefined: leave as it is). */
export interface CustomerImportValue {
  id: number | undefined;
  code: string | null | undefined;
  name: string | undefined;
  phones: string[] | undefined;
  email: string | undefined;
  remarks: string | undefined;
  /** Mapped format fields: a value, or null to clear. */
  fields: Record<string, FieldValue | null>;
  custom: Record<string, string | null>;
  tagIds: number[] | undefined;
  /** The column of each field key, for the problems found while writing. */
  columns: Record<string, number>;
}

/** A customers row as the write reads it (JSON columns as text). */
interface StoredCustomer {
  id: number;
  formatId: number;
  code: string | null;
  name: string;
  email: string;
  remarks: string;
  fields: string;
  custom: string;
  deletedAt: number | null;
}

type Current = Omit<StoredCustomer, 'fields' | 'custom'> & {
  fields: Record<string, FieldValue>;
  custom: Record<string, string>;
};

const SELECT_CUSTOMER =
  'SELECT id, format_id AS formatId, code, name, email, remarks, fields, custom, ' +
  'deleted_at AS deletedAt FROM customers';

interface Context {
  formatId: number;
  specs: NamedSpec[];
  customSpecs: NamedSpec[];
  tagIdsByName: Map<string, number>;
  addTagIds: number[];
  allowDuplicates: boolean;
  scope: FormatScope;
  actor: string;
}

const MAX_CODE = 64;
const MAX_NAME = 200;
const MAX_REMARKS = 10_000;

const CORE_FIELDS: ImportField[] = [
  { key: 'id', label: 'ID', aliases: ['顧客ID', 'customer id', '#C'], identifies: true },
  {
    key: 'code',
    label: '顧客コード',
    aliases: ['コード', 'customer code', 'code'],
    identifies: true,
  },
  {
    key: 'name',
    label: '名称',
    aliases: ['名前', '氏名', '顧客名', '会社名', 'name'],
    identifies: true,
  },
  {
    key: 'phones',
    label: '電話番号',
    aliases: ['電話', 'TEL', 'phone', 'phones'],
    repeatable: true,
  },
  { key: 'email', label: 'メール', aliases: ['メールアドレス', 'email', 'e-mail', 'mail'] },
  { key: 'remarks', label: '備考', aliases: ['メモ', 'remarks', 'note'] },
  { key: 'tags', label: 'タグ', aliases: ['tags'], repeatable: true },
];

const sameJson = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const sameSet = (a: readonly (string | number)[], b: readonly (string | number)[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

export interface CustomersImporterDeps {
  db: Db;
  clock: Clock;
  formats: BusinessFormatsService;
  customFields: CustomFieldsService;
}

export function createCustomersImporter(deps: CustomersImporterDeps): Importer {
  const { db, clock, formats, customFields } = deps;

  function begin(raw: ImportOptions, principal: Principal): ImportSession<CustomerImportValue> {
    const parsed = customerImportOptions.safeParse(raw);
    if (!parsed.success)
      throw badRequest('invalid_options', 'Bad upload options', z.treeifyError(parsed.error));
    const options = parsed.data;
    const scope = scopeOfPrincipal(db, principal);
    const formatId = options.formatId ?? formats.defaultId();
    const known =
      db
        .select({ id: businessFormats.id })
        .from(businessFormats)
        .where(eq(businessFormats.id, formatId))
        .get() !== undefined;
    if (!known || !inScope(scope, formatId))
      throw unprocessable('unknown_format', `No business format ${formatId}`, { formatId });
    const allTags = db.select({ id: tags.id, name: tags.name }).from(tags).all();
    const addTagIds = [...new Set(options.tagIds ?? [])];
    const unknownTags = addTagIds.filter((id) => !allTags.some((t) => t.id === id));
    if (unknownTags.length > 0)
      throw unprocessable('unknown_tags', `No tags ${unknownTags.join(', ')}`, {
        tagIds: unknownTags,
      });
    const context: Context = {
      formatId,
      specs: formats.get(formatId).fields,
      customSpecs: customFields.ofCategory('customer').map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        required: false,
        options: c.options,
      })),
      tagIdsByName: new Map(allTags.map((t) => [t.name, t.id])),
      addTagIds,
      allowDuplicates: options.allowDuplicates ?? readCrmSettings(db).allowDuplicatePhones,
      scope,
      actor: principal.actor,
    };
    return session(context);
  }

  function session(context: Context): ImportSession<CustomerImportValue> {
    const fields: ImportField[] = [
      ...CORE_FIELDS,
      ...context.specs.map((s) => ({ key: `field.${s.id}`, label: s.name })),
      ...context.customSpecs.map((s) => ({ key: `custom.${s.id}`, label: s.name })),
    ];
    return {
      fields: () => fields,
      readRow: (row) => readRow(row, context),
      apply: (rows, tx) => apply(rows, tx, context),
    };
  }

  function readRow(row: MappedRow, context: Context): RowReading<CustomerImportValue> {
    const problems: CellProblem[] = [];
    const columns: Record<string, number> = {};
    const single = (key: string) => {
      const cell = row.get(key)?.[0];
      if (cell !== undefined) columns[key] = cell.column;
      return cell;
    };
    const typed = (spec: FieldSpec, cell: { column: number; text: string }) => {
      const reading = readFieldValue({ ...spec, required: false }, cell.text);
      if (reading.ok) return reading;
      problems.push({ column: cell.column, message: describeProblem(reading.problem, 'ja') });
      return undefined;
    };
    const text = (key: string, max: number) => {
      const cell = single(key);
      if (cell === undefined) return undefined;
      if (cell.text.length > max) {
        problems.push({ column: cell.column, message: describeProblem('too_long', 'ja') });
        return undefined;
      }
      return cell.text;
    };

    let id: number | undefined;
    const idCell = single('id');
    if (idCell !== undefined && idCell.text !== '') {
      id = parseCustomerId(idCell.text);
      if (id === undefined)
        problems.push({ column: idCell.column, message: 'IDではありません (#C<番号>)' });
    }
    const code = text('code', MAX_CODE);
    const name = text('name', MAX_NAME);
    const nameCell = row.get('name')?.[0];
    if (name === '' && nameCell !== undefined)
      problems.push({ column: nameCell.column, message: describeProblem('required', 'ja') });
    let phones: string[] | undefined;
    const phoneCells = row.get('phones');
    if (phoneCells !== undefined) {
      phones = [];
      columns.phones = phoneCells[0]?.column ?? 0;
      for (const cell of phoneCells)
        for (const part of cell.text.split(CHECKBOX_SEPARATOR)) {
          const reading = typed(
            { type: 'phone', required: false, options: [] },
            {
              column: cell.column,
              text: part,
            },
          );
          if (typeof reading?.value === 'string' && !phones.includes(reading.value))
            phones.push(reading.value);
        }
    }
    let email: string | undefined;
    const emailCell = single('email');
    if (emailCell !== undefined) {
      const reading = typed({ type: 'email', required: false, options: [] }, emailCell);
      if (reading !== undefined) email = typeof reading.value === 'string' ? reading.value : '';
    }
    const remarks = text('remarks', MAX_REMARKS);
    let tagIds: number[] | undefined;
    const tagCells = row.get('tags');
    if (tagCells !== undefined) {
      tagIds = [];
      for (const cell of tagCells)
        for (const tagName of cell.text.split(CHECKBOX_SEPARATOR).map((t) => t.trim())) {
          if (tagName === '') continue;
          const tagId = context.tagIdsByName.get(tagName);
          if (tagId === undefined)
            problems.push({ column: cell.column, message: `タグ「${tagName}」はありません` });
          else if (!tagIds.includes(tagId)) tagIds.push(tagId);
        }
    }
    const values = (specs: readonly NamedSpec[], prefix: 'field' | 'custom') => {
      const out: Record<string, FieldValue | null> = {};
      for (const spec of specs) {
        const cell = single(`${prefix}.${spec.id}`);
        if (cell === undefined) continue;
        const reading = typed(spec, cell);
        if (reading !== undefined) out[String(spec.id)] = reading.value;
      }
      return out;
    };
    const fieldValues = values(context.specs, 'field');
    const customValues = values(context.customSpecs, 'custom');
    if (problems.length > 0) return { problems };
    return {
      value: {
        id,
        code: code === undefined ? undefined : code === '' ? null : code,
        name,
        phones,
        email,
        remarks,
        fields: fieldValues,
        custom: Object.fromEntries(
          Object.entries(customValues).map(([k, v]) => [k, typeof v === 'string' ? v : null]),
        ),
        tagIds,
        columns,
      },
    };
  }

  /**
   * The statements of a write, prepared once per upload on the connection the transaction runs
   * on (Drizzle would build and prepare each statement again for every row: 40 times slower).
   */
  function statements() {
    const sqlite = db.$client;
    return {
      byId: sqlite.prepare<[number], StoredCustomer>(`${SELECT_CUSTOMER} WHERE id = ?`),
      liveByCode: sqlite.prepare<[string], StoredCustomer>(
        `${SELECT_CUSTOMER} WHERE code = ? AND deleted_at IS NULL LIMIT 1`,
      ),
      tagsOf: sqlite.prepare<[number], { tagId: number }>(
        'SELECT tag_id AS tagId FROM customer_tags WHERE customer_id = ?',
      ),
      phonesOf: sqlite.prepare<[number], { digits: string; fieldId: number | null }>(
        'SELECT digits, field_id AS fieldId FROM customer_phones WHERE customer_id = ? ORDER BY position',
      ),
      holder: sqlite.prepare<[string, number], { customerId: number }>(
        'SELECT customer_id AS customerId FROM customer_phones ' +
          'WHERE digits = ? AND live = 1 AND customer_id != ? ORDER BY customer_id LIMIT 1',
      ),
      insert: sqlite.prepare(
        'INSERT INTO customers (format_id, code, name, email, remarks, fields, custom, ' +
          'created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      update: sqlite.prepare(
        'UPDATE customers SET code = ?, name = ?, email = ?, remarks = ?, fields = ?, custom = ?, ' +
          'updated_at = ?, updated_by = ? WHERE id = ?',
      ),
      deletePhones: sqlite.prepare('DELETE FROM customer_phones WHERE customer_id = ?'),
      insertPhone: sqlite.prepare(
        'INSERT INTO customer_phones (customer_id, position, field_id, digits, live) VALUES (?, ?, ?, ?, 1)',
      ),
      deleteTags: sqlite.prepare('DELETE FROM customer_tags WHERE customer_id = ?'),
      insertTag: sqlite.prepare('INSERT INTO customer_tags (customer_id, tag_id) VALUES (?, ?)'),
    };
  }

  function apply(
    rows: readonly ReadRow<CustomerImportValue>[],
    // The statements run on the connection of this transaction (one connection: better-sqlite3).
    _tx: DbOrTx,
    context: Context,
  ): ApplyOutcome {
    const outcome: ApplyOutcome = { inserted: 0, updated: 0, unchanged: 0, refused: [] };
    const now = clock.now().getTime();
    const q = statements();
    const read = (row: StoredCustomer | undefined): Current | undefined =>
      row === undefined
        ? undefined
        : {
            ...row,
            fields: JSON.parse(row.fields) as Record<string, FieldValue>,
            custom: JSON.parse(row.custom) as Record<string, string>,
          };

    for (const { row, value: v } of rows) {
      const refuse = (key: string | null, message: string) =>
        outcome.refused.push({
          row,
          problems: [{ column: key === null ? null : (v.columns[key] ?? null), message }],
        });
      let current: Current | undefined;
      if (v.id !== undefined) {
        current = read(q.byId.get(v.id));
        if (current === undefined || !inScope(context.scope, current.formatId)) {
          refuse('id', `顧客 ${displayIdOf(v.id)} はありません`);
          continue;
        }
        if (current.deletedAt !== null) {
          refuse('id', `顧客 ${displayIdOf(v.id)} は削除されています`);
          continue;
        }
      } else if (typeof v.code === 'string') current = read(q.liveByCode.get(v.code));
      if (current !== undefined && current.formatId !== context.formatId) {
        refuse(
          v.id !== undefined ? 'id' : 'code',
          `${displayIdOf(current.id)} は別の業務の顧客です`,
        );
        continue;
      }

      const name = v.name ?? current?.name;
      if (name === undefined || name === '') {
        refuse('name', '名称は必須項目です');
        continue;
      }
      const fields: Record<string, FieldValue> = { ...(current?.fields ?? {}) };
      for (const [key, value] of Object.entries(v.fields))
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a cell that clears it
        if (value === null) delete fields[key];
        else fields[key] = value;
      const missing = context.specs.filter((s) => s.required && fields[String(s.id)] === undefined);
      if (missing.length > 0) {
        for (const s of missing) refuse(`field.${s.id}`, `${s.name}は必須項目です`);
        continue;
      }
      const custom: Record<string, string> = { ...(current?.custom ?? {}) };
      for (const [key, value] of Object.entries(v.custom))
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a cell that clears it
        if (value === null) delete custom[key];
        else custom[key] = value;
      const code = v.code !== undefined ? v.code : (current?.code ?? null);
      const self = current?.id ?? null;
      if (code !== null && (current === undefined || current.code !== code)) {
        const holder = q.liveByCode.get(code);
        if (holder !== undefined && holder.id !== self) {
          refuse('code', `顧客コード ${code} は ${displayIdOf(holder.id)} の顧客コードです`);
          continue;
        }
      }
      const indexed = current === undefined ? [] : q.phonesOf.all(current.id);
      const currentPhones = indexed.filter((p) => p.fieldId === null).map((p) => p.digits);
      const phones = v.phones ?? currentPhones;
      const phonesOfFields = fieldPhones(context.specs, fields);
      if (!context.allowDuplicates) {
        // Only the numbers new to the customer: a duplicate it already had is not the file's.
        const held = new Set(indexed.map((p) => p.digits));
        const taken = [...new Set([...phones, ...phonesOfFields.map((f) => f.digits)])]
          .filter((d) => !held.has(d))
          .flatMap((digits) => {
            const h = q.holder.get(digits, self ?? -1);
            return h === undefined ? [] : [{ digits, customerId: h.customerId }];
          });
        if (taken.length > 0) {
          refuse(
            v.phones !== undefined ? 'phones' : null,
            taken
              .map((h) => `電話番号 ${h.digits} は ${displayIdOf(h.customerId)} の電話番号です`)
              .join('、'),
          );
          continue;
        }
      }
      const currentTags = current === undefined ? [] : q.tagsOf.all(current.id).map((t) => t.tagId);
      const tagIds = [...new Set([...(v.tagIds ?? currentTags), ...context.addTagIds])];
      const email = v.email ?? current?.email ?? '';
      const remarks = v.remarks ?? current?.remarks ?? '';

      let id: number;
      if (current === undefined) {
        id = Number(
          q.insert.run(
            context.formatId,
            code,
            name,
            email,
            remarks,
            JSON.stringify(fields),
            JSON.stringify(custom),
            now,
            context.actor,
            now,
            context.actor,
          ).lastInsertRowid,
        );
        outcome.inserted += 1;
      } else {
        const same =
          code === current.code &&
          name === current.name &&
          email === current.email &&
          remarks === current.remarks &&
          sameJson(fields, current.fields) &&
          sameJson(custom, current.custom) &&
          phones.join(',') === currentPhones.join(',') &&
          sameSet(tagIds, currentTags);
        if (same) {
          outcome.unchanged += 1;
          continue;
        }
        id = current.id;
        q.update.run(
          code,
          name,
          email,
          remarks,
          JSON.stringify(fields),
          JSON.stringify(custom),
          now,
          context.actor,
          id,
        );
        outcome.updated += 1;
        q.deletePhones.run(id);
        q.deleteTags.run(id);
      }
      // The digits index as indexPhones (phones.ts) writes it: the list at 0…, field phones after.
      [
        ...phones.map((digits) => ({ fieldId: null, digits })),
        ...phonesOfFields.map(({ fieldId, digits }) => ({ fieldId, digits })),
      ].forEach((p, position) => q.insertPhone.run(id, position, p.fieldId, p.digits));
      for (const tagId of tagIds) q.insertTag.run(id, tagId);
    }
    return outcome;
  }

  return { kind: 'customers', permission: 'customers.update', begin };
}
