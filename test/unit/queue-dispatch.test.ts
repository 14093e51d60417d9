import t from 'tap';
import {
  admits,
  estimatedWaitSeconds,
  movingAverage,
  nextWake,
  plan,
  type Assignment,
  type WaitingCall,
} from '../../src/queues/dispatch.js';
import { RING_STRATEGIES, type RingStrategy } from '../../src/queues/model.js';
import type { Candidate } from '../../src/queues/strategies.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { cand, frozen, mulberry32 } from '../support/queue-fixtures.js';

const A = 101;
const B = 102;
const C = 103;
const D = 104;

/** A waiting call whose greeting is over, ringing nobody, never rung. */
function waiting(callId: string, enteredAt: Date, more: Partial<WaitingCall> = {}): WaitingCall {
  return {
    callId,
    enteredAt,
    ready: true,
    ringing: false,
    tried: new Set(),
    notBefore: new Map(),
    ...more,
  };
}

const inMs = (clock: FakeClock, ms: number): Date => new Date(clock.now().getTime() + ms);

/** plan() at the clock's time, with a roomy group: linear, 99 answered, no relaxation. */
function planAt(
  clock: FakeClock,
  input: {
    calls: readonly WaitingCall[];
    candidates: readonly Candidate[];
    strategy?: RingStrategy;
    maxAnswered?: number;
    levelRelaxationSeconds?: number;
    answeredNow?: number;
    lastRung?: { agentId: number; order: number } | null;
    random?: () => number;
  },
): Assignment[] {
  return plan({
    settings: {
      strategy: input.strategy ?? 'linear',
      maxAnswered: input.maxAnswered ?? 99,
      levelRelaxationSeconds: input.levelRelaxationSeconds ?? 0,
    },
    now: clock.now(),
    calls: input.calls,
    candidates: input.candidates,
    answeredNow: input.answeredNow ?? 0,
    lastRung: input.lastRung ?? null,
    random: input.random ?? mulberry32(20260401),
  });
}

/** Three calls entering 1 s apart (c1 first); the clock is left at the last one's entry. */
function threeCalls(clock: FakeClock): [WaitingCall, WaitingCall, WaitingCall] {
  const c1 = waiting('c1', clock.now());
  clock.advance(1000);
  const c2 = waiting('c2', clock.now());
  clock.advance(1000);
  const c3 = waiting('c3', clock.now());
  return [c1, c2, c3];
}

t.test('admits: fewer than maxWaiting waiting', async (t) => {
  t.ok(admits(3, 0, 0), 'an empty group takes a call, free agents or not');
  t.ok(admits(3, 2, 0), 'N-1 waiting: one more');
  t.notOk(admits(3, 3, 10), 'N waiting: full, however many agents are free');
  t.notOk(admits(3, 4, 10), 'over N (the limit was lowered): full');
  t.ok(admits(1, 0, 0));
  t.notOk(admits(1, 1, 5));
});

t.test('admits: maxWaiting 0 = only as many waiting as free agents', async (t) => {
  t.notOk(admits(0, 0, 0), 'no free agent: refused');
  t.ok(admits(0, 0, 2));
  t.ok(admits(0, 1, 2));
  t.notOk(admits(0, 2, 2), 'as many waiting as free agents: refused');
  t.notOk(admits(0, 3, 2));
});

t.test('plan: the oldest waiting call is served first', async (t) => {
  const clock = fakeClock();
  const [c1, c2, c3] = threeCalls(clock);
  const calls = frozen(c1, c2, c3);
  t.same(planAt(clock, { calls, candidates: frozen(cand(A, 0)) }), [
    { callId: 'c1', agentIds: [A] },
  ]);
  t.same(planAt(clock, { calls, candidates: frozen(cand(A, 0), cand(B, 1)) }), [
    { callId: 'c1', agentIds: [A] },
    { callId: 'c2', agentIds: [B] },
  ]);
  t.same(planAt(clock, { calls, candidates: frozen() }), [], 'no free agent: nothing');
  t.same(planAt(clock, { calls: frozen(), candidates: frozen(cand(A, 0)) }), [], 'no call');
});

