/**
 * Which call lists an operator may retrieve customers from (A.7, A.9.3): distributed (配布する),
 * not deleted, and — when グループ未関連リストの配布 is 許可しない — sharing a target group with a
 * group the operator belongs to. With 許可 (the default) every operator gets every distributed
 * list and the groups have no effect; with 許可しない a list without groups goes to nobody.
 */
import { and, asc, eq, exists, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.js';
import { groupMembers } from '../queues/schema.js';
import { callListGroups, callLists } from './schema.js';
import type { CallListSettings } from './settings.js';

export function usableListIds(
  db: DbOrTx,
  agentId: number,
  settings: Pick<CallListSettings, 'ungroupedToAll'>,
): number[] {
  const viaGroups = exists(
    db
      .select({ one: callListGroups.listId })
      .from(callListGroups)
      .innerJoin(groupMembers, eq(groupMembers.groupId, callListGroups.groupId))
      .where(and(eq(callListGroups.listId, callLists.id), eq(groupMembers.agentId, agentId))),
  );
  return db
    .select({ id: callLists.id })
    .from(callLists)
    .where(
      and(
        eq(callLists.distribute, true),
        isNull(callLists.deletedAt),
        settings.ungroupedToAll ? undefined : viaGroups,
      ),
    )
    .orderBy(asc(callLists.id))
    .all()
    .map((r) => r.id);
}
