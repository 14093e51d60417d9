import t from 'tap';
import { countsOf, type RollingAbandonRates } from '../../src/campaigns/abandon-rate.js';
import {
  AIM_SHARE_OF_TARGET,
  DROP_GUARD_MS,
  INITIAL_Z,
  MAX_Z,
  MIN_Z,
  PRIOR_ANSWER_RATE,
  PRIOR_ANSWER_WEIGHT,
  PRIOR_RING_SECONDS,
  Z_STEP_UP,
  decideLines,
  estimate,
  initialPacerState,
  type PacerAgent,
  type PacerAttempt,
  type PacerInput,
  type PacerSettings,
} from '../../src/campaigns/pacer.js';
import type { AttemptOutcome } from '../../src/campaigns/results.js';

// The fake clock: every decision is taken at an explicit instant.
const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);
const MINUTE = 60_000;

function settings(overrides: Partial<PacerSettings> = {}): PacerSettings {
  return {
    type: 'progressive',
    predictive: false,
    dialRatio: 1,
    maxChannels: 100,
    abandonTargetPercent: 3,
    predictiveMinAgents: 6,
    dialTimeoutSeconds: 30,
    ...overrides,
  };
}
const ready = (n: number): PacerAgent[] => Array.from({ length: n }, () => ({ state: 'ready' }));
const talking = (n: number, seconds: number): PacerAgent[] =>
  Array.from({ length: n }, () => ({ state: 'talking', talkingForSeconds: seconds }));
const wrappingUp = (n: number, seconds: number): PacerAgent[] =>
  Array.from({ length: n }, () => ({ state: 'after_call_work', wrapUpForSeconds: seconds }));
const ringing = (n: number): PacerAgent[] =>
  Array.from({ length: n }, () => ({ state: 'ringing' }));
const lines = (n: number, sinceDialSeconds = 3) =>
  Array.from({ length: n }, () => ({ sinceDialSeconds }));

function input(overrides: Partial<PacerInput> = {}): PacerInput {
  return {
    now: NOW,
    settings: settings(),
    agents: ready(3),
    lines: [],
    waitingCustomers: 0,
    history: [],
    didFreeChannels: null,
    state: initialPacerState(),
    ...overrides,
  };
}

/** A finished attempt started `ago` ms before NOW. */
function attempt(outcome: AttemptOutcome, ago: number, talkSeconds = 180): PacerAttempt {
  const startedAt = NOW - ago;
  const answered = outcome === 'connected' || outcome === 'abandoned' || outcome === 'machine';
  const answeredAt = answered ? startedAt + 12_000 : null;
  const connectedAt = outcome === 'connected' ? startedAt + 12_500 : null;
  const endedAt =
    connectedAt !== null
      ? connectedAt + talkSeconds * 1000
      : answeredAt !== null
        ? answeredAt + 2_000
        : startedAt + 30_000;
  return {
    startedAt,
    answeredAt,
    connectedAt,
    endedAt,
    outcome,
    wrapUpSeconds: outcome === 'connected' ? 30 : null,
  };
}
function attempts(n: number, outcome: AttemptOutcome, ago: number, talkSeconds = 180) {
  return Array.from({ length: n }, () => attempt(outcome, ago, talkSeconds));
}
/** A campaign with a long clean record: 25 % answered, 1 % abandoned over the day. */
function goodDay(): PacerAttempt[] {
  return [
    ...attempts(198, 'connected', 50 * MINUTE),
    ...attempts(2, 'abandoned', 50 * MINUTE),
    ...attempts(600, 'no_answer', 50 * MINUTE),
  ];
}
const rates = (abandoned: number, connected: number): RollingAbandonRates => ({
  day: countsOf(abandoned, connected, 0),
  month: countsOf(abandoned, connected, 0),
});
const predictive = (overrides: Partial<PacerSettings> = {}) =>
  settings({ predictive: true, ...overrides });
/** A state that has counted the ledger up to NOW: `z` does not move on this decision. */
const settled = (z = INITIAL_Z) => ({ z, adjustedAt: NOW, dropGuardAt: null });

t.test('a preview campaign: the agent dials, the pacer never does', async (t) => {
  const decision = decideLines(input({ settings: settings({ type: 'preview' }) }));
  t.equal(decision.lines, 0);
  t.equal(decision.reason, 'preview');
});

