/**
 * Something that lives only as long as an agent's session and permission: a browser phone's
 * SIP socket, its credential. Whatever ends or changes sessions says so on the session watch
 * (logout, forced logout, a password change, a lock, a role change); the token is then resolved
 * again at once — and when it expires — and the lease ends if the token no longer resolves or
 * its principal lost the permission.
 */
import type { Clock, Timer } from '../platform/clock.js';
import type { Principal, TokenResolver } from '../platform/http/auth.js';
import type { SessionWatch } from '../platform/http/session-watch.js';

export interface LeaseOptions {
  token: string;
  principal: Principal;
  permission: string;
  resolveToken: TokenResolver;
  sessions: SessionWatch;
  clock: Clock;
  /** Called once, when the session ends or loses the permission (not on release). */
  onEnded: () => void;
}

export interface SessionLease {
  /** The session's principal as last resolved. */
  principal(): Principal;
  /** Stops following the session (the holder is done); onEnded is not called. */
  release(): void;
}

/** setTimeout's longest delay (about 24.8 days); a later expiry is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function leaseSession(options: LeaseOptions): SessionLease {
  const { clock } = options;
  let principal = options.principal;
  let done = false;
  let expiryTimer: Timer | null = null;

  function finish(ended: boolean): void {
    if (done) return;
    done = true;
    stopWatching();
    if (expiryTimer !== null) clock.clearTimeout(expiryTimer);
    expiryTimer = null;
    if (ended) options.onEnded();
  }

  async function recheck(): Promise<void> {
    const next = await options.resolveToken(options.token);
    if (done) return;
    if (next === undefined || !next.permissions.has(options.permission)) {
      finish(true);
      return;
    }
    principal = next;
    armExpiry();
  }

  /** A failed look-up (the database busy) leaves the lease as it is, until the next check. */
  const check = (): void => void recheck().catch(() => undefined);

  function armExpiry(): void {
    if (expiryTimer !== null) clock.clearTimeout(expiryTimer);
    expiryTimer = null;
    if (principal.expiresAt === null) return;
    const delay = Math.max(0, principal.expiresAt.getTime() - clock.now().getTime());
    expiryTimer = clock.setTimeout(check, Math.min(delay, MAX_TIMER_MS));
  }

  const stopWatching = options.sessions.onRecheck((match) => {
    if (match(principal)) check();
  });
  armExpiry();

  return {
    principal: () => principal,
    release: () => finish(false),
  };
}
