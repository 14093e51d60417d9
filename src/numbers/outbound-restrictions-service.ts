/**
 * Restricted destinations (§10-12 発信規制): outbound calls to these numbers are refused, for
 * every caller ID or only one. Entries come one by one or from a CSV upload, whose bad rows are
 * reported while the good ones are applied in one transaction.
 */
import { and, asc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import type { CsvRead, ImportReport } from '../platform/csv.js';
import { conflict, notFound } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { noteText, phoneDigits } from './digits.js';
import { outboundRestrictions, type OutboundRestrictionRow } from './schema.js';

export interface RestrictionInput {
  number: string;
  callerNumber?: string | null | undefined;
  note?: string | undefined;
}

export interface RestrictionFilter extends PageQuery {
  number?: string | undefined;
  callerNumber?: string | undefined;
  note?: string | undefined;
}

export interface OutboundRestrictionsService {
  list(filter: RestrictionFilter): Page<OutboundRestrictionRow>;
  get(id: number): OutboundRestrictionRow;
  /** The restriction a call to `destination` with caller ID `callerNumber` falls under, if any. */
  match(destination: string, callerNumber: string | null): OutboundRestrictionRow | undefined;
  create(input: RestrictionInput, actor: string): OutboundRestrictionRow;
  update(id: number, patch: Partial<RestrictionInput>, actor: string): OutboundRestrictionRow;
  removeMany(ids: number[]): number;
  /** Columns: number, caller number (optional, empty = every caller ID), note (optional). */
  importRows(read: CsvRead, actor: string): ImportReport;
}

export function createOutboundRestrictionsService(
  db: Db,
  clock: Clock,
): OutboundRestrictionsService {
  function get(id: number): OutboundRestrictionRow {
    const row = db.select().from(outboundRestrictions).where(eq(outboundRestrictions.id, id)).get();
    if (row === undefined) throw notFound('Outbound restriction');
    return row;
  }

  function existing(
    number: string,
    callerNumber: string | null,
  ): OutboundRestrictionRow | undefined {
    return db
      .select()
      .from(outboundRestrictions)
      .where(
        and(
          eq(outboundRestrictions.number, number),
          callerNumber === null
            ? isNull(outboundRestrictions.callerNumber)
            : eq(outboundRestrictions.callerNumber, callerNumber),
        ),
      )
      .get();
  }

  function assertNew(number: string, callerNumber: string | null, selfId?: number): void {
    const clash = existing(number, callerNumber);
    if (clash !== undefined && clash.id !== selfId) {
      throw conflict(
        'already_restricted',
        `${number} is already restricted${callerNumber === null ? '' : ` for ${callerNumber}`}`,
      );
    }
  }

  return {
    list({ limit, offset, number, callerNumber, note }) {
      const conditions: (SQL | undefined)[] = [
        number === undefined ? undefined : contains(outboundRestrictions.number, number),
        callerNumber === undefined
          ? undefined
          : contains(outboundRestrictions.callerNumber, callerNumber),
        note === undefined ? undefined : contains(outboundRestrictions.note, note),
      ];
      const where = and(...conditions);
      const items = db
        .select()
        .from(outboundRestrictions)
        .where(where)
        .orderBy(asc(outboundRestrictions.number), asc(outboundRestrictions.id))
        .limit(limit)
        .offset(offset)
        .all();
      return {
        items,
        total: countRows(db, outboundRestrictions, where),
      };
    },
    get,
    match(destination, callerNumber) {
      return db
        .select()
        .from(outboundRestrictions)
        .where(
          and(
            eq(outboundRestrictions.number, destination),
            callerNumber === null
              ? isNull(outboundRestrictions.callerNumber)
              : or(
                  isNull(outboundRestrictions.callerNumber),
                  eq(outboundRestrictions.callerNumber, callerNumber),
                ),
          ),
        )
        .get();
    },
    create(input, actor) {
      const callerNumber = input.callerNumber ?? null;
      assertNew(input.number, callerNumber);
      return db
        .insert(outboundRestrictions)
        .values({
          number: input.number,
          callerNumber,
          note: input.note ?? '',
          ...created(actor, clock.now()),
        })
        .returning()
        .get();
    },
    update(id, patch, actor) {
      const before = get(id);
      const number = patch.number ?? before.number;
      const callerNumber =
        patch.callerNumber === undefined ? before.callerNumber : patch.callerNumber;
      assertNew(number, callerNumber, id);
      return db
        .update(outboundRestrictions)
        .set({
          number,
          callerNumber,
          ...(patch.note !== undefined && { note: patch.note }),
          ...updated(actor, clock.now()),
        })
        .where(eq(outboundRestrictions.id, id))
        .returning()
        .get();
    },
    removeMany(ids) {
      if (ids.length === 0) return 0;
      return db.delete(outboundRestrictions).where(inArray(outboundRestrictions.id, ids)).run()
        .changes;
    },
    importRows({ rows, unreadable }, actor) {
      const errors: ImportReport['errors'] = [...unreadable];
      const good: { number: string; callerNumber: string | null; note: string }[] = [];
      const seen = new Set<string>();
      for (const { row, cells } of rows) {
        const [rawNumber = '', rawCaller = '', note = ''] = cells;
        const number = phoneDigits.safeParse(rawNumber);
        if (!number.success) {
          errors.push({
            row,
            message: `number "${rawNumber}": ${number.error.issues[0]?.message ?? 'invalid'}`,
          });
          continue;
        }
        let callerNumber: string | null = null;
        if (rawCaller !== '') {
          const caller = phoneDigits.safeParse(rawCaller);
          if (!caller.success) {
            errors.push({
              row,
              message: `caller number "${rawCaller}": ${caller.error.issues[0]?.message ?? 'invalid'}`,
            });
            continue;
          }
          callerNumber = caller.data;
        }
        const noteCheck = noteText.safeParse(note);
        if (!noteCheck.success) {
          errors.push({ row, message: `note: ${noteCheck.error.issues[0]?.message ?? 'invalid'}` });
          continue;
        }
        const key = `${number.data}|${callerNumber ?? ''}`;
        if (seen.has(key) || existing(number.data, callerNumber) !== undefined) {
          errors.push({
            row,
            message: `${number.data} is already restricted${callerNumber === null ? '' : ` for ${callerNumber}`}`,
          });
          continue;
        }
        seen.add(key);
        good.push({ number: number.data, callerNumber, note });
      }
      const now = clock.now();
      db.transaction((tx) => {
        for (const entry of good)
          tx.insert(outboundRestrictions)
            .values({ ...entry, ...created(actor, now) })
            .run();
      });
      errors.sort((a, b) => a.row - b.row);
      return {
        total: rows.length + unreadable.length,
        applied: good.length,
        skipped: errors.length,
        errors,
      };
    },
  };
}
