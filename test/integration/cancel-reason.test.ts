/**
 * What a phone that lost the race is told (RFC 3326 Reason on the CANCEL): an agent with two
 * phones — one answers, the other is cancelled with "Call completed elsewhere" (cause 200), so
 * it shows no missed call; when the caller gives up instead, the CANCEL says no such thing.
 */
import t from 'tap';
import { agentWithPhone, answer, dial, phoneFor } from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';

/** The Reason header of the CANCEL a phone received, or '' when it had none. */
function cancelReason(messages: string): string {
  const cancel = /CANCEL sip:[\s\S]*?\r?\n\r?\n/.exec(messages)?.[0] ?? '';
  return /^Reason:.*$/im.exec(cancel)?.[0] ?? '';
}

t.test(
  'the losing phone hears "completed elsewhere"; a caller giving up says nothing',
  async (t) => {
    const server = await startTelephonyServer();
    t.teardown(server.stop);
    const op1 = await agentWithPhone(server, 'op1', '201');
    const op2 = await agentWithPhone(server, 'op2', '202');
    const soft = await phoneFor(server, op2.agentId, '202', 'soft202');

    await t.test('another phone of the agent answered', async (t) => {
      const desk = await answer(op2, 'phone-answer.xml', { vars: { answer_delay: 300 } });
      const ringing = await answer(soft, 'phone-noanswer.xml');
      const caller = await dial(server, op1, '202', 'caller.xml', { vars: { hold: 1000 } });
      t.equal((await caller.done).code, 0);
      t.equal((await desk.done).code, 0, 'the desk phone answered');
      const reason = cancelReason((await ringing.done).messages);
      t.match(reason, /cause=200/, `the softphone's CANCEL: ${reason}`);
      t.match(reason, /completed elsewhere/i);
    });

    await t.test('the caller hung up while both rang', async (t) => {
      const desk = await answer(op2, 'phone-noanswer.xml');
      const ringing = await answer(soft, 'phone-noanswer.xml');
      // caller-cancel gives up after 1.5 s of ringing.
      const caller = await dial(server, op1, '202', 'caller-cancel.xml', {
        vars: { cancel_after: 1500 },
      });
      await caller.done;
      for (const [name, run] of [
        ['desk', desk],
        ['soft', ringing],
      ] as const) {
        const messages = (await run.done).messages;
        t.match(messages, /CANCEL sip:/, `the ${name} phone was cancelled`);
        t.notMatch(
          cancelReason(messages),
          /cause=200/,
          `the ${name} phone was not told “elsewhere”`,
        );
      }
    });
  },
);
