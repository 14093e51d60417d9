/**
 * Calls through the carrier trunk, with a SIPp carrier on 127.0.0.2: outbound with the agent's
 * caller ID (and 184), refused when the agent may not call out or the number is restricted;
 * inbound DID calls to an agent, to an external transfer, from a blocked caller, over the
 * number's channel limit, and to an agent who is not available.
 */
import t from 'tap';
import { freePortBlock } from '../support/ports.js';
import { rtpListener } from '../support/rtp.js';
import { runSipp } from '../support/sipp.js';
import {
  agentWithPhone,
  answer,
  callOutWith,
  carrier,
  CARRIER_IP,
  dial,
  did,
  finalResponse,
  firstRequest,
  lastCall,
  until,
} from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

t.test('outbound calls through the trunk', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const trunk = await carrier(server);
  const number = await did(server, '0312340000');
  await callOutWith(server, op1.agentId ?? 0, number);
  let calls = 0;

  await t.test('the carrier gets the call with the agent’s caller ID', async (t) => {
    const far = await trunk.answer({ vars: { answer_delay: 500 } });
    const run = await (
      await dial(server, op1, '03-9999-8888'.replace(/-/g, ''), 'caller.xml', {
        vars: { hold: 2000 },
      })
    ).done;
    t.equal(run.code, 0, 'answered and ended normally');
    const invite = firstRequest((await far.done).messages, 'INVITE') ?? '';
    t.match(
      invite,
      /^INVITE sip:0399998888@127\.0\.0\.2:\d+ SIP\/2\.0/m,
      'the number dialled, to the carrier',
    );
    t.match(invite, /^From: .*<sip:0312340000@/m, 'our number in From');
    t.match(invite, /^P-Asserted-Identity: .*<sip:0312340000@/m, 'and in P-Asserted-Identity');
    calls += 1;
    t.match(await lastCall(server, calls - 1), {
      direction: 'outbound',
      type: 'outbound',
      toNumber: '0399998888',
      ourNumber: '0312340000',
      agentId: op1.agentId,
      endReason: 'completed',
    });
  });

  await t.test(
    '184 withholds the caller ID from the called party (the carrier still knows it)',
    async (t) => {
      const far = await trunk.answer();
      const run = await (
        await dial(server, op1, '1840399998888', 'caller.xml', { vars: { hold: 500 } })
      ).done;
      t.equal(run.code, 0);
      const invite = firstRequest((await far.done).messages, 'INVITE') ?? '';
      t.match(invite, /^INVITE sip:0399998888@/m, '184 is not dialled to the carrier');
      t.match(invite, /^From: .*<sip:anonymous@/im, 'From is anonymous');
      t.match(invite, /^Privacy: id/m, 'Privacy: id');
      t.match(
        invite,
        /^P-Asserted-Identity: .*<sip:0312340000@/m,
        'the trusted carrier gets the real number',
      );
      calls += 1;
      await lastCall(server, calls - 1);
    },
  );

  await t.test(
    'an agent without a caller ID may not call out (外線発信禁止): announcement, then 403',
    async (t) => {
      const ear = await rtpListener();
      t.teardown(ear.close);
      const run = await (
        await dial(server, op2, '0399998888', 'caller-refused.xml', {
          vars: { rtp_port: ear.port },
        })
      ).done;
      t.equal(finalResponse(run.messages), 403);
      t.ok(
        ear.packets() > 20 && ear.rms() > 200,
        `the caller heard an announcement (${ear.packets()} packets, RMS ${ear.rms().toFixed(0)})`,
      );
      t.equal(
        [...run.messages.matchAll(/^SIP\/2\.0 183 /gm)].length,
        1,
        'one 183 Session Progress for the announcement, not two',
      );
      calls += 1;
      t.match(await lastCall(server, calls - 1), {
        type: 'outbound_unanswered',
        endReason: 'forbidden',
        agentId: op2.agentId,
      });
    },
  );

  await t.test(
    'a carrier’s refusal reaches the phone as the carrier gave it, and is written down',
    async (t) => {
      for (const [status, endReason, cause] of [
        [403, 'rejected', 21],
        [404, 'unknown_number', 1],
        [503, 'failed', 34],
        [486, 'busy', 17],
      ] as const) {
        const far = await runSipp('carrier-busy.xml', {
          localIp: CARRIER_IP,
          localPort: trunk.port,
          vars: { status },
          timeoutSeconds: 30,
        });
        const refused = await (await dial(server, op1, '0399996666', 'caller-refused.xml')).done;
        t.equal((await far.done).code, 0, `the carrier answered ${status}`);
        t.equal(finalResponse(refused.messages), status, `the phone got ${status} too`);
        calls += 1;
        t.match(
          await lastCall(server, calls - 1),
          { type: 'outbound_unanswered', endReason, hangupCause: cause, toNumber: '0399996666' },
          `written down as ${endReason} (Q.850 ${cause})`,
        );
      }
    },
  );

  await t.test(
    'a restricted destination is refused (発信規制); a restriction for another caller ID is not',
    async (t) => {
      const token = server.adminToken;
      await server.request('POST', '/api/v1/outbound-restrictions', {
        token,
        body: { number: '0399990000', note: 'クレーム' },
      });
      await server.request('POST', '/api/v1/outbound-restrictions', {
        token,
        body: { number: '0399997777', callerNumber: '0311110000' },
      });
      const ear = await rtpListener();
      t.teardown(ear.close);
      const refused = await (
        await dial(server, op1, '0399990000', 'caller-refused.xml', {
          vars: { rtp_port: ear.port },
        })
      ).done;
      t.equal(finalResponse(refused.messages), 403);
      t.ok(ear.packets() > 20, 'with an announcement');
      calls += 1;
      t.match(await lastCall(server, calls - 1), {
        type: 'outbound_unanswered',
        endReason: 'restricted',
        toNumber: '0399990000',
      });

      const far = await trunk.answer();
      const allowed = await (
        await dial(server, op1, '0399997777', 'caller.xml', { vars: { hold: 500 } })
      ).done;
      t.equal(allowed.code, 0, 'restricted only for 0311110000, so this call goes out');
      await far.done;
      calls += 1;
      t.match(await lastCall(server, calls - 1), { type: 'outbound', endReason: 'completed' });
    },
  );

  await t.test(
    'after an external call the agent is in the after-call status (後処理), then available',
    async (t) => {
      const acw = await server.request('POST', '/api/v1/agent-statuses', {
        token: server.adminToken,
        body: { name: '後処理', afterCall: true, afterCallSeconds: 2 },
      });
      t.equal(acw.statusCode, 201);
      const acwId = (acw.json() as { id: number }).id;
      const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['agents']);
      t.teardown(() => feed.close());
      const mine = (status: string) => (m: { name?: string; data?: unknown }) =>
        m.name === 'agent_status_changed' &&
        (m.data as { agentId: number; status: string }).agentId === op1.agentId &&
        (m.data as { status: string }).status === status;

      const far = await trunk.answer();
      const run = await (
        await dial(server, op1, '0399998888', 'caller.xml', { vars: { hold: 1000 } })
      ).done;
      t.equal(run.code, 0);
      await far.done;
      calls += 1;
      await lastCall(server, calls - 1);

      t.ok(await feed.waitFor(mine('on_call'), 5000), 'on the call');
      const after = await feed.waitFor(mine('paused'), 5000);
      t.match(after.data, { previousStatus: 'on_call' }, 'straight from the call, never available');
      t.match(after.data, { customStatusId: acwId, selection: 'paused' }, 'then 後処理');
      t.ok((after.data as { until: string | null }).until, 'for a limited time');
      const back = await feed.waitFor(mine('available'), 6000);
      const pausedFor =
        Date.parse((back.data as { since: string }).since) -
        Date.parse((after.data as { since: string }).since);
      t.ok(pausedFor >= 1900, `available again after the 2 s (${pausedFor} ms)`);

      const internal = await agentWithPhone(server, 'op3', '203');
      const phone = await answer(internal);
      await (
        await dial(server, op1, '203', 'caller.xml', { vars: { hold: 500 } })
      ).done;
      await phone.done;
      calls += 1;
      await lastCall(server, calls - 1);
      const status = await server.request('GET', `/api/v1/agents/${op1.agentId}/status`, {
        token: server.adminToken,
      });
      t.equal(
        (status.json() as { status: string }).status,
        'available',
        'an internal call has no after-call status',
      );
    },
  );
});