t.test('plan: an agent is given to at most one call per plan', async (t) => {
  const clock = fakeClock();
  const [c1, c2, c3] = threeCalls(clock);
  const c4 = waiting('c4', clock.now());
  const calls = frozen(c1, c2, c3, c4);
  const candidates = frozen(cand(A, 0), cand(B, 1, { level: 2 }), cand(C, 2));
  for (const strategy of RING_STRATEGIES) {
    for (const seed of [1, 2, 3]) {
      const out = planAt(clock, { calls, candidates, strategy, random: mulberry32(seed) });
      const ids = out.flatMap((a) => a.agentIds);
      t.equal(new Set(ids).size, ids.length, `${strategy}, seed ${seed}: nobody twice`);
      t.equal(new Set(out.map((a) => a.callId)).size, out.length, 'each call at most once');
      t.ok(
        out.every((a) => a.agentIds.length > 0),
        'no empty assignment',
      );
      t.equal(ids.length, 3, `${strategy}, seed ${seed}: all three agents rung`);
    }
  }
  t.same(
    planAt(clock, { calls, candidates: frozen(cand(A, 0), cand(C, 1)), strategy: 'ring_all' }),
    [{ callId: 'c1', agentIds: [A, C] }],
  );
});

t.test('plan: calls not ready or already ringing get nothing', async (t) => {
  const clock = fakeClock();
  const [c1, c2, c3] = threeCalls(clock);
  const candidates = frozen(cand(A, 0), cand(B, 1));
  t.same(
    planAt(clock, {
      calls: frozen({ ...c1, ready: false }, { ...c2, ringing: true }, c3),
      candidates,
    }),
    [{ callId: 'c3', agentIds: [A] }],
    'the greeting still plays for c1, c2 rings someone already: c3 gets the first agent',
  );
  t.same(
    planAt(clock, {
      calls: frozen({ ...c1, ready: false }, { ...c2, ready: false }),
      candidates,
    }),
    [],
  );
  t.same(
    planAt(clock, {
      calls: frozen({ ...c1, ready: false }, c2),
      candidates,
      strategy: 'ring_all',
    }),
    [{ callId: 'c2', agentIds: [A, B] }],
  );
});

t.test('plan: answered + ringing never exceed maxAnswered', async (t) => {
  const clock = fakeClock();
  const [c1, c2, c3] = threeCalls(clock);
  const candidates = frozen(cand(A, 0), cand(B, 1), cand(C, 2));
  const ringingC1 = frozen({ ...c1, ringing: true }, c2, c3);
  t.same(
    planAt(clock, { calls: ringingC1, candidates, maxAnswered: 2, answeredNow: 1 }),
    [],
    'maxAnswered 2, 1 answered, 1 ringing: no new assignment',
  );
  t.same(planAt(clock, { calls: ringingC1, candidates, maxAnswered: 3, answeredNow: 1 }), [
    { callId: 'c2', agentIds: [A] },
  ]);
  t.same(planAt(clock, { calls: ringingC1, candidates, maxAnswered: 4, answeredNow: 1 }), [
    { callId: 'c2', agentIds: [A] },
    { callId: 'c3', agentIds: [B] },
  ]);
  t.same(
    planAt(clock, { calls: frozen(c1, c2, c3), candidates, maxAnswered: 2 }),
    [
      { callId: 'c1', agentIds: [A] },
      { callId: 'c2', agentIds: [B] },
    ],
    'nobody answered: two calls ring, the third waits though C is free',
  );
  t.same(
    planAt(clock, { calls: frozen(c1, c2, c3), candidates, maxAnswered: 2, answeredNow: 5 }),
    [],
    'more answered than allowed (the limit was lowered): nothing',
  );
  t.same(
    planAt(clock, { calls: frozen(c1, c2, c3), candidates, maxAnswered: 1, strategy: 'ring_all' }),
    [{ callId: 'c1', agentIds: [A, B, C] }],
    'ring_all: a call ringing three agents counts once',
  );
});