t.test('progressive: ratio × ready agents − lines ringing − customers waiting', async (t) => {
  const at = (dialRatio: number, readyAgents: number, ringingLines: number, waiting: number) =>
    decideLines(
      input({
        settings: settings({ dialRatio }),
        agents: [...ready(readyAgents), ...talking(2, 30), ...wrappingUp(1, 5)],
        lines: lines(ringingLines),
        waitingCustomers: waiting,
      }),
    );
  t.equal(at(1, 3, 0, 0).lines, 3);
  t.equal(at(1, 3, 1, 1).lines, 1);
  t.equal(at(2, 3, 1, 0).lines, 5);
  t.equal(at(1.5, 3, 0, 0).lines, 4, '4.5 lines: rounded down');
  t.equal(at(1.5, 1, 0, 0).lines, 1);
  t.equal(at(1, 2, 5, 0).lines, 0, 'more ringing than wanted: never negative');
  t.equal(at(1, 0, 0, 0).lines, 0, 'no ready agent');
  const decision = at(1, 3, 0, 0);
  t.equal(decision.mode, 'progressive');
  t.equal(decision.reason, 'progressive');
  t.same(decision.state, initialPacerState(), 'progressive carries the state untouched');
});

t.test('最大チャンネル: never more than the channels minus the lines in use', async (t) => {
  // In use: 1 ringing line, 1 waiting customer, 3 talking agents, 1 ringing agent = 6.
  const base = {
    agents: [...ready(4), ...talking(3, 10), ...ringing(1), ...wrappingUp(2, 1)],
    lines: lines(1),
    waitingCustomers: 1,
  };
  const wanted = decideLines(input({ ...base, settings: settings({ dialRatio: 3 }) }));
  t.equal(wanted.lines, 10, '3 × 4 − 1 − 1 with room to spare');
  const capped = decideLines(
    input({ ...base, settings: settings({ dialRatio: 3, maxChannels: 8 }) }),
  );
  t.equal(capped.lines, 2);
  t.equal(capped.reason, 'max_channels');
  const full = decideLines(
    input({ ...base, settings: settings({ dialRatio: 3, maxChannels: 6 }) }),
  );
  t.equal(full.lines, 0);
  t.equal(full.reason, 'max_channels');
  const over = decideLines(
    input({ ...base, settings: settings({ dialRatio: 3, maxChannels: 4 }) }),
  );
  t.equal(over.lines, 0, 'already over (the setting was lowered): none, not negative');
  const exact = decideLines(
    input({ ...base, settings: settings({ dialRatio: 3, maxChannels: 16 }) }),
  );
  t.equal(exact.lines, 10);
  t.equal(exact.reason, 'progressive', 'exactly the room: not capped');
});

t.test('the DID: never more than its free channels', async (t) => {
  const base = { agents: ready(6), settings: settings({ dialRatio: 2 }) };
  const capped = decideLines(input({ ...base, didFreeChannels: 4 }));
  t.equal(capped.lines, 4);
  t.equal(capped.reason, 'did_channels');
  const none = decideLines(input({ ...base, didFreeChannels: 0 }));
  t.equal(none.lines, 0);
  t.equal(none.reason, 'did_channels');
  const both = decideLines(
    input({ ...base, settings: settings({ dialRatio: 2, maxChannels: 5 }), didFreeChannels: 3 }),
  );
  t.equal(both.lines, 3, 'the tighter of the two');
  t.equal(decideLines(input({ ...base, didFreeChannels: 11 })).lines, 11, 'one short: one fewer');
  t.equal(decideLines(input({ ...base, didFreeChannels: 20 })).lines, 12);
});

t.test('predictive below predictiveMinAgents: progressive at the campaign ratio', async (t) => {
  const decision = decideLines(
    input({
      settings: predictive({ dialRatio: 2, predictiveMinAgents: 6 }),
      agents: [...ready(3), ...talking(2, 10)],
      history: goodDay(),
    }),
  );
  t.equal(decision.mode, 'progressive');
  t.equal(decision.reason, 'below_min_agents');
  t.equal(decision.lines, 6);
  const six = decideLines(
    input({
      settings: predictive({ dialRatio: 2, predictiveMinAgents: 6 }),
      agents: [...ready(3), ...talking(2, 10), ...ringing(1)],
      history: goodDay(),
    }),
  );
  t.equal(six.mode, 'predictive', 'six taking part, whatever they do: predictive');
});

