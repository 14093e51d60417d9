/**
 * The hot-desk PIN (PINコード, §11-1, §13): an agent logs in on a phone with `998` + extension
 * and their 4-digit PIN. The PIN is a login secret like the password, so it is checked the same
 * way (scrypt, the same cost whatever the outcome) and its failures count the same way:
 * - a wrong PIN is a failed login: written to the authentication log (`hot_desk_failed`, never
 *   the PIN itself) and counted towards AUTH_MAX_FAILED_LOGINS, which locks the account;
 * - a locked account (ログインロック) cannot hot-desk either: its right PIN is refused
 *   (`login_refused`), its wrong PINs are written down but neither count nor lengthen the lock;
 * - a right PIN does not reset the count of failed password logins (it is another secret).
 * Logins and logouts on phones are written to the same log (`hot_desk_login`, `hot_desk_logout`).
 */
import { eq } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { recordAuthEvent } from './audit.js';
import { DECOY_HASH, verifySecret } from './credentials.js';
import { countFailure, lockOf, type LockRules } from './lock.js';
import { agents } from './schema.js';

export type PinVerdict = 'right' | 'wrong' | 'locked';

/** Where a PIN was keyed: the phone, and which of the caller's tries it was. */
export interface PinAttempt {
  terminal: string;
  attempt: number;
  attempts: number;
}

export interface HotDeskAuth {
  /** Whether the agent exists and has a PIN to log in with. */
  hasPin(agentId: number): boolean;
  /** Checks a PIN keyed on a phone; a wrong one is written down and counted. */
  checkPin(agentId: number, pin: string, where: PinAttempt): Promise<PinVerdict>;
  loggedIn(agentId: number, terminal: string): void;
  /** `how`: `997`, `elsewhere` (a login on another phone), `replaced`, or an administrator. */
  loggedOut(agentId: number, terminal: string, how: string, actor?: string): void;
}

export function createHotDeskAuth(db: Db, clock: Clock, rules: LockRules): HotDeskAuth {
  const agentOf = (agentId: number) => db.select().from(agents).where(eq(agents.id, agentId)).get();

  function record(
    agentId: number,
    kind: 'hot_desk_login' | 'hot_desk_logout',
    detail: string,
    actor?: string,
  ): void {
    const agent = agentOf(agentId);
    if (agent === undefined) return;
    recordAuthEvent(db, {
      at: clock.now(),
      kind,
      loginId: agent.loginId,
      agentId,
      detail,
      actor: actor ?? null,
    });
  }

  return {
    hasPin: (agentId) => (agentOf(agentId)?.pinHash ?? null) !== null,

    async checkPin(agentId, pin, where) {
      const agent = agentOf(agentId);
      const right = await verifySecret(pin, agent?.pinHash ?? DECOY_HASH);
      if (agent === undefined) return 'wrong';
      const now = clock.now();
      const tries = `attempt ${where.attempt} of ${where.attempts}`;
      const event = { at: now, loginId: agent.loginId, agentId };
      if (lockOf(agent, now).locked) {
        recordAuthEvent(db, {
          ...event,
          kind: right ? 'login_refused' : 'hot_desk_failed',
          detail: right
            ? `hot-desk on ${where.terminal}: account locked`
            : `wrong PIN on ${where.terminal} while locked (${tries})`,
        });
        return right ? 'locked' : 'wrong';
      }
      if (right) return 'right';
      db.transaction((tx) =>
        countFailure(tx, agent, rules, {
          at: now,
          kind: 'hot_desk_failed',
          detail: (failures) =>
            `wrong PIN on ${where.terminal} (${tries}` +
            `${where.attempt >= where.attempts ? ', refused' : ''}; failure ${failures})`,
        }),
      );
      return 'wrong';
    },

    loggedIn: (agentId, terminal) => record(agentId, 'hot_desk_login', `on ${terminal}`),
    loggedOut: (agentId, terminal, how, actor) =>
      record(agentId, 'hot_desk_logout', `from ${terminal} (${how})`, actor),
  };
}
