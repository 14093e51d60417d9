/**
 * Surviving restarts.
 * - The server is killed (SIGKILL) in the middle of calls while its managed Asterisk keeps
 *   running: the restarted server adopts that Asterisk, re-adopts the call still up (which stays
 *   controllable over REST and hangs up into a correct history row) and closes the row of the
 *   call that ended while it was away.
 * - Asterisk dies under a call: agents are `unknown` while it is away; when it is back the call's
 *   history row is closed, and the agents are `available` again without their phones
 *   re-registering (Asterisk keeps registrations in its database; we must see them), and a call
 *   reaches them.
 */
import t from 'tap';
import { agentWithPhone, answer, dial, until, type FloorServer } from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';
import { startTelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

interface LiveCall {
  id: string;
  state: string;
  legs: unknown[];
}
interface Row {
  callId: string;
  endedAt: string | null;
  endReason: string | null;
  talkSeconds: number;
  answeredAt: string | null;
}

t.test(
  'kill -9 the server mid-call: the call stays up, is re-adopted, controllable, written down',
  async (t) => {
    const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));

    const op1 = await agentWithPhone(server, 'op1', '201');
    const op2 = await agentWithPhone(server, 'op2', '202');
    const op3 = await agentWithPhone(server, 'op3', '203');
    const op4 = await agentWithPhone(server, 'op4', '204');
    const live = async (api: FloorServer) =>
      (
        (await api.request('GET', '/api/v1/calls', { token: api.adminToken })).json() as {
          items: LiveCall[];
        }
      ).items;

    // Call A (op1 → op2) stays up across the crash; call B (op3 → op4) ends while the server is down.
    const calleeA = await answer(op2);
    const callerA = await dial(server, op1, '202', 'caller.xml', { vars: { hold: 60_000 } });
    const calleeB = await answer(op4);
    const callerB = await dial(server, op3, '204', 'caller.xml', { vars: { hold: 4_000 } });
    await until(
      async () => (await live(server)).filter((c) => c.state === 'up').length === 2,
      10_000,
      'both calls to connect',
    );
    const answeredAt = Date.now();

    first.child.kill('SIGKILL');
    await first.exited;
    // The server is gone; call B's caller hangs up meanwhile (SIPp sends its BYE after 4 s).
    t.equal((await callerB.done).code, 0, 'call B’s caller hung up while the server was down');

    const second = startServerProcess(environment.env);
    t.teardown(() => second.child.kill('SIGKILL'));
    const again = await readyServer(environment, 'the restarted server');

    // Call B's callee was left in a call nobody controlled: the restarted server ends it.
    t.equal((await calleeB.done).code, 0, 'call B’s callee got its BYE from the restarted server');
    const calls = await live(again);
    t.equal(calls.length, 1, 'one call is live again');
    const call = calls[0];
    t.match(call, { state: 'up', direction: 'internal' });
    t.equal(call?.legs.length, 2, 'with both its legs');

    const hung = await again.request('POST', `/api/v1/calls/${call?.id ?? ''}/hangup`, {
      token: again.adminToken,
    });
    t.equal(hung.statusCode, 204, 'and it is controllable over REST');
    const [caller, callee] = await Promise.all([callerA.done, calleeA.done]);
    // (SIPp's caller exits 1 when a BYE lands on its hold timer: look at what it received.)
    t.match(caller.messages, /received \[\d+\] bytes :\s+BYE sip:/, 'the caller got the BYE');
    t.equal(callee.code, 0, 'the callee got the BYE');

    const rows = (
      (await again.request('GET', '/api/v1/call-history', { token: again.adminToken })).json() as {
        items: Row[];
      }
    ).items;
    const rowA = rows.find((r) => r.callId === call?.id);
    t.match(rowA, { endReason: 'completed' });
    const talked = (Date.now() - answeredAt) / 1000;
    t.ok(
      rowA !== undefined && Math.abs(rowA.talkSeconds - talked) <= 2,
      `talk time spans the crash (${rowA?.talkSeconds ?? '?'} s)`,
    );
    const rowB = rows.find((r) => r.callId !== call?.id);
    t.match(rowB, { endReason: 'ended_while_away' }, 'the call that ended meanwhile is closed');
    t.ok(
      rows.every((r) => r.endedAt !== null),
      'no history row is left open',
    );
    const statuses = (
      (await again.request('GET', '/api/v1/agents/status', { token: again.adminToken })).json() as {
        items: { agentId: number; status: string }[];
      }
    ).items;
    t.ok(
      statuses.filter((s) => s.agentId !== 1).every((s) => s.status === 'available'),
      'every agent is available again',
    );

    second.child.kill('SIGTERM');
    t.equal(await second.exited, 0);
  },
);

t.test(
  'Asterisk dies under a call: agents unknown, then available again with their registrations',
  async (t) => {
    const server = await startTelephonyServer();
    t.teardown(server.stop);
    const op1 = await agentWithPhone(server, 'op1', '201');
    const op2 = await agentWithPhone(server, 'op2', '202');
    const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['agents', 'calls']);
    t.teardown(() => feed.close());

    const callee = await answer(op2);
    const caller = await dial(server, op1, '202', 'caller.xml', { vars: { hold: 30_000 } });
    await feed.waitFor((m) => m.name === 'call_answered', 10_000);
    // Asterisk's database commits what it was told (the registrations) once a second, from a
    // thread of its own, and nothing tells when: a wait on the clock, not on an event. (Read
    // back, the contacts are there at once, committed or not.)
    await new Promise((r) => setTimeout(r, 1500));

    const pid = server.asterisk.managed?.pid();
    if (pid === undefined) throw new Error('no managed Asterisk');
    process.kill(pid, 'SIGKILL');
    const statusOf =
      (agentId: number | null, status: string) => (m: { name?: string; data?: unknown }) =>
        m.name === 'agent_status_changed' &&
        (m.data as { agentId: number; status: string }).agentId === agentId &&
        (m.data as { status: string }).status === status;
    const unknown1 = await feed.waitFor(statusOf(op1.agentId, 'unknown'), 10_000, 'op1 unknown');
    await feed.waitFor(statusOf(op2.agentId, 'unknown'), 10_000, 'op2 unknown');
    t.pass('both agents are unknown while Asterisk is away');
    await server.waitReady(200, 60_000);

    const ended = await feed.waitFor((m) => m.name === 'call_ended', 10_000);
    t.pass('the call is over for the feed');
    const rows = (
      await server.request('GET', '/api/v1/call-history', { token: server.adminToken })
    ).json() as { items: Row[] };
    t.match(rows.items, [
      { callId: (ended.data as { id: string }).id, endReason: 'ended_while_away' },
    ]);
    t.ok(
      rows.items.every((r) => r.endedAt !== null),
      'no history row is left open',
    );
    caller.kill();
    callee.kill();
    await Promise.allSettled([caller.done, callee.done]);

    const after = (m: { seq?: number }) => (m.seq ?? 0) > (unknown1.seq ?? 0);
    for (const op of [op1, op2]) {
      await feed.waitFor(
        (m) => after(m) && statusOf(op.agentId, 'available')(m),
        10_000,
        `${op.sipUser} available again without re-registering`,
      );
    }
    t.pass('both agents are available again, their phones never re-registered');

    const phone = await answer(op2);
    const call = await (await dial(server, op1, '202', 'caller.xml', { vars: { hold: 500 } })).done;
    t.equal(call.code, 0, 'and a call reaches op2’s phone on its old registration');
    t.equal((await phone.done).code, 0);
  },
);
