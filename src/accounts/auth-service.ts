/**
 * Logging in and out, and turning a bearer token back into a principal.
 *
 * Rules (spec §1, §11-1; seed 001 A2):
 * - A wrong password counts against the account; at the configured number of consecutive
 *   failures the account locks for AUTH_LOCK_MINUTES (0: until an administrator unlocks it).
 *   Every attempt is recorded.
 * - Nothing in an answer tells whether a login ID exists: an unknown ID, a wrong password and a
 *   locked account with a wrong password all cost one scrypt run and get the same 401. Only the
 *   right password of a locked account learns that it is locked (403).
 * - Failed logins are throttled per client address and per login ID (login-throttle.ts): past the
 *   limit, attempts get 429 without a password check.
 * - With the one-session setting on, an account that already holds a live session token is
 *   refused ("指定したIDは既にログインされています。") until it logs out, the token expires, or a
 *   supervisor forces a logout.
 * - Tokens are opaque, stored hashed, expire after the configured time and are revocable; what
 *   revokes one tells the session watch, so open WebSockets of that session close at once.
 */
import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { ConfigError, type Config } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { countRows } from '../platform/db/query.js';
import { created } from '../platform/db/columns.js';
import {
  HttpError,
  conflict,
  forbidden,
  unauthorized,
  unprocessable,
} from '../platform/http/errors.js';
import type { AgentPrincipal, Principal } from '../platform/http/auth.js';
import { agentSessions, session, type SessionWatch } from '../platform/http/session-watch.js';
import { MASK, recordAgentChanges, recordAuthEvent, type FieldChange } from './audit.js';
import {
  DECOY_HASH,
  generatePassword,
  generateToken,
  hashSecret,
  hashToken,
  passwordProblems,
  tokenKind,
  verifySecret,
} from './credentials.js';
import { countFailure, lockOf } from './lock.js';
import { createLoginThrottle, type ThrottleKey } from './login-throttle.js';
import { isPermission, type PermissionGrants } from './permissions.js';
import type { RolesService } from './roles-service.js';
import { accessTokens, agents, apiKeys, roles, type AgentRow } from './schema.js';

export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  agent: AgentRow;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword?: string | undefined;
  newPin?: string | undefined;
}

export interface AuthService {
  login(loginId: string, password: string, meta: ClientMeta): Promise<LoginResult>;
  logout(principal: AgentPrincipal): void;
  /** A property, not a method: it is handed to the HTTP layer on its own. */
  resolveToken: (token: string) => Promise<Principal | undefined>;
  changeOwnCredentials(principal: AgentPrincipal, change: PasswordChange): Promise<void>;
  /**
   * On a fresh database, creates the first administrator. Returns the generated password when
   * none was configured, so the caller can show it once; undefined otherwise.
   */
  ensureInitialAdmin(
    admin: Config['admin'],
  ): Promise<{ loginId: string; generatedPassword?: string } | undefined>;
  /** Told of every successful login (the status at login is set by the agents domain). */
  onLoggedIn(listener: (agentId: number) => void): void;
}