t.test('plan: ring_all gives one call every accepted candidate', async (t) => {
  const clock = fakeClock();
  const [c1, c2] = threeCalls(clock);
  const candidates = frozen(
    cand(D, 3),
    cand(C, 2, { level: 2 }),
    cand(B, 1),
    cand(A, 0, { level: 3 }),
  );
  t.same(
    planAt(clock, { calls: frozen(c1, c2), candidates, strategy: 'ring_all' }),
    [
      { callId: 'c1', agentIds: [B, D] },
      { callId: 'c2', agentIds: [C] },
    ],
    'c1: level 1 only, in member order; c2: the lowest level left (level 1 is taken)',
  );
  clock.advance(10_000); // c1 waited 12 s, c2 11 s.
  t.same(
    planAt(clock, {
      calls: frozen(c1, c2),
      candidates,
      strategy: 'ring_all',
      levelRelaxationSeconds: 6,
    }),
    [{ callId: 'c1', agentIds: [B, D, C, A] }],
    'after 2N s: all three levels, by level then order',
  );
});

t.test('plan: round_robin continues after lastRung across the calls of one plan', async (t) => {
  const clock = fakeClock();
  const [c1, c2, c3] = threeCalls(clock);
  const candidates = frozen(cand(A, 0), cand(B, 1), cand(C, 2));
  const rr = { candidates, strategy: 'round_robin' as const };
  t.same(planAt(clock, { ...rr, calls: frozen(c1, c2), lastRung: { agentId: A, order: 0 } }), [
    { callId: 'c1', agentIds: [B] },
    { callId: 'c2', agentIds: [C] },
  ]);
  t.same(
    planAt(clock, { ...rr, calls: frozen(c1, c2, c3), lastRung: { agentId: A, order: 0 } }),
    [
      { callId: 'c1', agentIds: [B] },
      { callId: 'c2', agentIds: [C] },
      { callId: 'c3', agentIds: [A] },
    ],
    'wrapping around to A',
  );
  t.same(planAt(clock, { ...rr, calls: frozen(c1, c2), lastRung: { agentId: C, order: 2 } }), [
    { callId: 'c1', agentIds: [A] },
    { callId: 'c2', agentIds: [B] },
  ]);
  t.same(
    planAt(clock, { ...rr, calls: frozen(c1, c2), lastRung: null }),
    [
      { callId: 'c1', agentIds: [A] },
      { callId: 'c2', agentIds: [B] },
    ],
    'nothing remembered: from the top',
  );
  t.same(
    planAt(clock, {
      ...rr,
      candidates: frozen(cand(A, 0), cand(C, 2)),
      calls: frozen(c1, c2),
      lastRung: { agentId: B, order: 1 },
    }),
    [
      { callId: 'c1', agentIds: [C] },
      { callId: 'c2', agentIds: [A] },
    ],
    'the last rung agent is busy now: after its position',
  );
});

