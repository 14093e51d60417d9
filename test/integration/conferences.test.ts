/**
 * Conference rooms (§5-1, §13) with SIPp phones: two phones dial 9201, a third is rung in over
 * REST. Each party speaks a tone of its own (RTP from its phone's media port), and each hears
 * the other two and not itself; a muted party is heard by nobody; a kicked party gets the BYE;
 * the feed and the call history say who was in the room.
 */
import t from 'tap';
import { agentWithPhone, answer, dial, phoneFor, until, type Phone } from '../support/floor.js';
import { rtpListener, type RtpListener } from '../support/rtp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

interface Participant {
  id: string;
  callId: string;
  agentId: number | null;
  muted: boolean;
}

const ROOM = '9201';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function participants(server: TelephonyServer): Promise<Participant[]> {
  const res = await server.request('GET', `/api/v1/conferences/${ROOM}`, {
    token: server.adminToken,
  });
  return (res.json() as { participants: Participant[] }).participants;
}

/** A tone well above the others' so that no harmonic of one is read as another. */
const TONES = { op1: 440, op2: 760, op3: 1180 } as const;
/**
 * A tone's level at a listener: one heard is 4500–8000 on a quiet machine, down to 1000 on a loaded
 * one (the mix loses frames when Asterisk is starved), one not heard 1–20.
 */
const HEARD = 500;
const NOT_HEARD = 300;
type Who = keyof typeof TONES;

t.test('a room of three: each hears the others, mute, kick, feed and history', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const phones: Record<Who, Phone> = {
    op1: await agentWithPhone(server, 'op1', '201'),
    op2: await agentWithPhone(server, 'op2', '202'),
    op3: await agentWithPhone(server, 'op3', '203'),
  };
  const ears: Record<Who, RtpListener> = {
    op1: await rtpListener(),
    op2: await rtpListener(),
    op3: await rtpListener(),
  };
  t.teardown(async () => {
    for (const ear of Object.values(ears)) await ear.close();
  });
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['conferences']);
  t.teardown(() => feed.close());
  const joined = (agentId: number | null) =>
    feed.waitFor(
      (m) =>
        m.name === 'participant_joined' &&
        (m.data as { agentId: number | null }).agentId === agentId,
      20_000,
      `agent ${String(agentId)} to join`,
    );

  // op1 dials the room and is alone in it; op2 joins: op1 hears the entry tone.
  const op1 = await dial(server, phones.op1, ROOM, 'caller.xml', {
    vars: { rtp_port: ears.op1.port, hold: 40_000 },
    timeoutSeconds: 90,
  });
  await joined(phones.op1.agentId);
  await sleep(1500);
  ears.op1.reset();
  const op2 = await dial(server, phones.op2, ROOM, 'caller.xml', {
    vars: { rtp_port: ears.op2.port, hold: 40_000 },
    timeoutSeconds: 90,
  });
  await joined(phones.op2.agentId);
  await sleep(1200);
  t.ok(ears.op1.rms() > 300, `op1 heard op2 come in (RMS ${ears.op1.rms().toFixed(0)})`);

  // op3 is rung into the room over REST.
  const op3 = await answer(phones.op3, 'phone-answer.xml', {
    vars: { rtp_port: ears.op3.port },
    timeoutSeconds: 90,
  });
  const invited = await server.request('POST', `/api/v1/conferences/${ROOM}/participants`, {
    token: server.adminToken,
    body: { agentId: phones.op3.agentId },
  });
  t.equal(invited.statusCode, 202, 'op3 is being rung');
  await joined(phones.op3.agentId);
  const inRoom = await participants(server);
  t.same(
    inRoom.map((p) => p.agentId).sort(),
    [phones.op1.agentId, phones.op2.agentId, phones.op3.agentId].sort(),
    'the room lists the three',
  );

  // Each speaks its own tone from its phone's media port.
  const who = (p: Participant): Who =>
    p.agentId === phones.op1.agentId ? 'op1' : p.agentId === phones.op2.agentId ? 'op2' : 'op3';
  await until(
    () => Object.values(ears).every((ear) => ear.packets() > 0),
    5000,
    'RTP from Asterisk to each phone',
  );
  for (const p of inRoom) ears[who(p)].speak(TONES[who(p)]);
  await sleep(1000);
  for (const ear of Object.values(ears)) ear.reset();
  await sleep(2500);
  const heard = (listener: Who, speaker: Who) => ears[listener].level(TONES[speaker]);
  for (const listener of ['op1', 'op2', 'op3'] as const) {
    for (const speaker of ['op1', 'op2', 'op3'] as const) {
      const level = heard(listener, speaker);
      if (listener === speaker)
        t.ok(level < NOT_HEARD, `${listener} does not hear itself (${level.toFixed(0)})`);
      else t.ok(level > HEARD, `${listener} hears ${speaker} (${level.toFixed(0)})`);
    }
  }

  // op2 is muted: the others stop hearing op2, op2 still hears them.
  const op2Id = inRoom.find((p) => who(p) === 'op2')?.id ?? '';
  const muted = await server.request('PATCH', `/api/v1/conferences/${ROOM}/participants/${op2Id}`, {
    token: server.adminToken,
    body: { muted: true },
  });
  t.equal(muted.statusCode, 200);
  t.match(muted.json(), { muted: true });
  await feed.waitFor((m) => m.name === 'participant_muted', 5000, 'participant_muted');
  await sleep(500);
  for (const ear of Object.values(ears)) ear.reset();
  await sleep(2000);
  t.ok(
    heard('op1', 'op2') < NOT_HEARD,
    `op1 no longer hears op2 (${heard('op1', 'op2').toFixed(0)})`,
  );
  t.ok(heard('op3', 'op2') < NOT_HEARD, `nor does op3 (${heard('op3', 'op2').toFixed(0)})`);
  t.ok(heard('op1', 'op3') > HEARD, `op1 still hears op3 (${heard('op1', 'op3').toFixed(0)})`);
  t.ok(heard('op2', 'op1') > HEARD, `op2 still hears op1 (${heard('op2', 'op1').toFixed(0)})`);

  // Bad input changes nothing.
  const unknownRoom = await server.request('GET', '/api/v1/conferences/9299', {
    token: server.adminToken,
  });
  t.equal(unknownRoom.statusCode, 404, 'a room that does not exist');
  const both = await server.request('POST', `/api/v1/conferences/${ROOM}/participants`, {
    token: server.adminToken,
    body: { agentId: phones.op3.agentId, to: '203' },
  });
  t.equal(both.statusCode, 400, 'agentId and to at once');
  const nobody = await server.request('POST', `/api/v1/conferences/${ROOM}/participants`, {
    token: server.adminToken,
    body: { to: '2999' },
  });
  t.equal(nobody.statusCode, 422, 'a number nobody has');
  const ghost = await server.request('DELETE', `/api/v1/conferences/${ROOM}/participants/nope`, {
    token: server.adminToken,
  });
  t.equal(ghost.statusCode, 404, 'a participant who is not there');
  t.equal((await participants(server)).length, 3, 'still three in the room');

  // op3 is removed: their phone gets the BYE; the feed says kicked.
  const op3Id = inRoom.find((p) => who(p) === 'op3')?.id ?? '';
  const kicked = await server.request(
    'DELETE',
    `/api/v1/conferences/${ROOM}/participants/${op3Id}`,
    {
      token: server.adminToken,
    },
  );
  t.equal(kicked.statusCode, 204);
  const left = await feed.waitFor((m) => m.name === 'participant_left', 5000, 'participant_left');
  t.match(left.data, { id: op3Id, reason: 'kicked' });
  const op3Run = await op3.done;
  t.equal(op3Run.code, 0, 'op3 was hung up');
  t.match(op3Run.messages, /BYE sip:/);

  // op1 and op2 hang up at the end of their calls; the room is empty and its calls written down.
  for (const ear of Object.values(ears)) ear.silence();
  t.equal((await op1.done).code, 0);
  t.equal((await op2.done).code, 0);
  await until(async () => (await participants(server)).length === 0, 10_000, 'an empty room');
  const history = await server.request('GET', '/api/v1/call-history?limit=10', {
    token: server.adminToken,
  });
  const rows = (history.json() as { items: { toNumber: string; answeredAt: string | null }[] })
    .items;
  t.equal(
    rows.filter((r) => r.toNumber === ROOM && r.answeredAt !== null).length,
    2,
    'the two calls to the room are in the history, answered',
  );
  t.ok(
    rows.some((r) => r.toNumber === '203' && r.answeredAt !== null),
    'and the call that rang op3 in',
  );
});

