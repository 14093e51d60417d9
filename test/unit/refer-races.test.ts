/**
 * A phone's REFER under the races SIPp cannot time (the whole server on a fake Asterisk moved by
 * a fake clock). op1 (desk201) talks with op2 (desk202, the party transferred); its phone asks
 * for a transfer — blind to 203, or attended with Replaces of its own call with op3 — and the
 * ChannelTransfer comes twice, as Asterisk raises it. What the phone is told (transfer_progress)
 * and in which order, and what is left when a party hangs up in the same instant.
 */
import t, { type Test } from 'tap';
import type { HubEvent } from '../../src/platform/realtime/hub.js';
import { floor, type Floor } from '../support/fake-floor.js';

interface LiveCall {
  id: string;
  state: string;
  legs: { channelId: string; state: string; terminal: string | null }[];
}

async function liveCalls(f: Floor): Promise<LiveCall[]> {
  const res = await f.server.request('GET', '/api/v1/calls', { token: f.server.adminToken });
  return (res.json() as { items: LiveCall[] }).items;
}

const named = (feed: HubEvent[], prefix: string) =>
  feed.filter((e) => e.topic === 'calls' && e.name.startsWith(prefix)).map((e) => e.name);

const upTerminals = (call: LiveCall | undefined) =>
  call?.legs
    .filter((l) => l.state === 'up')
    .map((l) => l.terminal)
    .sort() ?? [];

/** op1 calls op2, who answers; with `consult`, op1's phone first calls op3 too (answered). */
async function talking(t: Test, consult: boolean) {
  const f = await floor(t, ['op1', 'op2', 'op3']);
  f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 100 });
  f.asterisk.phone('PJSIP/desk203', { answerAfterMs: 100 });
  const op1 = { number: '201', name: 'op1' };
  const consultation = consult
    ? f.asterisk.call('PJSIP/desk201', ['internal', '203'], op1)
    : undefined;
  await f.after(200);
  const initiator = f.asterisk.call('PJSIP/desk201', ['internal', '202'], op1);
  await f.after(200);
  const calls = await liveCalls(f);
  const customerCall = calls.find((c) => c.legs.some((l) => l.terminal === 'desk202'));
  t.equal(customerCall?.state, 'up', 'op1 and op2 talk');
  const customer = customerCall?.legs.find((l) => l.terminal === 'desk202')?.channelId ?? '';
  const consulted = calls
    .find((c) => c.legs.some((l) => l.terminal === 'desk203'))
    ?.legs.find((l) => l.terminal === 'desk203')?.channelId;
  f.asterisk.log.length = 0;
  return { f, initiator, customer, consultation, consulted, customerCallId: customerCall?.id };
}

const progress = (f: Floor, channelId: string) =>
  f.asterisk.log
    .filter((l) => l.startsWith(`transfer_progress ${channelId} `))
    .map((l) => l.split(' ')[2]);

t.test('blind: told twice, taken once; the phone told before it is let go', async (t) => {
  const { f, initiator, customerCallId } = await talking(t, false);
  f.asterisk.phone('PJSIP/desk203', { answerAfterMs: 1000 });
  f.asterisk.refer(initiator, '203');
  await f.after(100);
  t.same(named(f.feed, 'transfer_'), ['transfer_created'], 'one transfer');
  t.same(progress(f, initiator), ['channel_progress', 'channel_answered']);
  const told = f.asterisk.log.indexOf(`transfer_progress ${initiator} channel_answered`);
  const letGo = f.asterisk.log.indexOf('hangup PJSIP/desk201 normal');
  t.ok(told >= 0 && letGo > told, 'the 200 OK NOTIFY before the BYE');
  await f.after(1500);
  const [call] = await liveCalls(f);
  t.equal(call?.id, customerCallId);
  t.same(upTerminals(call), ['desk202', 'desk203'], 'op2 is op3’s');
});

t.test(
  'blind: the phone hangs up in the instant of its REFER — the transfer goes on',
  async (t) => {
    const { f, initiator } = await talking(t, false);
    f.asterisk.phone('PJSIP/desk203', { answerAfterMs: 1000 });
    f.asterisk.refer(initiator, '203');
    f.asterisk.hangUp(initiator);
    await f.after(2000);
    t.same(named(f.feed, 'transfer_'), [
      'transfer_created',
      'transfer_answered',
      'transfer_completed',
    ]);
    t.same(upTerminals((await liveCalls(f))[0]), ['desk202', 'desk203'], 'op2 is op3’s');
    t.equal(named(f.feed, 'call_ended').length, 0, 'the call did not end with op1');
  },
);