t.test('plan: notBefore pauses an agent for that call only, until it passes', async (t) => {
  const clock = fakeClock();
  const [c1, c2] = threeCalls(clock);
  const paused: WaitingCall = {
    ...c1,
    tried: new Set([A]),
    notBefore: new Map([[A, inMs(clock, 5000)]]),
  };
  t.same(
    planAt(clock, { calls: frozen(paused, c2), candidates: frozen(cand(A, 0), cand(B, 1)) }),
    [
      { callId: 'c1', agentIds: [B] },
      { callId: 'c2', agentIds: [A] },
    ],
    'A is paused for c1, not for c2',
  );
  const onlyA = frozen(cand(A, 0));
  t.same(
    planAt(clock, { calls: frozen(paused), candidates: onlyA }),
    [],
    'c1: its only agent rests',
  );
  t.same(planAt(clock, { calls: frozen(paused, c2), candidates: onlyA }), [
    { callId: 'c2', agentIds: [A] },
  ]);
  clock.advance(4999);
  t.same(planAt(clock, { calls: frozen(paused), candidates: onlyA }), [], '1 ms before: still');
  clock.advance(1);
  t.same(
    planAt(clock, { calls: frozen(paused), candidates: onlyA }),
    [{ callId: 'c1', agentIds: [A] }],
    'the pause is over: A rings for c1 again (a new round)',
  );
  clock.advance(60_000);
  t.same(planAt(clock, { calls: frozen(paused), candidates: onlyA }), [
    { callId: 'c1', agentIds: [A] },
  ]);
});

t.test('plan: tried sends the next attempt to another agent', async (t) => {
  const clock = fakeClock();
  const [c1] = threeCalls(clock);
  const candidates = frozen(cand(A, 0), cand(B, 1), cand(C, 2));
  const after = (tried: number[], strategy: RingStrategy = 'linear') =>
    planAt(clock, { calls: frozen({ ...c1, tried: new Set(tried) }), candidates, strategy });
  t.same(after([A]), [{ callId: 'c1', agentIds: [B] }]);
  t.same(after([A, B]), [{ callId: 'c1', agentIds: [C] }]);
  t.same(after([A, C]), [{ callId: 'c1', agentIds: [B] }]);
  t.same(after([A, B, C]), [{ callId: 'c1', agentIds: [A] }], 'all tried: a new round');
  for (const strategy of ['least_recent', 'fewest_calls', 'random', 'skill_weighted'] as const) {
    t.same(after([A, B], strategy), [{ callId: 'c1', agentIds: [C] }], `${strategy}: untried`);
  }
  t.same(after([A], 'ring_all'), [{ callId: 'c1', agentIds: [A, B, C] }], 'ring_all: all again');
});

t.test('plan: skill tiers and relaxation', async (t) => {
  const clock = fakeClock();
  const old = waiting('old', clock.now());
  clock.advance(5000);
  const young = waiting('young', clock.now());
  // The level-2 agent comes first in member order, so only the tier keeps it from ringing.
  const l2 = cand(A, 0, { level: 2 });
  const l1 = cand(B, 1, { level: 1 });
  const both = frozen(l2, l1);
  for (const strategy of ['linear', 'round_robin', 'least_recent', 'random', 'ring_all'] as const)
    t.same(
      planAt(clock, { calls: frozen(old), candidates: both, strategy }),
      [{ callId: 'old', agentIds: [B] }],
      `${strategy}: only level 1 is assigned`,
    );
  t.same(
    planAt(clock, { calls: frozen(old), candidates: frozen(l2), levelRelaxationSeconds: 0 }),
    [{ callId: 'old', agentIds: [A] }],
    'no level-1 agent free (all busy): level 2 takes the call',
  );

  const relaxed = { candidates: both, levelRelaxationSeconds: 10 };
  t.same(planAt(clock, { ...relaxed, calls: frozen(old) }), [{ callId: 'old', agentIds: [B] }]);
  clock.advance(4999); // old: 9.999 s
  t.same(planAt(clock, { ...relaxed, calls: frozen(old) }), [{ callId: 'old', agentIds: [B] }]);
  clock.advance(1); // old: 10 s, young: 5 s
  t.same(
    planAt(clock, { ...relaxed, calls: frozen(old) }),
    [{ callId: 'old', agentIds: [A] }],
    'after 10 s level 2 is accepted and equal: linear takes the first in member order',
  );
  t.same(
    planAt(clock, { ...relaxed, calls: frozen(young) }),
    [{ callId: 'young', agentIds: [B] }],
    'the younger call: level 1 only',
  );
  t.same(
    planAt(clock, { ...relaxed, calls: frozen(old, young) }),
    [
      { callId: 'old', agentIds: [A] },
      { callId: 'young', agentIds: [B] },
    ],
    'both: the old call gets the level-2 agent, the young one the level-1 agent',
  );
  const another2 = cand(C, 2, { level: 2 });
  t.same(
    planAt(clock, { ...relaxed, candidates: frozen(l2, l1, another2), calls: frozen(old, young) }),
    [
      { callId: 'old', agentIds: [A] },
      { callId: 'young', agentIds: [B] },
    ],
    'a free level-2 agent is left for the young call, which does not accept it',
  );
  t.same(
    planAt(clock, {
      ...relaxed,
      strategy: 'ring_all',
      candidates: frozen(l2, l1, another2),
      calls: frozen(old, young),
    }),
    [{ callId: 'old', agentIds: [B, A, C] }],
  );
  // An agent given to an earlier call of the plan is about to ring, hence busy for later calls
  // (as a ringing agent is no candidate in the next plan): the young call takes level 2 then.
  t.same(
    planAt(clock, {
      ...relaxed,
      candidates: frozen(cand(A, 0, { level: 1 }), cand(B, 1, { level: 2 })),
      calls: frozen(old, young),
    }),
    [
      { callId: 'old', agentIds: [A] },
      { callId: 'young', agentIds: [B] },
    ],
  );
});

