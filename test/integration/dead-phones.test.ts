/**
 * Phones that die without a word — power cut, network gone: no BYE, no REGISTER, nothing.
 * - A phone that stops sending media mid-call is hung up after SIP_RTP_TIMEOUT_SECONDS: the
 *   other party gets its BYE, the call leaves GET /calls, the history says media_timeout, and the
 *   agent is free for the next call instead of stuck on_call.
 * - A phone that stops answering OPTIONS (qualify, SIP_QUALIFY_SECONDS) is unreachable: its agent
 *   goes offline at once, and available again when the phone answers again.
 */
import t from 'tap';
import { rtpListener, mediaTo } from '../support/rtp.js';
import { SIPP_DIR, runSipp } from '../support/sipp.js';
import { agentWithPhone, answer, dial, lastCall, until, type Phone } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

interface LiveCall {
  id: string;
  state: string;
  legs: { channelId: string; agentId: number | null }[];
}

t.test('a phone that stops sending media is hung up; its agent is free again', async (t) => {
  const server = await startTelephonyServer({ env: { SIP_RTP_TIMEOUT_SECONDS: '3' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['agents', 'calls']);
  t.teardown(() => feed.close());

  // The phones' SDP names sockets of ours, so that SIPp's silence is not what is measured.
  const callerEar = await rtpListener();
  const calleeEar = await rtpListener();
  t.teardown(callerEar.close);
  t.teardown(calleeEar.close);
  // op2 answers and then dies: it never hangs up (its BYE would come after 60 s).
  const callee = await answer(op2, 'phone-answer.xml', {
    vars: { rtp_port: calleeEar.port },
    timeoutSeconds: 90,
  });
  const caller = await dial(server, op1, '202', 'caller.xml', {
    vars: { hold: 60_000, rtp_port: callerEar.port },
    timeoutSeconds: 90,
  });
  let call: LiveCall | undefined;
  await until(
    async () => {
      const res = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
      call = (res.json() as { items: LiveCall[] }).items.find((c) => c.state === 'up');
      return call !== undefined;
    },
    10_000,
    'the call to connect',
  );
  const legOf = (agentId: number | null) => call?.legs.find((l) => l.agentId === agentId);
  const rtpOf = (channelId: string) =>
    server.asterisk.ari.channels.getVariable(channelId, 'CHANNEL(rtp,src)');
  // Both phones send media; after 2 s op2's stops, and op1's goes on.
  const callerMedia = await mediaTo(await rtpOf(legOf(op1.agentId)?.channelId ?? ''));
  const calleeMedia = await mediaTo(await rtpOf(legOf(op2.agentId)?.channelId ?? ''));
  t.teardown(callerMedia.stop);
  await new Promise((r) => setTimeout(r, 2000));
  await calleeMedia.stop();
  const silentSince = Date.now();

  const ended = await feed.waitFor(
    (m) => m.name === 'call_ended' && (m.data as { id: string }).id === call?.id,
    15_000,
    'the call to end',
  );
  const after = Date.now() - silentSince;
  t.ok(after >= 2500 && after < 8000, `ended ${after} ms after op2 went silent (timeout 3 s)`);
  t.ok(ended, 'call_ended on the feed');
  t.equal((await caller.done).code, 0, 'op1, still talking, got a BYE');
  t.equal((await callee.done).code, 0, 'op2’s phone was sent a BYE too');
  t.match(await lastCall(server), {
    endReason: 'media_timeout',
    hangupCause: 44,
    agentId: op1.agentId,
    calleeAgentId: op2.agentId,
  });
  const live = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
  t.same((live.json() as { items: unknown[] }).items, [], 'no call is left behind');
  await until(
    async () => {
      const res = await server.request('GET', `/api/v1/agents/${op2.agentId}/status`, {
        token: server.adminToken,
      });
      return (res.json() as { status: string }).status === 'available';
    },
    5000,
    'op2 to be available',
  );

  // The next call reaches op2 rather than a 486. It lasts 1 s: well inside the 3 s RTP timeout,
  // which SIPp's silent caller would otherwise race with its own BYE.
  const next = await answer(op2);
  t.equal(
    (await (await dial(server, op1, '202', 'caller.xml', { vars: { hold: 1000 } })).done).code,
    0,
  );
  t.equal((await next.done).code, 0, 'op2 takes the next call');
});

t.test('a phone that stops answering OPTIONS makes its agent offline at once', async (t) => {
  const server = await startTelephonyServer({ env: { SIP_QUALIFY_SECONDS: '2' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201', { register: false });
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['agents']);
  t.teardown(() => feed.close());
  const statusOf = async () =>
    (
      (
        await server.request('GET', `/api/v1/agents/${op1.agentId}/status`, {
          token: server.adminToken,
        })
      ).json() as { status: string }
    ).status;

  const phone = await livePhone(server.sip.address, op1);
  t.teardown(() => phone.kill());
  await until(async () => (await statusOf()) === 'available', 10_000, 'op1 to be available');
  feed.messages.length = 0;

  // The phone freezes: it answers nothing any more, and sends no un-REGISTER either.
  process.kill(phone.pid ?? 0, 'SIGSTOP');
  const frozeAt = Date.now();
  await feed.waitFor(
    (m) =>
      m.name === 'agent_status_changed' &&
      (m.data as { agentId: number; status: string }).agentId === op1.agentId &&
      (m.data as { status: string }).status === 'offline',
    15_000,
    'op1 to go offline',
  );
  const took = Date.now() - frozeAt;
  t.ok(took < 8000, `offline ${took} ms after the phone stopped answering (qualify every 2 s)`);
  t.match(
    (
      await server.request('GET', `/api/v1/terminals?sipUser=${op1.sipUser}`, {
        token: server.adminToken,
      })
    ).json(),
    { items: [{ registered: false, contacts: [{ state: 'unreachable' }] }] },
    'the terminal shows its contact unreachable',
  );
  // A call for op1 meanwhile is not rung into nothing: 480 at once.
  const op2 = await agentWithPhone(server, 'op2', '202');
  const refused = await (await dial(server, op2, '201', 'caller-refused.xml')).done;
  t.match(refused.messages, /SIP\/2\.0 480 /, 'the caller gets 480, the phone is not rung');

  process.kill(phone.pid ?? 0, 'SIGCONT');
  await until(async () => (await statusOf()) === 'available', 10_000, 'op1 back to available');
  t.pass('available again once the phone answers again');
});

/** A desk phone that registers and answers Asterisk's OPTIONS pings, until killed. */
async function livePhone(sip: string, phone: Phone) {
  return runSipp('phone-register-options.xml', {
    remote: sip,
    localPort: phone.port,
    service: phone.sipUser,
    authPassword: phone.secret,
    vars: { linger: 120_000 },
    timeoutSeconds: 150,
    extraArgs: ['-oocsf', `${SIPP_DIR}/phone-options.xml`],
  });
}
