/**
 * Throttling of failed logins (pure: the time is an argument). Each key — a client address, a
 * login ID — may fail at most `limit` times within a sliding window; beyond that, its attempts
 * are refused without checking the password until its oldest failure in the window ages out.
 *
 * The throttle works the same for login IDs that exist and those that do not, so its answer
 * tells nothing about which IDs exist; and it bounds the scrypt work an attacker can make the
 * server do. It lives in memory: a restart forgets it, which only gives an attacker one more
 * window, while the account lock (which is stored) stays.
 */

export interface ThrottleRule {
  /** Failures a key may have within the window; 0 turns the rule off. */
  limit: number;
  windowMs: number;
}

export interface LoginThrottle {
  /** Milliseconds until every key may try again; 0 when all may try now. */
  retryAfterMs(keys: readonly ThrottleKey[], now: number): number;
  /** Records a failed login of every key. */
  failed(keys: readonly ThrottleKey[], now: number): void;
}

export interface ThrottleKey {
  /** e.g. `address:203.0.113.7`, `login:op01`. */
  key: string;
  rule: ThrottleRule;
}

/** Keys remembered at most; the stalest are forgotten first (a flood of addresses stays bounded). */
const MAX_KEYS = 100_000;

export function createLoginThrottle(): LoginThrottle {
  // Failure times per key, oldest first; a Map keeps insertion order, so the first entry is the
  // least recently failed key.
  const failures = new Map<string, number[]>();

  function recent(key: ThrottleKey, now: number): number[] {
    const times = failures.get(key.key);
    if (times === undefined) return [];
    const fresh = times.filter((t) => now - t < key.rule.windowMs);
    if (fresh.length === 0) failures.delete(key.key);
    else if (fresh.length !== times.length) failures.set(key.key, fresh);
    return fresh;
  }

  return {
    retryAfterMs(keys, now) {
      let wait = 0;
      for (const key of keys) {
        if (key.rule.limit <= 0) continue;
        const times = recent(key, now);
        if (times.length < key.rule.limit) continue;
        // Free again once enough failures have left the window to fall below the limit.
        const freeing = times[times.length - key.rule.limit] ?? now;
        wait = Math.max(wait, freeing + key.rule.windowMs - now);
      }
      return wait;
    },
    failed(keys, now) {
      for (const key of keys) {
        if (key.rule.limit <= 0) continue;
        const times = recent(key, now);
        times.push(now);
        // Only the last `limit` failures matter; re-inserting moves the key to the fresh end.
        failures.delete(key.key);
        failures.set(key.key, times.slice(-key.rule.limit));
      }
      while (failures.size > MAX_KEYS) {
        const stalest = failures.keys().next().value;
        if (stalest === undefined) break;
        failures.delete(stalest);
      }
    },
  };
}
