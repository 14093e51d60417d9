/**
 * Customers (顧客, §8-1): shown as `#C<id>`. Every customer has the core fields (customer code,
 * name, phones, e-mail, remarks, tags); its business format adds fields (stored by field id in
 * `fields`), and the customer custom fields add more (by custom-field id in `custom`).
 *
 * Every phone of a customer — the phone list and the values of its phone-type format fields —
 * is in customer_phones as plain digits, so the caller lookup of a ringing call is an index seek,
 * never a scan. A deleted customer is kept (soft delete) for the call lists that still name it,
 * and its phones leave the index of live customers.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { auditColumns, instant } from '../../platform/db/columns.js';
import type { FieldValue } from '../formats/field-types.js';
import { businessFormatFields, businessFormats } from '../formats/schema.js';
import { tags } from '../tags/schema.js';

export const customers = sqliteTable(
  'customers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 業務: the business format. */
    formatId: integer('format_id')
      .notNull()
      .references(() => businessFormats.id, { onDelete: 'restrict' }),
    /** 顧客コード: the operator's own key, unique among live customers when given. */
    code: text('code'),
    /** 名称 (for a call-list customer: 会社名). */
    name: text('name').notNull(),
    /** メール. */
    email: text('email').notNull().default(''),
    /** 備考. */
    remarks: text('remarks').notNull().default(''),
    /** The format's field values, keyed by business_format_fields.id. */
    fields: text('fields', { mode: 'json' }).$type<Record<string, FieldValue>>().notNull(),
    /** The customer custom fields' values, keyed by custom_fields.id. */
    custom: text('custom', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    /** Soft delete: set when the customer was deleted, null while live. */
    deletedAt: instant('deleted_at'),
    deletedBy: text('deleted_by'),
    ...auditColumns(),
  },
  (t) => [
    index('customers_code_idx')
      .on(t.code)
      .where(sql`${t.deletedAt} IS NULL`),
    index('customers_format_idx').on(t.formatId, t.id),
    index('customers_updated_idx').on(t.updatedAt),
  ],
);

export const customerPhones = sqliteTable(
  'customer_phones',
  {
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** 0, 1 … in the customer's phone list; for a phone-type format field, its place after them. */
    position: integer('position').notNull(),
    /** null: the customer's 電話番号 list; else the phone-type format field it came from. */
    fieldId: integer('field_id').references(() => businessFormatFields.id, {
      onDelete: 'cascade',
    }),
    /** The number as digits only (hyphens, spaces and brackets removed), leading zeros kept. */
    digits: text('digits').notNull(),
    /** Mirrors customers.deleted_at IS NULL, so the caller lookup needs no join to skip them. */
    live: integer('live', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.position] }),
    index('customer_phones_digits_idx').on(t.digits, t.live),
  ],
);

export const customerTags = sqliteTable(
  'customer_tags',
  {
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.tagId] }),
    index('customer_tags_tag_idx').on(t.tagId),
  ],
);

/** CRM settings (one row): the duplicate-phone check of customer saves and uploads. */
export const crmSettings = sqliteTable('crm_settings', {
  id: integer('id').primaryKey(),
  /** Whether two live customers may share a phone number (電話番号の重複を許可する). */
  allowDuplicatePhones: integer('allow_duplicate_phones', { mode: 'boolean' })
    .notNull()
    .default(false),
  ...auditColumns(),
});

export type CustomerRow = typeof customers.$inferSelect;
