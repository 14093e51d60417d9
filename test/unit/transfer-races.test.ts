/**
 * Transfers under the races SIPp cannot time (the whole server on a fake Asterisk moved by a fake
 * clock): op1 talks with op2 (the party transferred) and transfers op2 to op3 over REST, and
 * things happen in the same instant — the customer hangs up while op3 rings, op1 hangs up
 * before the answer, a cancel meets the answer, all three hang up during the consultation.
 * Each case checks what is left: the transfer, the call, the feed, no channel or bridge behind.
 */
import t, { type Test } from 'tap';
import type { HubEvent } from '../../src/platform/realtime/hub.js';
import { floor, type Floor } from '../support/fake-floor.js';

interface LiveCall {
  id: string;
  state: string;
  legs: { channelId: string; agentId: number | null; state: string; terminal: string | null }[];
}

async function liveCalls(f: Floor): Promise<LiveCall[]> {
  const res = await f.server.request('GET', '/api/v1/calls', { token: f.server.adminToken });
  return (res.json() as { items: LiveCall[] }).items;
}

const named = (feed: HubEvent[], prefix: string) =>
  feed.filter((e) => e.topic === 'calls' && e.name.startsWith(prefix)).map((e) => e.name);

/** op1 (desk201) calls op2 (desk202), who answers; then op1 starts a transfer to op3 (203). */
async function transferring(
  t: Test,
  mode: 'blind' | 'attended',
  recipientAnswersAfterMs: number | null,
) {
  const f = await floor(t, ['op1', 'op2', 'op3']);
  f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 100 });
  f.asterisk.phone(
    'PJSIP/desk203',
    recipientAnswersAfterMs === null ? { ring: true } : { answerAfterMs: recipientAnswersAfterMs },
  );
  const initiator = f.asterisk.call('PJSIP/desk201', ['internal', '202'], {
    number: '201',
    name: 'op1',
  });
  await f.after(200);
  const call = (await liveCalls(f))[0];
  t.equal(call?.state, 'up', 'op1 and op2 talk');
  const customer = call?.legs.find((l) => l.terminal === 'desk202')?.channelId ?? '';
  const res = await f.server.request('POST', `/api/v1/calls/${call?.id ?? ''}/transfer`, {
    token: f.server.adminToken,
    body: { to: '203', mode },
  });
  t.equal(res.statusCode, 201, res.body);
  const transferId = (res.json() as { id: string }).id;
  await f.after(10);
  t.ok(f.asterisk.log.includes('dial PJSIP/desk203'), 'op3’s phone rings');
  const recipient = () =>
    f.asterisk.channels().find((c) => c.id !== initiator && c.id !== customer)?.id ?? '';
  const transfer = async () =>
    (
      await f.server.request('GET', `/api/v1/transfers/${transferId}`, {
        token: f.server.adminToken,
      })
    ).json() as { status: string; mode: string };
  return { f, initiator, customer, recipient, transferId, transfer, callId: call?.id ?? '' };
}

t.test(
  'the customer hangs up while the recipient rings: the call ends, nothing left',
  async (t) => {
    const { f, customer, transfer } = await transferring(t, 'attended', null);
    f.asterisk.hangUp(customer);
    await f.after(1000);
    t.match(await transfer(), { status: 'cancelled' });
    t.same(named(f.feed, 'transfer_'), ['transfer_created', 'transfer_cancelled']);
    t.same(await liveCalls(f), [], 'the call is over');
    t.same(f.asterisk.channels(), [], 'op1 and op3’s ringing phone were hung up');
    t.same(f.asterisk.bridges(), [], 'no bridge left');
  },
);

