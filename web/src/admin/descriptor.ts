/**
 * An administration resource described once (§11): where it lives in the API, its list columns
 * and search fields, its form, and the permissions that show its screens. The list, search,
 * detail, create and bulk-delete screens (admin/ResourceList, admin/ResourceDetail) and their
 * menu entries are made from this; adding a resource is writing one descriptor.
 */
import type { ComponentType } from 'preact';
import type { PathOf } from '../api/client';
import type { Words } from '../i18n';
import type { EnumName, Say } from './words';

export type Row = Record<string, unknown>;

/**
 * Where a select's choices come from: a fixed list, an enumeration (labelled in the interface's
 * language by admin/words.ts), or another resource's items.
 */
export type Choices =
  | { kind: 'fixed'; options: readonly { value: string; label: string }[] }
  | { kind: 'enum'; name: EnumName; values: readonly string[] }
  | { kind: 'resource'; path: PathOf<'get'>; value: string; label: (row: Row) => string };

export type Field =
  | { type: 'text' | 'textarea' | 'color' | 'secret'; name: string; label: keyof Words }
  | { type: 'number'; name: string; label: keyof Words; min?: number; max?: number }
  | { type: 'checkbox'; name: string; label: keyof Words }
  | {
      type: 'select';
      name: string;
      label: keyof Words;
      choices: Choices;
      /** A blank choice meaning null (none). */
      nullable?: boolean;
      /** Numbers in the API (ids). */
      numeric?: boolean;
    }
  | { type: 'multi'; name: string; label: keyof Words; choices: Choices; numeric?: boolean }
  /** A list of short strings, one per line (addresses, numbers). */
  | { type: 'lines'; name: string; label: keyof Words }
  /** A group's members (§11-2): agents checked, each with a skill level. */
  | { type: 'members'; name: string; label: keyof Words }
  /** Where a call goes (§11: 着信先): an agent, an extension, an external transfer or a group. */
  | { type: 'route'; name: string; label: keyof Words }
  /** A role's permissions (§11-13): the server's matrix of areas × actions, one checkbox each. */
  | { type: 'permissions'; name: string; label: keyof Words }
  /** Shown, never sent: a state the server reports (a trunk's registration). */
  | { type: 'output'; name: string; label: keyof Words; enum?: EnumName };

export interface Column {
  name: string;
  label: keyof Words;
  /** The value's label from an enumeration (admin/words.ts). */
  enum?: EnumName;
  value?: (row: Row, say: Say) => string;
}

/** What a detail section is given: the item, and a count of its saves (to read it again). */
export interface SectionProps {
  id: number;
  row: Row;
  revision: number;
}

/** More of a detail screen below the form (a group's members, an agent's history). */
export interface Section {
  title: keyof Words;
  view: ComponentType<SectionProps>;
  /** Needed to see the section, beyond the resource's view permission. */
  permission?: string;
}

export interface ResourceDescriptor {
  /** In the address: #/admin/<key>, #/admin/<key>/<id>, #/admin/<key>/new. */
  key: string;
  /** The list's address when not `/admin/<key>` (a CRM tab's resource: `/crm/<key>`). */
  base?: string;
  title: keyof Words;
  list: PathOf<'get'>;
  /** The item's path (`…/{id}`): PATCH changes it, DELETE removes it. */
  item: PathOf<'patch'>;
  /** Whether GET answers on the item's path; otherwise the detail is read from the list. */
  readable: boolean;
  create?: PathOf<'post'>;
  /** One request for many ids; otherwise DELETE per item. */
  bulkDelete?: PathOf<'post'>;
  /** Whether the list answers `limit`/`offset` (and `total`). */
  paged: boolean;
  columns: Column[];
  search?: Field[];
  fields: Field[];
  /** Fields that are set on creation only (a SIP user, a login ID). */
  createOnly?: string[];
  /** Fields the create form needs, beyond those of the edit form. */
  createFields?: Field[];
  permissions: { view: string; update: string; delete?: string };
  /** More of the detail screen, below the form (a group's members). */
  sections?: Section[];
  /** The item as the form edits it, when the API answers it otherwise (tag refs → tagIds). */
  fromApi?: (row: Row) => Row;
  /** What an item does not allow (a built-in role): fields shown read-only, and no delete. */
  frozen?: (row: Row) => { fields: readonly string[]; deletable: boolean; note?: keyof Words };
  /** A CSV upload on the list (§10-12: アップロード), answering an import report. */
  csvImport?: { path: PathOf<'post'>; permission: string };
}

/** The address of a resource's list; its items are under it. */
export const baseOf = (r: ResourceDescriptor): string => r.base ?? `/admin/${r.key}`;

export const label = (row: Row, ...names: string[]) =>
  names
    .map((n) => row[n])
    .filter((v) => v !== null && v !== undefined && v !== '')
    .map(textOf)
    .join(' ');

/** A field's value as text: nothing for null, JSON for a structure. */
export function textOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
