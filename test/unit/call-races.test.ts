/**
 * The call engine under races SIPp cannot time: the whole server (every service, the real
 * engine and routing) on a fake Asterisk moved by a fake clock. Each case makes two things
 * happen in the same instant and checks what is left: the history row, the feed, and no channel
 * or bridge behind.
 */
import t from 'tap';
import type { HubEvent } from '../../src/platform/realtime/hub.js';
import { floor } from '../support/fake-floor.js';

const ended = (feed: HubEvent[]) =>
  feed.filter((e) => e.topic === 'calls' && e.name === 'call_ended');

t.test(
  'the caller hangs up in the instant the callee answers: cancelled, nothing left',
  async (t) => {
    const f = await floor(t, ['op1', 'op2']);
    f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 3000 });
    const caller = f.asterisk.call('PJSIP/desk201', ['internal', '202'], {
      number: '201',
      name: 'op1',
    });
    await f.after(1000);
    t.ok(f.asterisk.log.includes('dial PJSIP/desk202'), 'op2’s phone rings');
    // The answer is due at 3000 ms; the caller's hang-up is handled first, in the same instant.
    f.clock.advance(1999);
    f.asterisk.hangUp(caller);
    await f.after(1);
    const row = await f.row();
    t.equal(row.endReason, 'cancelled');
    t.equal(row.answeredAt, null, 'never answered');
    t.equal(ended(f.feed).length, 1, 'one call_ended on the feed');
    t.same(f.asterisk.channels(), [], 'no channel left');
    t.same(f.asterisk.bridges(), [], 'no bridge left');
  },
);

t.test('both parties hang up at once: one end, completed', async (t) => {
  const f = await floor(t, ['op1', 'op2']);
  f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 500 });
  const caller = f.asterisk.call('PJSIP/desk201', ['internal', '202'], {
    number: '201',
    name: 'op1',
  });
  await f.after(600);
  const callee = f.asterisk.channels().find((c) => c.id !== caller);
  t.ok(callee, 'the callee’s channel is there');
  t.equal(f.asterisk.bridges()[0]?.channels.length, 2, 'the two are bridged');
  f.asterisk.hangUp(caller);
  f.asterisk.hangUp(callee?.id ?? '');
  await f.after(1000);
  const row = await f.row();
  t.equal(row.endReason, 'completed');
  t.not(row.answeredAt, null);
  t.equal(ended(f.feed).length, 1, 'one call_ended on the feed');
  t.same(f.asterisk.channels(), [], 'no channel left');
  t.same(f.asterisk.bridges(), [], 'the bridge is gone');
});

t.test('a target busy and another answering at once: the call is connected', async (t) => {
  const f = await floor(t, ['op1', 'op2']);
  // op2 has two desk phones: one is busy, the other answers, both in the same instant.
  const op2 = (
    (
      await f.server.request('GET', '/api/v1/agents?limit=10', { token: f.server.adminToken })
    ).json() as { items: { id: number; loginId: string }[] }
  ).items.find((a) => a.loginId === 'op2');
  await f.server.request('POST', '/api/v1/terminals', {
    token: f.server.adminToken,
    body: { sipUser: 'soft202', name: 'Soft 202', agentId: op2?.id },
  });
  f.asterisk.register('soft202');
  await f.asterisk.settle();
  f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 10 });
  f.asterisk.phone('PJSIP/soft202', { busy: true });
  f.asterisk.call('PJSIP/desk201', ['internal', '202'], { number: '201', name: 'op1' });
  await f.after(10);
  await f.after(100);
  const calls = (
    await f.server.request('GET', '/api/v1/calls', { token: f.server.adminToken })
  ).json() as { items: { state: string; legs: { terminal: string; state: string }[] }[] };
  t.equal(calls.items[0]?.state, 'up', 'connected');
  t.same(
    calls.items[0]?.legs.map((l) => [l.terminal, l.state]),
    [
      ['desk201', 'up'],
      ['desk202', 'up'],
      ['soft202', 'gone'],
    ],
  );
  t.equal(ended(f.feed).length, 0, 'the call goes on');
});

t.test('DTMF to a party gone before the request reached Asterisk: 409, nothing sent', async (t) => {
  const f = await floor(t, ['op1', 'op2']);
  f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 100 });
  const caller = f.asterisk.call('PJSIP/desk201', ['internal', '202'], {
    number: '201',
    name: 'op1',
  });
  await f.after(200);
  const callId = (
    (await f.server.request('GET', '/api/v1/calls', { token: f.server.adminToken })).json() as {
      items: { id: string }[];
    }
  ).items[0]?.id;
  const callee = f.asterisk.channels().find((c) => c.id !== caller);
  f.asterisk.vanish(callee?.id ?? '');
  const res = await f.server.request('POST', `/api/v1/calls/${callId ?? ''}/dtmf`, {
    token: f.server.adminToken,
    body: { digits: '123' },
  });
  t.equal(res.statusCode, 409, res.body);
  t.match(res.json(), { error: { code: 'call_changed' } });
  t.notOk(
    f.asterisk.log.some((l) => l.startsWith('dtmf')),
    'no digits reached anyone',
  );
});

t.test(
  'a phone answering before its originate’s response is back keeps its call (it won the fork)',
  async (t) => {
    const f = await floor(t, ['op1', 'op2']);
    f.asterisk.phone('PJSIP/desk202', { answerBeforeResponse: true });
    const caller = f.asterisk.call('PJSIP/desk201', ['internal', '202'], {
      number: '201',
      name: 'op1',
    });
    await f.after(1000);
    const callee = f.asterisk.channels().find((c) => c.id !== caller);
    t.ok(callee, 'op2’s phone is still on the call');
    t.notOk(
      f.asterisk.log.some((l) => l.startsWith('hangup PJSIP/desk202')),
      'the winner was not hung up',
    );
    t.equal(f.asterisk.bridges()[0]?.channels.length, 2, 'the two are bridged');
    f.asterisk.hangUp(caller);
    await f.after(1000);
    const row = await f.row();
    t.equal(row.endReason, 'completed');
    t.not(row.answeredAt, null, 'answered');
  },
);