/** Tokens are touched at most this often, so authenticating is a read, not a write, per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function createAuthService(
  db: Db,
  clock: Clock,
  settings: Config['auth'],
  rolesService: RolesService,
  sessions: SessionWatch,
  grants: PermissionGrants = () => [],
): AuthService {
  const tokenTtlMs = settings.tokenTtlMinutes * 60_000;
  const loginListeners: ((agentId: number) => void)[] = [];
  const throttle = createLoginThrottle();
  const windowMs = settings.throttle.windowSeconds * 1000;

  /** What a login attempt is throttled by: its client address and the login ID it names. */
  function throttleKeys(loginId: string, ip: string | undefined): ThrottleKey[] {
    return [
      {
        key: `address:${ip ?? 'unknown'}`,
        rule: { limit: settings.throttle.perAddress, windowMs },
      },
      {
        key: `login:${loginId.toLowerCase()}`,
        rule: { limit: settings.throttle.perLoginId, windowMs },
      },
    ];
  }

  function findByLoginId(loginId: string): AgentRow | undefined {
    return db
      .select()
      .from(agents)
      .where(sql`lower(${agents.loginId}) = lower(${loginId})`)
      .get();
  }

  function activeSessionCount(agentId: number, now: Date): number {
    return countRows(
      db,
      accessTokens,
      and(
        eq(accessTokens.agentId, agentId),
        isNull(accessTokens.revokedAt),
        gt(accessTokens.expiresAt, now),
      ),
    );
  }

  /** The role's permissions, and (for a user, not an API key) what the settings add. */
  function permissionSet(permissions: string[], granted: boolean): ReadonlySet<string> {
    const own = new Set(permissions.filter(isPermission));
    if (granted) for (const permission of grants(own)) own.add(permission);
    return own;
  }

  async function resolveSession(tokenHash: string, now: Date): Promise<Principal | undefined> {
    const row = db
      .select({
        tokenId: accessTokens.id,
        expiresAt: accessTokens.expiresAt,
        revokedAt: accessTokens.revokedAt,
        lastUsedAt: accessTokens.lastUsedAt,
        agentId: agents.id,
        loginId: agents.loginId,
        roleId: roles.id,
        permissions: roles.permissions,
      })
      .from(accessTokens)
      .innerJoin(agents, eq(agents.id, accessTokens.agentId))
      .innerJoin(roles, eq(roles.id, agents.roleId))
      .where(eq(accessTokens.tokenHash, tokenHash))
      .get();
    // A lock stops logins, not the sessions already open: an administrator's lock revokes them
    // itself, and a lock after failed logins must not let a guesser log the real user out.
    if (row === undefined || row.revokedAt !== null || row.expiresAt <= now) {
      return undefined;
    }
    if (
      row.lastUsedAt === null ||
      now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS
    ) {
      db.update(accessTokens)
        .set({ lastUsedAt: now })
        .where(eq(accessTokens.id, row.tokenId))
        .run();
    }
    return {
      kind: 'agent',
      id: row.agentId,
      actor: row.loginId,
      roleId: row.roleId,
      permissions: permissionSet(row.permissions, true),
      tokenId: row.tokenId,
      expiresAt: row.expiresAt,
    };
  }

  async function resolveApiKey(keyHash: string, now: Date): Promise<Principal | undefined> {
    const row = db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        expiresAt: apiKeys.expiresAt,
        lastUsedAt: apiKeys.lastUsedAt,
        roleId: roles.id,
        permissions: roles.permissions,
      })
      .from(apiKeys)
      .innerJoin(roles, eq(roles.id, apiKeys.roleId))
      .where(eq(apiKeys.keyHash, keyHash))
      .get();
    if (row === undefined || (row.expiresAt !== null && row.expiresAt <= now)) return undefined;
    if (
      row.lastUsedAt === null ||
      now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS
    ) {
      db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id)).run();
    }
    return {
      kind: 'api_key',
      id: row.id,
      actor: `api_key:${row.name}`,
      roleId: row.roleId,
      permissions: permissionSet(row.permissions, false),
      expiresAt: row.expiresAt,
    };
  }

  return {
    async login(loginId, password, meta) {
      const now = clock.now();
      const keys = throttleKeys(loginId, meta.ip);
      const waitMs = throttle.retryAfterMs(keys, now.getTime());
      if (waitMs > 0) throw tooManyAttempts(waitMs);

      const agent = findByLoginId(loginId);
      const event = { at: now, loginId, ip: meta.ip ?? null };
      // The same scrypt run whether or not the ID exists, so response times reveal nothing.
      const passwordRight = await verifySecret(password, agent?.passwordHash ?? DECOY_HASH);
      const refuse = (): never => {
        throttle.failed(keys, now.getTime());
        throw unauthorized('invalid_credentials', 'The login ID or password is wrong');
      };

      if (agent === undefined) {
        recordAuthEvent(db, { ...event, kind: 'login_failed', detail: 'unknown login ID' });
        return refuse();
      }
      const agentEvent = { ...event, loginId: agent.loginId, agentId: agent.id };
      const lock = lockOf(agent, now);
      if (lock.locked) {
        // Failures while locked are recorded but neither count nor lengthen the lock.
        if (!passwordRight) {
          recordAuthEvent(db, {
            ...agentEvent,
            kind: 'login_failed',
            detail: 'wrong password while locked',
          });
          return refuse();
        }
        recordAuthEvent(db, { ...agentEvent, kind: 'login_refused', detail: 'account locked' });
        throw lockedError(lock.until);
      }

      if (!passwordRight) {
        db.transaction((tx) =>
          countFailure(tx, agent, settings, {
            at: now,
            kind: 'login_failed',
            detail: (failures) => `failure ${failures}`,
            ip: meta.ip ?? null,
          }),
        );
        return refuse();
      }

      const token = generateToken('session');
      const expiresAt = new Date(now.getTime() + tokenTtlMs);
      const issued = db.transaction((tx) => {
        if (settings.singleSession && activeSessionCount(agent.id, now) > 0) return false;
        tx.insert(accessTokens)
          .values({
            agentId: agent.id,
            tokenHash: hashToken(token),
            createdAt: now,
            expiresAt,
            ip: meta.ip ?? null,
            userAgent: meta.userAgent?.slice(0, 256) ?? null,
          })
          .run();
        tx.update(agents)
          .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now })
          .where(eq(agents.id, agent.id))
          .run();
        recordAuthEvent(tx, { ...agentEvent, kind: 'login_succeeded' });
        return true;
      });
      if (!issued) {
        recordAuthEvent(db, { ...agentEvent, kind: 'login_refused', detail: 'already logged in' });
        throw conflict(
          'already_logged_in',
          'The specified ID is already logged in (指定したIDは既にログインされています。). ' +
            'Log out first, or ask a supervisor to force a logout.',
        );
      }
      for (const listener of loginListeners) listener(agent.id);
      return {
        token,
        expiresAt,
        agent: { ...agent, failedLogins: 0, lockedUntil: null, lastLoginAt: now },
      };
    },

    logout(principal) {
      const now = clock.now();
      db.update(accessTokens)
        .set({ revokedAt: now, revokedBy: principal.actor, revokedReason: 'logout' })
        .where(and(eq(accessTokens.id, principal.tokenId), isNull(accessTokens.revokedAt)))
        .run();
      recordAuthEvent(db, {
        at: now,
        kind: 'logout',
        loginId: principal.actor,
        agentId: principal.id,
      });
      sessions.recheck(session(principal.tokenId));
    },

    async resolveToken(token) {
      const kind = tokenKind(token);
      if (kind === undefined) return undefined;
      const now = clock.now();
      return kind === 'session'
        ? resolveSession(hashToken(token), now)
        : resolveApiKey(hashToken(token), now);
    },

    async changeOwnCredentials(principal, change) {
      const agent = db.select().from(agents).where(eq(agents.id, principal.id)).get();
      if (agent === undefined) throw unauthorized('invalid_token', 'The account no longer exists');
      if (!(await verifySecret(change.currentPassword, agent.passwordHash))) {
        throw unprocessable('wrong_current_password', 'The current password is wrong');
      }
      const now = clock.now();
      const changes: FieldChange[] = [];
      const set: Partial<AgentRow> = {};
      if (change.newPassword !== undefined) {
        set.passwordHash = await hashSecret(change.newPassword);
        set.passwordChangedAt = now;
        changes.push({ field: 'password', oldValue: MASK, newValue: MASK });
      }
      if (change.newPin !== undefined) {
        set.pinHash = await hashSecret(change.newPin);
        changes.push({
          field: 'pin',
          oldValue: agent.pinHash === null ? null : MASK,
          newValue: MASK,
        });
      }
      db.transaction((tx) => {
        tx.update(agents)
          .set({ ...set, updatedAt: now, updatedBy: principal.actor })
          .where(eq(agents.id, agent.id))
          .run();
        recordAgentChanges(tx, agent.id, changes, principal.actor, now);
        if (change.newPassword !== undefined) {
          // Anyone else holding a session of this account loses it with the old password.
          tx.update(accessTokens)
            .set({ revokedAt: now, revokedBy: principal.actor, revokedReason: 'password_changed' })
            .where(
              and(
                eq(accessTokens.agentId, agent.id),
                isNull(accessTokens.revokedAt),
                ne(accessTokens.id, principal.tokenId),
              ),
            )
            .run();
          recordAuthEvent(tx, {
            at: now,
            kind: 'password_changed',
            loginId: agent.loginId,
            agentId: agent.id,
            actor: principal.actor,
          });
        }
      });
      if (change.newPassword !== undefined)
        sessions.recheck(agentSessions(agent.id, principal.tokenId));
    },

    onLoggedIn(listener) {
      loginListeners.push(listener);
    },

    async ensureInitialAdmin(admin) {
      const existing = countRows(db, agents);
      if (existing > 0) return undefined;
      let generatedPassword: string | undefined;
      let password = admin.password;
      if (password === undefined) {
        generatedPassword = generatePassword();
        password = generatedPassword;
      } else {
        const problems = passwordProblems(password);
        if (problems.length > 0) {
          throw new ConfigError([`ADMIN_PASSWORD: ${problems.join(', ')}`]);
        }
      }
      const now = clock.now();
      db.insert(agents)
        .values({
          loginId: admin.loginId,
          name: 'Administrator',
          nickname: 'Admin',
          passwordHash: await hashSecret(password),
          roleId: rolesService.builtInRoleId('system_admin'),
          passwordChangedAt: now,
          ...created('system', now),
        })
        .run();
      return generatedPassword === undefined
        ? { loginId: admin.loginId }
        : { loginId: admin.loginId, generatedPassword };
    },
  };
}

function lockedError(until: Date | null): HttpError {
  return forbidden(
    'account_locked',
    until === null
      ? 'This account is locked. Ask an administrator to unlock it.'
      : `This account is locked after too many failed logins until ${until.toISOString()}, ` +
          'or until an administrator unlocks it.',
    { lockedUntil: until?.toISOString() ?? null },
  );
}

function tooManyAttempts(waitMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new HttpError(
    429,
    'too_many_attempts',
    `Too many failed logins; try again in ${seconds} s`,
    { retryAfterSeconds: seconds },
    { 'retry-after': String(seconds) },
  );
}