// An agent resting after not answering (retry pause) keeps the call at their level: the pause
// keeps them from ringing, it does not widen the tier (the seed's rule, relaxation off).
t.test('plan: a retry pause does not make a call fall through to level 2', async (t) => {
  const clock = fakeClock();
  const c1 = waiting('c1', clock.now(), {
    tried: new Set([A]),
    notBefore: new Map([[A, inMs(clock, 5000)]]),
  });
  const candidates = frozen(cand(A, 0, { level: 1 }), cand(B, 1, { level: 2 }));
  t.same(
    planAt(clock, { calls: frozen(c1), candidates }),
    [],
    'level 1 is free and resting: c1 waits for it rather than ringing B at level 2',
  );
  clock.advance(5000);
  t.same(planAt(clock, { calls: frozen(c1), candidates }), [{ callId: 'c1', agentIds: [A] }]);
});

t.test('plan: randomness only from the seeded PRNG', async (t) => {
  const clock = fakeClock();
  const [c1, c2, c3] = threeCalls(clock);
  const calls = frozen(c1, c2, c3);
  const candidates = frozen(cand(A, 0), cand(B, 1), cand(C, 2, { level: 2 }), cand(D, 3));
  for (const strategy of ['random', 'skill_weighted'] as const) {
    for (const seed of [1, 42, 20260401]) {
      const first = planAt(clock, { calls, candidates, strategy, random: mulberry32(seed) });
      const again = planAt(clock, { calls, candidates, strategy, random: mulberry32(seed) });
      t.same(first, again, `${strategy}, seed ${seed}: the same plan`);
      t.equal(first.length, 3);
    }
  }
  for (const seed of [1, 42, 20260401]) {
    const out = planAt(clock, { calls, candidates, strategy: 'random', random: mulberry32(seed) });
    t.same(
      out.flatMap((a) => a.agentIds).sort((x, y) => x - y),
      [A, B, C, D].filter((id) => id !== C),
      `random, seed ${seed}: level 1 agents first, C (level 2) only if none is left`,
    );
  }
  const never = () => {
    throw new Error('drew a random number');
  };
  for (const strategy of RING_STRATEGIES.filter((s) => s !== 'random' && s !== 'skill_weighted'))
    t.doesNotThrow(() => planAt(clock, { calls, candidates, strategy, random: never }), strategy);
});

