/**
 * MOT autocall (A.23) against a real Asterisk: the operator's SIPp phone answers every call, a
 * SIPp carrier whose customers answer, are busy or never answer by number
 * (carrier-by-number.xml: NN480 rings out, NN486 is busy, any other answers and hangs up after
 * `hangup_after`). What is asserted is what the operator and the carrier observe: the feed's
 * events in order with their results, who was dialled and in which order (the carrier's
 * INVITEs), and the held rows' 応答 / 不応答.
 */
import t from 'tap';
import { answering, carrierTaking } from '../support/campaign-floor.js';
import { agentWithPhone, callOutWith, carrier, did, until } from '../support/floor.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedClient } from '../support/ws-client.js';

interface Held {
  id: number;
  phone: string;
  finalStatus: string | null;
  lastCall: { callId: string; at: string; result: string | null; called: boolean } | null;
}
interface AutocallEvent {
  name: string;
  data: {
    customer?: { customerId: number; phone: string };
    result?: string;
    label?: string;
    next?: { phone: string } | null;
    reason?: string;
  };
}

let listNumber = 0;

/** A distributed call list of these numbers, made over the API as an administrator would. */
async function listOf(server: TelephonyServer, phones: string[]): Promise<number> {
  listNumber += 1;
  const res = await server.request('POST', '/api/v1/call-lists', {
    token: server.adminToken,
    body: {
      name: `リスト${listNumber}`,
      distribute: true,
      customers: phones.map((phone, i) => ({
        company: `株式会社${listNumber}-${i + 1}`,
        address1: `新宿区西新宿1-1-${i + 1}`,
        prefecture: '東京都',
        phone,
      })),
    },
  });
  if (res.statusCode !== 201) throw new Error(`call list: ${res.statusCode} ${res.body}`);
  return (res.json() as { list: { id: number } }).list.id;
}

