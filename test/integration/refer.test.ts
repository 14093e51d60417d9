/**
 * A phone's own transfer button (SIP REFER) with SIPp phones and a SIPp carrier: Asterisk hands
 * the REFER to the server (`PJSIP_TRANSFER_HANDLING()=ari-only` on the phones' endpoints), the
 * server runs the same transfer as `#8` / `#9`, and the phone hears how it went in the NOTIFY
 * sipfrags of its REFER. Blind (`Refer-To: <sip:202@…>`), attended (`Refer-To` with `Replaces`,
 * the phone holding the customer on one call and its consultation on another), refused ones
 * (the call stays up), and — with `SIP_REFER=refuse`, as on an Asterisk without ari-only — a
 * REFER answered 603 with the call untouched.
 */
import t from 'tap';
import {
  agentWithPhone,
  answer,
  callOutWith,
  carrier,
  dial,
  did,
  firstRequest,
  handlersOf,
  lastCall,
  until,
} from '../support/floor.js';
import { rtpListener } from '../support/rtp.js';
import { runSipp, type SippResult } from '../support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedClient } from '../support/ws-client.js';

const CUSTOMER = '0399998888';

interface LiveCall {
  id: string;
  direction: string;
  state: string;
  legs: { channelId: string; agentId: number | null; terminal: string | null; state: string }[];
}

async function liveCalls(server: TelephonyServer): Promise<LiveCall[]> {
  const res = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
  return (res.json() as { items: LiveCall[] }).items;
}

const seqOf = (feed: FeedClient) => feed.messages.at(-1)?.seq ?? 0;
const transferEvents = (feed: FeedClient, after: number) =>
  feed.messages
    .filter((m) => (m.seq ?? 0) > after && m.name?.startsWith('transfer_') === true)
    .map((m) => m.name ?? '');

/** The sipfrag status lines of the REFER NOTIFYs a phone received, in order. */
function sipfrags(run: SippResult): string[] {
  return [...run.messages.matchAll(/NOTIFY sip:[\s\S]*?\n(SIP\/2\.0 \d{3}[^\r\n]*)/g)].map((m) =>
    (m[1] ?? '').trim(),
  );
}