t.test('a REFER while the call is being transferred: declined, nothing changes', async (t) => {
  const { f, initiator, customerCallId } = await talking(t, false);
  f.asterisk.phone('PJSIP/desk203', { ring: true });
  const started = await f.server.request('POST', `/api/v1/calls/${customerCallId ?? ''}/transfer`, {
    token: f.server.adminToken,
    body: { to: '203', mode: 'attended' },
  });
  t.equal(started.statusCode, 201);
  f.asterisk.refer(initiator, '999');
  await f.after(100);
  t.same(progress(f, initiator), ['channel_declined']);
  t.same(named(f.feed, 'transfer_'), ['transfer_created'], 'only the REST one');
});

t.test('attended: the customer and op3 connected, the phone told before both BYEs', async (t) => {
  const { f, initiator, consultation, consulted, customerCallId } = await talking(t, true);
  f.asterisk.refer(initiator, '203', consultation);
  await f.after(500);
  t.same(progress(f, initiator), ['channel_progress', 'channel_answered']);
  const told = f.asterisk.log.indexOf(`transfer_progress ${initiator} channel_answered`);
  const byes = f.asterisk.log.flatMap((l, i) => (l === 'hangup PJSIP/desk201 normal' ? [i] : []));
  t.equal(byes.length, 2, 'both of the phone’s legs let go');
  t.ok(
    byes.every((i) => i > told),
    'after the 200 OK NOTIFY',
  );
  const calls = await liveCalls(f);
  t.equal(calls.length, 1, 'the consultation call ended');
  t.equal(calls[0]?.id, customerCallId, 'the customer’s call is kept');
  t.same(upTerminals(calls[0]), ['desk202', 'desk203']);
  t.ok(calls[0]?.legs.some((l) => l.channelId === consulted));
  t.same(
    f.asterisk.bridges().map((b) => b.channels.length),
    [2],
    'one bridge: the customer and op3',
  );
  t.same(named(f.feed, 'transfer_'), [
    'transfer_created',
    'transfer_answered',
    'transfer_completed',
  ]);
});

t.test('attended: op3 hangs up in the instant of the REFER — op1 back with op2', async (t) => {
  const { f, initiator, consultation, consulted, customerCallId } = await talking(t, true);
  f.asterisk.refer(initiator, '203', consultation);
  f.asterisk.hangUp(consulted ?? '');
  await f.after(2000);
  t.same(progress(f, initiator), ['channel_progress', 'channel_unavailable']);
  const calls = await liveCalls(f);
  t.same(
    calls.map((c) => c.id),
    [customerCallId],
    'the consultation is over',
  );
  t.same(upTerminals(calls[0]), ['desk201', 'desk202'], 'op1 and op2 talk again');
  t.equal(f.asterisk.bridges().find((b) => b.id === customerCallId)?.channels.length, 2);
  t.same(named(f.feed, 'transfer_'), ['transfer_created', 'transfer_cancelled']);
});

t.test(
  'attended: the customer hangs up in the instant of the REFER — op1 and op3 go on',
  async (t) => {
    const { f, initiator, customer, consultation } = await talking(t, true);
    f.asterisk.refer(initiator, '203', consultation);
    f.asterisk.hangUp(customer);
    await f.after(2000);
    // As a consultation of ours whose customer leaves: the initiator and the recipient talk on
    // (on the phone's first call; its other one ends), and the phone hears the transfer failed.
    t.same(progress(f, initiator), ['channel_progress', 'channel_unavailable']);
    const calls = await liveCalls(f);
    t.same(calls.map(upTerminals), [['desk201', 'desk203']]);
    t.same(named(f.feed, 'transfer_'), [
      'transfer_created',
      'transfer_answered',
      'transfer_cancelled',
    ]);
    const owned = new Set(calls.flatMap((c) => c.legs.map((l) => l.channelId)));
    t.same(
      f.asterisk.channels().filter((c) => !owned.has(c.id)),
      [],
      'no channel left that no call owns',
    );
  },
);