t.test('nextWake: the earliest future retry pause end', async (t) => {
  const clock = fakeClock();
  const [c1, c2] = threeCalls(clock);
  const wake = (calls: readonly WaitingCall[], levelRelaxationSeconds = 0) =>
    nextWake({ now: clock.now(), calls, memberLevels: [1, 1], levelRelaxationSeconds });
  t.equal(wake([]), undefined, 'no call');
  t.equal(wake([c1, c2]), undefined, 'nothing pending');
  t.equal(wake([c1, c2], 10), undefined, 'relaxation on, but one level only');
  const p1 = {
    ...c1,
    notBefore: new Map([
      [A, inMs(clock, 7000)],
      [B, inMs(clock, 3000)],
    ]),
  };
  const p2 = { ...c2, notBefore: new Map([[A, inMs(clock, 5000)]]) };
  t.same(wake([p1, p2]), inMs(clock, 3000));
  const past = {
    ...c1,
    notBefore: new Map([
      [A, inMs(clock, -1000)],
      [B, inMs(clock, 4000)],
    ]),
  };
  t.same(wake([past]), inMs(clock, 4000), 'a pause already over is ignored');
  t.same(wake([{ ...c1, notBefore: new Map([[A, inMs(clock, -1)]]) }]), undefined);
  t.same(wake([{ ...c1, notBefore: new Map([[A, clock.now()]]) }]), undefined, 'ends now');
  clock.advance(3000);
  t.same(wake([p1, p2]), inMs(clock, 2000), 'B is over for c1: c2’s pause next');
  clock.advance(2000);
  t.same(wake([p1, p2]), inMs(clock, 2000), 'A for c1 next');
  clock.advance(2000);
  t.equal(wake([p1, p2]), undefined, 'all over');
});

t.test('nextWake: the next relaxation step while a call does not accept every level', async (t) => {
  const clock = fakeClock();
  const t0 = clock.now();
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const c1 = waiting('c1', t0);
  const wake = (calls: readonly WaitingCall[], memberLevels = [1, 2, 3]) =>
    nextWake({ now: clock.now(), calls, memberLevels, levelRelaxationSeconds: 10 });
  t.same(wake([c1]), at(10), 'entered now: the first step');
  clock.advance(9999);
  t.same(wake([c1]), at(10));
  clock.advance(1);
  t.same(wake([c1]), at(20), 'accepts levels 1 and 2 now: the step to level 3');
  clock.advance(5000);
  t.same(wake([c1]), at(20));
  t.equal(wake([c1], [1, 2]), undefined, 'every level accepted: no step ahead');
  t.same(wake([c1], [3, 1, 3, 2, 1]), at(20), 'distinct levels, in any order');
  clock.advance(5000);
  t.equal(wake([c1]), undefined, 'at 20 s every level is accepted');
  t.same(wake([c1, waiting('c2', at(18))]), at(28), 'a later call still relaxing: its step');
  t.same(wake([c1, waiting('c2', at(18), { ready: false })]), undefined, 'greeting: not yet');
  t.same(
    wake([c1, waiting('c2', at(18), { notBefore: new Map([[A, at(25)]]) })]),
    at(25),
    'a retry pause ending before the step',
  );
  t.equal(
    nextWake({
      now: clock.now(),
      calls: [waiting('c3', at(19))],
      memberLevels: [1, 2],
      levelRelaxationSeconds: 0,
    }),
    undefined,
    'relaxation off',
  );
});