t.test('predictive over the abandon target: progressive 1:1', async (t) => {
  const base = {
    settings: predictive({ dialRatio: 2 }),
    agents: [...ready(5), ...talking(5, 60)],
    history: goodDay(),
  };
  const day = decideLines(
    input({ ...base, rollingAbandon: { day: countsOf(4, 96, 0), month: countsOf(1, 99, 0) } }),
  );
  t.equal(day.mode, 'progressive');
  t.equal(day.reason, 'over_abandon_target');
  t.equal(day.lines, 5, '1:1, not the campaign ratio');
  const month = decideLines(
    input({ ...base, rollingAbandon: { day: countsOf(0, 10, 0), month: countsOf(31, 969, 0) } }),
  );
  t.equal(month.reason, 'over_abandon_target');
  const atTarget = decideLines(input({ ...base, rollingAbandon: rates(3, 97) }));
  t.equal(atTarget.mode, 'predictive', 'exactly 3 %: within the rule');
  const higherTarget = decideLines(
    input({
      ...base,
      settings: predictive({ abandonTargetPercent: 5 }),
      rollingAbandon: rates(4, 96),
    }),
  );
  t.equal(higherTarget.mode, 'predictive');
  // Without counts from the engine, the history is counted.
  const fromHistory = decideLines(
    input({
      ...base,
      history: [
        ...attempts(2, 'abandoned', 2 * 60 * MINUTE),
        ...attempts(20, 'connected', 2 * 60 * MINUTE),
      ],
    }),
  );
  t.equal(fromHistory.reason, 'over_abandon_target');
  const oldDrops = decideLines(
    input({
      ...base,
      history: [...attempts(2, 'abandoned', 31 * 24 * 60 * MINUTE), ...goodDay()],
    }),
  );
  t.equal(oldDrops.mode, 'predictive', 'drops older than 30 days do not count');
  t.equal(day.state.z, INITIAL_Z, 'the level is kept while it falls back');
  t.equal(day.state.adjustedAt, NOW, '…and connections meanwhile do not make it bolder later');
});

t.test(
  'cold start: no history; more than 1:1 but no more than the prior answer rate allows',
  async (t) => {
    const decision = decideLines(
      input({ settings: predictive(), agents: [...ready(20), ...talking(10, 5)] }),
    );
    t.equal(decision.mode, 'predictive');
    t.equal(decision.reason, 'near_abandon_target', 'a first drop would already be over 3 %');
    t.ok(decision.lines > 20, `dials beyond 1:1 (${decision.lines})`);
    t.ok(decision.lines * PRIOR_ANSWER_RATE <= 20, 'expected answers within the ready agents');
    t.same(decision.state, { z: INITIAL_Z, adjustedAt: NOW, dropGuardAt: null });
  },
);

t.test('predictive: a lower measured answer rate dials more lines', async (t) => {
  const withRate = (answered: number) =>
    decideLines(
      input({
        settings: predictive(),
        agents: [...ready(5), ...talking(15, 60)],
        history: [
          ...attempts(answered, 'connected', 40 * MINUTE),
          ...attempts(400 - answered, 'no_answer', 40 * MINUTE),
        ],
        rollingAbandon: rates(0, 1000),
        state: settled(),
      }),
    ).lines;
  const at50 = withRate(200);
  const at25 = withRate(100);
  const at10 = withRate(40);
  t.ok(at50 >= 5 && at50 < at25 && at25 < at10, `50 % ${at50}, 25 % ${at25}, 10 % ${at10}`);
});

t.test(
  'predictive: agents about to be free are dialled for, agents just started are not',
  async (t) => {
    const history = [...goodDay(), ...attempts(100, 'connected', 40 * MINUTE, 60)];
    const decide = (agents: PacerAgent[]) =>
      decideLines(
        input({
          settings: predictive(),
          agents,
          history,
          rollingAbandon: rates(0, 1000),
          state: settled(),
        }),
      ).lines;
    t.equal(
      decide(talking(10, 0)),
      0,
      'all just started talking: nobody free within the ring time',
    );
    t.ok(decide(wrappingUp(10, 25)) > 0, 'all nearly done with a 30 s wrap-up: dial for them');
    t.ok(decide(wrappingUp(10, 25)) > decide(wrappingUp(10, 1)), 'nearer the end, more lines');
    t.ok(decide([...ready(2), ...talking(8, 0)]) >= 2, 'the ready ones at least');
  },
);

