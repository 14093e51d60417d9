/**
 * FAQ entries (§8-3): title, tags, details; search by 題名 (title) and by 詳細 (a free word over
 * title and details) through the trigram full-text index (search.ts), by tag, paged, newest
 * entry first (the order the index reads fastest). A FAQ's tags are replaced as a whole when given; an unknown tag id is refused
 * (422 `unknown_tags`) and nothing is stored.
 */
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { contains, countRows } from '../../platform/db/query.js';
import { notFound } from '../../platform/http/errors.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import { tags, type TagRow } from '../tags/schema.js';
import { assertTagsExist } from '../tags/service.js';
import { faqSearch } from './fts-table.js';
import { faqs, faqTags, type FaqRow } from './schema.js';
import { planSearch, type SearchColumns } from './search.js';

export type FaqTag = Pick<TagRow, 'id' | 'name' | 'fontColor' | 'backgroundColor'>;
export type FaqView = FaqRow & { tags: FaqTag[] };

export interface FaqInput {
  title: string;
  details?: string | undefined;
  tagIds?: number[] | undefined;
}

export interface FaqFilter extends PageQuery {
  /** 題名: every term in the title. */
  title?: string | undefined;
  /** 詳細 (free word): every term in the title or the details. */
  q?: string | undefined;
  /** Only entries with this tag. */
  tagId?: number | undefined;
}

export interface FaqsService {
  list: (filter: FaqFilter) => Page<FaqView>;
  get: (id: number) => FaqView;
  create: (input: FaqInput, actor: string) => FaqView;
  update: (id: number, patch: Partial<FaqInput>, actor: string) => FaqView;
  remove: (id: number) => void;
}

export interface FaqsDeps {
  db: Db;
  clock: Clock;
}

/** A search split for the query: the FTS5 MATCH of the long terms, and the conditions on faqs. */
interface SearchParts {
  match: string[];
  conditions: SQL[];
}

/** Adds a search text: its long terms to the index lookup, its short ones as LIKE. */
function addSearch(parts: SearchParts, text: string, columns: SearchColumns): void {
  const plan = planSearch(text, columns);
  if (plan.match !== null) parts.match.push(plan.match);
  for (const term of plan.short) {
    const like =
      columns === 'title'
        ? contains(faqs.title, term)
        : or(contains(faqs.title, term), contains(faqs.details, term));
    if (like !== undefined) parts.conditions.push(like);
  }
}

export function createFaqsService(deps: FaqsDeps): FaqsService {
  const { db, clock } = deps;

  function tagsOf(ids: readonly number[]): Map<number, FaqTag[]> {
    const byFaq = new Map<number, FaqTag[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byFaq;
    const rows = db
      .select({
        faqId: faqTags.faqId,
        id: tags.id,
        name: tags.name,
        fontColor: tags.fontColor,
        backgroundColor: tags.backgroundColor,
      })
      .from(faqTags)
      .innerJoin(tags, eq(tags.id, faqTags.tagId))
      .where(inArray(faqTags.faqId, [...ids]))
      .orderBy(asc(tags.name), asc(tags.id))
      .all();
    for (const { faqId, ...tag } of rows) byFaq.get(faqId)?.push(tag);
    return byFaq;
  }

  const withTags = (rows: FaqRow[]): FaqView[] => {
    const byFaq = tagsOf(rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, tags: byFaq.get(r.id) ?? [] }));
  };

  function get(id: number): FaqView {
    const row = db.select().from(faqs).where(eq(faqs.id, id)).get();
    if (row === undefined) throw notFound('FAQ');
    return withTags([row])[0] ?? { ...row, tags: [] };
  }

  function setTags(tx: DbOrTx, faqId: number, tagIds: readonly number[]): void {
    assertTagsExist(tx, tagIds);
    tx.delete(faqTags).where(eq(faqTags.faqId, faqId)).run();
    const unique = [...new Set(tagIds)];
    if (unique.length > 0)
      tx.insert(faqTags)
        .values(unique.map((tagId) => ({ faqId, tagId })))
        .run();
  }

  return {
    list: ({ limit, offset, title, q, tagId }) => {
      const parts: SearchParts = { match: [], conditions: [] };
      if (title !== undefined) addSearch(parts, title, 'title');
      if (q !== undefined) addSearch(parts, q, 'title_and_details');
      if (tagId !== undefined)
        parts.conditions.push(
          inArray(
            faqs.id,
            db.select({ id: faqTags.faqId }).from(faqTags).where(eq(faqTags.tagId, tagId)),
          ),
        );
      const others = and(...parts.conditions);
      if (parts.match.length === 0) {
        const rows = db
          .select()
          .from(faqs)
          .where(others)
          .orderBy(desc(faqs.id))
          .limit(limit)
          .offset(offset)
          .all();
        return { items: withTags(rows), total: countRows(db, faqs, others) };
      }
      // The index is read newest entry first (FTS5 walks its rowids backwards), so a page stops
      // after its rows instead of sorting every match.
      const match = sql`${faqSearch} MATCH ${parts.match.join(' AND ')}`;
      const rows = db
        .select({ faq: faqs })
        .from(faqSearch)
        .innerJoin(faqs, eq(faqs.id, faqSearch.rowid))
        .where(and(match, others))
        .orderBy(desc(faqSearch.rowid))
        .limit(limit)
        .offset(offset)
        .all()
        .map((r) => r.faq);
      // Counted on the index alone when nothing else narrows it (no row of faqs is read).
      const total =
        others === undefined
          ? (db.select({ n: count() }).from(faqSearch).where(match).get()?.n ?? 0)
          : (db
              .select({ n: count() })
              .from(faqSearch)
              .innerJoin(faqs, eq(faqs.id, faqSearch.rowid))
              .where(and(match, others))
              .get()?.n ?? 0);
      return { items: withTags(rows), total };
    },
    get,
    create: (input, actor) => {
      const id = db.transaction((tx) => {
        const row = tx
          .insert(faqs)
          .values({
            title: input.title,
            ...(input.details !== undefined && { details: input.details }),
            ...created(actor, clock.now()),
          })
          .returning({ id: faqs.id })
          .get();
        setTags(tx, row.id, input.tagIds ?? []);
        return row.id;
      });
      return get(id);
    },
    update: (id, patch, actor) => {
      get(id);
      db.transaction((tx) => {
        tx.update(faqs)
          .set({
            ...(patch.title !== undefined && { title: patch.title }),
            ...(patch.details !== undefined && { details: patch.details }),
            ...updated(actor, clock.now()),
          })
          .where(eq(faqs.id, id))
          .run();
        if (patch.tagIds !== undefined) setTags(tx, id, patch.tagIds);
      });
      return get(id);
    },
    remove: (id) => {
      get(id);
      db.delete(faqs).where(eq(faqs.id, id)).run();
    },
  };
}
