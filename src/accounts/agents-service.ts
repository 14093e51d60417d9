/**
 * Agents (users) as an administrator manages them (§11-1): CRUD, the login lock, the change
 * history, and the sessions a supervisor may end (seed 001 強制ログアウト).
 *
 * Guard rails: nobody deletes themselves, and the last unlocked system administrator can be
 * neither deleted, locked nor moved to another role — the system always keeps a way in.
 */
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  isNull,
  ne,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { created } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Principal } from '../platform/http/auth.js';
import { agentSessions, type SessionWatch } from '../platform/http/session-watch.js';
import {
  MASK,
  diffFields,
  recordAgentChanges,
  recordAuthEvent,
  type FieldChange,
  type HistoryValue,
} from './audit.js';
import type { ExtensionRegistry } from '../dialplan/extensions.js';
import { hashSecret } from './credentials.js';
import { lockOf, unlockAccount, type LockState } from './lock.js';
import { accessTokens, agentChanges, agents, authEvents, roles, type AgentRow } from './schema.js';

export interface AgentView extends AgentRow {
  roleName: string;
  /** The login lock in force now (an expired timed lock is none). */
  lock: LockState;
}

export interface AgentInput {
  loginId: string;
  name: string;
  nickname: string;
  extension?: string | null | undefined;
  password: string;
  pin?: string | null | undefined;
  roleId: number;
  language?: 'ja' | 'en' | undefined;
  locked?: boolean | undefined;
  popupOnIncoming?: boolean | undefined;
  popupOnAnswer?: boolean | undefined;
  popupWindow?: 'same_tab' | 'new_tab' | undefined;
  notifyExternalCalls?: boolean | undefined;
  notifyInternalCalls?: boolean | undefined;
  crmAutoSearch?: boolean | undefined;
}

/** The agent's own pop-up and notification settings (§12-3), kept and changed as one set. */
const PREFERENCES = [
  'popupOnIncoming',
  'popupOnAnswer',
  'popupWindow',
  'notifyExternalCalls',
  'notifyInternalCalls',
  'crmAutoSearch',
] as const;

function preferencesOf(input: AgentPatch): Partial<Pick<AgentRow, (typeof PREFERENCES)[number]>> {
  return Object.fromEntries(
    PREFERENCES.flatMap((key) => (input[key] === undefined ? [] : [[key, input[key]]])),
  );
}

export type AgentPatch = Partial<AgentInput>;

export interface AgentFilter extends PageQuery {
  loginId?: string | undefined;
  name?: string | undefined;
  extension?: string | undefined;
  roleId?: number | undefined;
}

export type AgentChange = typeof agentChanges.$inferSelect;
export type AuthEventRow = typeof authEvents.$inferSelect;
export type SessionRow = Omit<typeof accessTokens.$inferSelect, 'tokenHash'>;

export interface AgentsService {
  list(filter: AgentFilter): Page<AgentView>;
  get(id: number): AgentView;
  create(input: AgentInput, actor: string): Promise<AgentView>;
  update(id: number, patch: AgentPatch, by: Principal): Promise<AgentView>;
  remove(id: number, by: Principal): void;
  /** Told after an agent is deleted (with what the database deleted along: memberships …). */
  onRemoved(listener: (agentId: number) => void): void;
  history(id: number, order: 'asc' | 'desc', page: PageQuery): Page<AgentChange>;
  authEvents(id: number, page: PageQuery): Page<AuthEventRow>;
  sessions(id: number): SessionRow[];
  forceLogout(id: number, actor: string): number;
}

/** The fields the change history follows, as the history shows them. */
function historySnapshot(agent: AgentRow, roleName: string): Record<string, HistoryValue> {
  return {
    loginId: agent.loginId,
    name: agent.name,
    nickname: agent.nickname,
    extension: agent.extension,
    role: roleName,
    language: agent.language,
    popupOnIncoming: agent.popupOnIncoming,
    popupOnAnswer: agent.popupOnAnswer,
    popupWindow: agent.popupWindow,
    notifyExternalCalls: agent.notifyExternalCalls,
    notifyInternalCalls: agent.notifyInternalCalls,
    crmAutoSearch: agent.crmAutoSearch,
  };
}