t.test('predictive: lines ringing count toward the answers to come', async (t) => {
  const decide = (ringingLines: number, since: number) =>
    decideLines(
      input({
        settings: predictive(),
        agents: [...ready(6), ...talking(14, 60)],
        lines: lines(ringingLines, since),
        history: goodDay(),
        rollingAbandon: rates(0, 1000),
        state: settled(),
      }),
    ).lines;
  const none = decide(0, 0);
  const fresh = decide(8, 1);
  const old = decide(8, 26);
  t.ok(fresh < none, `8 fresh lines ringing: fewer new lines (${none} → ${fresh})`);
  t.ok(old > fresh, 'lines past every answered ring time are unlikely to be answered');
});

t.test('predictive never dials fewer than progressive 1:1', async (t) => {
  const decision = decideLines(
    input({
      settings: predictive(),
      agents: [...ready(8), ...talking(2, 5)],
      // Everybody answers: the model would dial exactly the ready agents, no fewer.
      history: attempts(300, 'connected', 30 * MINUTE),
      rollingAbandon: rates(0, 1000),
      state: settled(MAX_Z),
    }),
  );
  t.equal(decision.lines, 8);
});

t.test('predictive is capped by 最大チャンネル and the DID too', async (t) => {
  const base = {
    settings: predictive({ maxChannels: 14 }),
    agents: [...ready(10), ...talking(10, 60)],
    history: goodDay(),
    rollingAbandon: rates(0, 1000),
    state: settled(),
  };
  const channels = decideLines(input(base));
  t.equal(channels.lines, 4, '14 − 10 talking');
  t.equal(channels.reason, 'max_channels');
  t.equal(channels.mode, 'predictive');
  const did = decideLines(
    input({ ...base, settings: predictive({ maxChannels: 100 }), didFreeChannels: 3 }),
  );
  t.equal(did.lines, 3);
  t.equal(did.reason, 'did_channels');
});

t.test('drops in the last minute: the over-dial is cut for a minute', async (t) => {
  const base = {
    settings: predictive(),
    agents: [...ready(6), ...talking(14, 60)],
    rollingAbandon: rates(5, 300),
    state: settled(),
  };
  const calm = decideLines(
    input({ ...base, history: [...goodDay(), ...attempts(3, 'abandoned', 5 * MINUTE)] }),
  );
  t.equal(calm.reason, 'predictive', 'the same drops, not in the last minute');
  const dropped = decideLines(
    input({
      ...base,
      history: [
        ...goodDay(),
        ...attempts(3, 'abandoned', 30_000),
        ...attempts(1, 'connected', 30_000),
      ],
    }),
  );
  t.equal(dropped.reason, 'drops_last_minute');
  t.equal(dropped.mode, 'predictive');
  t.equal(dropped.state.dropGuardAt, NOW);
  t.ok(
    dropped.lines < calm.lines && dropped.lines >= 6,
    `fewer lines (${calm.lines} → ${dropped.lines}), never below 1:1`,
  );
  const cutBy = calm.lines - 6;
  t.ok(calm.lines - dropped.lines >= cutBy / 2, 'about half the over-dial or more');

  const oneDrop = decideLines(
    input({ ...base, history: [...goodDay(), ...attempts(1, 'abandoned', 30_000)] }),
  );
  t.equal(oneDrop.reason, 'predictive', 'one drop is not "too many"');
  const half = decideLines(
    input({
      ...base,
      history: [
        ...goodDay(),
        ...attempts(2, 'abandoned', 30_000),
        ...attempts(2, 'connected', 30_000),
      ],
    }),
  );
  t.equal(half.reason, 'predictive', 'half dropped is not more than half');

  const later = (ago: number) =>
    decideLines(
      input({ ...base, history: goodDay(), state: { ...settled(), dropGuardAt: NOW - ago } }),
    );
  t.equal(later(DROP_GUARD_MS - 1000).reason, 'drops_last_minute', 'held for a minute');
  t.equal(later(DROP_GUARD_MS - 1000).lines, dropped.lines);
  t.equal(later(DROP_GUARD_MS).reason, 'predictive', 'and released after it');
  t.equal(later(DROP_GUARD_MS).lines, calm.lines);
});

