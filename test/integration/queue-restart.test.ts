/**
 * Callers waiting in a queue survive a crash of the server: kill -9 it while two customers wait
 * with music (Asterisk keeps running), restart it, and the queue holds them again in their order
 * with their original arrival times; the first is connected when an agent becomes available,
 * and both waits in the queue event log count from the original arrival.
 */
import t from 'tap';
import { agentWithPhone, answer, carrier, did, until, type FloorServer } from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';

interface Waiting {
  callId: string;
  from: { number: string };
  enteredAt: string;
  position: number;
}
interface QueueEvent {
  callId: string;
  agentId: number | null;
  event: string;
  data: string[];
}

t.test('kill -9 the server while callers wait: they keep their place and their wait', async (t) => {
  const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));

  const op1 = await agentWithPhone(server, 'op1', '201');
  const agentId = op1.agentId ?? 0;
  const trunk = await carrier(server);
  const group = await server.request('POST', '/api/v1/groups', {
    token: server.adminToken,
    body: { name: 'Support', members: [{ agentId, skillLevel: 1 }] },
  });
  const groupId = (group.json() as { id: number }).id;
  await did(server, '0500001111', { route: { type: 'group', groupId } });
  // Nobody free: the customers wait.
  await server.request('PUT', `/api/v1/agents/${agentId}/status`, {
    token: server.adminToken,
    body: { status: 'paused' },
  });

  const waitingNow = async (api: FloorServer) =>
    (
      (
        await api.request('GET', `/api/v1/groups/${groupId}/waiting-calls`, {
          token: api.adminToken,
        })
      ).json() as { items: Waiting[] }
    ).items;

  const callerA = await trunk.call('0500001111', '0901230001', 'caller.xml', {
    vars: { hold: 60_000 },
  });
  await until(async () => (await waitingNow(server)).length === 1, 10_000, 'A to wait');
  // B gives up on its own, 15 s after it was answered for the music (after the restart).
  const callerB = await trunk.call('0500001111', '0901230002', 'caller.xml', {
    vars: { hold: 15_000 },
  });
  await until(async () => (await waitingNow(server)).length === 2, 10_000, 'B to wait');
  const before = await waitingNow(server);
  // Time passing is the point here, not an event: the callers wait 1.5 s before the crash and
  // the server stays down 1 s, and their waits must count both.
  await new Promise((r) => setTimeout(r, 1500));

  first.child.kill('SIGKILL');
  await first.exited;
  await new Promise((r) => setTimeout(r, 1000));
  const second = startServerProcess(environment.env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const again = await readyServer(environment, 'the restarted server');

  let after: Waiting[] = [];
  await until(
    async () => (after = await waitingNow(again)).length === 2,
    10_000,
    'the waiting callers to be taken back',
  );
  t.same(
    after.map((w) => [w.callId, w.position, w.enteredAt, w.from.number]),
    before.map((w) => [w.callId, w.position, w.enteredAt, w.from.number]),
    'both wait again, in their order, with their original arrival',
  );

  // op1 becomes available: the first in line (A) is connected to their phone.
  const phone = await answer(op1);
  await again.request('PUT', `/api/v1/agents/${agentId}/status`, {
    token: again.adminToken,
    body: { status: 'available' },
  });
  await until(async () => (await waitingNow(again)).length === 1, 10_000, 'A to be answered');
  t.equal((await waitingNow(again))[0]?.from.number, '0901230002', 'B still waits');
  // Leaving the line comes first; the bridge follows a few ARI requests later.
  let callA: { id: string; state: string } | undefined;
  await until(
    async () => {
      const calls = (
        (await again.request('GET', '/api/v1/calls', { token: again.adminToken })).json() as {
          items: { id: string; state: string }[];
        }
      ).items;
      callA = calls.find((c) => c.id === before[0]?.callId);
      return callA?.state === 'up';
    },
    10_000,
    'A to be connected',
  );
  t.equal(callA?.state, 'up', 'A is connected');
  await again.request('POST', `/api/v1/calls/${callA?.id ?? ''}/hangup`, {
    token: again.adminToken,
  });
  const answered = await phone.done;
  t.match(answered.messages, /^From: .*0901230001/m, 'op1’s phone rang with A’s number');
  await callerA.done;
  await callerB.done;

  let events: QueueEvent[] = [];
  await until(
    async () => {
      const from = new Date(Date.now() - 600_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const res = await again.request(
        'GET',
        `/api/v1/queue-log?from=${from}&to=${to}&groupId=${groupId}`,
        { token: again.adminToken },
      );
      events = (res.json() as { items: QueueEvent[] }).items;
      return events.some((e) => e.event === 'ABANDON');
    },
    20_000,
    'B’s abandon',
  );
  const connect = events.find((e) => e.event === 'CONNECT');
  t.equal(connect?.callId, before[0]?.callId);
  t.ok(
    Number(connect?.data[0]) >= 3,
    `A’s wait counts from before the crash (${connect?.data[0]} s)`,
  );
  t.ok(
    events.some((e) => e.event === 'COMPLETEAGENT' || e.event === 'COMPLETECALLER'),
    'A’s call completed',
  );
  const abandon = events.find((e) => e.event === 'ABANDON');
  t.equal(abandon?.callId, before[1]?.callId, 'B abandoned');
  t.ok(Number(abandon?.data[2]) >= 3, `after waiting ${abandon?.data[2]} s in all`);

  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
});
