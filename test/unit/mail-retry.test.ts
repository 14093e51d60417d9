/**
 * When a failed mail is tried again (pure): 30 s doubling to a 1 h cap, jitter that only shortens
 * a delay, a permanent failure given up at once, and nothing tried past the retry age — with one
 * last attempt at that moment.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  afterFailure,
  JITTER,
  MAIL_RETRY,
  retryDelay,
  type FailedAttempt,
  type RetryPolicy,
} from '../../src/mail/retry.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const queuedAt = new Date('2026-04-01T00:00:00Z');
const later = (ms: number) => new Date(queuedAt.getTime() + ms);

function failure(more: Partial<FailedAttempt> = {}): FailedAttempt {
  return { attempts: 1, failure: 'transient', queuedAt, now: queuedAt, random: 0, ...more };
}

t.test('the default policy: 30 s, doubling to 1 h, for 3 days', async (t) => {
  t.same(MAIL_RETRY, { initialMs: 30 * SECOND, maxMs: HOUR, maxAgeMs: 72 * HOUR });
});

t.test('without jitter the delay doubles from 30 s and stops at 1 h', async (t) => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((n) => retryDelay(n, MAIL_RETRY, 0) / SECOND);
  t.same(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
});

t.test('any number of attempts gives a finite delay within the cap', async (t) => {
  for (const attempts of [50, 1024, 5000, Number.MAX_SAFE_INTEGER])
    t.equal(retryDelay(attempts, MAIL_RETRY, 0), HOUR, `after ${attempts} attempts`);
  // 0 (no attempt yet) is read as the first.
  t.equal(retryDelay(0, MAIL_RETRY, 0), 30 * SECOND);
});

t.test('jitter only shortens a delay, by less than a fifth', async (t) => {
  t.equal(JITTER, 0.2);
  t.equal(retryDelay(1, MAIL_RETRY, 0.5), 27 * SECOND);
  t.equal(retryDelay(8, MAIL_RETRY, 0.5), 3_240_000); // 0.9 h
  t.equal(retryDelay(1, MAIL_RETRY, 0.999_999), 24 * SECOND, 'rounded to the millisecond');
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempts, random) => {
        const plain = retryDelay(attempts, MAIL_RETRY, 0);
        const jittered = retryDelay(attempts, MAIL_RETRY, random);
        return jittered <= plain && jittered > plain * (1 - JITTER) - 1 && jittered <= HOUR;
      },
    ),
  );
});

t.test('with the same jitter, a later attempt never waits less', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempts, random) =>
        retryDelay(attempts + 1, MAIL_RETRY, random) >= retryDelay(attempts, MAIL_RETRY, random),
    ),
  );
  t.pass('100 random attempt counts and jitters');
});

t.test('a transient failure is retried after the delay, from now', async (t) => {
  t.same(afterFailure(failure()), { kind: 'retry', at: later(30 * SECOND) });
  t.same(afterFailure(failure({ attempts: 3, now: later(HOUR) })), {
    kind: 'retry',
    at: later(HOUR + 120 * SECOND),
  });
  t.same(afterFailure(failure({ attempts: 12, now: later(10 * HOUR), random: 0.5 })), {
    kind: 'retry',
    at: later(10 * HOUR + 3_240_000),
  });
});

t.test('a permanent failure is given up at once, whatever its age', async (t) => {
  for (const now of [queuedAt, later(HOUR), later(100 * HOUR)])
    t.same(afterFailure(failure({ failure: 'permanent', now })), {
      kind: 'give-up',
      reason: 'permanent',
    });
});

t.test('nothing is retried past the retry age; the last attempt falls on it', async (t) => {
  const deadline = MAIL_RETRY.maxAgeMs;
  // A delay that would pass the deadline is cut to it: one last attempt then.
  t.same(afterFailure(failure({ attempts: 30, now: later(deadline - 10 * SECOND) })), {
    kind: 'retry',
    at: later(deadline),
  });
  t.same(afterFailure(failure({ attempts: 30, now: later(deadline - HOUR) })), {
    kind: 'retry',
    at: later(deadline),
  });
  // One that ends before it is not.
  t.same(afterFailure(failure({ attempts: 1, now: later(deadline - HOUR) })), {
    kind: 'retry',
    at: later(deadline - HOUR + 30 * SECOND),
  });
  // At the deadline and after it: given up.
  for (const now of [later(deadline), later(deadline + 1), later(deadline + 100 * HOUR)])
    t.same(afterFailure(failure({ attempts: 30, now })), { kind: 'give-up', reason: 'expired' });
  // A mail queued long ago (SMTP configured only now) that fails its first attempt.
  t.same(afterFailure(failure({ attempts: 1, now: later(30 * 24 * HOUR) })), {
    kind: 'give-up',
    reason: 'expired',
  });
});

t.test('every retry lies after now and no later than the deadline', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 500 }),
      fc.integer({ min: 0, max: MAIL_RETRY.maxAgeMs - 1 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempts, age, random) => {
        const decision = afterFailure(failure({ attempts, now: later(age), random }));
        if (decision.kind !== 'retry') return false;
        const at = decision.at.getTime() - queuedAt.getTime();
        return at > age && at <= MAIL_RETRY.maxAgeMs;
      },
    ),
  );
  t.pass('100 random attempts, ages and jitters');
});

t.test('a policy of its own is followed', async (t) => {
  const quick: RetryPolicy = { initialMs: 100, maxMs: 400, maxAgeMs: 1000 };
  const at = (attempts: number, now: number) => {
    const d = afterFailure(failure({ attempts, now: later(now) }), quick);
    return d.kind === 'retry' ? d.at.getTime() - queuedAt.getTime() : d.reason;
  };
  t.same(
    [at(1, 0), at(2, 100), at(3, 300), at(4, 500), at(5, 900), at(6, 1000)],
    [100, 300, 700, 900, 1000, 'expired'],
  );
});
