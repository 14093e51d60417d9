/**
 * The upkeep of customer_phones, the digits index of every customer phone (the phone list, then
 * the phone-type format fields): rewritten with each save, its `live` flag kept in step with the
 * customer's deletedAt, and read for the duplicate check and the phone lists of a page.
 */
import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { customerPhones } from './schema.js';

/** Replaces the customer's index rows: the list at 0…, the field phones after. */
export function indexPhones(
  tx: DbOrTx,
  customerId: number,
  phones: readonly string[],
  fromFields: readonly { fieldId: number; digits: string }[],
  live: boolean,
): void {
  tx.delete(customerPhones).where(eq(customerPhones.customerId, customerId)).run();
  const rows = [
    ...phones.map((digits) => ({ fieldId: null, digits })),
    ...fromFields.map(({ fieldId, digits }) => ({ fieldId, digits })),
  ].map((r, position) => ({ customerId, position, live, ...r }));
  if (rows.length > 0) tx.insert(customerPhones).values(rows).run();
}

/** Soft delete and restore: the rows leave or rejoin the live index. */
export function setPhonesLive(tx: DbOrTx, customerId: number, live: boolean): void {
  tx.update(customerPhones).set({ live }).where(eq(customerPhones.customerId, customerId)).run();
}

/** The phone list (not the field phones) of each customer, in order. */
export function phoneListsOf(db: DbOrTx, ids: readonly number[]): Map<number, string[]> {
  const lists = new Map<number, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return lists;
  const rows = db
    .select({ id: customerPhones.customerId, digits: customerPhones.digits })
    .from(customerPhones)
    .where(and(inArray(customerPhones.customerId, [...ids]), isNull(customerPhones.fieldId)))
    .orderBy(asc(customerPhones.customerId), asc(customerPhones.position))
    .all();
  for (const r of rows) lists.get(r.id)?.push(r.digits);
  return lists;
}

/** Every number of a customer (list and fields), as digits. */
export function allDigitsOf(db: DbOrTx, customerId: number): string[] {
  return [
    ...new Set(
      db
        .select({ digits: customerPhones.digits })
        .from(customerPhones)
        .where(eq(customerPhones.customerId, customerId))
        .all()
        .map((r) => r.digits),
    ),
  ];
}

/** Live customers other than `except` holding any of the numbers (an index seek per number). */
export function phoneHolders(
  tx: DbOrTx,
  digits: readonly string[],
  except: number | null,
): { digits: string; customerId: number }[] {
  if (digits.length === 0) return [];
  return tx
    .selectDistinct({ digits: customerPhones.digits, customerId: customerPhones.customerId })
    .from(customerPhones)
    .where(
      and(
        inArray(customerPhones.digits, [...new Set(digits)]),
        eq(customerPhones.live, true),
        except === null ? undefined : ne(customerPhones.customerId, except),
      ),
    )
    .orderBy(asc(customerPhones.customerId))
    .all();
}