t.test('nextWake: the plan changes when the fake clock reaches it', async (t) => {
  const clock = fakeClock();
  const c1 = waiting('c1', clock.now());
  const candidates = frozen(cand(A, 0, { level: 2 }), cand(B, 1, { level: 1 }));
  const busyB = frozen(cand(A, 0, { level: 2 }));
  // B (level 1) is a member but busy: with no level-1 candidate, A takes it anyway.
  t.same(planAt(clock, { calls: frozen(c1), candidates: busyB, levelRelaxationSeconds: 10 }), [
    { callId: 'c1', agentIds: [A] },
  ]);
  const wake = nextWake({
    now: clock.now(),
    calls: [c1],
    memberLevels: [2, 1],
    levelRelaxationSeconds: 10,
  });
  t.same(wake, inMs(clock, 10_000));
  if (wake === undefined) return;
  const plans: Assignment[][] = [];
  clock.setTimeout(
    () => plans.push(planAt(clock, { calls: frozen(c1), candidates, levelRelaxationSeconds: 10 })),
    wake.getTime() - clock.now().getTime(),
  );
  t.same(planAt(clock, { calls: frozen(c1), candidates, levelRelaxationSeconds: 10 }), [
    { callId: 'c1', agentIds: [B] },
  ]);
  clock.advance(9999);
  t.same(plans, []);
  clock.advance(1);
  t.same(plans, [[{ callId: 'c1', agentIds: [A] }]], 'at the wake-up the call accepts level 2');
});

t.test('estimatedWaitSeconds', async (t) => {
  const est = (position: number, agentsStaffed: number, waitedSeconds = 0, aht = 60) =>
    estimatedWaitSeconds({ position, averageHandleSeconds: aht, agentsStaffed, waitedSeconds });
  t.equal(est(1, 1), 60, 'next, one agent: one handling time');
  t.equal(est(2, 1), 120);
  t.equal(est(1, 2), 60);
  t.equal(est(2, 2), 60, 'two agents serve the first two callers together');
  t.equal(est(3, 2), 120);
  t.equal(est(4, 2), 120);
  t.equal(est(5, 2), 180);
  t.equal(est(3, 2, 30), 90, 'less what the caller waited');
  t.equal(est(1, 1, 61), 0, 'never negative');
  t.equal(est(2, 0), 120, 'nobody staffed counts as one agent');
  t.equal(est(2, -3), 120);
  t.equal(est(1, 1, 0, 45.4), 45, 'whole seconds');
  t.equal(est(1, 1, 0.6, 45), 44);
  t.equal(est(1, 1, 0, 0), 0, 'no history yet');
});

t.test('movingAverage: app_queue’s (3·old + new) / 4', async (t) => {
  t.equal(movingAverage(null, 40), 40, 'the first sample as is');
  t.equal(movingAverage(null, 0), 0);
  t.equal(movingAverage(40, 80), 50);
  t.equal(movingAverage(50, 80), 57.5);
  t.equal(movingAverage(10, 11), 10.25, 'not rounded');
  t.equal(movingAverage(0, 0), 0, 'a previous 0 is a value, not "none"');
  t.equal(movingAverage(0, 100), 25);
  let avg: number | null = null;
  for (const s of [40, 80, 80]) avg = movingAverage(avg, s);
  t.equal(avg, 57.5);
  for (let i = 0; i < 100; i++) avg = movingAverage(avg, 120);
  t.ok(avg !== null && Math.abs(avg - 120) < 1e-9, 'converges to a steady sample');
});

