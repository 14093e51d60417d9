/**
 * Controlling calls: click-to-call rings the agent's own phone first; hold (over REST and from
 * the phone) plays music on hold to the other party and makes the agent on_hold; DTMF over REST
 * reaches the far end; hang-up over REST ends both legs; the recording is the call's audio.
 */
import t from 'tap';
import { rtpListener } from '../support/rtp.js';
import {
  CARRIER_IP,
  agentWithPhone,
  answer,
  callOutWith,
  carrier,
  dial,
  did,
  finalResponse,
  lastCall,
  requestTime,
  until,
} from '../support/floor.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

interface LiveCall {
  id: string;
  state: string;
  held: boolean;
  legs: { channelId: string }[];
}

async function liveCalls(server: TelephonyServer, token: string): Promise<LiveCall[]> {
  return ((await server.request('GET', '/api/v1/calls', { token })).json() as { items: LiveCall[] })
    .items;
}

/** Seconds of audio in a PCM WAV file. */
function wavSeconds(wav: Buffer): number {
  const rate = wav.readUInt32LE(24);
  const blockAlign = wav.readUInt16LE(32);
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'data') return Math.min(size, wav.length - offset - 8) / (rate * blockAlign);
    offset += 8 + size;
  }
  return 0;
}

t.test('click-to-call, hold, DTMF and hang-up over REST; the recording', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201', { password: 'Operator1' });
  const trunk = await carrier(server);
  await callOutWith(server, op1.agentId ?? 0, await did(server, '0312340000'));
  const token = ((await server.login('op1', 'Operator1')).json() as { token: string }).token;
  const feed = await subscribedFeed(server.baseUrl, token, ['me']);
  t.teardown(() => feed.close());

  // The carrier's SDP carries its own address: the ear listens there.
  const customerEar = await rtpListener(0, CARRIER_IP);
  t.teardown(customerEar.close);
  const agentPhone = await answer(op1, 'phone-answer.xml', { vars: { answer_delay: 500 } });
  // No audio from the carrier here: with symmetric RTP, Asterisk would then send to where the
  // carrier's audio comes from instead of the ear in its SDP.
  const customer = await trunk.answer({ vars: { answer_delay: 500, rtp_port: customerEar.port } });

  const started = await server.request('POST', '/api/v1/calls', {
    token,
    body: { to: '0399998888' },
  });
  t.equal(started.statusCode, 202);
  const callId = (started.json() as { id: string }).id;

  await until(
    async () => (await liveCalls(server, token)).some((c) => c.id === callId && c.state === 'up'),
    10_000,
    'the call to connect',
  );
  t.pass('the call connected');

  await t.test(
    'hold: the customer hears music on hold, the agent is on_hold; then resume',
    async (t) => {
      customerEar.reset();
      const held = await server.request('POST', `/api/v1/calls/${callId}/hold`, { token });
      t.equal(held.statusCode, 200);
      t.match(held.json(), { held: true });
      await feed.waitFor(
        (m) =>
          m.name === 'agent_status_changed' && (m.data as { status: string }).status === 'on_hold',
        5000,
      );
      await until(
        () => customerEar.packets() > 50 && customerEar.rms() > 200,
        10_000,
        'music on hold at the customer',
      );
      t.ok(
        customerEar.packets() > 50 && customerEar.rms() > 200,
        `music on hold reached the customer (${customerEar.packets()} packets, RMS ${customerEar.rms().toFixed(0)})`,
      );
      const again = await server.request('POST', `/api/v1/calls/${callId}/hold`, { token });
      t.equal(again.statusCode, 409);
      t.match(again.json(), { error: { code: 'already_held' } });
      const resumed = await server.request('POST', `/api/v1/calls/${callId}/unhold`, { token });
      t.equal(resumed.statusCode, 200);
      await feed.waitFor(
        (m) =>
          m.name === 'agent_status_changed' &&
          (m.data as { status: string; previousStatus: string }).previousStatus === 'on_hold',
        5000,
      );
    },
  );

  await t.test('DTMF to the far end', async (t) => {
    customerEar.reset();
    const sent = await server.request('POST', `/api/v1/calls/${callId}/dtmf`, {
      token,
      body: { digits: '123' },
    });
    t.equal(sent.statusCode, 204);
    await until(() => customerEar.payloadTypes().has(101), 3000, 'RFC 4733 events at the customer');
    t.pass('RFC 4733 telephone-events reached the customer');
  });

  await t.test('hang-up over REST ends both legs and the history row', async (t) => {
    const hung = await server.request('POST', `/api/v1/calls/${callId}/hangup`, { token });
    t.equal(hung.statusCode, 204);
    const [phoneRun, carrierRun] = await Promise.all([agentPhone.done, customer.done]);
    t.match(phoneRun.messages, /BYE sip:/, 'the agent’s phone got a BYE');
    t.match(carrierRun.messages, /BYE sip:/, 'the carrier got a BYE');
    const phoneInvite = requestTime(phoneRun.messages, 'INVITE');
    const carrierInvite = requestTime(carrierRun.messages, 'INVITE');
    t.ok(
      phoneInvite !== undefined && carrierInvite !== undefined && phoneInvite < carrierInvite,
      'the agent’s phone rang before the destination',
    );
    const row = await lastCall(server);
    t.match(row, {
      direction: 'outbound',
      type: 'outbound',
      toNumber: '0399998888',
      ourNumber: '0312340000',
      endReason: 'completed',
      hasRecording: true,
    });
    t.same(await liveCalls(server, token), []);
  });

  await t.test('the recording is the call’s audio, for those allowed to hear it', async (t) => {
    // The carrier's party talks (7 s of speech); the agent hangs up after 5 s.
    const far = await trunk.answer({ vars: { play_audio: 1 } });
    const run = await (
      await dial(server, op1, '0399997777', 'caller.xml', { vars: { hold: 5000 } })
    ).done;
    t.equal(run.code, 0);
    await far.done;
    const row = await lastCall(server, 1);
    t.match(row, { toNumber: '0399997777', hasRecording: true });
    const recording = await server.app.inject({
      method: 'GET',
      url: `/api/v1/call-history/${row.id}/recording`,
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    t.equal(recording.statusCode, 200);
    t.match(recording.headers['content-type'], /audio/);
    const wav = recording.rawPayload;
    t.equal(wav.toString('ascii', 0, 4), 'RIFF');
    const seconds = wavSeconds(wav);
    t.ok(
      Math.abs(seconds - row.talkSeconds) <= 1,
      `the recording lasts ${seconds.toFixed(2)} s for ${row.talkSeconds} s of talk`,
    );
    t.ok(wav.length > 44 + 8000 * 2 * 3, 'and holds seconds of audio, not just a header');
    const agentTry = await server.request('GET', `/api/v1/call-history/${row.id}/recording`, {
      token,
    });
    t.equal(agentTry.statusCode, 403, 'agents lack call_history.audio by default');
    const missing = await server.request('GET', '/api/v1/call-history/9999/recording', {
      token: server.adminToken,
    });
    t.equal(missing.statusCode, 404);
  });

  await t.test('409 for a call that is not up', async (t) => {
    const ringing = await answer(op1, 'phone-noanswer.xml', { timeoutSeconds: 20 });
    const started2 = await server.request('POST', '/api/v1/calls', {
      token,
      body: { to: '0399998888' },
    });
    const id2 = (started2.json() as { id: string }).id;
    await until(
      async () => (await liveCalls(server, token)).some((c) => c.id === id2),
      5000,
      'the call to exist',
    );
    // Until the phone rings: hung up before it is dialled, a call never reaches it (nothing to
    // cancel).
    await until(
      async () => {
        const leg = (await liveCalls(server, token)).find((c) => c.id === id2)?.legs[0];
        if (leg === undefined) return false;
        const channel = await server.asterisk.ari.channels.get(leg.channelId).catch(() => null);
        return channel?.state === 'Ringing';
      },
      10_000,
      'the agent’s phone to ring',
    );
    const hold = await server.request('POST', `/api/v1/calls/${id2}/hold`, { token });
    t.equal(hold.statusCode, 409);
    t.match(hold.json(), { error: { code: 'call_not_up' } });
    t.equal(
      (await server.request('POST', `/api/v1/calls/${id2}/hangup`, { token })).statusCode,
      204,
    );
    const ringRun = await ringing.done;
    t.match(ringRun.messages, /CANCEL sip:/, 'the ringing phone was cancelled');
    t.equal(
      (await server.request('POST', `/api/v1/calls/${id2}/hangup`, { token })).statusCode,
      404,
      'gone now',
    );
  });
});

t.test('hold from the phone: the other party hears music on hold', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['calls', 'agents']);
  t.teardown(() => feed.close());

  const calleeEar = await rtpListener();
  t.teardown(calleeEar.close);
  const callee = await answer(op2, 'phone-answer.xml', { vars: { rtp_port: calleeEar.port } });
  // op1 holds from its phone 1 s after the answer, for 2.5 s, and hangs up at 5 s.
  const caller = await dial(server, op1, '202', 'caller.xml', {
    vars: { hold: 5000, hold_after: 1000, hold_for: 2500 },
  });
  const held = await feed.waitFor((m) => m.name === 'call_held', 10_000);
  calleeEar.reset();
  await until(
    () => calleeEar.packets() > 50 && calleeEar.rms() > 200,
    10_000,
    'music on hold at op2',
  );
  t.ok(
    calleeEar.packets() > 50 && calleeEar.rms() > 200,
    `music on hold reached op2 (${calleeEar.packets()} packets, RMS ${calleeEar.rms().toFixed(0)})`,
  );
  t.match(held.data, { held: true });
  await feed.waitFor(
    (m) =>
      m.name === 'agent_status_changed' &&
      (m.data as { agentId: number; status: string }).status === 'on_hold',
    5000,
  );
  await feed.waitFor((m) => m.name === 'call_resumed', 5000);
  t.equal((await caller.done).code, 0);
  t.equal((await callee.done).code, 0);
  const statuses = feed.messages
    .filter(
      (m) =>
        m.name === 'agent_status_changed' &&
        (m.data as { agentId: number }).agentId === op1.agentId,
    )
    .map((m) => (m.data as { status: string }).status);
  t.same(statuses, ['on_call', 'on_hold', 'on_call', 'available']);
});

t.test(
  'with the application disconnected, calls are refused 503 (so carriers route elsewhere)',
  async (t) => {
    const server = await startTelephonyServer();
    t.teardown(server.stop);
    const op1 = await agentWithPhone(server, 'op1', '201');
    await server.asterisk.ari.stop();
    const run = await (await dial(server, op1, '202', 'caller-refused.xml')).done;
    t.equal(finalResponse(run.messages), 503);
  },
);