t.test('MOT autocall through the carrier', async (t) => {
  const server = await startTelephonyServer({
    rtpPorts: 40,
    env: { CALL_OUTBOUND_RING_SECONDS: '5' },
  });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const trunk = await carrier(server);
  const phoneNumberId = await did(server, '0312340000');
  await callOutWith(server, op1.agentId ?? 0, phoneNumberId);
  const carrierRun = await carrierTaking((fn) => t.teardown(fn), trunk, {
    answer_delay: 300,
    hangup_after: 1500,
  });
  await answering((fn) => t.teardown(fn), op1);
  const token = (await server.login('op1', 'Secret123')).json<{ token: string }>().token;
  const op = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    server.request(method, `/api/v1${url}`, { token, body });
  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    server.request(method, `/api/v1${url}`, { token: server.adminToken, body });
  const feed: FeedClient = await subscribedFeed(server.baseUrl, token, ['autocall']);
  t.teardown(() => feed.close());
  const dialledOrder: string[] = [];

  const eventsSince = (from: number): AutocallEvent[] =>
    feed.messages
      .slice(from)
      .filter((m) => m.type === 'event' && m.topic === 'autocall')
      .map((m) => ({ name: m.name ?? '', data: m.data as AutocallEvent['data'] }));
  const held = async () => (await op('GET', '/call-lists/held')).json<{ items: Held[] }>().items;
  const claim = async (count: number) => {
    const res = await op('POST', '/call-lists/claims', { count });
    if (res.statusCode !== 200) throw new Error(`claim: ${res.statusCode} ${res.body}`);
  };
  /** Uploads what autocall recorded, as the operator's [アップロード] would: the rows leave. */
  const upload = async (recall: (h: Held) => boolean = () => false) => {
    const rows = await held();
    const res = await op('POST', '/call-lists/results', {
      results: rows.map((h) => ({
        customerId: h.id,
        result: h.lastCall?.result ?? 'not_called',
        recall: recall(h),
        calledAt: h.lastCall?.at ?? null,
      })),
    });
    if (res.statusCode !== 200) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  };
  const dialling = (events: AutocallEvent[]) =>
    events.filter((e) => e.name === 'autocall_dialing').map((e) => e.data.customer?.phone);

  await t.test(
    'no_answer_only: a customer who does not answer is followed by the next; an answered one is not',
    async (t) => {
      const phones = ['0348000101', '0311110102', '0311110103'];
      await listOf(server, phones);
      await claim(3);
      const from = feed.messages.length;
      const started = await op('POST', '/call-lists/autocall', { mode: 'all' });
      t.equal(started.statusCode, 200, 'started');
      const ended = () => eventsSince(from).filter((e) => e.name === 'autocall_ended');
      await until(() => ended().length === 2, 30_000, 'two calls to end');
      // Time for a third dial, were one to follow: the carrier's customer hangs up after 1.5 s.
      await new Promise((r) => setTimeout(r, 3000));
      const events = eventsSince(from);
      t.same(
        events.map((e) => e.name),
        [
          'autocall_dialing',
          'autocall_ended',
          'autocall_dialing',
          'autocall_answered',
          'autocall_ended',
        ],
        'dialling, 不応答, dialling, answered, 応答 — then nothing',
      );
      t.same(dialling(events), phones.slice(0, 2), 'the first two, in No order');
      t.match(events[1]?.data, {
        result: 'no_answer',
        label: '不応答',
        next: { phone: phones[1] },
      });
      t.match(events[4]?.data, { result: 'answered', label: '応答', next: { phone: phones[2] } });
      t.match(
        (await op('GET', '/call-lists/autocall')).json(),
        { running: true, stage: 'waiting', next: { phone: phones[2] } },
        'waiting with the third one next',
      );
      t.same(
        (await held()).map((h) => [h.phone, h.lastCall?.result ?? null]),
        [
          [phones[0], 'no_answer'],
          [phones[1], 'answered'],
          [phones[2], null],
        ],
        'the rows record 不応答 and 応答',
      );
      t.match(
        (await op('DELETE', '/call-lists/autocall')).json(),
        { running: false, stoppedReason: 'stopped' },
        'stopped',
      );
      dialledOrder.push(...phones.slice(0, 2));
      await upload();
      t.same(await held(), [], 'uploaded: nothing held');
    },
  );

  await t.test('all_calls: every held customer is dialled in order', async (t) => {
    t.equal(
      (await admin('PATCH', '/call-lists/settings', { autocallOnHangup: 'all_calls' })).statusCode,
      200,
    );
    const phones = ['0311110201', '0348600202', '0348000203', '0311110204'];
    await listOf(server, phones);
    await claim(4);
    const from = feed.messages.length;
    t.equal((await op('POST', '/call-lists/autocall', { mode: 'all' })).statusCode, 200);
    const stopped = await feed.waitFor(
      (m) => m.name === 'autocall_stopped' && feed.messages.indexOf(m) >= from,
      60_000,
      'the session to stop',
    );
    t.match(stopped.data, { reason: 'list_empty' }, 'when the list is empty');
    const events = eventsSince(from);
    t.same(dialling(events), phones, 'each one, in No order');
    t.same(
      events.filter((e) => e.name === 'autocall_ended').map((e) => e.data.result),
      ['answered', 'no_answer', 'no_answer', 'answered'],
      'answered, busy (不応答), no answer (不応答), answered',
    );
    t.same(
      (await held()).map((h) => h.lastCall?.result),
      ['answered', 'no_answer', 'no_answer', 'answered'],
      'recorded on the rows',
    );
    dialledOrder.push(...phones);
    // Two flagged 再架電 for the next test.
    await upload((h) => h.phone === phones[0] || h.phone === phones[2]);
  });

  await t.test('recall mode dials only the customers flagged 再架電', async (t) => {
    const recreated = await admin('POST', '/call-lists/recreate', {
      name: '再架電リスト',
      filter: { phone: '03' },
    });
    t.equal(recreated.statusCode, 201, 'the customers re-listed, their final status kept');
    const listId = recreated.json<{ list: { id: number } }>().list.id;
    t.equal((await admin('PATCH', `/call-lists/${listId}`, { distribute: true })).statusCode, 200);
    await claim(10);
    const flagged = (await held()).filter((h) => h.finalStatus === 'recall').map((h) => h.phone);
    t.same(flagged, ['0311110201', '0348000203'], 'two of those held are 再架電');
    t.ok((await held()).length > 2, 'among others');
    const from = feed.messages.length;
    t.equal((await op('POST', '/call-lists/autocall', { mode: 'recall' })).statusCode, 200);
    await feed.waitFor(
      (m) => m.name === 'autocall_stopped' && feed.messages.indexOf(m) >= from,
      60_000,
      'the session to stop',
    );
    t.same(dialling(eventsSince(from)), flagged, 'only the 再架電 ones');
    dialledOrder.push(...flagged);
  });

  carrierRun.kill();
  const carried = (await carrierRun.done).messages;
  const invites = carried
    .split(/\n(?=INVITE sip:)/)
    .filter((m) => m.startsWith('INVITE sip:'))
    .map((m) => /^INVITE sip:(\d+)@/.exec(m)?.[1] ?? '');
  t.same(invites, dialledOrder, 'the carrier got exactly these calls, in this order');
  t.ok(
    carried
      .split(/\n(?=INVITE sip:)/)
      .filter((m) => m.startsWith('INVITE sip:'))
      .every((m) => /^From: .*<sip:0312340000@/m.test(m)),
    'each with the operator’s caller ID',
  );
});