t.test('a customer transferred blind into a room (#8 9203 #); attended is refused', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const guest = await phoneFor(server, null, null, 'guest1');
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['conferences', 'calls']);
  t.teardown(() => feed.close());

  // The guest calls op1; the call is transferred into room 9203: op1's phone is let go.
  const agentAgain = await answer(op1, 'phone-answer.xml', { timeoutSeconds: 60 });
  const customer = await dial(server, guest, '201', 'caller.xml', {
    vars: { hold: 20_000 },
    timeoutSeconds: 60,
  });
  const answered = await feed.waitFor((m) => m.name === 'call_answered', 15_000, 'the answer');
  const { id: callId } = answered.data as { id: string };
  const refused = await server.request('POST', `/api/v1/calls/${callId}/transfer`, {
    token: server.adminToken,
    body: { to: '9203', mode: 'attended' },
  });
  t.equal(refused.statusCode, 422, 'no attended transfer to a room');
  t.match(refused.json(), { error: { code: 'attended_to_room' } });
  const blind = await server.request('POST', `/api/v1/calls/${callId}/transfer`, {
    token: server.adminToken,
    body: { to: '9203', mode: 'blind' },
  });
  t.equal(blind.statusCode, 201, 'a blind one is taken');
  const joined = await feed.waitFor(
    (m) => m.name === 'participant_joined',
    15_000,
    'the customer in the room',
  );
  t.match(joined.data, { room: '9203', callId, terminal: 'guest1' });
  t.match((await agentAgain.done).messages, /BYE sip:/, 'op1 was let go');
  t.equal((await customer.done).code, 0, 'the customer talked in the room and hung up');
  await feed.waitFor((m) => m.name === 'participant_left', 10_000, 'the customer left');
  await until(
    async () => {
      const res = await server.request('GET', '/api/v1/call-history?limit=5', {
        token: server.adminToken,
      });
      const rows = (res.json() as { items: { callId: string; endedAt: string | null }[] }).items;
      return rows.some((r) => r.callId === callId && r.endedAt !== null);
    },
    10_000,
    'the customer’s call to be written down, one row',
  );
});
