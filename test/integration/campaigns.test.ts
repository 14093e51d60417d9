/**
 * Autodial campaigns against a real Asterisk: SIPp agents' phones, and a SIPp carrier whose
 * customers answer, are busy or never answer by number (carrier-by-number.xml). What is asserted
 * is what a supervisor would see: who was rung, what the carrier received, each entry's result
 * and call count, the attempts on the feed, and that nothing is left dialling.
 */
import t from 'tap';
import {
  answering,
  campaignWith,
  carrierTaking,
  entriesOf,
  switchCampaign,
} from '../support/campaign-floor.js';
import { agentWithPhone, carrier, did, until } from '../support/floor.js';
import { runSipp } from '../support/sipp.js';
import { startTelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

t.test('autodial campaigns through the carrier', async (t) => {
  const server = await startTelephonyServer({ rtpPorts: 80 });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const trunk = await carrier(server);
  const phoneNumberId = await did(server, '0312340000', { maxChannels: 0 });
  const carrierRun = await carrierTaking((fn) => t.teardown(fn), trunk, {
    answer_delay: 300,
    hangup_after: 1500,
  });
  await answering((fn) => t.teardown(fn), op1);
  await answering((fn) => t.teardown(fn), op2);
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['campaigns']);
  t.teardown(() => feed.close());

  await t.test(
    'a progressive campaign of 10 entries with 2 agents reaches every entry and records what the carrier did',
    async (t) => {
      const answered = [
        '0311110001',
        '0311110002',
        '0311110003',
        '0311110004',
        '0311110005',
        '0311110006',
      ];
      const busy = ['0348600001', '0348600002'];
      const unanswered = ['0348000001', '0348000002'];
      const restricted = '0399990000';
      await server.request('POST', '/api/v1/outbound-restrictions', {
        token: server.adminToken,
        body: { number: restricted, note: 'クレーム' },
      });
      const id = await campaignWith(
        server,
        {
          name: 'プログレッシブ',
          type: 'progressive',
          phoneNumberId,
          maxChannels: 2,
          dialTimeoutSeconds: 4,
          agentRingSeconds: 10,
        },
        [op1.agentId ?? 0, op2.agentId ?? 0],
        [...answered, ...busy, ...unanswered, restricted],
      );
      await switchCampaign(server, id, true);
      await until(
        () => entriesOf(server, id).every((e) => e.phase === 'idle' && e.result !== 'waiting'),
        120_000,
        'every entry to be dialled',
      );
      const byPhone = new Map(entriesOf(server, id).map((e) => [e.phone, e]));
      for (const phone of answered) {
        const entry = byPhone.get(phone);
        t.equal(entry?.result, 'no_entry', `${phone}: answered, no result entered (未入力)`);
        t.ok(
          [op1.agentId, op2.agentId].includes(entry?.lastAgentId ?? -1),
          `${phone}: an agent of the campaign talked to them`,
        );
        t.equal(entry?.callCount, 1, `${phone}: dialled once`);
      }
      for (const phone of busy) t.equal(byPhone.get(phone)?.result, 'busy', `${phone}: ビジー`);
      for (const phone of unanswered)
        t.equal(byPhone.get(phone)?.result, 'timeout', `${phone}: 制限時間`);
      t.equal(byPhone.get(restricted)?.result, 'restricted', '発信規制');
      t.equal(byPhone.get(restricted)?.callCount, 0, 'the restricted number was never dialled');

      const connected = feed.messages.filter(
        (m) =>
          m.name === 'attempt_connected' && (m.data as { campaignId: number }).campaignId === id,
      );
      t.equal(connected.length, answered.length, 'the feed told of each customer connected');
      const agentsUsed = new Set(connected.map((m) => (m.data as { agentId: number }).agentId));
      t.equal(agentsUsed.size, 2, 'both agents took calls');
      const history = (
        await server.request('GET', '/api/v1/call-history?limit=50', { token: server.adminToken })
      ).json() as {
        items: {
          toNumber: string;
          ourNumber: string | null;
          agentId: number | null;
          type: string;
        }[];
      };
      const rows = history.items.filter((r) => answered.includes(r.toNumber));
      t.equal(rows.length, answered.length, 'each answered customer is in the call history');
      t.ok(
        rows.every((r) => r.ourNumber === '0312340000' && r.agentId !== null),
        'with our number and the agent',
      );
      await switchCampaign(server, id, false);
    },
  );

  await t.test('stopping a campaign leaves no call and no entry dialling', async (t) => {
    const numbers = ['0348000011', '0348000012', '0348000013'];
    const id = await campaignWith(
      server,
      { name: '停止', type: 'progressive', phoneNumberId, maxChannels: 2, dialTimeoutSeconds: 60 },
      [op1.agentId ?? 0, op2.agentId ?? 0],
      numbers,
    );
    await switchCampaign(server, id, true);
    await until(
      () => entriesOf(server, id).filter((e) => e.phase === 'dialing').length === 2,
      15_000,
      'two lines ringing',
    );
    await switchCampaign(server, id, false);
    await until(
      () => entriesOf(server, id).every((e) => e.phase === 'idle'),
      15_000,
      'the entries to be idle',
    );
    const entries = entriesOf(server, id);
    t.ok(
      entries.every((e) => e.result === 'waiting'),
      'every entry is 発信待機中 again',
    );
    t.equal(entries.filter((e) => e.callCount === 1).length, 2, 'the two that rang count one call');
    const calls = (
      await server.request('GET', '/api/v1/calls', { token: server.adminToken })
    ).json() as { items: unknown[] };
    t.same(calls.items, [], 'no call is left');
  });

  await t.test(
    'a preview rings the agent first; the customer only when the agent dials',
    async (t) => {
      const agentFeed = await subscribedFeed(
        server.baseUrl,
        (await server.login('op1', 'Secret123')).json<{ token: string }>().token,
        ['campaigns'],
      );
      t.teardown(() => agentFeed.close());
      const id = await campaignWith(
        server,
        { name: 'プレビュー', type: 'preview', phoneNumberId, dialTimeoutSeconds: 10 },
        [op1.agentId ?? 0],
        ['0311110099'],
      );
      await switchCampaign(server, id, true);
      const offered = await agentFeed.waitFor(
        (m) => m.name === 'preview_offered',
        15_000,
        'the preview',
      );
      const { callId, phone } = offered.data as { callId: string; phone: string };
      t.equal(phone, '0311110099', 'the agent is offered the entry');
      await until(
        async () => {
          const calls = (
            await server.request('GET', '/api/v1/calls', { token: server.adminToken })
          ).json() as {
            items: { id: string; legs: { agentId: number | null; state: string }[] }[];
          };
          return calls.items.some(
            (c) =>
              c.id === callId && c.legs.some((l) => l.agentId === op1.agentId && l.state === 'up'),
          );
        },
        15_000,
        'the agent to answer the preview',
      );
      t.equal(
        entriesOf(server, id)[0]?.phase,
        'dialing',
        'the entry is being worked while the agent looks at it',
      );
      const choice = await server.request('POST', `/api/v1/campaigns/previews/${callId}/dial`, {
        token: (await server.login('op1', 'Secret123')).json<{ token: string }>().token,
      });
      t.equal(choice.statusCode, 204, 'the agent chooses to dial');
      await until(
        () => entriesOf(server, id).every((e) => e.phase === 'idle' && e.result !== 'waiting'),
        30_000,
        'the call to be over',
      );
      const entry = entriesOf(server, id)[0];
      t.equal(entry?.result, 'no_entry', 'the customer answered and talked to the agent');
      t.equal(entry?.lastAgentId, op1.agentId);
      await switchCampaign(server, id, false);
    },
  );

  await t.test(
    'a DTMF result and a 0 recall in 分*時# form, keyed on the phone after the customer hung up',
    async (t) => {
      const op3 = await agentWithPhone(server, 'op3', '203');
      const terminals = (
        await server.request('GET', `/api/v1/terminals?sipUser=${op3.sipUser}`, {
          token: server.adminToken,
        })
      ).json<{ items: { id: number }[] }>();
      const patched = await server.request('PATCH', `/api/v1/terminals/${terminals.items[0]?.id}`, {
        token: server.adminToken,
        body: { dtmfMode: 'info' },
      });
      t.equal(patched.statusCode, 200, 'the phone keys DTMF as SIP INFO');
      const id = await campaignWith(
        server,
        {
          name: 'コマンド入力',
          type: 'progressive',
          phoneNumberId,
          dtmfResults: true,
          resultsText: '1,受注\n2,検討',
        },
        [op3.agentId ?? 0],
        [],
      );
      for (const [phone, keys] of [
        ['0311110201', ['2', '#']],
        ['0311110202', ['0', '5', '*', '1', '#']],
      ] as const) {
        const keyed = await runSipp('phone-answer-keys.xml', {
          localPort: op3.port,
          timeoutSeconds: 60,
          vars: Object.fromEntries(keys.map((k, i) => [`key${i + 1}`, k])),
        });
        t.teardown(() => keyed.kill());
        const entry = await server.request('POST', `/api/v1/campaigns/${id}/entries`, {
          token: server.adminToken,
          body: { phone },
        });
        t.equal(entry.statusCode, 201);
        await switchCampaign(server, id, true);
        await until(
          () =>
            entriesOf(server, id).some(
              (e) => e.phone === phone && e.phase === 'idle' && e.callCount === 1,
            ),
          40_000,
          `the call to ${phone} to be over`,
        );
        await switchCampaign(server, id, false);
        t.equal((await keyed.done).code, 0, `${phone}: the agent answered, keyed and was hung up`);
      }
      const byPhone = new Map(entriesOf(server, id).map((e) => [e.phone, e]));
      t.equal(byPhone.get('0311110201')?.result, '2', '2# records the campaign result 検討');
      const recall = byPhone.get('0311110202');
      t.equal(recall?.result, 'waiting', 'a recall is 発信待機中 again');
      const inMs = (recall?.reservedAt?.getTime() ?? 0) - Date.now();
      t.ok(
        inMs > 55 * 60_000 && inMs <= 65 * 60_000 + 5 * 60_000,
        `reserved 5 minutes and 1 hour later (${Math.round(inMs / 60_000)} min)`,
      );
    },
  );

  await t.test(
    'predictive: an answered customer with no free agent hears the abandon message and is counted',
    async (t) => {
      const op4 = await agentWithPhone(server, 'op4', '204');
      const id = await campaignWith(
        server,
        {
          name: 'プレディクティブ',
          type: 'progressive',
          predictive: true,
          predictiveMinAgents: 1,
          phoneNumberId,
          maxChannels: 1,
        },
        [op4.agentId ?? 0],
        ['0377710301'],
      );
      const op4Token = (await server.login('op4', 'Secret123')).json<{ token: string }>().token;
      await switchCampaign(server, id, true);
      await feed.waitFor(
        (m) => m.name === 'attempt_dialing' && (m.data as { campaignId: number }).campaignId === id,
        15_000,
        'the customer to be dialled',
      );
      // The only agent takes a break while the customer's phone rings (300 ms).
      const paused = await server.request('PUT', '/api/v1/me/status', {
        token: op4Token,
        body: { status: 'paused' },
      });
      t.equal(paused.statusCode, 200, 'the agent went on a break');
      const ended = await feed.waitFor(
        (m) => m.name === 'attempt_ended' && (m.data as { campaignId: number }).campaignId === id,
        30_000,
        'the attempt to end',
      );
      t.equal((ended.data as { outcome: string }).outcome, 'abandoned', 'the feed: abandoned');
      await switchCampaign(server, id, false);
      const entry = entriesOf(server, id)[0];
      t.equal(entry?.result, 'waiting', 'the customer will be called again');
      t.ok((entry?.reservedAt?.getTime() ?? 0) > Date.now() + 50 * 60_000, 'an hour later');
      const history = (
        await server.request('GET', '/api/v1/call-history?limit=5', { token: server.adminToken })
      ).json<{ items: { toNumber: string; agentId: number | null }[] }>();
      const row = history.items.find((r) => r.toNumber === '0377710301');
      t.equal(row?.agentId ?? null, null, 'no agent talked to them');
      const attempt = server.app.services.campaignLedger.attemptOfCall(
        (ended.data as { callId: string }).callId,
      );
      const heldMs = (attempt?.endedAt?.getTime() ?? 0) - (attempt?.answeredAt?.getTime() ?? 0);
      t.ok(heldMs >= 4000, `the line stayed up for the 2 s and the message (${heldMs} ms)`);
      const live = server.app.services.dialer.live();
      t.same(
        live.filter((c) => c.campaignId === id),
        [],
        'the campaign is off',
      );
      const rates = server.app.services.campaignLedger.abandonRates(id, new Date());
      t.equal(rates.day.abandoned, 1, 'counted in the ledger');
      t.equal(rates.day.percent, 100);
    },
  );

  await t.test('a reservation is dialled at its time, not before', async (t) => {
    const id = await campaignWith(
      server,
      {
        name: '予約',
        type: 'progressive',
        phoneNumberId,
        maxChannels: 1,
        agentRingSeconds: 10,
      },
      [op1.agentId ?? 0, op2.agentId ?? 0],
      ['0311110401'],
    );
    const [entry] = entriesOf(server, id);
    const due = new Date(Date.now() + 6000);
    const reserved = await server.request('PATCH', `/api/v1/campaigns/entries/${entry?.id}`, {
      token: server.adminToken,
      body: { reservedAt: due.toISOString() },
    });
    t.equal(reserved.statusCode, 200, 'reserved 6 s from now (schedule only, no 担当)');
    await switchCampaign(server, id, true);
    const dialled = await feed.waitFor(
      (m) => m.name === 'attempt_dialing' && (m.data as { campaignId: number }).campaignId === id,
      30_000,
      'the reservation to be dialled',
    );
    const at = Date.parse(dialled.ts ?? '');
    t.ok(at >= due.getTime(), `not before its time (${at - due.getTime()} ms after it)`);
    t.ok(at < due.getTime() + 3000, 'but within the dialer’s next looks after it');
    await until(
      () => entriesOf(server, id).every((e) => e.phase === 'idle' && e.result !== 'waiting'),
      30_000,
      'the reserved customer to be talked to',
    );
    t.equal(entriesOf(server, id)[0]?.result, 'no_entry', 'answered and put through: 未入力');
    await switchCampaign(server, id, false);
  });

  carrierRun.kill();
  const carried = (await carrierRun.done).messages;
  const invites = carried.split(/\n(?=INVITE sip:)/).filter((m) => m.startsWith('INVITE sip:'));
  t.ok(invites.length >= 10, 'the carrier was sent the campaigns’ calls');
  t.ok(
    invites.every((m) => /^From: .*<sip:0312340000@/m.test(m)),
    'every one with the campaign’s number',
  );
  t.notOk(
    invites.some((m) => m.startsWith('INVITE sip:0399990000@')),
    'never the restricted number',
  );
});
