/**
 * Business formats (業務フォーマット, §11-8): the field set of a kind of customer — what the
 * customer detail shows on its left and right, and what a CSV upload can map columns to.
 *
 * Every customer has the core fields (customer code, name, phones, e-mail, remarks, tags); a
 * format adds its own fields on top. The agents a format lists are the ones allowed to see its
 * customers (CRM権限, §11-1: the same relation, seen from the agent).
 */
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { agents } from '../../accounts/schema.js';
import { auditColumns } from '../../platform/db/columns.js';
import { FORMAT_FIELD_TYPES } from './field-types.js';

/** Formats the server itself relies on; the administrator may rename them but not delete them. */
export const BUILT_IN_FORMATS = ['default', 'mot_call_list', 'miitel_targets'] as const;
export type BuiltInFormat = (typeof BUILT_IN_FORMATS)[number];

export const businessFormats = sqliteTable('business_formats', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** 業務名称. */
  name: text('name').notNull().unique(),
  /** デフォルト (default), the MOT call-list layout, the MiiTel target layout; null = the administrator's. */
  builtIn: text('built_in', { enum: BUILT_IN_FORMATS }).unique(),
  ...auditColumns(),
});

export const businessFormatFields = sqliteTable(
  'business_format_fields',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    formatId: integer('format_id')
      .notNull()
      .references(() => businessFormats.id, { onDelete: 'cascade' }),
    /** The order of the フィールド設定 table, from 0. */
    position: integer('position').notNull(),
    /** 名称. */
    name: text('name').notNull(),
    /** 属性. */
    type: text('type', { enum: FORMAT_FIELD_TYPES }).notNull(),
    /** 必須. */
    required: integer('required', { mode: 'boolean' }).notNull().default(false),
    /** 表示位置: the column of the customer detail. */
    side: text('side', { enum: ['left', 'right'] })
      .notNull()
      .default('left'),
    /** 選択項目 of list, radio and checkbox fields, in order, as a JSON array. */
    options: text('options', { mode: 'json' }).$type<string[]>().notNull(),
    /**
     * A postal-code field's auto-fill (自動入力): ON fills the mapped fields of the format from
     * the postal-code registry when a code is entered.
     */
    postalAutofill: integer('postal_autofill', { mode: 'boolean' }).notNull().default(false),
    /** 自動入力都道府県 / 市町村 / 番地等 / その他の住所欄: fields of the same format. */
    postalPrefectureFieldId: integer('postal_prefecture_field_id').references(
      (): AnySQLiteColumn => businessFormatFields.id,
      { onDelete: 'set null' },
    ),
    postalCityFieldId: integer('postal_city_field_id').references(
      (): AnySQLiteColumn => businessFormatFields.id,
      { onDelete: 'set null' },
    ),
    postalStreetFieldId: integer('postal_street_field_id').references(
      (): AnySQLiteColumn => businessFormatFields.id,
      { onDelete: 'set null' },
    ),
    postalOtherFieldId: integer('postal_other_field_id').references(
      (): AnySQLiteColumn => businessFormatFields.id,
      { onDelete: 'set null' },
    ),
  },
  (t) => [
    uniqueIndex('business_format_fields_name_unique').on(t.formatId, t.name),
    index('business_format_fields_format_idx').on(t.formatId, t.position),
  ],
);

/** The member checklist of a format: the agents who may see its customers (CRM権限). */
export const businessFormatAgents = sqliteTable(
  'business_format_agents',
  {
    formatId: integer('format_id')
      .notNull()
      .references(() => businessFormats.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.formatId, t.agentId] }),
    index('business_format_agents_agent_idx').on(t.agentId),
  ],
);

export type BusinessFormatRow = typeof businessFormats.$inferSelect;
export type BusinessFormatFieldRow = typeof businessFormatFields.$inferSelect;