export function createAgentsService(
  db: Db,
  clock: Clock,
  extensions: ExtensionRegistry,
  sessions: SessionWatch,
): AgentsService {
  const removedListeners: ((agentId: number) => void)[] = [];
  // Asked on every call that dials a number: prepared once.
  const agentOfExtension = db
    .select({ id: agents.id })
    .from(agents)
    .where(eq(agents.extension, sql.placeholder('extension')))
    .prepare();
  extensions.register('agent', (extension) => agentOfExtension.get({ extension })?.id);

  // A fresh builder each time: Drizzle builders accumulate clauses.
  const view = () =>
    db
      .select({ agent: agents, roleName: roles.name })
      .from(agents)
      .innerJoin(roles, eq(roles.id, agents.roleId));

  const toView = (row: { agent: AgentRow; roleName: string }): AgentView => ({
    ...row.agent,
    roleName: row.roleName,
    lock: lockOf(row.agent, clock.now()),
  });

  function get(id: number): AgentView {
    const row = view().where(eq(agents.id, id)).get();
    if (row === undefined) throw notFound('Agent');
    return toView(row);
  }

  function roleName(roleId: number): string {
    const role = db.select({ name: roles.name }).from(roles).where(eq(roles.id, roleId)).get();
    if (role === undefined) throw unprocessable('unknown_role', `There is no role ${roleId}`);
    return role.name;
  }

  function assertUnique(
    loginId: string | undefined,
    extension: string | null | undefined,
    exceptId?: number,
  ): void {
    const notSelf = exceptId === undefined ? undefined : ne(agents.id, exceptId);
    if (loginId !== undefined) {
      const clash = db
        .select({ id: agents.id })
        .from(agents)
        .where(and(sql`lower(${agents.loginId}) = lower(${loginId})`, notSelf))
        .get();
      if (clash !== undefined)
        throw conflict('login_id_taken', `The login ID ${loginId} is in use`);
    }
    if (extension !== undefined && extension !== null) {
      extensions.assertFree(
        extension,
        exceptId === undefined ? undefined : { kind: 'agent', id: exceptId },
      );
    }
  }

  /** Unlocked system administrators other than `agentId`. */
  function otherActiveAdmins(agentId: number): number {
    return (
      db
        .select({ n: count() })
        .from(agents)
        .innerJoin(roles, eq(roles.id, agents.roleId))
        .where(
          and(eq(roles.builtIn, 'system_admin'), eq(agents.locked, false), ne(agents.id, agentId)),
        )
        .get()?.n ?? 0
    );
  }

  function isSystemAdmin(agent: AgentRow): boolean {
    const role = db
      .select({ builtIn: roles.builtIn })
      .from(roles)
      .where(eq(roles.id, agent.roleId))
      .get();
    return role?.builtIn === 'system_admin';
  }

  function revokeSessions(
    tx: DbOrTx,
    agentId: number,
    by: string,
    reason: 'forced_logout' | 'locked' | 'password_changed',
  ): number {
    const now = clock.now();
    return tx
      .update(accessTokens)
      .set({ revokedAt: now, revokedBy: by, revokedReason: reason })
      .where(
        and(
          eq(accessTokens.agentId, agentId),
          isNull(accessTokens.revokedAt),
          gt(accessTokens.expiresAt, now),
        ),
      )
      .run().changes;
  }

  return {
    list({ limit, offset, loginId, name, extension, roleId }) {
      const conditions: (SQL | undefined)[] = [
        loginId === undefined ? undefined : contains(agents.loginId, loginId),
        name === undefined ? undefined : contains(agents.name, name),
        extension === undefined ? undefined : contains(agents.extension, extension),
        roleId === undefined ? undefined : eq(agents.roleId, roleId),
      ];
      const where = and(...conditions);
      const rows = view().where(where).orderBy(agents.id).limit(limit).offset(offset).all();
      const total = countRows(db, agents, where);
      return { items: rows.map(toView), total };
    },

    get,

    async create(input, actor) {
      assertUnique(input.loginId, input.extension);
      roleName(input.roleId);
      const now = clock.now();
      const passwordHash = await hashSecret(input.password);
      const pinHash =
        input.pin === undefined || input.pin === null ? null : await hashSecret(input.pin);
      const row = db
        .insert(agents)
        .values({
          loginId: input.loginId,
          name: input.name,
          nickname: input.nickname,
          extension: input.extension ?? null,
          passwordHash,
          pinHash,
          roleId: input.roleId,
          language: input.language ?? 'ja',
          locked: input.locked ?? false,
          ...preferencesOf(input),
          passwordChangedAt: now,
          ...created(actor, now),
        })
        .returning({ id: agents.id })
        .get();
      return get(row.id);
    },

    async update(id, patch, by) {
      const { roleName: beforeRoleName, lock: lockBefore, ...before } = get(id);
      assertUnique(patch.loginId, patch.extension, id);
      const newRoleName = patch.roleId === undefined ? beforeRoleName : roleName(patch.roleId);

      const losesAdmin =
        isSystemAdmin(before) &&
        !before.locked &&
        (patch.locked === true ||
          (patch.roleId !== undefined &&
            patch.roleId !== before.roleId &&
            !isSystemAdmin({ ...before, roleId: patch.roleId })));
      if (losesAdmin && otherActiveAdmins(id) === 0) {
        throw conflict('last_system_admin', 'This is the last unlocked system administrator');
      }

      const now = clock.now();
      const next: AgentRow = {
        ...before,
        ...(patch.loginId !== undefined && { loginId: patch.loginId }),
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.nickname !== undefined && { nickname: patch.nickname }),
        ...(patch.extension !== undefined && { extension: patch.extension }),
        ...(patch.roleId !== undefined && { roleId: patch.roleId }),
        ...(patch.language !== undefined && { language: patch.language }),
        ...preferencesOf(patch),
      };
      const secrets: FieldChange[] = [];
      if (patch.password !== undefined) {
        next.passwordHash = await hashSecret(patch.password);
        next.passwordChangedAt = now;
        secrets.push({ field: 'password', oldValue: MASK, newValue: MASK });
      }
      if (patch.pin !== undefined) {
        next.pinHash = patch.pin === null ? null : await hashSecret(patch.pin);
        if (next.pinHash !== before.pinHash) {
          secrets.push({
            field: 'pin',
            oldValue: before.pinHash === null ? null : MASK,
            newValue: next.pinHash === null ? null : MASK,
          });
        }
      }
      // An administrator's lock holds until unlocked; unlocking ends either kind of lock.
      const locking = patch.locked === true && !before.locked;
      const unlocking = patch.locked === false && lockBefore.locked;
      if (locking) {
        next.locked = true;
        next.lockedUntil = null;
      }
      const roleChanged = next.roleId !== before.roleId;

      const changes = [
        ...diffFields(historySnapshot(before, beforeRoleName), historySnapshot(next, newRoleName)),
        ...(locking ? [{ field: 'locked', oldValue: false, newValue: true }] : []),
        ...secrets,
      ];
      db.transaction((tx) => {
        const { id: _id, ...columns } = next;
        tx.update(agents)
          .set({ ...columns, updatedAt: now, updatedBy: by.actor })
          .where(eq(agents.id, id))
          .run();
        recordAgentChanges(tx, id, changes, by.actor, now);
        if (unlocking) unlockAccount(tx, next, by.actor, now);
        if (locking) {
          recordAuthEvent(tx, {
            at: now,
            loginId: next.loginId,
            agentId: id,
            actor: by.actor,
            kind: 'account_locked',
            detail: 'locked by an administrator',
          });
          revokeSessions(tx, id, by.actor, 'locked');
        }
        // A new password set by an administrator ends the sessions opened with the old one.
        if (patch.password !== undefined) revokeSessions(tx, id, by.actor, 'password_changed');
      });
      if (locking || roleChanged || patch.password !== undefined) {
        sessions.recheck(agentSessions(id));
      }
      return get(id);
    },

    remove(id, by) {
      const agent = get(id);
      if (by.kind === 'agent' && by.id === id) {
        throw conflict('cannot_delete_self', 'You cannot delete your own account');
      }
      if (isSystemAdmin(agent) && !agent.locked && otherActiveAdmins(id) === 0) {
        throw conflict('last_system_admin', 'This is the last unlocked system administrator');
      }
      db.delete(agents).where(eq(agents.id, id)).run();
      sessions.recheck(agentSessions(id));
      for (const listener of removedListeners) listener(id);
    },
    onRemoved(listener) {
      removedListeners.push(listener);
    },

    history(id, order, { limit, offset }) {
      get(id);
      const where = eq(agentChanges.agentId, id);
      const sort =
        order === 'asc'
          ? [asc(agentChanges.at), asc(agentChanges.id)]
          : [desc(agentChanges.at), desc(agentChanges.id)];
      const items = db
        .select()
        .from(agentChanges)
        .where(where)
        .orderBy(...sort)
        .limit(limit)
        .offset(offset)
        .all();
      const total = countRows(db, agentChanges, where);
      return { items, total };
    },

    authEvents(id, { limit, offset }) {
      get(id);
      const where = eq(authEvents.agentId, id);
      const items = db
        .select()
        .from(authEvents)
        .where(where)
        .orderBy(desc(authEvents.at), desc(authEvents.id))
        .limit(limit)
        .offset(offset)
        .all();
      const total = countRows(db, authEvents, where);
      return { items, total };
    },

    sessions(id) {
      get(id);
      const now = clock.now();
      const { tokenHash: _hash, ...columns } = getTableColumns(accessTokens);
      return db
        .select(columns)
        .from(accessTokens)
        .where(
          and(
            eq(accessTokens.agentId, id),
            isNull(accessTokens.revokedAt),
            gt(accessTokens.expiresAt, now),
          ),
        )
        .orderBy(desc(accessTokens.createdAt))
        .all();
    },

    forceLogout(id, actor) {
      const agent = get(id);
      const revoked = db.transaction((tx) => {
        const revoked = revokeSessions(tx, id, actor, 'forced_logout');
        recordAuthEvent(tx, {
          at: clock.now(),
          kind: 'forced_logout',
          loginId: agent.loginId,
          agentId: id,
          actor,
          detail: `${revoked} session(s) ended`,
        });
        return revoked;
      });
      sessions.recheck(agentSessions(id));
      return revoked;
    },
  };
}