t.test('op1 hangs up before the answer: it goes on blind and completes', async (t) => {
  const { f, initiator, transfer } = await transferring(t, 'attended', 3000);
  f.asterisk.hangUp(initiator);
  await f.after(1000);
  t.match(await transfer(), { status: 'ringing', mode: 'blind' });
  await f.after(3000);
  t.match(await transfer(), { status: 'completed', mode: 'blind' });
  t.same(named(f.feed, 'transfer_'), [
    'transfer_created',
    'transfer_abandoned',
    'transfer_answered',
    'transfer_completed',
  ]);
  const [call] = await liveCalls(f);
  t.same(
    call?.legs.filter((l) => l.state === 'up').map((l) => l.terminal),
    ['desk202', 'desk203'],
    'op2 and op3 are on the call',
  );
  t.equal(f.asterisk.bridges()[0]?.channels.length, 2, 'bridged together');
});

t.test('a cancel in the instant of the answer: cancelled, op1 back, op3 hung up', async (t) => {
  const { f, transferId, transfer, recipient } = await transferring(t, 'attended', 2000);
  await f.after(1989);
  const op3 = recipient();
  f.clock.advance(1);
  // The answer is due now; the cancel is handled in the same instant, before its events.
  const cancelled = await f.server.request('POST', `/api/v1/transfers/${transferId}/cancel`, {
    token: f.server.adminToken,
  });
  t.equal(cancelled.statusCode, 200);
  await f.after(1000);
  t.match(await transfer(), { status: 'cancelled' });
  t.notOk(
    f.asterisk.channels().some((c) => c.id === op3),
    'op3’s channel is gone, answered or not',
  );
  const [call] = await liveCalls(f);
  t.same(
    call?.legs.filter((l) => l.state === 'up').map((l) => l.terminal),
    ['desk201', 'desk202'],
    'op1 and op2 talk again',
  );
  t.equal(f.asterisk.bridges()[0]?.channels.length, 2, 'bridged together');
  const again = await f.server.request('POST', `/api/v1/transfers/${transferId}/complete`, {
    token: f.server.adminToken,
  });
  t.equal(again.statusCode, 409, 'a late complete is refused');
});

t.test('all three hang up at once during the consultation: one end, nothing left', async (t) => {
  const { f, initiator, customer, recipient, transfer } = await transferring(t, 'attended', 100);
  await f.after(500);
  t.match(await transfer(), { status: 'answered' });
  const op3 = recipient();
  f.asterisk.hangUp(initiator);
  f.asterisk.hangUp(customer);
  f.asterisk.hangUp(op3);
  await f.after(2000);
  t.match(await transfer(), { status: 'completed' }, 'op1’s hang-up came first: completed');
  t.equal(
    f.feed.filter((e) => e.topic === 'calls' && e.name === 'call_ended').length,
    1,
    'one call_ended',
  );
  t.same(await liveCalls(f), []);
  t.same(f.asterisk.channels(), [], 'no channel left');
  t.same(f.asterisk.bridges(), [], 'no bridge left');
  const rows = (
    await f.server.request('GET', '/api/v1/call-history?limit=5', { token: f.server.adminToken })
  ).json() as { items: { endReason: string | null }[] };
  t.equal(rows.items.length, 1, 'one history row');
  t.equal(rows.items[0]?.endReason, 'completed');
});