/** The final response the phone got to its REFER. */
function referAnswer(run: SippResult): string | undefined {
  return /SIP\/2\.0 (\d{3})[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?CSeq: \d+ REFER/.exec(run.messages)?.[1];
}

const byeFromAsterisk = (run: SippResult) =>
  /received \[\d+\] bytes :\s+BYE sip:/.test(run.messages);

t.test('REFER from a phone: blind, attended with Replaces, refused', async (t) => {
  const server = await startTelephonyServer({ env: { CALL_RING_SECONDS: '8' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const op3 = await agentWithPhone(server, 'op3', '203');
  // An agent whose phone is not registered: a transfer to them cannot ring.
  await agentWithPhone(server, 'op4', '204', { register: false });
  const trunk = await carrier(server);
  await callOutWith(server, op1.agentId ?? 0, await did(server, '0312340000'));
  await did(server, '0312340001', { route: { type: 'agent', agentId: op1.agentId } });
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['calls']);
  t.teardown(() => feed.close());
  const sip = server.sip.address;

  await t.test('the phones’ endpoints hand REFERs to the server', async (t) => {
    const endpoint = await server.asterisk.ari.asterisk.getObject(
      'res_pjsip',
      'endpoint',
      'desk201',
    );
    t.match(endpoint, { allow_transfer: 'true', 'PJSIP_TRANSFER_HANDLING()': 'ari-only' });
    const trunkEndpoint = await server.asterisk.ari.asterisk.getObject(
      'res_pjsip',
      'endpoint',
      'trunk_carrier1',
    );
    t.match(trunkEndpoint, { allow_transfer: 'false' }, 'a carrier’s REFER is refused');
    // A reconnect pushes everything again: what Asterisk holds is recognised, nothing re-created.
    const config = server.asterisk.ari.asterisk;
    const putObject = config.putObject.bind(config);
    const puts: string[] = [];
    config.putObject = (configClass, type, id, fields) => {
      puts.push(`${type}/${id}`);
      return putObject(configClass, type, id, fields);
    };
    t.teardown(() => {
      config.putObject = putObject;
    });
    const pass = await server.provisioner.resync();
    t.match(pass, { pushed: 5, failed: 0 });
    t.same(puts, [], 'no endpoint re-created');
  });

  /** The call is up with `agentId`'s phone on it and no other phone of ours. */
  async function callIsWith(agentId: number | null, what: string): Promise<LiveCall> {
    let found: LiveCall | undefined;
    await until(
      async () => {
        found = (await liveCalls(server)).find((c) => {
          const ours = c.legs.filter((l) => l.state === 'up' && l.agentId !== null);
          return c.state === 'up' && ours.length === 1 && ours[0]?.agentId === agentId;
        });
        return found !== undefined;
      },
      15_000,
      what,
    );
    if (found === undefined) throw new Error(what);
    return found;
  }

  await t.test('blind: Refer-To 202 — op2 rings with the customer and has them', async (t) => {
    const before = seqOf(feed);
    const ear = await rtpListener();
    t.teardown(ear.close);
    const recipient = await answer(op2, 'phone-answer.xml', {
      vars: { rtp_port: ear.port },
      timeoutSeconds: 60,
    });
    // The customer talks from the answer on (7 s of speech), then hangs up.
    const customer = await trunk.answer({
      vars: { play_audio: 1, hangup_after: 9000 },
      timeoutSeconds: 60,
    });
    const phone = await dial(server, op1, CUSTOMER, 'refer-caller.xml', {
      vars: { refer_to: `sip:202@${sip}`, refer_after: 2000, listen: 10_000, hold_first: 1 },
      timeoutSeconds: 60,
    });
    const call = await callIsWith(op2.agentId, 'the call to be op2’s');
    const moved = Date.now();
    const op1Run = await phone.done;
    t.equal(op1Run.code, 0, 'op1’s phone ended well');
    t.equal(referAnswer(op1Run), '202', 'the REFER was accepted');
    t.same(sipfrags(op1Run), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK'], 'op1 was told');
    t.ok(byeFromAsterisk(op1Run), 'and then let go (BYE)');
    await until(() => ear.soundTimes().some((at) => at > moved), 8000, 'op2 to hear the customer');
    t.pass('op2 hears the customer');
    t.equal((await customer.done).code, 0, 'the customer hung up');
    const op2Run = await recipient.done;
    t.equal(op2Run.code, 0, 'op2 got the BYE');
    const invite = firstRequest(op2Run.messages, 'INVITE') ?? '';
    t.match(invite, new RegExp(`From: [^\\n]*${CUSTOMER}`), 'op2’s phone showed the customer');
    t.same(transferEvents(feed, before), [
      'transfer_created',
      'transfer_answered',
      'transfer_completed',
    ]);
    const row = await lastCall(server);
    t.equal(row.callId, call.id);
    t.match(row, { agentId: op2.agentId, endReason: 'completed' });
    t.same(await handlersOf(server, row.id), [
      { agentId: op1.agentId, via: 'placed' },
      { agentId: op2.agentId, via: 'transfer' },
    ]);
  });

  await t.test('attended: Replaces — the customer and op3 are connected', async (t) => {
    const before = seqOf(feed);
    const ear = await rtpListener();
    t.teardown(ear.close);
    // op1 consults op3 first, on a call of its own …
    const recipient = await answer(op3, 'phone-answer.xml', {
      vars: { rtp_port: ear.port },
      timeoutSeconds: 60,
    });
    const consultation = await dial(server, op1, '203', 'caller.xml', {
      vars: { hold: 30_000 },
      timeoutSeconds: 60,
    });
    const consulting = await until(
      async () =>
        (await liveCalls(server)).some(
          (c) => c.state === 'up' && c.legs.some((l) => l.terminal === 'desk203'),
        ),
      10_000,
      'op1 and op3 to talk',
    ).then(async () =>
      (await liveCalls(server)).find((c) => c.legs.some((l) => l.terminal === 'desk203')),
    );
    const op1Leg = consulting?.legs.find((l) => l.terminal === 'desk201')?.channelId ?? '';
    const variable = (name: string) => server.asterisk.ari.channels.getVariable(op1Leg, name);
    // The consultation's dialog, as op1's phone knows it: its tag is the from-tag, Asterisk's
    // the to-tag.
    const replaces = [
      await variable('CHANNEL(pjsip,call-id)'),
      `to-tag=${await variable('CHANNEL(pjsip,local_tag)')}`,
      `from-tag=${await variable('CHANNEL(pjsip,remote_tag)')}`,
    ].join(';');
    // … then calls the customer, holds them and presses transfer.
    const customer = await trunk.answer({
      vars: { play_audio: 1, hangup_after: 9000 },
      timeoutSeconds: 60,
    });
    const phone = await dial(server, op1, CUSTOMER, 'refer-caller.xml', {
      vars: {
        refer_to: `sip:203@${sip}?Replaces=${encodeURIComponent(replaces)}`,
        refer_after: 2500,
        listen: 10_000,
        hold_first: 1,
      },
      timeoutSeconds: 60,
    });
    const call = await until(
      async () =>
        (await liveCalls(server)).some(
          (c) =>
            c.direction === 'outbound' &&
            c.legs
              .filter((l) => l.state === 'up')
              .map((l) => l.terminal ?? 'trunk')
              .sort()
              .join() === 'desk203,trunk',
        ),
      15_000,
      'the customer and op3 in one call',
    ).then(async () => (await liveCalls(server)).find((c) => c.direction === 'outbound'));
    const moved = Date.now();
    const op1Run = await phone.done;
    t.equal(referAnswer(op1Run), '202', 'the REFER was accepted');
    t.same(sipfrags(op1Run), ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK'], 'op1 was told');
    t.ok(byeFromAsterisk(op1Run), 'op1’s call with the customer let go');
    const consultationRun = await consultation.done;
    t.ok(byeFromAsterisk(consultationRun), 'op1’s consultation let go');
    await until(() => ear.soundTimes().some((at) => at > moved), 8000, 'op3 to hear the customer');
    t.pass('op3 hears the customer');
    t.equal((await customer.done).code, 0, 'the customer hung up');
    const op3Run = await recipient.done;
    t.equal(op3Run.code, 0, 'op3 got the BYE');
    t.equal(
      [...op3Run.messages.matchAll(/received \[\d+\] bytes :\s+INVITE sip:/g)].length,
      1,
      'op3’s phone rang once: for the consultation',
    );
    t.same(transferEvents(feed, before), [
      'transfer_created',
      'transfer_answered',
      'transfer_completed',
    ]);
    const row = await lastCall(server);
    t.equal(row.callId, call?.id, 'the customer’s call is the one kept');
    t.match(row, { direction: 'outbound', agentId: op3.agentId, endReason: 'completed' });
    t.same(await handlersOf(server, row.id), [
      { agentId: op1.agentId, via: 'placed' },
      { agentId: op3.agentId, via: 'transfer' },
    ]);
    const history = await server.request('GET', '/api/v1/call-history?limit=2', {
      token: server.adminToken,
    });
    const consultationRow = (history.json() as { items: { callId: string; endReason: string }[] })
      .items[1];
    t.match(consultationRow, { endReason: 'completed' }, 'the consultation ended');
    t.equal((await liveCalls(server)).length, 0, 'no leg left behind');
  });

  await t.test('refused: an unknown number, a phone that is not there', async (t) => {
    const before = seqOf(feed);
    // The customer calls op1; op1’s phone asks for a transfer to 999, then to op4 (204).
    for (const [to, frag] of [
      ['999', 'SIP/2.0 603 Decline'],
      ['204', 'SIP/2.0 503 Service Unavailable'],
    ] as const) {
      const phone = await runSipp('refer-answer.xml', {
        localPort: op1.port,
        timeoutSeconds: 60,
        vars: { refer_to: `sip:${to}@${sip}`, refer_after: 1500, listen: 3000 },
      });
      const customer = await trunk.call('0312340001', CUSTOMER, 'caller.xml', {
        vars: { hold: 30_000 },
        timeoutSeconds: 60,
      });
      const op1Run = await phone.done;
      t.equal(op1Run.code, 0, `${to}: op1 stayed on the call and hung up`);
      t.equal(referAnswer(op1Run), '202');
      t.same(sipfrags(op1Run), ['SIP/2.0 100 Trying', frag], `${to}: op1 was told ${frag}`);
      t.notOk(byeFromAsterisk(op1Run), `${to}: nobody hung op1 up`);
      const customerRun = await customer.done;
      t.equal(customerRun.code, 0);
      t.ok(byeFromAsterisk(customerRun), `${to}: the customer stayed until op1 hung up`);
      t.match(await lastCall(server), { agentId: op1.agentId, endReason: 'completed' });
    }
    t.same(transferEvents(feed, before), [], 'no transfer began');
  });
});

t.test('SIP_REFER=refuse (as an Asterisk without ari-only): 603, the call stays', async (t) => {
  const server = await startTelephonyServer({ env: { SIP_REFER: 'refuse' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const endpoint = await server.asterisk.ari.asterisk.getObject('res_pjsip', 'endpoint', 'desk201');
  t.match(endpoint, { allow_transfer: 'false' });
  t.notOk(endpoint !== undefined && 'PJSIP_TRANSFER_HANDLING()' in endpoint);
  const callee = await answer(op2, 'phone-answer.xml');
  const phone = await dial(server, op1, '202', 'refer-caller.xml', {
    vars: { refer_to: `sip:203@${server.sip.address}`, refer_after: 1500, listen: 3000 },
  });
  const op1Run = await phone.done;
  t.equal(op1Run.code, 0, 'op1 stayed on the call and hung up');
  t.equal(referAnswer(op1Run), '603', 'the REFER was declined');
  t.same(sipfrags(op1Run), [], 'no NOTIFY');
  t.notOk(byeFromAsterisk(op1Run), 'nobody hung op1 up');
  t.equal((await callee.done).code, 0, 'op2 got op1’s BYE');
  t.match(await lastCall(server), { agentId: op1.agentId, endReason: 'completed' });
});
