/**
 * /call-lists/autocall over HTTP (MOT autocall, A.23) on a fake Asterisk moved by a fake clock:
 * start, state, stop and the one-click `/next`; every refusal (nothing held, already running,
 * a bad mode, no permission) with the error shape and nothing changed; the feed's events; the
 * held rows' last call (架電日時, 応答 / 不応答, 済).
 */
import t from 'tap';
import type { HubEvent } from '../../src/platform/realtime/hub.js';
import { buildTestApp, createAgent } from '../support/app.js';
import { fakeAsterisk, type FakeAsterisk } from '../support/fake-asterisk.js';
import { fakeClock } from '../support/fake-clock.js';

interface State {
  running: boolean;
  mode: string | null;
  setting: string;
  stage: string | null;
  current: { customerId: number; company: string; phone: string } | null;
  callId: string | null;
  next: { customerId: number; phone: string } | null;
  counts: { dialled: number; answered: number; noAnswer: number; remaining: number };
  stoppedReason: string | null;
}
interface Held {
  id: number;
  phone: string;
  lastCall: { callId: string; at: string; result: string | null; called: boolean } | null;
}

type Method = 'DELETE' | 'GET' | 'PATCH' | 'POST' | 'PUT';

const PHONES = ['0311110001', '0311110002', '0311110003'];

async function setUp(t: Tap) {
  const clock = fakeClock(new Date('2026-12-01T01:00:00Z'));
  const asterisk = fakeAsterisk(clock);
  const server = await buildTestApp({ clock, asterisk: asterisk.gateway });
  t.teardown(server.close);
  const feed: HubEvent[] = [];
  server.hub.subscribe((event) => feed.push(event));
  asterisk.gateway.start();
  await asterisk.settle();
  const admin = (method: Method, url: string, body?: unknown) =>
    server.request(method, `/api/v1${url}`, { token: server.adminToken, body });
  const agentId = await createAgent(server, { loginId: 'op1', extension: '201' });
  t.equal(
    (await admin('POST', '/terminals', { sipUser: 'desk201', name: 'Desk 201', agentId }))
      .statusCode,
    201,
  );
  asterisk.register('desk201');
  const trunk = await admin('POST', '/trunks', { name: 'carrier1', host: '127.0.0.2', port: 5070 });
  t.equal(trunk.statusCode, 201, 'a carrier');
  const did = await admin('POST', '/phone-numbers', { number: '0312340000', name: 'DID' });
  const phoneNumberId = (did.json() as { id: number }).id;
  t.equal(
    (
      await admin('PUT', `/agents/${agentId}/phone-numbers`, {
        phoneNumberIds: [phoneNumberId],
        callerId: phoneNumberId,
      })
    ).statusCode,
    200,
    'op1 calls out with 0312340000',
  );
  const list = await admin('POST', '/call-lists', {
    name: 'リスト1',
    distribute: true,
    customers: PHONES.map((phone, i) => ({
      company: `株式会社${i + 1}`,
      address1: `新宿区西新宿1-1-${i + 1}`,
      prefecture: '東京都',
      phone,
    })),
  });
  t.equal(list.statusCode, 201, 'a list of three');
  const token = ((await server.login('op1', 'Secret123')).json() as { token: string }).token;
  await asterisk.settle();
  const op = (method: Method, url: string, body?: unknown) =>
    server.request(method, `/api/v1${url}`, { token, body });
  /** Moves the clock in steps of at most 100 ms, letting every event and reaction run. */
  const after = async (ms: number) => {
    for (let left = ms; left > 0; left -= 100) {
      await asterisk.settle();
      clock.advance(Math.min(100, left));
      await asterisk.settle();
    }
  };
  // The fake Asterisk keys a dialled endpoint without its trunk (`PJSIP/<number>`).
  const customer = (phone: string) => `PJSIP/${phone}`;
  return { server, asterisk, feed, admin, op, after, customer, agentId };
}

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

async function stateOf(op: (m: Method, u: string, b?: unknown) => Promise<Res>): Promise<State> {
  return (await op('GET', '/call-lists/autocall')).json() as State;
}
interface Res {
  statusCode: number;
  body: string;
  json(): unknown;
}

function refused(t: Tap, res: Res, status: number, code: string, what: string) {
  t.equal(res.statusCode, status, what);
  t.match(res.json(), { error: { code, message: String } }, `${what}: ${code}`);
}

const events = (feed: HubEvent[]) =>
  feed.filter((e) => e.topic === 'autocall').map((e) => ({ name: e.name, data: e.data }));

const dialsTo = (asterisk: FakeAsterisk, phone: string) =>
  asterisk.log.filter((l) => l === `dial PJSIP/${phone}`).length;