t.test('inbound DID calls', async (t) => {
  const server = await startTelephonyServer({ env: { CALL_RING_SECONDS: '5' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201', { password: 'Operator1' });
  const op2 = await agentWithPhone(server, 'op2', '202');
  const trunk = await carrier(server);
  await did(server, '0312340000', {
    route: { type: 'agent', agentId: op1.agentId },
    incomingPopupUrl: 'https://crm.example/customers?tel=@@@@',
    incomingMessage: '業務Aへ着信',
  });
  let calls = 0;

  await t.test(
    'to an agent: their phone rings with the customer’s number, and their screen pops',
    async (t) => {
      const token = ((await server.login('op1', 'Operator1')).json() as { token: string }).token;
      const feed = await subscribedFeed(server.baseUrl, token, ['me']);
      t.teardown(() => feed.close());

      const phone = await answer(op1, 'phone-answer.xml', { vars: { answer_delay: 500 } });
      const customer = await (
        await trunk.call('0312340000', '09011112222', 'caller.xml', { vars: { hold: 2000 } })
      ).done;
      t.equal(customer.code, 0, 'the customer was answered');
      const invite = firstRequest((await phone.done).messages, 'INVITE') ?? '';
      t.match(
        invite,
        /^From: .*<sip:09011112222@/m,
        'the agent’s phone shows the customer’s number',
      );

      const ringing = await feed.waitFor((m) => m.name === 'call_ringing', 5000);
      t.match(ringing.data, {
        direction: 'inbound',
        from: { number: '09011112222' },
        ourNumber: '0312340000',
        popup: {
          incomingUrl: 'https://crm.example/customers?tel=09011112222',
          message: '業務Aへ着信',
        },
      });
      calls += 1;
      t.match(await lastCall(server, calls - 1), {
        direction: 'inbound',
        type: 'inbound',
        fromNumber: '09011112222',
        toNumber: '0312340000',
        ourNumber: '0312340000',
        agentId: op1.agentId,
        endReason: 'completed',
      });
    },
  );

  await t.test(
    'to an external transfer: forwarded through the trunk with the called number as caller ID',
    async (t) => {
      const transfer = await server.request('POST', '/api/v1/external-transfers', {
        token: server.adminToken,
        body: { name: '本社', number: '0355556666', useCalledNumber: true },
      });
      await did(server, '0312340001', {
        route: {
          type: 'external_transfer',
          externalTransferId: (transfer.json() as { id: number }).id,
        },
      });
      const far = await trunk.answer();
      const customer = await (
        await trunk.call('0312340001', '09033334444', 'caller.xml', { vars: { hold: 1500 } })
      ).done;
      t.equal(customer.code, 0, 'the customer was connected to the forward');
      const invite = firstRequest((await far.done).messages, 'INVITE') ?? '';
      t.match(invite, /^INVITE sip:0355556666@127\.0\.0\.2/m, 'forwarded to the transfer number');
      t.match(
        invite,
        /^From: .*<sip:0312340001@/m,
        'presenting the number that was called (着信番号を発番に利用)',
      );
      calls += 1;
      t.match(await lastCall(server, calls - 1), {
        type: 'inbound',
        toNumber: '0312340001',
        endReason: 'completed',
      });
    },
  );

  await t.test('a blocked caller is refused before routing (着信拒否)', async (t) => {
    await server.request('POST', '/api/v1/blocked-numbers', {
      token: server.adminToken,
      body: { number: '09099990000', note: 'いたずら電話' },
    });
    const customer = await (
      await trunk.call('0312340000', '09099990000', 'caller-refused.xml')
    ).done;
    t.equal(finalResponse(customer.messages), 486);
    calls += 1;
    t.match(await lastCall(server, calls - 1), {
      type: 'inbound_missed',
      endReason: 'blocked',
      fromNumber: '09099990000',
    });
  });

  await t.test('over the number’s channel limit: refused, and not written down', async (t) => {
    await did(server, '0312340002', {
      route: { type: 'agent', agentId: op2.agentId },
      maxChannels: 1,
    });
    const phone = await answer(op2);
    const first = await trunk.call('0312340002', '09055550001', 'caller.xml', {
      vars: { hold: 3000 },
    });
    await until(
      async () =>
        (
          (await server.request('GET', '/api/v1/calls', { token: server.adminToken })).json() as {
            items: { state: string }[];
          }
        ).items.some((c) => c.state === 'up'),
      10_000,
      'the first call to be up',
    );
    const second = await (await trunk.call('0312340002', '09055550002', 'caller-refused.xml')).done;
    t.equal(finalResponse(second.messages), 486, 'the second call is refused busy');
    t.equal((await first.done).code, 0, 'the first call went on');
    await phone.done;
    calls += 1;
    const last = await lastCall(server, calls - 1);
    t.equal(last.fromNumber, '09055550001');
    const history = await server.request('GET', '/api/v1/call-history?party=0905555', {
      token: server.adminToken,
    });
    t.equal(
      (history.json() as { total: number }).total,
      1,
      'only the call that got through is in the history',
    );
  });

  await t.test('to an agent who is not available (paused): busy, a missed call', async (t) => {
    await server.request('PUT', `/api/v1/agents/${op1.agentId}/status`, {
      token: server.adminToken,
      body: { status: 'paused' },
    });
    const customer = await (
      await trunk.call('0312340000', '09077778888', 'caller-refused.xml')
    ).done;
    t.equal(finalResponse(customer.messages), 486);
    calls += 1;
    t.match(await lastCall(server, calls - 1), {
      type: 'inbound_missed',
      endReason: 'busy',
      agentId: op1.agentId,
    });
  });
});

t.test('a trunk that registers to the carrier', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const port = await freePortBlock(1);
  const carrierTakes = (what: string) =>
    runSipp('carrier-answer.xml', {
      localIp: CARRIER_IP,
      localPort: port,
      timeoutSeconds: 30,
      extraArgs: ['-deadcall_wait', '0'],
    }).then(async (run) => {
      const done = await run.done;
      t.equal(done.code, 0, `the carrier answered the ${what}`);
      return firstRequest(done.messages, 'REGISTER') ?? '';
    });

  const registration = carrierTakes('REGISTER');
  const created = await server.request('POST', '/api/v1/trunks', {
    token: server.adminToken,
    body: {
      name: 'carrier-reg',
      host: CARRIER_IP,
      port,
      username: 'cc0312340000',
      secret: 'carrier-Secret1',
      register: true,
    },
  });
  t.equal(created.statusCode, 201);
  const trunk = created.json() as { id: number; hasSecret: boolean };
  t.notOk('secret' in trunk, 'the secret is not returned');
  const register = await registration;
  t.match(register, /^REGISTER sip:127\.0\.0\.2:\d+ SIP\/2\.0/m, 'Asterisk registered at once');
  t.match(register, /^To: .*<sip:cc0312340000@127\.0\.0\.2>/m, 'as our account at the carrier');
  t.match(register, /^Contact: .*;line=/m, 'with a line token to recognise its calls');

  const state = async () =>
    (
      (
        await server.request('GET', `/api/v1/trunks/${trunk.id}`, { token: server.adminToken })
      ).json() as {
        registration: string;
      }
    ).registration;
  await until(async () => (await state()) === 'registered', 5000, 'the trunk to be registered');
  t.pass('the API shows the trunk registered');
  const listed = await server.request('GET', '/api/v1/trunks', { token: server.adminToken });
  t.match(listed.json(), { items: [{ id: trunk.id, registration: 'registered' }] });

  const unregistration = carrierTakes('un-REGISTER');
  const removed = await server.request('DELETE', `/api/v1/trunks/${trunk.id}`, {
    token: server.adminToken,
  });
  t.equal(removed.statusCode, 204);
  t.match(
    await unregistration,
    /^(Expires: 0|Contact: .*expires=0)/im,
    'deleting the trunk unregisters it from the carrier',
  );
});
