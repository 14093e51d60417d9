/**
 * Hot-desk (§11-4, §13) with SIPp phones on a real Asterisk: op1 (extension 201, PIN 1234) has
 * no phone of their own; from the free phone `free1` they dial 998201, hear the PIN prompt, key
 * the PIN (SIP INFO) and are told they are logged in; a call from op2 to 201 then rings free1.
 * 997 from free1 logs them off: the call to 201 is refused (480, op1 has no phone). Three wrong
 * PINs: the caller hears the refusal and is hung up, and the authentication log has the failures.
 * An extension no agent has is refused with 404 after the announcement.
 */
import t from 'tap';
import {
  agentWithPhone,
  answer,
  dial,
  finalResponse,
  phoneFor,
  until,
  type Phone,
} from '../support/floor.js';
import { createAgent } from '../support/app.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

async function terminal(server: TelephonyServer, sipUser: string) {
  const res = await server.request('GET', `/api/v1/terminals?sipUser=${sipUser}`, {
    token: server.adminToken,
  });
  const item = (
    res.json() as { items: { sipUser: string; hotDeskAgentId: number | null }[] }
  ).items.find((i) => i.sipUser === sipUser);
  if (item === undefined) throw new Error(`no terminal ${sipUser}`);
  return item;
}

async function authEvents(server: TelephonyServer, agentId: number) {
  const res = await server.request('GET', `/api/v1/agents/${agentId}/auth-events?limit=50`, {
    token: server.adminToken,
  });
  return (res.json() as { items: { kind: string; detail: string | null }[] }).items.reverse();
}

t.test('hot-desk login and logout with a right and a wrong PIN', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await createAgent(server, { loginId: 'op1', extension: '201' });
  const pin = await server.request('PATCH', `/api/v1/agents/${op1}`, {
    token: server.adminToken,
    body: { pin: '1234' },
  });
  t.equal(pin.statusCode, 200);
  const op2 = await agentWithPhone(server, 'op2', '202');
  const free1: Phone = await phoneFor(server, null, null, 'free1');
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['agents']);
  t.teardown(() => feed.close());
  const ear = await rtpListener();
  t.teardown(ear.close);

  /** op2 calls 201 and hangs up after 1.5 s; free1 answers if it rings. */
  async function callOp1() {
    const phone = await answer(free1, 'phone-answer.xml', { timeoutSeconds: 15 });
    const caller = await dial(server, op2, '201', 'caller.xml', { vars: { hold: 1500 } });
    return { phone: await phone.done, caller: await caller.done };
  }

  await t.test('the right PIN: the phone becomes op1’s, calls to 201 ring it', async (t) => {
    ear.reset();
    const started = Date.now();
    // The PIN 2.5 s after the answer (the prompt is playing), one key every 300 ms.
    const login = await dial(server, free1, '998201', 'caller.xml', {
      vars: {
        rtp_port: ear.port,
        dtmf: '1234#',
        dtmf_mode: 'info',
        dtmf_delay: 2500,
        hold: 20_000,
      },
    });
    await until(() => ear.packets() > 50, 5000, 'the prompt');
    const promptRms = ear.rms();
    const event = await feed.waitFor((m) => m.name === 'hot_desk_login', 15_000);
    t.match(event.data, { sipUser: 'free1', agentId: op1 });
    ear.reset();
    const run = await login.done;
    t.equal(run.code, 0);
    t.ok(Date.now() - started < 15_000, 'Asterisk hung up after the confirmation, not the phone');
    t.ok(promptRms > 300, `the PIN prompt is heard (RMS ${promptRms.toFixed(0)})`);
    t.ok(ear.soundTimes().length > 10, `“Agent logged in” is heard (${ear.soundTimes().length})`);
    t.equal((await terminal(server, 'free1')).hotDeskAgentId, op1, 'GET /terminals shows it');
    t.match(await authEvents(server, op1), [{ kind: 'hot_desk_login', detail: 'on free1' }]);
    await until(
      async () => {
        const res = await server.request('GET', `/api/v1/agents/${op1}/status`, {
          token: server.adminToken,
        });
        return (res.json() as { registered: boolean }).registered;
      },
      5000,
      'op1 to count as registered through free1',
    );

    const call = await callOp1();
    t.equal(call.phone.code, 0, 'free1 rang and answered');
    t.equal(call.caller.code, 0, 'op2 talked to op1 on free1');
  });

  await t.test('997 logs op1 off free1: a call to 201 is refused', async (t) => {
    const logout = await dial(server, free1, '997', 'caller.xml', { vars: { hold: 15_000 } });
    const event = await feed.waitFor((m) => m.name === 'hot_desk_logout', 10_000);
    t.match(event.data, { sipUser: 'free1', agentId: op1, how: 'logout' });
    t.equal((await logout.done).code, 0, 'told “Agent logged off”, then hung up');
    t.equal((await terminal(server, 'free1')).hotDeskAgentId, null);
    const refused = await (await dial(server, op2, '201', 'caller-refused.xml')).done;
    t.equal(finalResponse(refused.messages), 480, 'op1 has no phone now');
  });

  await t.test('three wrong PINs: refused, hung up, written down', async (t) => {
    const before = feed.messages.length;
    const started = Date.now();
    const attempt = await dial(server, free1, '998201', 'caller.xml', {
      vars: {
        dtmf: '1111#2222#3333#',
        dtmf_mode: 'info',
        dtmf_delay: 1500,
        dtmf_gap: 300,
        hold: 30_000,
      },
      timeoutSeconds: 40,
    });
    const run = await attempt.done;
    t.equal(run.code, 0);
    t.ok(Date.now() - started < 20_000, 'Asterisk hung up after the refusal');
    const failures = (await authEvents(server, op1)).filter((e) => e.kind === 'hot_desk_failed');
    t.match(
      failures.map((e) => e.detail),
      [/attempt 1 of 3/, /attempt 2 of 3/, /attempt 3 of 3, refused/],
    );
    t.notOk(
      failures.some((e) => /1111|2222|3333/.test(e.detail ?? '')),
      'the PINs keyed are not in the log',
    );
    t.equal((await terminal(server, 'free1')).hotDeskAgentId, null, 'not logged in');
    t.notOk(
      feed.messages.slice(before).some((m) => m.name === 'hot_desk_login'),
      'no login on the feed',
    );
  });

  await t.test('an extension no agent has: announced, then 404', async (t) => {
    const refused = await (
      await dial(server, free1, '998299', 'caller-refused.xml', { vars: { rtp_port: ear.port } })
    ).done;
    t.equal(finalResponse(refused.messages), 404);
  });

  const history = await server.request('GET', '/api/v1/call-history?limit=50', {
    token: server.adminToken,
  });
  t.notOk(
    (history.json() as { items: { toNumber: string }[] }).items.some((i) =>
      /^99[78]/.test(i.toNumber),
    ),
    'hot-desk calls are not in the call history',
  );
});