t.test('refusals change nothing; start, state and stop', async (t) => {
  const { server, asterisk, feed, admin, op, after } = await setUp(t);
  const before = async () => ({
    state: await stateOf(op),
    held: (await op('GET', '/call-lists/held')).json() as unknown,
    customers: (await admin('GET', '/call-lists/customers?limit=50')).json() as unknown,
    calls: (await admin('GET', '/call-history?limit=50')).json() as unknown,
  });

  const idle = await stateOf(op);
  t.match(idle, { running: false, mode: null, stage: null, setting: 'no_answer_only' });
  const untouched = await before();
  refused(
    t,
    await op('POST', '/call-lists/autocall', { mode: 'all' }),
    409,
    'no_claimed_customers',
    'nothing held',
  );
  refused(
    t,
    await op('POST', '/call-lists/autocall', { mode: 'everyone' }),
    400,
    'validation_failed',
    'a bad mode',
  );
  refused(t, await op('POST', '/call-lists/autocall/next'), 409, 'autocall_not_running', '/next');
  refused(t, await op('DELETE', '/call-lists/autocall'), 409, 'autocall_not_running', 'stop');

  // An operator whose role lacks 取得 (call_list_operator.claim) may not autocall.
  const role = await admin('POST', '/roles', { name: 'チャットのみ', permissions: ['chat.view'] });
  t.equal(role.statusCode, 201);
  const plain = await admin('POST', '/agents', {
    loginId: 'chat1',
    name: 'Chat',
    nickname: 'chat1',
    password: 'Secret123',
    roleId: (role.json() as { id: number }).id,
  });
  t.equal(plain.statusCode, 201);
  const chatToken = ((await server.login('chat1', 'Secret123')).json() as { token: string }).token;
  for (const [method, url] of [
    ['GET', '/call-lists/autocall'],
    ['POST', '/call-lists/autocall'],
    ['POST', '/call-lists/autocall/next'],
    ['DELETE', '/call-lists/autocall'],
  ] as const)
    refused(
      t,
      await server.request(method, `/api/v1${url}`, {
        token: chatToken,
        ...(method === 'POST' && { body: {} }),
      }),
      403,
      'permission_denied',
      `${method} ${url} without the permission`,
    );
  t.same(await before(), untouched, 'nothing changed by the refusals');

  t.equal((await op('POST', '/call-lists/claims', {})).statusCode, 200, 'op1 retrieves');
  const claimed = await before();
  refused(
    t,
    await op('POST', '/call-lists/autocall', { mode: 'recall' }),
    409,
    'nothing_to_call',
    'recall mode with no customer flagged 再架電',
  );
  t.same(await before(), claimed, 'nothing changed');
  asterisk.phone('PJSIP/desk201', { answerAfterMs: 100 });
  const started = await op('POST', '/call-lists/autocall', {});
  t.equal(started.statusCode, 200, 'started (mode all by default)');
  t.match(started.json(), {
    running: true,
    mode: 'all',
    stage: 'ringing_operator',
    current: { phone: PHONES[0] },
    counts: { dialled: 1, remaining: 2 },
  });
  t.equal(dialsTo(asterisk, PHONES[0] ?? ''), 0, 'the customer is not dialled before op1 answers');

  const running = {
    state: await stateOf(op),
    held: (await op('GET', '/call-lists/held')).json() as unknown,
  };
  refused(
    t,
    await op('POST', '/call-lists/autocall', { mode: 'recall' }),
    409,
    'autocall_running',
    'a second session',
  );
  refused(
    t,
    await op('POST', '/call-lists/autocall/next'),
    409,
    'call_in_progress',
    '/next during a call',
  );
  t.same(
    { state: await stateOf(op), held: (await op('GET', '/call-lists/held')).json() as unknown },
    running,
    'the refusals changed nothing',
  );

  await after(200);
  t.equal(dialsTo(asterisk, PHONES[0] ?? ''), 1, 'op1 answered: the customer is dialled');
  t.match(await stateOf(op), { stage: 'dialing', callId: String });

  const stopped = await op('DELETE', '/call-lists/autocall');
  t.equal(stopped.statusCode, 200);
  t.match(stopped.json(), { running: false, stoppedReason: 'stopped' });
  await after(1000);
  t.same(
    events(feed).map((e) => e.name),
    ['autocall_dialing', 'autocall_stopped', 'autocall_ended'],
    'the feed: dialling, stopped, then how the ringing call ended',
  );
  t.match(events(feed)[2]?.data, { result: 'no_answer', label: '不応答' });
  const held = ((await op('GET', '/call-lists/held')).json() as { items: Held[] }).items;
  t.match(held[0], { phone: PHONES[0], lastCall: { result: 'no_answer', called: false } });
  const history = (await admin('GET', '/call-history?limit=5')).json() as {
    items: { toNumber: string; ourNumber: string | null; agentId: number | null }[];
  };
  t.match(
    history.items,
    [{ toNumber: PHONES[0], ourNumber: '0312340000' }],
    'one call in the history, with op1’s caller ID',
  );
  t.equal(held[1]?.lastCall, null, 'the others were never dialled');
  t.equal(dialsTo(asterisk, PHONES[1] ?? ''), 0, 'nothing more is dialled after stop');
});

