/**
 * A lease on an agent's session (the browser phone's socket and credential): it ends when the
 * session ends, loses the permission or expires, and only then.
 */
import t from 'tap';
import { leaseSession } from '../../src/browser-phone/session-lease.js';
import type { Principal } from '../../src/platform/http/auth.js';
import { createSessionWatch, session } from '../../src/platform/http/session-watch.js';
import { fakeClock } from '../support/fake-clock.js';

const settle = () => new Promise((r) => setImmediate(r));

function setup(expiresInMs: number | null) {
  const clock = fakeClock();
  const sessions = createSessionWatch();
  const principal = (permissions: string[]): Principal => ({
    kind: 'agent',
    id: 7,
    actor: 'op1',
    roleId: 3,
    permissions: new Set(permissions),
    tokenId: 11,
    expiresAt: expiresInMs === null ? null : new Date(clock.now().getTime() + expiresInMs),
  });
  let current: Principal | undefined = principal(['phone.browser_phone']);
  const first = current;
  let ended = 0;
  const lease = leaseSession({
    token: 'tok',
    principal: first,
    permission: 'phone.browser_phone',
    resolveToken: async (token) => (token === 'tok' ? current : undefined),
    sessions,
    clock,
    onEnded: () => (ended += 1),
  });
  return {
    clock,
    sessions,
    lease,
    ended: () => ended,
    become: (p: Principal | undefined) => (current = p),
    principal,
  };
}

t.test('a recheck of another session, or of a session still valid, keeps it', async (t) => {
  const s = setup(60_000);
  s.sessions.recheck(session(99));
  s.sessions.recheck(session(11));
  await settle();
  t.equal(s.ended(), 0);
});

t.test('logout (the token no longer resolves) ends it, once', async (t) => {
  const s = setup(60_000);
  s.become(undefined);
  s.sessions.recheck(session(11));
  s.sessions.recheck(session(11));
  await settle();
  t.equal(s.ended(), 1);
});

t.test('a role without the permission ends it', async (t) => {
  const s = setup(null);
  s.become(s.principal(['realtime.view']));
  s.sessions.recheck(() => true);
  await settle();
  t.equal(s.ended(), 1);
});

t.test('the token’s expiry ends it, without anyone telling', async (t) => {
  const s = setup(60_000);
  s.become(undefined);
  s.clock.advance(59_000);
  await settle();
  t.equal(s.ended(), 0, 'not before');
  s.clock.advance(1_000);
  await settle();
  t.equal(s.ended(), 1);
});

t.test('released, it follows the session no more', async (t) => {
  const s = setup(60_000);
  s.lease.release();
  s.become(undefined);
  s.sessions.recheck(session(11));
  s.clock.advance(120_000);
  await settle();
  t.equal(s.ended(), 0, 'onEnded is not called for a release');
});