t.test('the level: each drop raises z, each connection lowers it, each counted once', async (t) => {
  const aim = (3 * AIM_SHARE_OF_TARGET) / 100;
  const stepDown = (Z_STEP_UP * aim) / (1 - aim);
  const start = { z: 2, adjustedAt: NOW - 10_000, dropGuardAt: null };
  const history = [
    ...goodDay(),
    attempt('abandoned', 15_000), // ended 1 s ago
    attempt('connected', 20_000), // connected 7.5 s ago
    attempt('connected', 25_000), // connected 12.5 s ago: counted before
  ];
  const base = {
    settings: predictive(),
    agents: [...ready(6), ...talking(14, 60)],
    history,
    rollingAbandon: rates(3, 500),
  };
  const first = decideLines(input({ ...base, state: start }));
  t.equal(first.state.z.toFixed(6), (2 + Z_STEP_UP - stepDown).toFixed(6));
  t.equal(first.state.adjustedAt, NOW);
  const again = decideLines(input({ ...base, state: first.state, now: NOW + 1000 }));
  t.equal(again.state.z, first.state.z, 'nothing new: unchanged');

  const manyDrops = decideLines(
    input({
      ...base,
      history: attempts(40, 'abandoned', 14_000),
      state: { ...start, z: MAX_Z - 0.1 },
    }),
  );
  t.equal(manyDrops.state.z, MAX_Z, 'never above the maximum');
  const manyConnections = decideLines(
    input({ ...base, history: attempts(900, 'connected', 14_000), state: { ...start, z: MIN_Z } }),
  );
  t.equal(manyConnections.state.z, MIN_Z, 'never below the minimum');
  const fresh = decideLines(input({ ...base, state: initialPacerState() }));
  t.equal(fresh.state.z, INITIAL_Z, 'a fresh state counts from now, not the whole ledger');
  t.ok(
    decideLines(input({ ...base, state: { ...start, z: 1.5, adjustedAt: NOW } })).lines >
      decideLines(input({ ...base, state: { ...start, z: 3, adjustedAt: NOW } })).lines,
    'a lower z dials more',
  );
});

t.test('estimates: the answer rate with its prior, ring, talk and wrap-up times', async (t) => {
  const none = estimate([], NOW);
  t.equal(none.answerRate, PRIOR_ANSWER_RATE);
  t.same(none.ringSeconds, [...PRIOR_RING_SECONDS]);
  t.same(none.talkSeconds, []);
  const history = [
    ...attempts(20, 'connected', 30 * MINUTE, 100),
    ...attempts(5, 'abandoned', 30 * MINUTE),
    ...attempts(10, 'machine', 30 * MINUTE),
    ...attempts(60, 'no_answer', 30 * MINUTE),
    ...attempts(5, 'busy', 30 * MINUTE),
    // Not dialled, or not told yet: left out.
    ...attempts(50, 'restricted', 30 * MINUTE),
    ...attempts(50, 'channel_limit', 30 * MINUTE),
    {
      startedAt: NOW - 5000,
      answeredAt: null,
      connectedAt: null,
      endedAt: null,
      outcome: null,
      wrapUpSeconds: null,
    },
    // Older than the window.
    ...attempts(100, 'connected', 61 * MINUTE),
  ];
  const est = estimate(history, NOW);
  const live = 25;
  const dialled = 100;
  t.equal(
    est.answerRate.toFixed(6),
    ((live + PRIOR_ANSWER_RATE * PRIOR_ANSWER_WEIGHT) / (dialled + PRIOR_ANSWER_WEIGHT)).toFixed(6),
  );
  t.equal(
    est.ringSeconds.length,
    PRIOR_RING_SECONDS.length + live,
    'machines ring, but need no agent',
  );
  t.equal(est.talkSeconds.length, 20);
  t.ok(est.talkSeconds.every((s) => s === 100));
  t.same(
    est.wrapUpSeconds,
    Array.from({ length: 20 }, () => 30),
  );
  // The newest ESTIMATE_MAX_ATTEMPTS of the hour, one in four answered.
  const lots = estimate(
    Array.from({ length: 1000 }, (_, i) =>
      attempt(i % 4 === 0 ? 'connected' : 'no_answer', 20 * MINUTE + i * 1000),
    ),
    NOW,
  );
  t.ok(Math.abs(lots.answerRate - 0.25) < 0.02, 'much data outweighs the prior');
});
