/**
 * The login lock (§11-1 ログインロック). An account is locked in one of two ways:
 * - by an administrator (PATCH /agents/{id} {locked: true}), until an administrator unlocks it;
 * - by too many consecutive failed logins (AUTH_MAX_FAILED_LOGINS), until AUTH_LOCK_MINUTES have
 *   passed — or, with AUTH_LOCK_MINUTES=0, until an administrator unlocks it.
 * An administrator (PATCH {locked: false}) or the command line (`npm run admin:unlock`) unlocks
 * either kind.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.js';
import { recordAgentChanges, recordAuthEvent } from './audit.js';
import { agents, type AgentRow } from './schema.js';

export type LockState = { locked: false } | { locked: true; until: Date | null };

/** The lock in force at `now`: a timed lock that has run out no longer counts. */
export function lockOf(agent: Pick<AgentRow, 'locked' | 'lockedUntil'>, now: Date): LockState {
  if (agent.locked) return { locked: true, until: null };
  if (agent.lockedUntil !== null && agent.lockedUntil > now)
    return { locked: true, until: agent.lockedUntil };
  return { locked: false };
}

/**
 * Unlocks an account, whichever way it was locked, and starts its failure count afresh; written
 * to the authentication log and the agent's change history. Returns false if it was not locked.
 */
export function unlockAccount(tx: DbOrTx, agent: AgentRow, actor: string, now: Date): boolean {
  if (!lockOf(agent, now).locked) return false;
  tx.update(agents)
    .set({ locked: false, lockedUntil: null, failedLogins: 0, updatedAt: now, updatedBy: actor })
    .where(eq(agents.id, agent.id))
    .run();
  recordAuthEvent(tx, {
    at: now,
    kind: 'account_unlocked',
    loginId: agent.loginId,
    agentId: agent.id,
    actor,
  });
  recordAgentChanges(
    tx,
    agent.id,
    [{ field: 'locked', oldValue: true, newValue: false }],
    actor,
    now,
  );
  return true;
}
