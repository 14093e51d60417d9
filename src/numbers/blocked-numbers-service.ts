/** Blocked callers (§10-11 着信拒否): calls from these numbers are refused before routing. */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { blockedNumbers, type BlockedNumberRow } from './schema.js';

export interface BlockedNumbersService {
  list(
    filter: PageQuery & { number?: string | undefined; note?: string | undefined },
  ): Page<BlockedNumberRow>;
  get(id: number): BlockedNumberRow;
  isBlocked(number: string): boolean;
  create(input: { number: string; note?: string | undefined }, actor: string): BlockedNumberRow;
  update(
    id: number,
    patch: { number?: string | undefined; note?: string | undefined },
    actor: string,
  ): BlockedNumberRow;
  removeMany(ids: number[]): number;
}

export function createBlockedNumbersService(db: Db, clock: Clock): BlockedNumbersService {
  function get(id: number): BlockedNumberRow {
    const row = db.select().from(blockedNumbers).where(eq(blockedNumbers.id, id)).get();
    if (row === undefined) throw notFound('Blocked number');
    return row;
  }
  function assertFree(number: string, selfId?: number): void {
    const clash = db
      .select({ id: blockedNumbers.id })
      .from(blockedNumbers)
      .where(eq(blockedNumbers.number, number))
      .get();
    if (clash !== undefined && clash.id !== selfId)
      throw conflict('already_blocked', `${number} is already blocked`);
  }
  return {
    list({ limit, offset, number, note }) {
      const conditions: (SQL | undefined)[] = [
        number === undefined ? undefined : contains(blockedNumbers.number, number),
        note === undefined ? undefined : contains(blockedNumbers.note, note),
      ];
      const where = and(...conditions);
      const items = db
        .select()
        .from(blockedNumbers)
        .where(where)
        .orderBy(asc(blockedNumbers.number))
        .limit(limit)
        .offset(offset)
        .all();
      return {
        items,
        total: countRows(db, blockedNumbers, where),
      };
    },
    get,
    isBlocked: (number) =>
      db
        .select({ id: blockedNumbers.id })
        .from(blockedNumbers)
        .where(eq(blockedNumbers.number, number))
        .get() !== undefined,
    create(input, actor) {
      assertFree(input.number);
      return db
        .insert(blockedNumbers)
        .values({ ...input, ...created(actor, clock.now()) })
        .returning()
        .get();
    },
    update(id, patch, actor) {
      get(id);
      if (patch.number !== undefined) assertFree(patch.number, id);
      return db
        .update(blockedNumbers)
        .set({ ...patch, ...updated(actor, clock.now()) })
        .where(eq(blockedNumbers.id, id))
        .returning()
        .get();
    },
    removeMany(ids) {
      if (ids.length === 0) return 0;
      return db.delete(blockedNumbers).where(inArray(blockedNumbers.id, ids)).run().changes;
    },
  };
}
