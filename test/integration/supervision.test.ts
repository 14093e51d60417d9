/**
 * Supervision (§6-1, §13) with SIPp phones: a guest phone (the customer) talks with agent op1,
 * each sending a tone of its own. A supervisor dials 995 201 and, by keys, switches to whisper (4)
 * then barge (6): listening, the supervisor hears both and neither hears the supervisor; whispering,
 * op1 hears the supervisor and the customer does not; barging, both do. The agent's own feed says
 * nothing of it; an agent-role phone dialling 995 is refused with an announcement; over REST the
 * supervisor's phone rings first and the session ends on DELETE with the agent's call going on.
 */
import t from 'tap';
import { agentWithPhone, answer, dial, finalResponse, phoneFor, until } from '../support/floor.js';
import { createAgent } from '../support/app.js';
import { rtpListener, type RtpListener } from '../support/rtp.js';
import { startTelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedMessage } from '../support/ws-client.js';

const AGENT_TONE = 500;
const CUSTOMER_TONE = 900;
const SUPERVISOR_TONE = 1300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh measure: what each ear hears over `ms`. */
async function listen(ears: RtpListener[], ms = 2000): Promise<void> {
  for (const ear of ears) ear.reset();
  await sleep(ms);
}

t.test('monitor, whisper, barge by code; refused for an agent; over REST', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const guest = await phoneFor(server, null, null, 'guest1');
  const svId = await createAgent(server, { loginId: 'sv1', role: 'supervisor', extension: '210' });
  const sv = await phoneFor(server, svId, '210', 'desk210');
  const agentEar = await rtpListener();
  const customerEar = await rtpListener();
  const svEar = await rtpListener();
  const ears = [agentEar, customerEar, svEar];
  t.teardown(async () => {
    for (const ear of ears) await ear.close();
  });

  const supervisorFeed = await subscribedFeed(server.baseUrl, server.adminToken, ['monitoring']);
  t.teardown(() => supervisorFeed.close());
  const op1Token = ((await server.login('op1', 'Secret123')).json() as { token: string }).token;
  const agentFeed = await subscribedFeed(server.baseUrl, op1Token, ['calls', 'me']);
  t.teardown(() => agentFeed.close());

  // The customer calls op1; both speak.
  const agentRun = await answer(op1, 'phone-answer.xml', {
    vars: { rtp_port: agentEar.port },
    timeoutSeconds: 120,
  });
  const customerRun = await dial(server, guest, '201', 'caller.xml', {
    vars: { rtp_port: customerEar.port, hold: 75_000 },
    timeoutSeconds: 120,
  });
  // A two-party bridge relays RTP packet to packet: nothing reaches a phone until the other
  // party speaks, so each speaks to its channel's RTP address as Asterisk reports it.
  let agentCall:
    | { id: string; legs: { channelId: string; terminal: string | null; state: string }[] }
    | undefined;
  await until(
    async () => {
      const res = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
      [agentCall] = (res.json() as { items: NonNullable<typeof agentCall>[] }).items;
      return agentCall?.legs.filter((l) => l.state === 'up').length === 2;
    },
    10_000,
    'the call to be answered',
  );
  const rtpOf = async (terminal: string) =>
    server.asterisk.ari.channels.getVariable(
      agentCall?.legs.find((l) => l.terminal === terminal)?.channelId ?? '',
      'CHANNEL(rtp,src)',
    );
  agentEar.speak(AGENT_TONE, await rtpOf('desk201'));
  customerEar.speak(CUSTOMER_TONE, await rtpOf('guest1'));
  await sleep(500);
  const agentCallId = agentCall?.id ?? '';

  // An agent-role phone may not listen: refused (403) after an announcement.
  const refusedEar = await rtpListener();
  t.teardown(() => refusedEar.close());
  const refused = await (
    await dial(server, op2, '995201', 'caller-refused.xml', {
      vars: { rtp_port: refusedEar.port },
    })
  ).done;
  t.equal(refused.code, 0);
  t.equal(finalResponse(refused.messages), 403, 'op2 (agent role) is refused');
  t.ok(refusedEar.rms() > 300, `after an announcement (RMS ${refusedEar.rms().toFixed(0)})`);

  // The supervisor dials 995 201 and keys 4 (whisper) after 7 s, 6 (barge) 7 s later.
  const agentFeedBefore = agentFeed.messages.length;
  const svRun = await dial(server, sv, '995201', 'caller.xml', {
    vars: {
      rtp_port: svEar.port,
      hold: 30_000,
      dtmf: '46',
      dtmf_mode: 'info',
      dtmf_delay: 7000,
      dtmf_gap: 7000,
    },
    timeoutSeconds: 60,
  });
  const started = await supervisorFeed.waitFor(
    (m) => m.name === 'monitoring_started',
    10_000,
    'monitoring_started',
  );
  t.match(started.data, { mode: 'listen', agentId: op1.agentId, callId: agentCallId });
  await until(() => svEar.packets() > 0, 5000, 'RTP to the supervisor');
  svEar.speak(SUPERVISOR_TONE);
  await sleep(800);
  await listen(ears);
  t.ok(
    svEar.level(AGENT_TONE) > 1000,
    `listening, the supervisor hears op1 (${svEar.level(AGENT_TONE).toFixed(0)})`,
  );
  t.ok(
    svEar.level(CUSTOMER_TONE) > 1000,
    `and the customer (${svEar.level(CUSTOMER_TONE).toFixed(0)})`,
  );
  t.ok(
    agentEar.level(SUPERVISOR_TONE) < 300,
    `op1 does not hear the supervisor (${agentEar.level(SUPERVISOR_TONE).toFixed(0)})`,
  );
  t.ok(
    customerEar.level(SUPERVISOR_TONE) < 300,
    `nor does the customer (${customerEar.level(SUPERVISOR_TONE).toFixed(0)})`,
  );
  t.ok(customerEar.level(AGENT_TONE) > 1000, 'op1 and the customer still hear each other');

  const whisper = await supervisorFeed.waitFor(
    (m) => m.name === 'monitoring_mode_changed' && (m.data as { mode: string }).mode === 'whisper',
    15_000,
    'the switch to whisper',
  );
  t.match(whisper.data, { previousMode: 'listen' });
  await sleep(700);
  await listen(ears);
  t.ok(
    agentEar.level(SUPERVISOR_TONE) > 1000,
    `whispering, op1 hears the supervisor (${agentEar.level(SUPERVISOR_TONE).toFixed(0)})`,
  );
  t.ok(
    customerEar.level(SUPERVISOR_TONE) < 300,
    `the customer does not (${customerEar.level(SUPERVISOR_TONE).toFixed(0)})`,
  );
  t.ok(svEar.level(CUSTOMER_TONE) > 1000, 'the supervisor still hears the customer');

  await supervisorFeed.waitFor(
    (m) => m.name === 'monitoring_mode_changed' && (m.data as { mode: string }).mode === 'barge',
    15_000,
    'the switch to barge',
  );
  await sleep(700);
  await listen(ears);
  t.ok(
    agentEar.level(SUPERVISOR_TONE) > 1000,
    `barging, op1 hears the supervisor (${agentEar.level(SUPERVISOR_TONE).toFixed(0)})`,
  );
  t.ok(
    customerEar.level(SUPERVISOR_TONE) > 1000,
    `and so does the customer (${customerEar.level(SUPERVISOR_TONE).toFixed(0)})`,
  );
  svEar.silence();

  t.equal((await svRun.done).code, 0, 'the supervisor hung up');
  const ended = await supervisorFeed.waitFor(
    (m) => m.name === 'monitoring_ended',
    10_000,
    'monitoring_ended',
  );
  t.match(ended.data, { reason: 'supervisor_left', mode: 'barge' });
  const told = agentFeed.messages
    .slice(agentFeedBefore)
    .filter((m: FeedMessage) => m.type === 'event');
  t.same(told, [], 'op1’s feed said nothing of the supervision');

  // Over REST: the supervisor's phone rings, then listens; DELETE ends it, the call goes on.
  const svPhone = await answer(sv, 'phone-answer.xml', {
    vars: { rtp_port: svEar.port },
    timeoutSeconds: 60,
  });
  const svToken = ((await server.login('sv1', 'Secret123')).json() as { token: string }).token;
  const asked = await server.request('POST', `/api/v1/calls/${agentCallId}/monitor`, {
    token: svToken,
    body: { mode: 'listen' },
  });
  t.equal(asked.statusCode, 202, 'the supervisor’s phone rings');
  t.match(asked.json(), { status: 'ringing', mode: 'listen', agentId: op1.agentId });
  const { id } = asked.json() as { id: string };
  await supervisorFeed.waitFor(
    (m) => m.name === 'monitoring_started' && (m.data as { id: string }).id === id,
    15_000,
    'the REST session to start',
  );
  await sleep(500);
  await listen([svEar]);
  t.ok(svEar.level(AGENT_TONE) > 1000, 'the supervisor answered and hears op1');

  // Bad input.
  const agentTry = await server.request('POST', `/api/v1/calls/${agentCallId}/monitor`, {
    token: op1Token,
    body: { mode: 'listen' },
  });
  t.equal(agentTry.statusCode, 403, 'an agent may not monitor');
  const noCall = await server.request('POST', '/api/v1/calls/nope/monitor', {
    token: svToken,
    body: { mode: 'listen' },
  });
  t.equal(noCall.statusCode, 404, 'a call that is not there');
  const badMode = await server.request('POST', `/api/v1/calls/${agentCallId}/monitor`, {
    token: svToken,
    body: { mode: 'spy' },
  });
  t.equal(badMode.statusCode, 400, 'a mode that does not exist');

  const changed = await server.request('PATCH', `/api/v1/monitoring-sessions/${id}`, {
    token: svToken,
    body: { mode: 'whisper' },
  });
  t.equal(changed.statusCode, 200);
  t.match(changed.json(), { mode: 'whisper' });
  const stopped = await server.request('DELETE', `/api/v1/monitoring-sessions/${id}`, {
    token: svToken,
  });
  t.equal(stopped.statusCode, 204);
  t.match((await svPhone.done).messages, /BYE sip:/, 'the supervisor’s phone got the BYE');
  const list = await server.request('GET', '/api/v1/monitoring-sessions', { token: svToken });
  t.same((list.json() as { items: unknown[] }).items, [], 'no session left');
  const still = await server.request('GET', `/api/v1/calls/${agentCallId}`, {
    token: server.adminToken,
  });
  t.equal(still.statusCode, 200, 'op1’s call goes on');

  for (const ear of ears) ear.silence();
  const hungUp = await server.request('POST', `/api/v1/calls/${agentCallId}/hangup`, {
    token: server.adminToken,
  });
  t.equal(hungUp.statusCode, 204);
  t.equal((await customerRun.done).code, 0);
  t.equal((await agentRun.done).code, 0);
});
