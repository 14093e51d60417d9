/**
 * A conference survives `kill -9` of the server: the managed Asterisk keeps the room's bridge
 * and its members talking; the restarted server finds each participant by the CC_CONFERENCE tag
 * (same participant, same joining time, still muted), and a phone dialling the room joins the
 * same conversation.
 */
import t from 'tap';
import { agentWithPhone, dial, until, type FloorServer } from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';
import { rtpListener } from '../support/rtp.js';

interface Participant {
  id: string;
  agentId: number | null;
  muted: boolean;
  joinedAt: string;
}

const ROOM = '9202';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const inRoom = async (api: FloorServer): Promise<Participant[]> =>
  (
    (await api.request('GET', `/api/v1/conferences/${ROOM}`, { token: api.adminToken })).json() as {
      participants: Participant[];
    }
  ).participants;

t.test('kill -9 with a room in use: its participants are still in it', async (t) => {
  const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const op3 = await agentWithPhone(server, 'op3', '203');
  const ear1 = await rtpListener();
  const ear2 = await rtpListener();
  const ear3 = await rtpListener();
  t.teardown(async () => {
    for (const ear of [ear1, ear2, ear3]) await ear.close();
  });

  const first1 = await dial(server, op1, ROOM, 'caller.xml', {
    vars: { rtp_port: ear1.port, hold: 45_000 },
    timeoutSeconds: 90,
  });
  const first2 = await dial(server, op2, ROOM, 'caller.xml', {
    vars: { rtp_port: ear2.port, hold: 45_000 },
    timeoutSeconds: 90,
  });
  let before: Participant[] = [];
  await until(
    async () => {
      before = await inRoom(server);
      return before.length === 2;
    },
    15_000,
    'op1 and op2 in the room',
  );
  const op2Id = before.find((p) => p.agentId === op2.agentId)?.id ?? '';
  const muted = await server.request('PATCH', `/api/v1/conferences/${ROOM}/participants/${op2Id}`, {
    token: server.adminToken,
    body: { muted: true },
  });
  t.equal(muted.statusCode, 200, 'op2 muted');
  before = await inRoom(server);

  first.child.kill('SIGKILL');
  await first.exited;
  const second = startServerProcess(environment.env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const again = await readyServer(environment, 'the restarted server');

  let after: Participant[] = [];
  await until(
    async () => {
      after = await inRoom(again);
      return after.length === 2;
    },
    15_000,
    'the room to be listed again',
  );
  t.same(after, before, 'the same participants, joined when they did, op2 still muted');

  // op3 dials the room: it hears op1, not the muted op2; op1 hears op3.
  const third = await dial(again, op3, ROOM, 'caller.xml', {
    vars: { rtp_port: ear3.port, hold: 12_000 },
    timeoutSeconds: 60,
  });
  await until(async () => (await inRoom(again)).length === 3, 15_000, 'op3 in the room');
  await until(
    () => [ear1, ear2, ear3].every((ear) => ear.packets() > 0),
    5000,
    'RTP from Asterisk to each phone',
  );
  ear1.speak(500);
  ear2.speak(900);
  ear3.speak(1300);
  await sleep(800);
  for (const ear of [ear1, ear2, ear3]) ear.reset();
  await sleep(2500);
  t.ok(ear3.level(500) > 1000, `op3 hears op1 (${ear3.level(500).toFixed(0)})`);
  t.ok(ear3.level(900) < 300, `but not the muted op2 (${ear3.level(900).toFixed(0)})`);
  t.ok(ear1.level(1300) > 1000, `op1 hears op3 (${ear1.level(1300).toFixed(0)})`);
  t.ok(ear2.level(1300) > 1000, `op2 hears op3 (${ear2.level(1300).toFixed(0)})`);
  for (const ear of [ear1, ear2, ear3]) ear.silence();

  t.equal((await third.done).code, 0, 'op3 talked and hung up');
  const hangups = await Promise.all(
    after.map((p) =>
      again.request('DELETE', `/api/v1/conferences/${ROOM}/participants/${p.id}`, {
        token: again.adminToken,
      }),
    ),
  );
  t.same(
    hangups.map((r) => r.statusCode),
    [204, 204],
    'the adopted participants can be removed',
  );
  t.match((await first1.done).messages, /BYE sip:/, 'op1 got the BYE');
  t.match((await first2.done).messages, /BYE sip:/, 'op2 got the BYE');
  await until(async () => (await inRoom(again)).length === 0, 10_000, 'an empty room');

  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
});
