/**
 * Hot-desk on a fake Asterisk with a fake clock (the whole server, every service): the PIN
 * prompt and its pauses, a login moving to another phone, 997, the refusals before the PIN, a
 * caller hanging up mid-PIN, three wrong PINs locking the account at AUTH_MAX_FAILED_LOGINS=3, the
 * REST logout, and the login surviving a restart of the server on the same database. What a
 * real phone hears and keys is proven with SIPp in test/integration/hot-desk.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { HubEvent } from '../../src/platform/realtime/hub.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import { fakeAsterisk, type FakeAsterisk } from '../support/fake-asterisk.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';

interface Rig {
  server: TestApp;
  asterisk: FakeAsterisk;
  clock: FakeClock;
  feed: HubEvent[];
  after(ms: number): Promise<void>;
  /** Real time passes until `check` holds (the PIN check runs scrypt on the thread pool). */
  eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void>;
  terminal(sipUser: string): Promise<{ id: number; hotDeskAgentId: number | null }>;
  authEvents(agentId: number): Promise<{ kind: string; detail: string | null }[]>;
}

async function rig(t: Test, dbPath: string, env: Record<string, string> = {}): Promise<Rig> {
  const clock = fakeClock(new Date('2026-12-01T01:00:00Z'));
  const asterisk = fakeAsterisk(clock);
  const server = await buildTestApp({
    clock,
    asterisk: asterisk.gateway,
    env: { DATABASE_PATH: dbPath, ...env },
  });
  t.teardown(server.close);
  const feed: HubEvent[] = [];
  server.hub.subscribe((event) => feed.push(event));
  asterisk.gateway.start();
  await asterisk.settle();
  const after = async (ms: number) => {
    await asterisk.settle();
    clock.advance(ms);
    await asterisk.settle();
  };
  const eventually = async (check: () => Promise<boolean> | boolean, what: string) => {
    for (let i = 0; i < 300; i += 1) {
      await asterisk.settle();
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const terminal = async (sipUser: string) => {
    const res = await server.request('GET', `/api/v1/terminals?sipUser=${sipUser}`, {
      token: server.adminToken,
    });
    const item = (
      res.json() as { items: { id: number; sipUser: string; hotDeskAgentId: number | null }[] }
    ).items.find((i) => i.sipUser === sipUser);
    if (item === undefined) throw new Error(`no terminal ${sipUser}`);
    return item;
  };
  const authEvents = async (agentId: number) => {
    const res = await server.request('GET', `/api/v1/agents/${agentId}/auth-events?limit=100`, {
      token: server.adminToken,
    });
    return (res.json() as { items: { kind: string; detail: string | null }[] }).items.reverse();
  };
  return { server, asterisk, clock, feed, after, eventually, terminal, authEvents };
}

/** op1 (201, PIN 1234, no phone of their own), op2 (202, desk202), op3 (203, no PIN); two free desks. */
async function floor(t: Test, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-hotdesk-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'cc.db');
  const r = await rig(t, dbPath, env);
  const op1 = await createAgent(r.server, { loginId: 'op1', extension: '201' });
  t.equal(
    (
      await r.server.request('PATCH', `/api/v1/agents/${op1}`, {
        token: r.server.adminToken,
        body: { pin: '1234' },
      })
    ).statusCode,
    200,
  );
  const op2 = await createAgent(r.server, { loginId: 'op2', extension: '202' });
  const op3 = await createAgent(r.server, { loginId: 'op3', extension: '203' });
  for (const [sipUser, agentId] of [
    ['desk202', op2],
    ['free1', null],
    ['free2', null],
  ] as const) {
    const res = await r.server.request('POST', '/api/v1/terminals', {
      token: r.server.adminToken,
      body: { sipUser, name: sipUser, ...(agentId !== null && { agentId }) },
    });
    t.equal(res.statusCode, 201);
    r.asterisk.register(sipUser);
  }
  await r.asterisk.settle();
  return { ...r, dbPath, op1, op2, op3 };
}

type Floor = Awaited<ReturnType<typeof floor>>;

/** `sipUser` dials `number`; the caller's channel. */
function dialFrom(f: Rig, sipUser: string, number: string): string {
  return f.asterisk.call(`PJSIP/${sipUser}`, ['internal', number], { number: sipUser, name: '' });
}

/** `desk` dials 998201 and keys `pins` one after another, each once the one before is checked. */
async function hotDeskLogin(f: Floor, desk: string, pins: string[]) {
  const channel = dialFrom(f, desk, '998201');
  await f.after(10);
  for (const pin of pins) {
    // Keyed over the prompt (barge-in).
    f.asterisk.dtmf(channel, pin);
    await f.after(10);
    await new Promise((r) => setTimeout(r, 150)); // the PIN check (scrypt)
    await f.after(10);
  }
  return channel;
}

const names = (feed: HubEvent[], prefix: string) =>
  feed.filter((e) => e.name.startsWith(prefix)).map((e) => ({ name: e.name, data: e.data }));

/** Whether op2's call to 201 rings `sipUser` (and the call is then hung up). */
async function rings(f: Floor, sipUser: string): Promise<boolean> {
  const before = f.asterisk.log.length;
  const caller = dialFrom(f, 'desk202', '201');
  await f.after(10);
  const rang = f.asterisk.log.slice(before).includes(`dial PJSIP/${sipUser}`);
  f.asterisk.hangUp(caller);
  await f.after(1000);
  return rang;
}

t.test('the right PIN: the phone is the agent’s, and calls to them ring it', async (t) => {
  const f = await floor(t);
  const channel = dialFrom(f, 'free1', '998201');
  await f.after(10);
  t.equal(f.asterisk.channel(channel)?.state, 'Up', 'the phone is answered for the PIN');
  t.notOk(await rings(f, 'free1'), 'before the login, op1 has no phone');
  // Nothing keyed: the prompt (1 s) and 10 s pass, then the prompt again.
  await f.after(1000);
  await f.after(9_999);
  t.ok(f.asterisk.channel(channel), 'still waiting for the first digit');
  await f.after(1);
  f.asterisk.dtmf(channel, '12');
  await f.after(4_999);
  f.asterisk.dtmf(channel, '34#');
  await f.eventually(async () => (await f.terminal('free1')).hotDeskAgentId === f.op1, 'login');
  t.same(names(f.feed, 'hot_desk'), [
    {
      name: 'hot_desk_login',
      data: {
        terminalId: (await f.terminal('free1')).id,
        sipUser: 'free1',
        agentId: f.op1,
        at: f.clock.now().toISOString(),
      },
    },
  ]);
  t.ok(f.asterisk.channel(channel), '“Agent logged in” plays');
  await f.after(1000);
  t.equal(f.asterisk.channel(channel), undefined, 'then the phone is hung up');
  t.ok(f.asterisk.log.includes('hangup PJSIP/free1 normal'));

  t.ok(await rings(f, 'free1'), 'op2 calls 201: free1 rings');
  const status = await f.server.request('GET', `/api/v1/agents/${f.op1}/status`, {
    token: f.server.adminToken,
  });
  t.match(status.json(), { registered: true }, 'op1’s presence follows free1');
  t.match(await f.authEvents(f.op1), [{ kind: 'hot_desk_login', detail: 'on free1' }]);

  await t.test('a login on another phone releases the first', async (t) => {
    const before = f.feed.length;
    await hotDeskLogin(f, 'free2', ['1234']);
    await f.eventually(async () => (await f.terminal('free2')).hotDeskAgentId === f.op1, 'login');
    t.equal((await f.terminal('free1')).hotDeskAgentId, null, 'free1 is released');
    t.match(
      names(f.feed.slice(before), 'hot_desk').map((e) => e.name),
      ['hot_desk_logout', 'hot_desk_login'],
    );
    t.match(names(f.feed.slice(before), 'hot_desk_logout')[0]?.data, {
      sipUser: 'free1',
      how: 'elsewhere',
    });
    await f.after(1000);
    t.ok(await rings(f, 'free2'), 'free2 rings for op1');
    t.notOk(await rings(f, 'free1'), 'free1 no longer does');
  });

  await t.test('997 logs off; calls to the agent no longer ring the phone', async (t) => {
    const channel = dialFrom(f, 'free2', '997');
    await f.after(10);
    t.equal((await f.terminal('free2')).hotDeskAgentId, null);
    t.equal(f.asterisk.channel(channel)?.state, 'Up', '“Agent logged off” plays');
    await f.after(1000);
    t.equal(f.asterisk.channel(channel), undefined);
    t.notOk(await rings(f, 'free2'));
    t.match((await f.authEvents(f.op1)).at(-1), { kind: 'hot_desk_logout', detail: /997/ });
    const again = dialFrom(f, 'free2', '997');
    await f.after(1000);
    t.ok(
      f.asterisk.log.includes('hangup PJSIP/free2 unallocated'),
      '997 with no one logged in: 404 after the announcement',
    );
    t.equal(f.asterisk.channel(again), undefined);
  });

  await t.test('the login survives a restart of the server', async (t) => {
    await hotDeskLogin(f, 'free1', ['1234']);
    await f.eventually(async () => (await f.terminal('free1')).hotDeskAgentId === f.op1, 'login');
    await f.after(1000);
    await f.server.close();
    const g = await rig(t, f.dbPath);
    g.asterisk.register('free1');
    g.asterisk.register('desk202');
    await g.asterisk.settle();
    t.equal((await g.terminal('free1')).hotDeskAgentId, f.op1, 'still op1’s');
    t.ok(await rings({ ...f, ...g }, 'free1'), 'calls to 201 ring free1 after the restart');
  });
});

t.test('refusals before the PIN: announced, then a SIP error', async (t) => {
  const f = await floor(t);
  const cases = [
    ['998299', 'unallocated', 'an extension no agent has: 404'],
    ['998', 'unallocated', 'no extension: 404'],
    ['998203', 'rejected', 'an agent without a PIN: 403'],
    ['998800', 'unallocated', 'not an agent’s extension: 404'],
  ] as const;
  for (const [number, reason, what] of cases) {
    const channel = dialFrom(f, 'free1', number);
    await f.after(10);
    t.not(f.asterisk.channel(channel)?.state, 'Up', `${what}: not answered`);
    await f.after(1000);
    t.ok(f.asterisk.log.includes(`hangup PJSIP/free1 ${reason}`), what);
    f.asterisk.log.length = 0;
  }
  const stranger = f.asterisk.call('PJSIP/nobody', ['internal', '998201']);
  await f.after(1000);
  t.ok(f.asterisk.log.includes('hangup PJSIP/nobody rejected'), 'a phone we do not know: 403');
  t.equal(f.asterisk.channel(stranger), undefined);
  t.equal((await f.terminal('free1')).hotDeskAgentId, null, 'nobody logged in');
});

t.test('three wrong PINs: refused, written down; at the limit the account locks', async (t) => {
  const f = await floor(t, { AUTH_MAX_FAILED_LOGINS: '4' });
  const channel = await hotDeskLogin(f, 'free1', ['1111', '2222#', '0000']);
  await f.eventually(
    async () =>
      (await f.authEvents(f.op1)).filter((e) => e.kind === 'hot_desk_failed').length === 3,
    'three failures written down',
  );
  t.ok(f.asterisk.channel(channel), '“Login incorrect. Goodbye.”');
  await f.after(1000);
  await f.after(1000);
  t.equal(f.asterisk.channel(channel), undefined, 'then hung up');
  t.equal((await f.terminal('free1')).hotDeskAgentId, null, 'not logged in');
  const events = await f.authEvents(f.op1);
  t.match(
    events.map((e) => e.detail),
    [
      'wrong PIN on free1 (attempt 1 of 3; failure 1)',
      'wrong PIN on free1 (attempt 2 of 3; failure 2)',
      'wrong PIN on free1 (attempt 3 of 3, refused; failure 3)',
    ],
  );
  t.notOk(
    events.some((e) => /1111|2222|0000|1234/.test(e.detail ?? '')),
    'no PIN in the log',
  );

  // A caller who hangs up after a wrong PIN is written down all the same.
  const quitter = await hotDeskLogin(f, 'free1', ['9999']);
  f.asterisk.hangUp(quitter);
  await f.eventually(
    async () => (await f.authEvents(f.op1)).some((e) => e.kind === 'account_locked'),
    'the lock at the 4th failure',
  );
  t.match((await f.authEvents(f.op1)).slice(-2), [
    { kind: 'hot_desk_failed', detail: 'wrong PIN on free1 (attempt 1 of 3; failure 4)' },
    { kind: 'account_locked' },
  ]);
  const web = await f.server.login('op1', 'Secret123');
  t.equal(web.statusCode, 403, 'the web login is locked too');

  // Locked: the right PIN is refused.
  const locked = await hotDeskLogin(f, 'free1', ['1234']);
  await f.eventually(
    async () => (await f.authEvents(f.op1)).at(-1)?.kind === 'login_refused',
    'refused',
  );
  // The apology plays, then the call ends: the clock moves on until it has (under load, the
  // refusal's own steps may still be on their way when the first second passes).
  await f.eventually(async () => {
    await f.after(1000);
    return f.asterisk.channel(locked) === undefined;
  }, 'the refused call to end');
  t.pass('“We’re sorry. Please try again later.”, then the call ends');
  t.equal((await f.terminal('free1')).hotDeskAgentId, null);
});

t.test('an administrator ends a login over REST', async (t) => {
  const f = await floor(t);
  await hotDeskLogin(f, 'free1', ['1234']);
  await f.eventually(async () => (await f.terminal('free1')).hotDeskAgentId === f.op1, 'login');
  await f.after(1000);
  const id = (await f.terminal('free1')).id;
  const del = () =>
    f.server.request('DELETE', `/api/v1/terminals/${id}/hot-desk`, { token: f.server.adminToken });
  t.equal((await del()).statusCode, 204);
  t.equal((await f.terminal('free1')).hotDeskAgentId, null);
  t.match(names(f.feed, 'hot_desk_logout')[0]?.data, { sipUser: 'free1', how: 'admin' });
  t.match((await f.authEvents(f.op1)).at(-1), { kind: 'hot_desk_logout', detail: /administrator/ });
  t.equal((await del()).statusCode, 404, 'no one logged in any more');
  const missing = await f.server.request('DELETE', '/api/v1/terminals/999/hot-desk', {
    token: f.server.adminToken,
  });
  t.equal(missing.statusCode, 404);
  const agentToken = ((await f.server.login('op2', 'Secret123')).json() as { token: string }).token;
  const forbidden = await f.server.request('DELETE', `/api/v1/terminals/${id}/hot-desk`, {
    token: agentToken,
  });
  t.equal(forbidden.statusCode, 403, 'an agent may not');
});
