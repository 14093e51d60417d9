import t from 'tap';
import { RING_STRATEGIES, type RingStrategy } from '../../src/queues/model.js';
import {
  acceptedLevels,
  pickAgents,
  type Candidate,
  type PickContext,
} from '../../src/queues/strategies.js';
import { cand, frozen, mulberry32 } from '../support/queue-fixtures.js';

const NOW = new Date('2026-04-01T10:00:00Z');
const A = 101;
const B = 102;
const C = 103;
const D = 104;

// The deterministic strategies must not draw random numbers: the default random throws.
function ctx(strategy: RingStrategy, more: Partial<PickContext> = {}): PickContext {
  return {
    strategy,
    now: NOW,
    waitedSeconds: 0,
    levelRelaxationSeconds: 0,
    tried: new Set(),
    lastRungAgentId: null,
    random: () => {
      throw new Error(`${strategy} drew a random number`);
    },
    ...more,
  };
}

const constant = (x: number) => () => x;

const secondsAfter = (s: number): Date => new Date(NOW.getTime() + s * 1000);

/** The strategies that ring one agent at a time within the skill tiers. */
const ONE_AT_A_TIME_TIERED = [
  'least_recent',
  'shortest_talk_time',
  'fewest_calls',
  'random',
  'round_robin',
  'linear',
] as const satisfies readonly RingStrategy[];

