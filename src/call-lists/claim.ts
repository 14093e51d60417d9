/**
 * Retrieval ([ダウンロード], A.9.4): an operator takes the next N undistributed customers of the
 * lists they may use, first come first served. The read of the next customers and their marking
 * as 配布済 are one better-sqlite3 transaction, begun IMMEDIATE (the write lock is taken before
 * the read), so no two claims — in this process or another on the same file — can both see a
 * customer as free. A customer on several usable lists is offered once, from the first of them.
 */
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { customers } from '../crm/customers/schema.js';
import { callListCustomers, callListMembers } from './schema.js';
import type { CallListSettings } from './settings.js';

export interface Claimed {
  customerId: number;
  listId: number;
  position: number;
}

export interface ClaimRequest {
  agentId: number;
  /** The lists to take from, already limited to the usable ones. */
  listIds: readonly number[];
  /** How many, from claimSize(). */
  size: (pendingHeld: number) => number;
  order: CallListSettings['claimOrder'];
  now: Date;
}

/** Customers the agent holds without an uploaded result. */
export function pendingHeld(db: DbOrTx, agentId: number): number {
  return (
    db
      .select({ n: count() })
      .from(callListCustomers)
      .where(
        and(eq(callListCustomers.claimedBy, agentId), eq(callListCustomers.resultPending, true)),
      )
      .get()?.n ?? 0
  );
}

export function claimNext(db: Db, request: ClaimRequest): Claimed[] {
  const { agentId, listIds, order, now } = request;
  return db.transaction(
    (tx) => {
      const size = request.size(pendingHeld(tx, agentId));
      if (listIds.length === 0 || size === 0) return [];
      const ids = sql.join(
        listIds.map((id) => sql`${id}`),
        sql`, `,
      );
      const onEarlierList = sql`NOT EXISTS (SELECT 1 FROM ${callListMembers} AS e WHERE e.customer_id = ${callListMembers.customerId} AND e.list_id < ${callListMembers.listId} AND e.list_id IN (${ids}))`;
      const next = tx
        .select({
          customerId: callListMembers.customerId,
          listId: callListMembers.listId,
          position: callListMembers.position,
        })
        .from(callListMembers)
        .innerJoin(callListCustomers, eq(callListCustomers.customerId, callListMembers.customerId))
        .innerJoin(customers, eq(customers.id, callListMembers.customerId))
        .where(
          and(
            inArray(callListMembers.listId, [...listIds]),
            isNull(callListCustomers.claimedAt),
            isNull(customers.deletedAt),
            onEarlierList,
          ),
        )
        .orderBy(
          ...(order === 'customer_id'
            ? [asc(callListMembers.customerId)]
            : [asc(callListMembers.listId), asc(callListMembers.position)]),
        )
        .limit(size)
        .all();
      for (const c of next) {
        const taken = tx
          .update(callListCustomers)
          .set({
            claimedAt: now,
            claimedBy: agentId,
            claimedFromList: c.listId,
            resultPending: true,
            // The operator who first retrieves a customer no one is in charge of takes it.
            assigneeId: sql`coalesce(${callListCustomers.assigneeId}, ${agentId})`,
          })
          .where(
            and(
              eq(callListCustomers.customerId, c.customerId),
              isNull(callListCustomers.claimedAt),
            ),
          )
          .run();
        // Inside the write lock nobody else can have taken it; a miss is a defect, not a race.
        if (taken.changes !== 1) throw new Error(`customer ${c.customerId} was claimed twice`);
      }
      return next;
    },
    { behavior: 'immediate' },
  );
}
