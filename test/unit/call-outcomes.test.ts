import t from 'tap';
import { callType, forkFailure, refusalCause, talkSeconds } from '../../src/calls/outcomes.js';
import { sameFields } from '../../src/platform/asterisk/provisioning.js';

t.test(
  'refusals map to the hang-up reasons chan_pjsip turns into the right SIP response',
  async (t) => {
    // ARI reason → SIP response, as measured on Asterisk 22 (see the call tests): busy 486,
    // no_answer 480, unallocated 404, rejected 403, congestion 503.
    t.equal(refusalCause('busy'), 'busy');
    t.equal(refusalCause('blocked'), 'busy');
    t.equal(refusalCause('no_answer'), 'no_answer');
    t.equal(refusalCause('unregistered'), 'no_answer');
    t.equal(refusalCause('unknown_number'), 'unallocated');
    t.equal(refusalCause('forbidden'), 'rejected');
    t.equal(refusalCause('restricted'), 'rejected');
    t.equal(refusalCause('failed'), 'congestion');
  },
);

t.test('history types follow the direction and the answer (区分)', async (t) => {
  t.equal(callType('inbound', true), 'inbound');
  t.equal(callType('inbound', false), 'inbound_missed');
  t.equal(callType('outbound', true), 'outbound');
  t.equal(callType('outbound', false), 'outbound_unanswered');
  t.equal(
    callType('internal', false),
    'outbound_unanswered',
    'internal calls are the caller’s outbound calls',
  );
});

t.test('ringing several phones: busy beats no answer beats unreachable', async (t) => {
  t.equal(forkFailure(['no_answer', 'busy', 'unavailable']), 'busy');
  t.equal(forkFailure(['unavailable', 'no_answer']), 'no_answer');
  t.equal(forkFailure(['unavailable']), 'unregistered');
  t.equal(forkFailure([]), 'unregistered');
});

t.test('talk time', async (t) => {
  t.equal(talkSeconds(null, new Date(10_000)), 0);
  t.equal(talkSeconds(new Date(1_000), new Date(6_400)), 5);
  t.equal(talkSeconds(new Date(1_000), new Date(6_600)), 6);
});

t.test('an AOR is compared as Asterisk writes it back', async (t) => {
  const current = {
    max_contacts: '1',
    remove_existing: 'true',
    qualify_frequency: '0',
    contact: 'sip:x@127.0.0.1:5062',
  };
  t.ok(
    sameFields(current, { max_contacts: '1', remove_existing: 'yes', qualify_frequency: '0' }),
    'yes is true; contact ignored',
  );
  t.notOk(sameFields(current, { max_contacts: '2', remove_existing: 'yes' }), 'a changed number');
  t.notOk(sameFields(current, { remove_existing: 'no' }), 'a changed flag');
  t.notOk(
    sameFields({ max_contacts: '1' }, { max_contacts: '1', qualify_frequency: '30' }),
    'a missing field',
  );
  t.notOk(sameFields({ max_contacts: 'true' }, { max_contacts: '1' }), 'numbers are not flags');
  t.ok(sameFields({ contact: 'sip:127.0.0.2:5070' }, { contact: 'sip:127.0.0.2:5070' }));
  t.notOk(
    sameFields({ contact: 'sip:127.0.0.2:5070' }, { contact: 'sip:127.0.0.3:5070' }),
    'a trunk moved',
  );
});
