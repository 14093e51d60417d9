/**
 * The login lock (§11-1 ログインロック). An account is locked in one of two ways:
 * - by an administrator (PATCH /agents/{id} {locked: true}), until an administrator unlocks it;
 * - by too many consecutive failed logins (AUTH_MAX_FAILED_LOGINS), until AUTH_LOCK_MINUTES have
 *   passed — or, with AUTH_LOCK_MINUTES=0, until an administrator unlocks it.
 * An administrator (PATCH {locked: false}) or the command line (`npm run admin:unlock`) unlocks
 * either kind.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.js';
import { recordAgentChanges, recordAuthEvent } from './audit.js';
import { agents, type AgentRow, type AuthEventKind } from './schema.js';

export interface LockRules {
  /** Consecutive failures that lock the account (AUTH_MAX_FAILED_LOGINS). */
  maxFailedLogins: number;
  /** How long the lock lasts; 0 = until an administrator unlocks it (AUTH_LOCK_MINUTES). */
  lockMinutes: number;
}

export type LockState = { locked: false } | { locked: true; until: Date | null };

/** The lock in force at `now`: a timed lock that has run out no longer counts. */
export function lockOf(agent: Pick<AgentRow, 'locked' | 'lockedUntil'>, now: Date): LockState {
  if (agent.locked) return { locked: true, until: null };
  if (agent.lockedUntil !== null && agent.lockedUntil > now)
    return { locked: true, until: agent.lockedUntil };
  return { locked: false };
}

/**
 * One more consecutive failure of an account that is not locked (a wrong password, a wrong
 * hot-desk PIN): recorded as `kind` with the count, and at `maxFailedLogins` the account locks.
 * Run it in a transaction. Returns the count.
 */
export function countFailure(
  tx: DbOrTx,
  agent: Pick<AgentRow, 'id' | 'loginId' | 'lockedUntil'>,
  rules: LockRules,
  event: {
    at: Date;
    kind: AuthEventKind;
    detail: (failures: number) => string;
    ip?: string | null;
  },
): number {
  // A timed lock that ran out starts the count afresh.
  const expiredLock = agent.lockedUntil !== null;
  const row = tx
    .update(agents)
    .set({
      failedLogins: expiredLock ? 1 : sql`${agents.failedLogins} + 1`,
      lockedUntil: null,
    })
    .where(eq(agents.id, agent.id))
    .returning({ failedLogins: agents.failedLogins })
    .get();
  const failures = row.failedLogins;
  const base = { at: event.at, loginId: agent.loginId, agentId: agent.id, ip: event.ip ?? null };
  recordAuthEvent(tx, { ...base, kind: event.kind, detail: event.detail(failures) });
  if (failures < rules.maxFailedLogins) return failures;
  const until =
    rules.lockMinutes === 0 ? null : new Date(event.at.getTime() + rules.lockMinutes * 60_000);
  tx.update(agents)
    .set(until === null ? { locked: true } : { lockedUntil: until })
    .where(eq(agents.id, agent.id))
    .run();
  recordAuthEvent(tx, {
    ...base,
    kind: 'account_locked',
    detail:
      `${failures} consecutive failed logins; ` +
      (until === null ? 'until an administrator unlocks it' : `until ${until.toISOString()}`),
    actor: 'system',
  });
  return failures;
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
