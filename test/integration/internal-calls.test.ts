/**
 * Extension-to-extension calls between SIPp desk phones, through our Stasis application:
 * answered, busy, unanswered, to an unregistered and to an unknown extension — each with what
 * the caller's phone sees, the history row, and the feed events in order.
 */
import t from 'tap';
import { subscribedFeed, type FeedMessage } from '../support/ws-client.js';
import { agentWithPhone, answer, dial, finalResponse, lastCall } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';

interface CallData {
  id: string;
  state: string;
  direction: string;
  agentIds: number[];
}

t.test('internal calls: answered, busy, unanswered, unregistered, unknown', async (t) => {
  const server = await startTelephonyServer({ env: { CALL_RING_SECONDS: '5' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const op3 = await agentWithPhone(server, 'op3', '203', { register: false });
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['calls', 'agents']);
  t.teardown(() => feed.close());

  await t.test(
    'answered: the callee’s phone rings, both talk, the call is written down',
    async (t) => {
      const callee = await answer(op2, 'phone-answer.xml', { vars: { answer_delay: 1000 } });
      const caller = await (
        await dial(server, op1, '202', 'caller.xml', { vars: { hold: 3000 } })
      ).done;
      t.equal(caller.code, 0, 'the caller’s call was answered and ended normally');
      const calleeRun = await callee.done;
      t.equal(calleeRun.code, 0);
      t.match(
        calleeRun.messages,
        /INVITE sip:desk202@[\s\S]*From: "op1" <sip:201@/,
        'the callee saw who calls: op1, 201',
      );

      const row = await lastCall(server);
      t.match(row, {
        direction: 'internal',
        type: 'outbound',
        fromNumber: '201',
        toNumber: '202',
        agentId: op1.agentId,
        calleeAgentId: op2.agentId,
        endReason: 'completed',
      });
      t.ok(row.talkSeconds >= 2 && row.talkSeconds <= 4, `talked ${row.talkSeconds} s`);

      const events = feed.messages.filter(
        (m) => m.topic === 'calls' && (m.data as CallData | undefined)?.id === row.callId,
      );
      t.same(
        events.map((m) => m.name),
        ['call_created', 'call_ringing', 'call_answered', 'call_ended'],
        'the feed tells the call in order',
      );
      const statuses = (agentId: number | null) =>
        feed.messages
          .filter(
            (m): m is FeedMessage & { data: { agentId: number; status: string } } =>
              m.name === 'agent_status_changed' &&
              (m.data as { agentId: number }).agentId === agentId,
          )
          .map((m) => m.data.status);
      t.same(
        statuses(op2.agentId),
        ['ringing', 'on_call', 'available'],
        'the callee rang, talked, and is available again',
      );
      t.same(
        statuses(op1.agentId),
        ['on_call', 'available'],
        'the caller was busy from dialling until hang-up',
      );
    },
  );

  await t.test('busy: the callee’s phone answers 486, the caller gets 486', async (t) => {
    const callee = await answer(op2, 'phone-busy.xml');
    const caller = await (await dial(server, op1, '202', 'caller-refused.xml')).done;
    t.equal(finalResponse(caller.messages), 486);
    await callee.done;
    t.match(await lastCall(server, 1), {
      type: 'outbound_unanswered',
      endReason: 'busy',
      talkSeconds: 0,
    });
  });

  await t.test(
    'unanswered: after the ring time the caller gets 480 and the phone CANCEL',
    async (t) => {
      const callee = await answer(op2, 'phone-noanswer.xml');
      const caller = await (await dial(server, op1, '202', 'caller-refused.xml')).done;
      t.equal(finalResponse(caller.messages), 480);
      const calleeRun = await callee.done;
      t.match(calleeRun.messages, /CANCEL sip:/, 'the ringing phone was cancelled');
      t.match(await lastCall(server, 2), { type: 'outbound_unanswered', endReason: 'no_answer' });
    },
  );

  await t.test('unregistered: nobody to ring, the caller gets 480 at once', async (t) => {
    const caller = await (await dial(server, op1, op3.extension ?? '', 'caller-refused.xml')).done;
    t.equal(finalResponse(caller.messages), 480);
    t.match(await lastCall(server, 3), {
      type: 'outbound_unanswered',
      endReason: 'unregistered',
      calleeAgentId: op3.agentId,
    });
  });

  await t.test('unknown extension: 404', async (t) => {
    const caller = await (await dial(server, op1, '299', 'caller-refused.xml')).done;
    t.equal(finalResponse(caller.messages), 404);
    t.match(await lastCall(server, 4), {
      type: 'outbound_unanswered',
      endReason: 'unknown_number',
      toNumber: '299',
    });
  });

  const live = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
  t.same((live.json() as { items: unknown[] }).items, [], 'no call is left behind');
});
