/**
 * A parked call survives `kill -9` of the server (§5-3): the managed Asterisk keeps the party in
 * its holding bridge with music; the restarted server finds it by its CC_PARK tag, lists it in
 * the same slot with the same parking time, and another phone dialling the slot takes it.
 */
import t from 'tap';
import { agentWithPhone, answer, dial, until, type FloorServer } from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';

interface Parked {
  slot: string;
  callId: string;
  number: string;
  parkedAt: string;
}

const parkedList = async (api: FloorServer): Promise<Parked[]> =>
  (
    (await api.request('GET', '/api/v1/parked-calls', { token: api.adminToken })).json() as {
      items: Parked[];
    }
  ).items;

t.test('kill -9 with a call parked: it is still in its slot, and can be picked up', async (t) => {
  const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const op3 = await agentWithPhone(server, 'op3', '203');

  // op1 calls op2 and parks op2 with #72.
  const parkedParty = await answer(op2, 'phone-answer.xml', { timeoutSeconds: 120 });
  const parker = await dial(server, op1, '202', 'caller.xml', {
    vars: { dtmf: '#72', dtmf_mode: 'info', dtmf_delay: 1000, hold: 30_000 },
  });
  let before: Parked[] = [];
  await until(
    async () => {
      before = await parkedList(server);
      return before.length === 1;
    },
    10_000,
    'the call to be parked',
  );
  t.equal((await parker.done).code, 0, 'the parker was freed');
  t.equal(before[0]?.slot, '9001');
  t.equal(before[0]?.number, '201', 'the party parked is op2, called by 201');

  first.child.kill('SIGKILL');
  await first.exited;
  const second = startServerProcess(environment.env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const again = await readyServer(environment, 'the restarted server');

  let after: Parked[] = [];
  await until(
    async () => {
      after = await parkedList(again);
      return after.length === 1;
    },
    10_000,
    'the parked call to be listed again',
  );
  t.same(after, before, 'same slot, same call, same parking time');

  // op3 dials the slot: op2 is connected with op3; op3 hangs up after 2 s, op2 gets its BYE.
  const picker = await dial(again, op3, '9001', 'caller.xml', { vars: { hold: 2000 } });
  await until(
    async () => {
      const res = await again.request('GET', '/api/v1/calls', { token: again.adminToken });
      return (res.json() as { items: { id: string; agentIds: number[] }[] }).items.some(
        (c) => c.id === before[0]?.callId && c.agentIds.includes(op3.agentId ?? 0),
      );
    },
    10_000,
    'op3 to have the parked call',
  );
  t.same(await parkedList(again), [], 'the slot is free');
  t.equal((await picker.done).code, 0, 'op3 talked and hung up');
  t.equal((await parkedParty.done).code, 0, 'op2, parked across the crash, got the BYE');

  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
});
