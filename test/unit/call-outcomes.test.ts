import t from 'tap';
import {
  callType,
  forkFailure,
  legEndReason,
  reasonOfCause,
  refusalCause,
  refusalOf,
  talkSeconds,
  type TargetFailure,
} from '../../src/calls/outcomes.js';

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

t.test('ringing several targets: busy beats no answer beats the far end’s word', async (t) => {
  const phone = (result: TargetFailure['result'], cause: number | null = null): TargetFailure => ({
    kind: 'phone',
    result,
    cause,
  });
  const line = (cause: number | null): TargetFailure => ({
    kind: 'trunk',
    result: 'unavailable',
    cause,
  });
  t.same(forkFailure([phone('no_answer', 19), phone('busy', 17), phone('unavailable')]), {
    reason: 'busy',
    cause: 17,
  });
  t.same(forkFailure([phone('unavailable'), phone('no_answer')]), {
    reason: 'no_answer',
    cause: 19,
  });
  t.same(forkFailure([phone('unavailable')]), { reason: 'unregistered', cause: null });
  t.same(forkFailure([]), { reason: 'unregistered', cause: null });
  t.same(forkFailure([line(21)]), { reason: 'rejected', cause: 21 }, 'a carrier’s 403 (or 603)');
  t.same(forkFailure([line(1)]), { reason: 'unknown_number', cause: 1 }, 'a carrier’s 404');
  t.same(forkFailure([line(34)]), { reason: 'failed', cause: 34 }, 'a carrier’s 503');
  t.same(
    forkFailure([line(null)]),
    { reason: 'failed', cause: null },
    'a line that cannot be dialled',
  );
  t.same(
    forkFailure([phone('unavailable', 21)]),
    { reason: 'rejected', cause: 21 },
    'a phone declines',
  );
});

t.test('a refused caller hears the far end’s response where SIP can carry it', async (t) => {
  t.equal(refusalOf('rejected', 21), 21, '403 → 21 → 403');
  t.equal(refusalOf('unknown_number', 1), 1, '404 → 1 → 404');
  t.equal(refusalOf('failed', 34), 34, '503 → 34 → 503');
  t.equal(refusalOf('failed', 41), 'congestion', 'a cause SIP has no response for: ours (503)');
  t.equal(refusalOf('busy', null), 'busy');
  t.equal(refusalOf('forbidden', null), 'rejected');
  for (const [cause, reason] of [
    [17, 'busy'],
    [19, 'no_answer'],
    [18, 'no_answer'],
    [1, 'unknown_number'],
    [28, 'unknown_number'],
    [21, 'rejected'],
    [34, 'failed'],
    [38, 'failed'],
  ] as const) {
    t.equal(reasonOfCause(cause), reason, `cause ${cause}`);
  }
});

t.test('a connected call ended by Asterisk for lack of media is a media timeout', async (t) => {
  t.equal(legEndReason(44, null), 'media_timeout', 'rtp_timeout');
  t.equal(legEndReason(16, 408), 'media_timeout', 'a session refresh not answered');
  t.equal(legEndReason(16, null), 'completed', 'a BYE');
  t.equal(legEndReason(16, 200), 'completed');
  t.equal(legEndReason(null, null), 'completed');
});

t.test('talk time', async (t) => {
  t.equal(talkSeconds(null, new Date(10_000)), 0);
  t.equal(talkSeconds(new Date(1_000), new Date(6_400)), 5);
  t.equal(talkSeconds(new Date(1_000), new Date(6_600)), 6);
});
