/**
 * Sessions that must be looked at again now. A bearer token is checked on every HTTP request, but
 * a WebSocket is authenticated once, when it opens: whatever ends or changes a session afterwards
 * (logout, forced logout, a password change, a lock, a role or permission change, a deleted API
 * key) says so here, and the realtime feed resolves the token of every matching socket again at
 * once — closing it when the token no longer resolves, re-filtering it when its principal changed.
 */
import type { Principal } from './auth.js';

/** Which open sessions are concerned, e.g. every session of one agent, or of one role. */
export type PrincipalMatch = (principal: Principal) => boolean;

export interface SessionWatch {
  /** The sessions matching must be resolved again now. */
  recheck(match: PrincipalMatch): void;
  onRecheck(listener: (match: PrincipalMatch) => void): () => void;
}

export function createSessionWatch(): SessionWatch {
  const listeners = new Set<(match: PrincipalMatch) => void>();
  return {
    recheck(match) {
      for (const listener of listeners) listener(match);
    },
    onRecheck(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The sessions of one agent (all of them, or all but the one in use). */
export function agentSessions(agentId: number, exceptTokenId?: number): PrincipalMatch {
  return (p) => p.kind === 'agent' && p.id === agentId && p.tokenId !== exceptTokenId;
}

/** One session token. */
export function session(tokenId: number): PrincipalMatch {
  return (p) => p.kind === 'agent' && p.tokenId === tokenId;
}

/** Everyone holding a role. */
export function roleHolders(roleId: number): PrincipalMatch {
  return (p) => p.roleId === roleId;
}

/** One API key. */
export function apiKeySessions(apiKeyId: number): PrincipalMatch {
  return (p) => p.kind === 'api_key' && p.id === apiKeyId;
}