/** op1 talks with op2 and consults Support (801: op3, paused) over REST; it waits in the line. */
async function consultingGroup(t: Test, timeoutSeconds: number) {
  const f = await floor(t, ['op1', 'op2', 'op3']);
  const terminals = await f.server.request('GET', '/api/v1/terminals?sipUser=desk203', {
    token: f.server.adminToken,
  });
  const op3 = (terminals.json() as { items: { agentId: number }[] }).items[0]?.agentId ?? 0;
  const group = await f.server.request('POST', '/api/v1/groups', {
    token: f.server.adminToken,
    body: {
      name: 'Support',
      extension: '801',
      timeoutSeconds,
      members: [{ agentId: op3, skillLevel: 1 }],
    },
  });
  t.equal(group.statusCode, 201, group.body);
  const groupId = (group.json() as { id: number }).id;
  const paused = await f.server.request('PUT', `/api/v1/agents/${op3}/status`, {
    token: f.server.adminToken,
    body: { status: 'paused' },
  });
  t.equal(paused.statusCode, 200);
  f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 100 });
  f.asterisk.phone('PJSIP/desk203', { answerAfterMs: 500 });
  f.asterisk.call('PJSIP/desk201', ['internal', '202'], { number: '201', name: 'op1' });
  await f.after(200);
  const call = (await liveCalls(f))[0];
  const res = await f.server.request('POST', `/api/v1/calls/${call?.id ?? ''}/transfer`, {
    token: f.server.adminToken,
    body: { to: '801', mode: 'attended' },
  });
  t.equal(res.statusCode, 201, res.body);
  const transferId = (res.json() as { id: string }).id;
  await f.after(10);
  const line = async () =>
    (
      await f.server.request('GET', `/api/v1/groups/${groupId}/waiting-calls`, {
        token: f.server.adminToken,
      })
    ).json() as { items: { consultation: boolean }[] };
  const transfer = async () =>
    (
      await f.server.request('GET', `/api/v1/transfers/${transferId}`, {
        token: f.server.adminToken,
      })
    ).json() as { status: string; mode: string; recipientAgentId: number | null };
  const setStatus = (status: 'available' | 'paused') =>
    f.server.request('PUT', `/api/v1/agents/${op3}/status`, {
      token: f.server.adminToken,
      body: { status },
    });
  return { f, line, transfer, transferId, op3, setStatus };
}

t.test('attended to a group: cancelled while op1 waits in its line', async (t) => {
  const { f, line, transfer, transferId, setStatus } = await consultingGroup(t, 0);
  t.match((await line()).items, [{ consultation: true }], 'op1 waits in Support’s line');
  const cancelled = await f.server.request('POST', `/api/v1/transfers/${transferId}/cancel`, {
    token: f.server.adminToken,
  });
  t.equal(cancelled.statusCode, 200);
  await f.after(500);
  t.same((await line()).items, [], 'out of the line');
  t.match(await transfer(), { status: 'cancelled' });
  const [call] = await liveCalls(f);
  t.same(
    call?.legs.filter((l) => l.state === 'up').map((l) => l.terminal),
    ['desk201', 'desk202'],
    'op1 and op2 talk again',
  );
  // op3 comes back: nothing rings for a consultation that is over.
  await setStatus('available');
  await f.after(2000);
  t.notOk(f.asterisk.log.includes('dial PJSIP/desk203'), 'op3 was not rung');
});

t.test('attended to a group: its timeout returns op1 to the customer', async (t) => {
  const { f, line, transfer } = await consultingGroup(t, 10);
  await f.after(10_500);
  t.same((await line()).items, [], 'out of the line');
  t.match(await transfer(), { status: 'cancelled' });
  await f.after(2000);
  const [call] = await liveCalls(f);
  t.same(
    call?.legs.filter((l) => l.state === 'up').map((l) => l.terminal),
    ['desk201', 'desk202'],
    'op1 is back with op2',
  );
  t.same(named(f.feed, 'transfer_'), ['transfer_created', 'transfer_cancelled']);
});

t.test('attended to a group: the member who becomes free is consulted', async (t) => {
  const { f, line, transfer, op3, setStatus } = await consultingGroup(t, 0);
  await setStatus('available');
  await f.after(1000);
  t.ok(f.asterisk.log.includes('dial PJSIP/desk203'), 'op3 rang');
  t.match(await transfer(), { status: 'answered', recipientAgentId: op3 });
  t.same((await line()).items, []);
  const [call] = await liveCalls(f);
  t.same(
    call?.legs.filter((l) => l.state === 'up').map((l) => l.terminal),
    ['desk201', 'desk202', 'desk203'],
  );
  t.equal(
    f.asterisk.bridges()[0]?.channels.length,
    2,
    'op1 and op3 in the bridge, op2 on hold outside it',
  );
});
