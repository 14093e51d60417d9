/**
 * Customers as the API shows them: the row with its `#C` ID, its format's name, its phone list
 * and its tags — read for a whole page at once (one query per part, not per customer).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { businessFormats } from '../formats/schema.js';
import { tags } from '../tags/schema.js';
import { phoneListsOf } from './phones.js';
import { customerTags, type CustomerRow } from './schema.js';

export interface CustomerTag {
  id: number;
  name: string;
  fontColor: string;
  backgroundColor: string;
}

export interface CustomerView extends CustomerRow {
  displayId: string;
  formatName: string;
  phones: string[];
  tags: CustomerTag[];
}

/** `#C<id>`, as the manual shows a customer (and chat references one). */
export const displayIdOf = (id: number) => `#C${id}`;

/** `#C12`, `#c12` or `12` → 12. */
export function parseCustomerId(text: string): number | undefined {
  const m = /^(?:#?[cC])?([1-9][0-9]{0,14})$/.exec(text.trim());
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export function customerViews(db: DbOrTx, rows: readonly CustomerRow[]): CustomerView[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const phones = phoneListsOf(db, ids);
  const formatIds = [...new Set(rows.map((r) => r.formatId))];
  const formatNames = new Map(
    db
      .select({ id: businessFormats.id, name: businessFormats.name })
      .from(businessFormats)
      .where(inArray(businessFormats.id, formatIds))
      .all()
      .map((f) => [f.id, f.name]),
  );
  const tagsOf = new Map<number, CustomerTag[]>(ids.map((id) => [id, []]));
  for (const t of db
    .select({
      customerId: customerTags.customerId,
      id: tags.id,
      name: tags.name,
      fontColor: tags.fontColor,
      backgroundColor: tags.backgroundColor,
    })
    .from(customerTags)
    .innerJoin(tags, eq(tags.id, customerTags.tagId))
    .where(inArray(customerTags.customerId, ids))
    .orderBy(asc(tags.name), asc(tags.id))
    .all()) {
    const { customerId, ...tag } = t;
    tagsOf.get(customerId)?.push(tag);
  }
  return rows.map((r) => ({
    ...r,
    displayId: displayIdOf(r.id),
    formatName: formatNames.get(r.formatId) ?? '',
    phones: phones.get(r.id) ?? [],
    tags: tagsOf.get(r.id) ?? [],
  }));
}
