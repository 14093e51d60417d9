/** The live call lists a customer is on, with where they stand (the customer detail's tab). */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.js';
import type { FinalStatus } from './outcomes.js';
import { callListCustomers, callListMembers, callLists } from './schema.js';

export interface CallListMembership {
  listId: number;
  name: string;
  /** 配布済: retrieved by an operator. */
  distributed: boolean;
  /** 最終ステータス, null until a result is uploaded (one per customer, across its lists). */
  finalStatus: FinalStatus | null;
}

export function callListsOfCustomer(db: DbOrTx, customerId: number): CallListMembership[] {
  return db
    .select({
      listId: callLists.id,
      name: callLists.name,
      claimedAt: callListCustomers.claimedAt,
      finalStatus: callListCustomers.finalStatus,
    })
    .from(callListMembers)
    .innerJoin(callLists, eq(callLists.id, callListMembers.listId))
    .innerJoin(callListCustomers, eq(callListCustomers.customerId, callListMembers.customerId))
    .where(and(eq(callListMembers.customerId, customerId), isNull(callLists.deletedAt)))
    .orderBy(asc(callLists.id))
    .all()
    .map(({ claimedAt, ...m }) => ({ ...m, distributed: claimedAt !== null }));
}
