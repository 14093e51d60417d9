/**
 * Digits keyed on an agent's phone during a call (§13): what is not a feature code reaches the
 * customer (an agent keys through the customer's IVR), a code's beginning is held back until it
 * stops being one or the pause runs out, and then reaches the customer in order.
 * The agent's phone sends SIP INFO digits; the carrier's ear decodes the RFC 4733 events
 * Asterisk sends it.
 */
import t from 'tap';
import {
  CARRIER_IP,
  agentWithPhone,
  callOutWith,
  carrier,
  dial,
  did,
  until,
} from '../support/floor.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer } from '../support/telephony.js';

t.test('an agent’s digits reach the customer, feature-code beginnings after a pause', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const trunk = await carrier(server);
  await callOutWith(server, op1.agentId ?? 0, await did(server, '0312340000'));
  const customerEar = await rtpListener(0, CARRIER_IP);
  t.teardown(customerEar.close);

  await t.test('plain digits and a # that begins no code pass straight on', async (t) => {
    customerEar.reset();
    const customer = await trunk.answer({ vars: { rtp_port: customerEar.port } });
    const agent = await dial(server, op1, '0399998888', 'caller.xml', {
      vars: { dtmf: '12#3*0', dtmf_mode: 'info', dtmf_delay: 1000, dtmf_gap: 300, hold: 4500 },
    });
    await until(() => customerEar.digits().length >= 6, 8000, 'six digits at the customer');
    t.equal(customerEar.digits(), '12#3*0', 'the customer received every digit, in order');
    t.equal((await agent.done).code, 0);
    t.equal((await customer.done).code, 0);
  });

  await t.test(
    'the beginning of a code is held, then passed on when the pause runs out',
    async (t) => {
      customerEar.reset();
      const customer = await trunk.answer({ vars: { rtp_port: customerEar.port } });
      // "#7" begins #72 (park); nothing follows it.
      const agent = await dial(server, op1, '0399998888', 'caller.xml', {
        vars: { dtmf: '5#7', dtmf_mode: 'info', dtmf_delay: 1000, dtmf_gap: 300, hold: 7000 },
      });
      await until(() => customerEar.digits() === '5', 5000, 'the 5 at the customer');
      const heldSince = Date.now();
      await until(() => customerEar.digits() === '5#7', 8000, '#7 at the customer');
      const held = Date.now() - heldSince;
      t.ok(held >= 2000, `#7 was held back ${held} ms (the pause is 3 s after the 7)`);
      t.equal((await agent.done).code, 0);
      t.equal((await customer.done).code, 0);
    },
  );
});