t.test('scenario: 3 calls, 2 agents, linear, maxAnswered 2, retry 5 s', async (t) => {
  const RETRY_MS = 5000;
  const clock = fakeClock();
  const t0 = clock.now();
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const agents = frozen(cand(A, 0), cand(B, 1));
  const status = new Map<number, 'free' | 'ringing' | 'on_call'>([
    [A, 'free'],
    [B, 'free'],
  ]);
  interface Live extends WaitingCall {
    tried: Set<number>;
    notBefore: Map<number, Date>;
  }
  const live = (callId: string): Live => ({
    callId,
    enteredAt: clock.now(),
    ready: true,
    ringing: false,
    tried: new Set(),
    notBefore: new Map(),
  });
  let calls: Live[] = [];
  const rung = new Map<string, number[]>();
  let answeredNow = 0;
  const find = (callId: string): Live => {
    const c = calls.find((w) => w.callId === callId);
    if (c === undefined) throw new Error(`${callId} is not waiting`);
    return c;
  };

  /** Plan, then ring what the plan says, as the ACD does. */
  const step = (): Assignment[] => {
    const out = plan({
      settings: { strategy: 'linear', maxAnswered: 2, levelRelaxationSeconds: 0 },
      now: clock.now(),
      calls,
      candidates: agents.filter((a) => status.get(a.agentId) === 'free'),
      answeredNow,
      lastRung: null,
      random: mulberry32(7),
    });
    for (const a of out) {
      const c = find(a.callId);
      c.ringing = true;
      for (const id of a.agentIds) {
        c.tried.add(id);
        status.set(id, 'ringing');
      }
      rung.set(a.callId, a.agentIds);
    }
    return out;
  };
  const answer = (callId: string, agentId: number) => {
    calls = calls.filter((c) => c.callId !== callId);
    for (const id of rung.get(callId) ?? []) status.set(id, id === agentId ? 'on_call' : 'free');
    answeredNow += 1;
  };
  const ringTimeout = (callId: string) => {
    const c = find(callId);
    c.ringing = false;
    for (const id of rung.get(callId) ?? []) {
      c.notBefore.set(id, new Date(clock.now().getTime() + RETRY_MS));
      status.set(id, 'free');
    }
  };
  const hangUp = (agentId: number) => {
    status.set(agentId, 'free');
    answeredNow -= 1;
  };
  const wakeOf = () =>
    nextWake({ now: clock.now(), calls, memberLevels: [1, 1], levelRelaxationSeconds: 0 });

  // 0 s, 1 s, 2 s: three calls enter.
  calls.push(live('c1'));
  clock.advance(1000);
  calls.push(live('c2'));
  clock.advance(1000);
  calls.push(live('c3'));

  t.same(
    step(),
    [
      { callId: 'c1', agentIds: [A] },
      { callId: 'c2', agentIds: [B] },
    ],
    '2 s: the two oldest ring A and B; c3 waits',
  );
  t.equal(wakeOf(), undefined, 'nothing to wake for');
  t.same(step(), [], 'both agents ringing (and capacity used up): nothing more');

  clock.advance(4000); // 6 s
  answer('c1', A);
  ringTimeout('c2');
  t.same(
    calls.map((c) => c.callId),
    ['c2', 'c3'],
  );
  t.same(
    step(),
    [{ callId: 'c3', agentIds: [B] }],
    '6 s: A talks to c1; B rests for c2 until 11 s but may ring for c3',
  );
  t.same(wakeOf(), at(11));

  clock.advance(3000); // 9 s
  ringTimeout('c3');
  t.same(step(), [], '9 s: B rests for both calls, A is on a call');
  const wake = wakeOf();
  t.same(wake, at(11), 'c2’s pause ends first');
  if (wake === undefined) return;

  const woken: Assignment[][] = [];
  clock.setTimeout(() => woken.push(step()), wake.getTime() - clock.now().getTime());
  clock.advance(1999);
  t.same(woken, [], '10.999 s: not yet');
  clock.advance(1); // 11 s
  t.same(
    woken,
    [[{ callId: 'c2', agentIds: [B] }]],
    '11 s: B rings for c2 again (a new round); c3 still waits',
  );
  t.same([...find('c2').tried], [B]);
  t.same(wakeOf(), at(14), 'next: c3’s pause for B');

  clock.advance(1000); // 12 s
  hangUp(A);
  t.equal(answeredNow, 0);
  t.same(
    step(),
    [{ callId: 'c3', agentIds: [A] }],
    '12 s: A is free again and untried for c3; capacity 2 − 0 answered − 1 ringing',
  );
  t.same(step(), [], 'everyone ringing');

  clock.advance(2000); // 14 s
  answer('c2', B);
  answer('c3', A);
  t.same(calls, []);
  t.equal(answeredNow, 2);
  t.equal(wakeOf(), undefined, 'nobody waits');
  t.same(step(), []);
  t.same(
    [...status],
    [
      [A, 'on_call'],
      [B, 'on_call'],
    ],
  );
});