function countBy(ids: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

t.test('acceptedLevels: the lowest level present, widened by waiting', async (t) => {
  const cs = frozen(cand(A, 0, { level: 3 }), cand(B, 1, { level: 1 }), cand(C, 2, { level: 5 }));
  t.same(acceptedLevels([], 0, 0), [], 'no candidates, no levels');
  t.same(acceptedLevels([], 100, 10), []);
  t.same(acceptedLevels(cs, 0, 0), [1], 'the lowest level only');
  t.same(acceptedLevels(cs, 10_000, 0), [1], 'relaxation off: waiting changes nothing');
  t.same(acceptedLevels(cs, 0, 30), [1], '0 s');
  t.same(acceptedLevels(cs, 29.9, 30), [1], 'just before N s');
  t.same(acceptedLevels(cs, 30, 30), [1, 3], 'N s: the next level present (3, not 2)');
  t.same(acceptedLevels(cs, 59, 30), [1, 3]);
  t.same(acceptedLevels(cs, 60, 30), [1, 3, 5], '2N s');
  t.same(acceptedLevels(cs, 600, 30), [1, 3, 5], 'never more than the levels present');
  t.same(
    acceptedLevels(frozen(cand(A, 0, { level: 2 }), cand(B, 1, { level: 2 })), 0, 0),
    [2],
    'no level-1 candidate: level 2 is the lowest present',
  );
  t.same(
    acceptedLevels(frozen(cand(A, 0, { level: 4 }), cand(B, 1, { level: 4 })), 90, 30),
    [4],
    'duplicate levels count once',
  );
  t.same(acceptedLevels(cs, -5, 30), [1], 'a negative wait is no wait');
  t.same(acceptedLevels(cs, Number.NaN, 30), [1], 'NaN wait: no relaxation');
  t.same(acceptedLevels(cs, 60, Number.NaN), [1], 'NaN relaxation: off');
  t.same(acceptedLevels(cs, 60, -30), [1], 'negative relaxation: off');
});

t.test('every strategy: no candidates, nobody to ring', async (t) => {
  for (const s of RING_STRATEGIES) {
    t.same(pickAgents([], ctx(s, { random: constant(0.5) })), [], s);
    t.same(
      pickAgents([], ctx(s, { random: constant(0.5), tried: new Set([A]), lastRungAgentId: A })),
      [],
      `${s}, with a history`,
    );
  }
});

t.test('every strategy: a single candidate is rung, tried or not', async (t) => {
  const cs = frozen(cand(A, 3, { level: 7 }));
  for (const s of RING_STRATEGIES) {
    t.same(pickAgents(cs, ctx(s, { random: constant(0.99) })), [A], s);
    t.same(
      pickAgents(cs, ctx(s, { random: constant(0), tried: new Set([A]), lastRungAgentId: A })),
      [A],
      `${s}, in a new round`,
    );
  }
});

t.test('ring_all: every accepted candidate, by level, then order, then agent id', async (t) => {
  const cs = frozen(
    cand(D, 0, { level: 2 }),
    cand(C, 3),
    cand(B, 1),
    cand(A, 1), // same order as B (bad data): the agent id decides
    cand(105, 2, { level: 3 }),
  );
  t.same(pickAgents(cs, ctx('ring_all')), [A, B, C], 'level 1 only, in member order');
  t.same(
    pickAgents(cs, ctx('ring_all', { waitedSeconds: 10, levelRelaxationSeconds: 10 })),
    [A, B, C, D],
    'after N s level 2 joins, after level 1 although it is first in member order',
  );
  t.same(
    pickAgents(cs, ctx('ring_all', { waitedSeconds: 20, levelRelaxationSeconds: 10 })),
    [A, B, C, D, 105],
    'after 2N s, level 3 too',
  );
  t.same(
    pickAgents(cs, ctx('ring_all', { tried: new Set([A, B]) })),
    [A, B, C],
    'rings everyone again on every attempt: tried does not apply',
  );
  t.same(
    pickAgents(frozen(cand(B, 1, { level: 2 }), cand(A, 0, { level: 2 })), ctx('ring_all')),
    [A, B],
    'no level-1 candidate: level 2 rings',
  );
});

t.test('least_recent (終話順): the longest idle first, never-called first', async (t) => {
  const cs = frozen(
    cand(A, 0, { lastCallEndedAt: secondsAfter(-60) }),
    cand(B, 1, { lastCallEndedAt: secondsAfter(-600) }),
    cand(C, 2, { lastCallEndedAt: secondsAfter(-300) }),
  );
  t.same(pickAgents(cs, ctx('least_recent')), [B]);
  t.same(pickAgents(cs, ctx('least_recent', { tried: new Set([B]) })), [C], 'then the next idle');
  t.same(pickAgents(cs, ctx('least_recent', { tried: new Set([B, C]) })), [A]);
  t.same(
    pickAgents(cs, ctx('least_recent', { tried: new Set([A, B, C]) })),
    [B],
    'all tried: a new round starts from the top',
  );
  t.same(
    pickAgents([...cs, cand(D, 3)], ctx('least_recent')),
    [D],
    'never called beats any call, however old',
  );
  t.same(
    pickAgents(
      frozen(cand(C, 2), cand(D, 1), cand(A, 0, { lastCallEndedAt: NOW })),
      ctx('least_recent'),
    ),
    [D],
    'two never called: the lower order',
  );
  const same = secondsAfter(-100);
  t.same(
    pickAgents(
      frozen(cand(C, 2, { lastCallEndedAt: same }), cand(B, 1, { lastCallEndedAt: same })),
      ctx('least_recent'),
    ),
    [B],
    'same end: the lower order',
  );
  t.same(
    pickAgents(
      frozen(cand(C, 1, { lastCallEndedAt: same }), cand(B, 1, { lastCallEndedAt: same })),
      ctx('least_recent'),
    ),
    [B],
    'same end and order: the lower agent id',
  );
});

t.test('shortest_talk_time (通話時間が短い順): the least talk today', async (t) => {
  const cs = frozen(
    cand(A, 0, { talkSecondsToday: 500 }),
    cand(B, 1, { talkSecondsToday: 120 }),
    cand(C, 2, { talkSecondsToday: 300, callsToday: 0 }),
  );
  t.same(pickAgents(cs, ctx('shortest_talk_time')), [B]);
  t.same(pickAgents(cs, ctx('shortest_talk_time', { tried: new Set([B]) })), [C]);
  t.same(pickAgents(cs, ctx('shortest_talk_time', { tried: new Set([A, B, C]) })), [B]);
  t.same(
    pickAgents(
      frozen(cand(C, 2, { talkSecondsToday: 60 }), cand(B, 1, { talkSecondsToday: 60 })),
      ctx('shortest_talk_time'),
    ),
    [B],
    'tie: the lower order',
  );
  t.same(
    pickAgents(frozen(cand(C, 4), cand(B, 4)), ctx('shortest_talk_time')),
    [B],
    'tie in talk and order: the lower agent id',
  );
});

t.test('fewest_calls: the fewest calls from this group today', async (t) => {
  const cs = frozen(
    cand(A, 0, { callsToday: 4, talkSecondsToday: 0 }),
    cand(B, 1, { callsToday: 2, talkSecondsToday: 9000 }),
    cand(C, 2, { callsToday: 3 }),
  );
  t.same(pickAgents(cs, ctx('fewest_calls')), [B], 'talk time does not matter');
  t.same(pickAgents(cs, ctx('fewest_calls', { tried: new Set([B]) })), [C]);
  t.same(pickAgents(cs, ctx('fewest_calls', { tried: new Set([A, B, C]) })), [B]);
  t.same(
    pickAgents(
      frozen(cand(C, 2, { callsToday: 1 }), cand(B, 1, { callsToday: 1 })),
      ctx('fewest_calls'),
    ),
    [B],
    'tie: the lower order',
  );
  t.same(
    pickAgents(frozen(cand(C, 0), cand(B, 0)), ctx('fewest_calls')),
    [B],
    'tie in calls and order: the lower agent id',
  );
});

t.test('random (ランダム): uniform over the untried candidates in member order', async (t) => {
  // Given in reverse, to show the draw indexes the member order, not the array.
  const cs = frozen(cand(C, 2), cand(B, 1), cand(A, 0));
  t.same(pickAgents(cs, ctx('random', { random: constant(0) })), [A]);
  t.same(pickAgents(cs, ctx('random', { random: constant(0.34) })), [B]);
  t.same(pickAgents(cs, ctx('random', { random: constant(0.999) })), [C]);
  t.same(
    pickAgents(cs, ctx('random', { random: constant(1) })),
    [C],
    'a random() of 1 (outside its contract) still picks someone',
  );
  t.same(
    pickAgents(cs, ctx('random', { random: constant(0), tried: new Set([A]) })),
    [B],
    'tried agents are skipped',
  );
  t.same(pickAgents(cs, ctx('random', { random: constant(0.6), tried: new Set([A]) })), [C]);
  t.same(
    pickAgents(cs, ctx('random', { random: constant(0.5), tried: new Set([A, B, C]) })),
    [B],
    'all tried: a new round over all of them',
  );
});

t.test('round_robin (順番に呼び出し): the next after the last rung, circularly', async (t) => {
  const cs = frozen(cand(C, 2), cand(A, 0), cand(B, 1));
  t.same(pickAgents(cs, ctx('round_robin')), [A], 'nothing remembered: from the top');
  t.same(pickAgents(cs, ctx('round_robin', { lastRungAgentId: A })), [B]);
  t.same(pickAgents(cs, ctx('round_robin', { lastRungAgentId: B })), [C]);
  t.same(pickAgents(cs, ctx('round_robin', { lastRungAgentId: C })), [A], 'wraps around');
  t.same(
    pickAgents(cs, ctx('round_robin', { lastRungAgentId: A, tried: new Set([B]) })),
    [C],
    'tried agents are skipped',
  );
  t.same(
    pickAgents(cs, ctx('round_robin', { lastRungAgentId: B, tried: new Set([C, A]) })),
    [B],
    'only the last rung is untried: it rings again',
  );
  t.same(
    pickAgents(cs, ctx('round_robin', { lastRungAgentId: B, tried: new Set([A, B, C]) })),
    [C],
    'all tried: a new round, still after the last rung',
  );

  // The last rung agent is busy now (not a candidate): resume after the position it had.
  const gaps = frozen(cand(A, 0), cand(C, 5), cand(D, 9));
  t.same(
    pickAgents(gaps, ctx('round_robin', { lastRungAgentId: B, lastRungOrder: 3 })),
    [C],
    'after the remembered position',
  );
  t.same(
    pickAgents(gaps, ctx('round_robin', { lastRungAgentId: C, lastRungOrder: 3 })),
    [D],
    'a candidate: its own order wins over lastRungOrder',
  );
  t.same(
    pickAgents(gaps, ctx('round_robin', { lastRungAgentId: B, lastRungOrder: 9 })),
    [A],
    'past the end: wraps around',
  );
  t.same(
    pickAgents(gaps, ctx('round_robin', { lastRungAgentId: B, lastRungOrder: 5 })),
    [D],
    'strictly after the remembered position',
  );
  t.same(
    pickAgents(gaps, ctx('round_robin', { lastRungAgentId: B })),
    [A],
    'not a candidate and no position known: from the top',
  );
  t.same(pickAgents(gaps, ctx('round_robin', { lastRungAgentId: B, lastRungOrder: null })), [A]);
  t.same(
    pickAgents(gaps, ctx('round_robin', { lastRungAgentId: null, lastRungOrder: 5 })),
    [D],
    'a position without an agent (removed): after the position',
  );

  // Same order (bad data): the agent id continues the rotation.
  const twins = frozen(cand(B, 1), cand(A, 1), cand(C, 2));
  t.same(pickAgents(twins, ctx('round_robin', { lastRungAgentId: A })), [B]);
  t.same(pickAgents(twins, ctx('round_robin', { lastRungAgentId: B })), [C]);
});

t.test('round_robin within a tier: the other levels are not in the rotation', async (t) => {
  const cs = frozen(cand(A, 0), cand(B, 1, { level: 2 }), cand(C, 2), cand(D, 3, { level: 2 }));
  t.same(pickAgents(cs, ctx('round_robin', { lastRungAgentId: A })), [C], 'B is level 2');
  t.same(pickAgents(cs, ctx('round_robin', { lastRungAgentId: C })), [A], 'D is level 2');
  t.same(
    pickAgents(cs, ctx('round_robin', { lastRungAgentId: B })),
    [C],
    'the last rung may be of another level: the rotation continues after its position',
  );
  t.same(
    pickAgents(
      cs,
      ctx('round_robin', { lastRungAgentId: A, waitedSeconds: 30, levelRelaxationSeconds: 30 }),
    ),
    [B],
    'relaxed: level 2 joins the rotation, and the level no longer orders it',
  );
});

t.test('linear: every call starts from the top of the member order', async (t) => {
  const cs = frozen(cand(C, 2), cand(B, 1), cand(A, 0, { callsToday: 50 }));
  t.same(pickAgents(cs, ctx('linear')), [A]);
  t.same(pickAgents(cs, ctx('linear', { lastRungAgentId: A })), [A], 'no memory between calls');
  t.same(pickAgents(cs, ctx('linear', { tried: new Set([A]) })), [B]);
  t.same(pickAgents(cs, ctx('linear', { tried: new Set([A, B]) })), [C]);
  t.same(
    pickAgents(cs, ctx('linear', { tried: new Set([A, B, C]) })),
    [A],
    'all tried: back to the top',
  );
  t.same(
    pickAgents(frozen(cand(C, 0), cand(B, 0)), ctx('linear')),
    [B],
    'same order: the lower agent id',
  );
});

t.test('skill_weighted (レベルにより分配): weight 1/level, no tiers', async (t) => {
  // Levels 1 and 2: weights 1 and 1/2, so A takes [0, 2/3) of the draw.
  const cs = frozen(cand(B, 1, { level: 2 }), cand(A, 0, { level: 1 }));
  t.same(pickAgents(cs, ctx('skill_weighted', { random: constant(0) })), [A]);
  t.same(pickAgents(cs, ctx('skill_weighted', { random: constant(0.66) })), [A]);
  t.same(
    pickAgents(cs, ctx('skill_weighted', { random: constant(0.67) })),
    [B],
    'level 2 rings although a level-1 agent is free: no tiers',
  );
  t.same(pickAgents(cs, ctx('skill_weighted', { random: constant(0.999) })), [B]);
  t.same(pickAgents(cs, ctx('skill_weighted', { random: constant(1) })), [B], 'random() of 1');
  t.same(
    pickAgents(cs, ctx('skill_weighted', { random: constant(0), tried: new Set([A]) })),
    [B],
    'tried agents are skipped (and a tried level 1 passes the call to level 2)',
  );
  t.same(
    pickAgents(cs, ctx('skill_weighted', { random: constant(0.99), tried: new Set([A, B]) })),
    [B],
    'all tried: a new round over all of them',
  );
  t.same(pickAgents(cs, ctx('skill_weighted', { random: constant(0.5), tried: new Set([A, B]) })), [
    A,
  ]);
  // Levels 1, 2, 3: weights 6:3:2 of 11.
  const three = frozen(
    cand(A, 0, { level: 1 }),
    cand(B, 1, { level: 2 }),
    cand(C, 2, { level: 3 }),
  );
  t.same(pickAgents(three, ctx('skill_weighted', { random: constant(5.9 / 11) })), [A]);
  t.same(pickAgents(three, ctx('skill_weighted', { random: constant(6.1 / 11) })), [B]);
  t.same(pickAgents(three, ctx('skill_weighted', { random: constant(8.9 / 11) })), [B]);
  t.same(pickAgents(three, ctx('skill_weighted', { random: constant(9.1 / 11) })), [C]);
  // Relaxation does not apply: waiting changes nothing.
  t.same(
    pickAgents(
      three,
      ctx('skill_weighted', {
        random: constant(9.1 / 11),
        waitedSeconds: 0,
        levelRelaxationSeconds: 30,
      }),
    ),
    [C],
  );
  t.same(
    pickAgents(
      frozen(cand(A, 0, { level: 0 }), cand(B, 1, { level: 1 })),
      ctx('skill_weighted', { random: constant(0.75) }),
    ),
    [B],
    'a level below 1 (bad data) weighs as level 1',
  );
});

t.test('skill tiers: level 1 first, level 2 only when no level-1 candidate', async (t) => {
  // A level-2 agent who would win on every criterion, ahead in member order.
  const idle2 = cand(A, 0, { level: 2, lastCallEndedAt: null, talkSecondsToday: 0, callsToday: 0 });
  const busy1 = cand(B, 1, {
    level: 1,
    lastCallEndedAt: secondsAfter(-1),
    talkSecondsToday: 9000,
    callsToday: 99,
  });
  for (const s of ONE_AT_A_TIME_TIERED) {
    const random = constant(0);
    t.same(pickAgents(frozen(idle2, busy1), ctx(s, { random })), [B], `${s}: level 1 first`);
    t.same(
      pickAgents(frozen(idle2), ctx(s, { random })),
      [A],
      `${s}: no level-1 candidate (all busy): level 2`,
    );
    t.same(
      pickAgents(frozen(cand(C, 5, { level: 3 }), idle2), ctx(s, { random })),
      [A],
      `${s}: the lowest level present, whichever it is`,
    );
  }
  t.same(pickAgents(frozen(idle2, busy1), ctx('ring_all')), [B], 'ring_all: level 1 only');
});

t.test('no fall-through on non-answer: a tried level 1 rings again before level 2', async (t) => {
  const cs = frozen(cand(A, 1, { level: 1 }), cand(B, 0, { level: 2 }));
  for (const s of ONE_AT_A_TIME_TIERED) {
    t.same(
      pickAgents(cs, ctx(s, { tried: new Set([A]), lastRungAgentId: A, random: constant(0.9) })),
      [A],
      `${s}: a new round of level 1, not level 2`,
    );
  }
  // Two level-1 agents: the untried one is next, then a new round of level 1.
  const two = frozen(cand(A, 0), cand(C, 2), cand(B, 1, { level: 2 }));
  for (const s of ONE_AT_A_TIME_TIERED) {
    const random = constant(0);
    t.same(
      pickAgents(two, ctx(s, { tried: new Set([A]), lastRungAgentId: A, random })),
      [C],
      `${s}: the other level-1 agent`,
    );
    t.not(
      pickAgents(two, ctx(s, { tried: new Set([A, C]), lastRungAgentId: C, random }))[0],
      B,
      `${s}: both tried: level 1 again`,
    );
  }
});

t.test('relaxation: 0 s, N s, 2N s', async (t) => {
  // Level 1 was rung already; level 2 has the oldest call, level 3 never had one.
  const cs = frozen(
    cand(A, 0, { level: 1, lastCallEndedAt: secondsAfter(-10), talkSecondsToday: 300 }),
    cand(B, 1, { level: 2, lastCallEndedAt: secondsAfter(-100), talkSecondsToday: 200 }),
    cand(C, 2, { level: 3, lastCallEndedAt: null, talkSecondsToday: 100 }),
  );
  const at = (s: RingStrategy, waitedSeconds: number, tried: number[] = []) =>
    pickAgents(
      cs,
      ctx(s, {
        waitedSeconds,
        levelRelaxationSeconds: 20,
        tried: new Set(tried),
        random: constant(0.99),
      }),
    );
  for (const s of ['least_recent', 'shortest_talk_time'] as const) {
    t.same(at(s, 0), [A], `${s} at 0 s: level 1 only`);
    t.same(at(s, 19), [A], `${s} at N-1 s: level 1 only`);
    t.same(at(s, 20), [B], `${s} at N s: level 2 is accepted and equal, and it wins`);
    t.same(at(s, 40), [C], `${s} at 2N s: level 3 too`);
  }
  t.same(at('linear', 0, [A]), [A], 'linear at 0 s: level 1 again');
  t.same(at('linear', 20, [A]), [B], 'linear at N s: the next accepted in order');
  t.same(at('linear', 40, [A, B]), [C], 'linear at 2N s');
  t.same(at('linear', 40, [A, B, C]), [A], 'linear at 2N s, all tried: a new round');
  t.same(at('random', 0), [A], 'random at 0 s');
  t.same(at('random', 20), [B], 'random at N s: over A and B');
  t.same(at('random', 40), [C], 'random at 2N s: over A, B and C');
  t.same(at('ring_all', 0), [A]);
  t.same(at('ring_all', 20), [A, B]);
  t.same(at('ring_all', 40), [A, B, C]);
  t.same(at('ring_all', 4000), [A, B, C]);
  // Off (0): waiting never widens the tier.
  t.same(pickAgents(cs, ctx('least_recent', { waitedSeconds: 4000, levelRelaxationSeconds: 0 })), [
    A,
  ]);
  // A relaxed tier leaves the level out of the comparison: the fewest calls win, whatever level.
  t.same(
    pickAgents(
      frozen(cand(A, 0, { level: 1, callsToday: 3 }), cand(B, 1, { level: 2, callsToday: 2 })),
      ctx('fewest_calls', { waitedSeconds: 5, levelRelaxationSeconds: 5 }),
    ),
    [B],
  );
  // …and ties then go by member order, not by level.
  t.same(
    pickAgents(
      frozen(cand(A, 1, { level: 1 }), cand(B, 0, { level: 2 })),
      ctx('fewest_calls', { waitedSeconds: 5, levelRelaxationSeconds: 5 }),
    ),
    [B],
  );
});

t.test('the input is neither changed nor order-sensitive', async (t) => {
  const cs = [
    cand(C, 2, { callsToday: 1, talkSecondsToday: 10, lastCallEndedAt: secondsAfter(-5) }),
    cand(A, 0, { callsToday: 1, talkSecondsToday: 10, lastCallEndedAt: secondsAfter(-5) }),
    cand(B, 1, { callsToday: 1, talkSecondsToday: 10, lastCallEndedAt: secondsAfter(-5) }),
  ];
  for (const s of RING_STRATEGIES) {
    const random = constant(0);
    const forward = pickAgents(frozen(...cs), ctx(s, { random }));
    const backward = pickAgents(frozen(...[...cs].reverse()), ctx(s, { random }));
    t.same(forward, backward, `${s}: the same pick whatever the array order`);
    t.same(forward[0], A, `${s}: all equal, the first in member order`);
  }
});

t.test('fairness: round_robin rotates A, B, C exactly', async (t) => {
  const cs = frozen(cand(A, 0), cand(B, 1), cand(C, 2));
  let last: number | null = null;
  const picks: number[] = [];
  for (let call = 0; call < 300; call++) {
    const [agent] = pickAgents(cs, ctx('round_robin', { lastRungAgentId: last }));
    if (agent === undefined) throw new Error('nobody picked');
    picks.push(agent);
    last = agent;
  }
  t.same(picks.slice(0, 7), [A, B, C, A, B, C, A]);
  t.ok(
    picks.every((p, i) => p === [A, B, C][i % 3]),
    'in rotation, all the way',
  );
  t.same(
    countBy(picks),
    new Map([
      [A, 100],
      [B, 100],
      [C, 100],
    ]),
  );
});

t.test('fairness: round_robin resumes its rotation around a busy agent', async (t) => {
  // B is on a call for the second call only: the rotation goes on to C, then back to A, B.
  const all = frozen(cand(A, 0), cand(B, 1), cand(C, 2));
  const withoutB = frozen(cand(A, 0), cand(C, 2));
  const orderOf = new Map([
    [A, 0],
    [B, 1],
    [C, 2],
  ]);
  let last: number | null = null;
  const picks: number[] = [];
  for (const cs of [all, withoutB, all, all, all]) {
    const [agent] = pickAgents(
      cs,
      ctx('round_robin', { lastRungAgentId: last, lastRungOrder: orderOf.get(last ?? -1) ?? null }),
    );
    if (agent === undefined) throw new Error('nobody picked');
    picks.push(agent);
    last = agent;
  }
  t.same(picks, [A, C, A, B, C]);
  // The last rung is the busy one: the rotation continues after its position.
  t.same(pickAgents(withoutB, ctx('round_robin', { lastRungAgentId: B, lastRungOrder: 1 })), [C]);
});

t.test('fairness: random gives each of 3 agents about a third', async (t) => {
  const cs = frozen(cand(A, 0), cand(B, 1), cand(C, 2));
  for (const seed of [1, 42, 20260401]) {
    const random = mulberry32(seed);
    const picks: number[] = [];
    for (let i = 0; i < 3000; i++) picks.push(...pickAgents(cs, ctx('random', { random })));
    t.equal(picks.length, 3000);
    for (const [agent, n] of countBy(picks)) {
      t.ok(n >= 850 && n <= 1150, `seed ${seed}: agent ${agent} got ${n} of 3000 (1000 ± 15%)`);
    }
    t.equal(countBy(picks).size, 3);
  }
});

t.test('fairness: skill_weighted gives level 1 twice the calls of level 2', async (t) => {
  const cs = frozen(cand(A, 0, { level: 1 }), cand(B, 1, { level: 2 }));
  for (const seed of [7, 99, 20260401]) {
    const random = mulberry32(seed);
    const picks: number[] = [];
    for (let i = 0; i < 9000; i++) picks.push(...pickAgents(cs, ctx('skill_weighted', { random })));
    const counts = countBy(picks);
    const ratio = (counts.get(A) ?? 0) / (counts.get(B) ?? 1);
    t.ok(ratio >= 1.8 && ratio <= 2.2, `seed ${seed}: level 1 : level 2 = ${ratio.toFixed(3)}`);
  }
  // Three levels: 6 : 3 : 2.
  const three = frozen(
    cand(A, 0, { level: 1 }),
    cand(B, 1, { level: 2 }),
    cand(C, 2, { level: 3 }),
  );
  const random = mulberry32(3);
  const picks: number[] = [];
  for (let i = 0; i < 11_000; i++)
    picks.push(...pickAgents(three, ctx('skill_weighted', { random })));
  const counts = countBy(picks);
  const expected = new Map([
    [A, 6000],
    [B, 3000],
    [C, 2000],
  ]);
  for (const [agent, n] of expected) {
    const got = counts.get(agent) ?? 0;
    t.ok(Math.abs(got - n) <= n * 0.1, `agent ${agent}: ${got}, expected ${n} ± 10%`);
  }
});

t.test('fairness: least_recent equalises as calls end', async (t) => {
  let cs: Candidate[] = [cand(A, 0), cand(B, 1), cand(C, 2)];
  const picks: number[] = [];
  for (let call = 0; call < 300; call++) {
    const now = secondsAfter(call * 60);
    const [agent] = pickAgents(frozen(...cs), ctx('least_recent', { now }));
    if (agent === undefined) throw new Error('nobody picked');
    picks.push(agent);
    // The picked agent takes the call; it ends 30 s later.
    cs = cs.map((c) =>
      c.agentId === agent ? { ...c, lastCallEndedAt: secondsAfter(call * 60 + 30) } : c,
    );
  }
  t.same(
    picks.slice(0, 6),
    [A, B, C, A, B, C],
    'never-called first, in order, then the longest idle',
  );
  t.same(
    countBy(picks),
    new Map([
      [A, 100],
      [B, 100],
      [C, 100],
    ]),
  );
});

t.test('fairness: fewest_calls equalises the call counts', async (t) => {
  // B starts the day with 5 calls: it waits until the others catch up.
  let cs: Candidate[] = [cand(A, 0), cand(B, 1, { callsToday: 5 }), cand(C, 2, { callsToday: 1 })];
  const picks: number[] = [];
  for (let call = 0; call < 294; call++) {
    const [agent] = pickAgents(frozen(...cs), ctx('fewest_calls'));
    if (agent === undefined) throw new Error('nobody picked');
    picks.push(agent);
    cs = cs.map((c) => (c.agentId === agent ? { ...c, callsToday: c.callsToday + 1 } : c));
    const calls = cs.map((c) => c.callsToday);
    if (call >= 8 && Math.max(...calls) - Math.min(...calls) > 1) {
      t.fail(`call ${call}: the counts spread to ${calls.join(', ')}`);
    }
  }
  t.same(
    picks.slice(0, 12),
    [A, A, C, A, C, A, C, A, C, A, B, C],
    'the catching up, then the ties by order',
  );
  t.same(
    cs.map((c) => c.callsToday),
    [100, 100, 100],
  );
});

t.test('fairness: shortest_talk_time equalises the talk time', async (t) => {
  const random = mulberry32(5);
  let cs: Candidate[] = [cand(A, 0), cand(B, 1), cand(C, 2), cand(D, 3)];
  const longest = 600;
  for (let call = 0; call < 400; call++) {
    const [agent] = pickAgents(frozen(...cs), ctx('shortest_talk_time'));
    if (agent === undefined) throw new Error('nobody picked');
    const talk = 30 + Math.floor(random() * (longest - 30));
    cs = cs.map((c) =>
      c.agentId === agent ? { ...c, talkSecondsToday: c.talkSecondsToday + talk } : c,
    );
    // Whoever talked least takes the next call, so nobody gets ahead by more than one call.
    const talks = cs.map((c) => c.talkSecondsToday);
    if (Math.max(...talks) - Math.min(...talks) > longest) {
      t.fail(`call ${call}: the talk times spread to ${talks.join(', ')}`);
    }
  }
  const talks = cs.map((c) => c.talkSecondsToday);
  t.ok(Math.max(...talks) - Math.min(...talks) <= longest, `talk times ${talks.join(', ')}`);
  const total = talks.reduce((a, b) => a + b, 0);
  for (const s of talks)
    t.ok(Math.abs(s - total / 4) <= longest, 'each near a quarter of all talk');
});
