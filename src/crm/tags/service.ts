/**
 * Tags (タグ, §10-10): a name with a font and a background colour, searched by 題名 (the name)
 * and by 詳細 (a free word over the name and the details). A tag's name is unique (409
 * `name_taken`). Deleting a tag takes it off every record that carries it: each kind's join
 * table (customer_tags, faq_tags, …) references tags with ON DELETE CASCADE, so one DELETE does it
 * for every kind, present and future.
 */
import { and, asc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { contains, countRows } from '../../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../../platform/http/errors.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import { tags, type TagRow } from './schema.js';

export type TagView = TagRow;

export interface TagInput {
  name: string;
  details?: string | undefined;
  fontColor?: string | undefined;
  backgroundColor?: string | undefined;
}

export interface TagFilter extends PageQuery {
  /** 題名: part of the name. */
  name?: string | undefined;
  /** 詳細 (free word): part of the name or of the details. */
  q?: string | undefined;
}

export interface TagsService {
  list: (filter: TagFilter) => Page<TagView>;
  get: (id: number) => TagView;
  /** The tags of these ids, in the order given (unknown ids left out). */
  byIds: (ids: readonly number[]) => TagView[];
  create: (input: TagInput, actor: string) => TagView;
  update: (id: number, patch: Partial<TagInput>, actor: string) => TagView;
  /** Deletes the tag and takes it off every customer, case and FAQ entry. */
  remove: (id: number) => void;
}

export interface TagsDeps {
  db: DbOrTx;
  clock: Clock;
}

/**
 * Refuses (422 `unknown_tags`, naming them in `details.unknownIds`) a list of tag ids of which
 * some do not exist: what every tagged kind checks before it stores its tags.
 */
export function assertTagsExist(db: DbOrTx, ids: readonly number[]): void {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return;
  const found = new Set(
    db
      .select({ id: tags.id })
      .from(tags)
      .where(inArray(tags.id, wanted))
      .all()
      .map((r) => r.id),
  );
  const unknownIds = wanted.filter((id) => !found.has(id));
  if (unknownIds.length > 0)
    throw unprocessable('unknown_tags', `No tag has the id ${unknownIds.join(', ')}`, {
      unknownIds,
    });
}

export function createTagsService(deps: TagsDeps): TagsService {
  const { db, clock } = deps;

  function get(id: number): TagView {
    const row = db.select().from(tags).where(eq(tags.id, id)).get();
    if (row === undefined) throw notFound('Tag');
    return row;
  }

  function assertNameFree(name: string, except?: number): void {
    const holder = db.select({ id: tags.id }).from(tags).where(eq(tags.name, name)).get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A tag is already named ${name}`);
  }

  return {
    list: ({ limit, offset, name, q }) => {
      const conditions: SQL[] = [];
      if (name !== undefined) conditions.push(contains(tags.name, name));
      if (q !== undefined) {
        const either = or(contains(tags.name, q), contains(tags.details, q));
        if (either !== undefined) conditions.push(either);
      }
      const where = conditions.length === 0 ? undefined : and(...conditions);
      return {
        items: db
          .select()
          .from(tags)
          .where(where)
          .orderBy(asc(tags.name), asc(tags.id))
          .limit(limit)
          .offset(offset)
          .all(),
        total: countRows(db, tags, where),
      };
    },
    get,
    byIds: (ids) => {
      if (ids.length === 0) return [];
      const rows = new Map(
        db
          .select()
          .from(tags)
          .where(inArray(tags.id, [...new Set(ids)]))
          .all()
          .map((r) => [r.id, r]),
      );
      return ids.flatMap((id) => rows.get(id) ?? []);
    },
    create: (input, actor) => {
      assertNameFree(input.name);
      return db
        .insert(tags)
        .values({
          name: input.name,
          ...(input.details !== undefined && { details: input.details }),
          ...(input.fontColor !== undefined && { fontColor: input.fontColor }),
          ...(input.backgroundColor !== undefined && { backgroundColor: input.backgroundColor }),
          ...created(actor, clock.now()),
        })
        .returning()
        .get();
    },
    update: (id, patch, actor) => {
      get(id);
      if (patch.name !== undefined) assertNameFree(patch.name, id);
      return db
        .update(tags)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.details !== undefined && { details: patch.details }),
          ...(patch.fontColor !== undefined && { fontColor: patch.fontColor }),
          ...(patch.backgroundColor !== undefined && { backgroundColor: patch.backgroundColor }),
          ...updated(actor, clock.now()),
        })
        .where(eq(tags.id, id))
        .returning()
        .get();
    },
    remove: (id) => {
      get(id);
      db.delete(tags).where(eq(tags.id, id)).run();
    },
  };
}
