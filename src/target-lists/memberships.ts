/** The target lists a contact is on, with its 発信対象 flag in each (the customer detail's tab). */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.js';
import { targetListEntries, targetLists } from './schema.js';

export interface TargetListMembership {
  listId: number;
  name: string;
  /** 発信対象外 in this list. */
  excluded: boolean;
}

export function targetListsOfCustomer(db: DbOrTx, customerId: number): TargetListMembership[] {
  return db
    .select({
      listId: targetLists.id,
      name: targetLists.name,
      excluded: targetListEntries.excluded,
    })
    .from(targetListEntries)
    .innerJoin(targetLists, eq(targetLists.id, targetListEntries.listId))
    .where(eq(targetListEntries.customerId, customerId))
    .orderBy(asc(targetLists.id))
    .all();
}