t.test('no_answer_only: a busy customer is followed by the next; an answer is not', async (t) => {
  const { asterisk, feed, op, after, customer } = await setUp(t);
  await op('POST', '/call-lists/claims', {});
  asterisk.phone('PJSIP/desk201', { answerAfterMs: 100 });
  asterisk.phone(customer(PHONES[0] ?? ''), { busy: true });
  asterisk.phone(customer(PHONES[1] ?? ''), { answerAfterMs: 300 });
  t.equal((await op('POST', '/call-lists/autocall', { mode: 'all' })).statusCode, 200);
  await after(1000);
  t.equal(dialsTo(asterisk, PHONES[1] ?? ''), 1, 'the second customer is dialled by itself');
  t.match(await stateOf(op), { stage: 'talking', current: { phone: PHONES[1] } });
  // The customer hangs up.
  const channel = asterisk
    .channels()
    .find((c) => c.name.startsWith(`${customer(PHONES[1] ?? '')}-`));
  t.ok(channel, 'the customer’s channel is up');
  asterisk.hangUp(channel?.id ?? '');
  await after(100);
  await after(10_000);
  t.equal(dialsTo(asterisk, PHONES[2] ?? ''), 0, 'after an answered call nothing is dialled');
  const state = await stateOf(op);
  t.match(state, {
    running: true,
    stage: 'waiting',
    next: { phone: PHONES[2] },
    counts: { dialled: 2, answered: 1, noAnswer: 1, remaining: 1 },
  });
  t.same(
    events(feed).map((e) => e.name),
    [
      'autocall_dialing',
      'autocall_ended',
      'autocall_dialing',
      'autocall_answered',
      'autocall_ended',
    ],
  );
  t.match(events(feed)[1]?.data, { result: 'no_answer', next: { phone: PHONES[1] } });
  t.match(events(feed)[4]?.data, { result: 'answered', label: '応答', next: { phone: PHONES[2] } });
  const held = ((await op('GET', '/call-lists/held')).json() as { items: Held[] }).items;
  t.same(
    held.map((h) => [h.phone, h.lastCall?.result ?? null, h.lastCall?.called ?? null]),
    [
      [PHONES[0], 'no_answer', false],
      [PHONES[1], 'answered', true],
      [PHONES[2], null, null],
    ],
    'the rows record 不応答 and 応答 (済 under 応答のみ)',
  );

  // The one-click dial.
  const next = await op('POST', '/call-lists/autocall/next');
  t.equal(next.statusCode, 200);
  t.match(next.json(), { stage: 'ringing_operator', current: { phone: PHONES[2] } });
  await after(200);
  t.equal(dialsTo(asterisk, PHONES[2] ?? ''), 1, '/next dialled the third');
  await after(61_000);
  await after(100);
  t.match(await stateOf(op), { running: false, stoppedReason: 'list_empty' });
  t.equal(events(feed).at(-1)?.name, 'autocall_stopped');
  t.match(events(feed).at(-1)?.data, { reason: 'list_empty' });
  t.equal(dialsTo(asterisk, PHONES[0] ?? ''), 1, 'a customer is dialled once in a session');
});

t.test(
  'stopped mid-conversation: the call goes on, a new session neither rings over it nor dials its customer again',
  async (t) => {
    const { asterisk, feed, op, after, customer } = await setUp(t);
    await op('POST', '/call-lists/claims', {});
    asterisk.phone('PJSIP/desk201', { answerAfterMs: 100 });
    asterisk.phone(customer(PHONES[0] ?? ''), { answerAfterMs: 200 });
    t.equal((await op('POST', '/call-lists/autocall', { mode: 'all' })).statusCode, 200);
    await after(1000);
    t.match(await stateOf(op), { stage: 'talking', current: { phone: PHONES[0] } });
    t.match((await op('DELETE', '/call-lists/autocall')).json(), { running: false });
    const channel = asterisk
      .channels()
      .find((c) => c.name.startsWith(`${customer(PHONES[0] ?? '')}-`));
    t.ok(channel, 'the conversation goes on');
    refused(
      t,
      await op('POST', '/call-lists/autocall', { mode: 'all' }),
      409,
      'agent_busy',
      'a new session during the conversation',
    );
    asterisk.hangUp(channel?.id ?? '');
    await after(500);
    t.same(
      events(feed).map((e) => e.name),
      ['autocall_dialing', 'autocall_answered', 'autocall_stopped', 'autocall_ended'],
      'the stopped session still tells how its call ended',
    );
    t.match(events(feed).at(-1)?.data, { result: 'answered', next: null });
    const again = await op('POST', '/call-lists/autocall', { mode: 'all' });
    t.equal(again.statusCode, 200, 'after the hang-up a new session starts');
    t.match(again.json(), { current: { phone: PHONES[1] } }, 'with the next one: the first is 済');
    await after(1000);
    t.equal(dialsTo(asterisk, PHONES[0] ?? ''), 1, 'the first customer was dialled once');
  },
);
