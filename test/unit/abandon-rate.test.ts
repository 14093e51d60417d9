import t from 'tap';
import {
  ABANDON_LIMIT_MS,
  ABANDON_WINDOWS,
  abandonCounts,
  overAbandonTarget,
  rollingAbandonRates,
  rollingAbandonRatesByCampaign,
  countsOf,
  type AbandonAttempt,
} from '../../src/campaigns/abandon-rate.js';
import type { AttemptOutcome } from '../../src/campaigns/results.js';

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);
const HOUR = 3_600_000;

function answered(outcome: AttemptOutcome | null, answeredAt: number): AbandonAttempt {
  return { startedAt: answeredAt - 12_000, answeredAt, outcome };
}
function many(n: number, outcome: AttemptOutcome, answeredAt: number): AbandonAttempt[] {
  return Array.from({ length: n }, () => answered(outcome, answeredAt));
}

t.test('the 2-second rule is the limit', async (t) => {
  t.equal(ABANDON_LIMIT_MS, 2000);
});

t.test(
  'abandoned ÷ (connected + abandoned); machines and unanswered calls are not counted',
  async (t) => {
    const attempts: AbandonAttempt[] = [
      ...many(3, 'abandoned', NOW - HOUR),
      ...many(57, 'connected', NOW - HOUR),
      ...many(40, 'machine', NOW - HOUR),
      { startedAt: NOW - HOUR, answeredAt: null, outcome: 'no_answer' },
      { startedAt: NOW - HOUR, answeredAt: null, outcome: 'busy' },
      { startedAt: NOW - HOUR, answeredAt: null, outcome: 'error' },
      // Still live: not counted until it ends.
      answered(null, NOW - 1000),
    ];
    const counts = abandonCounts(attempts, NOW - ABANDON_WINDOWS.day, NOW);
    t.same(counts, { abandoned: 3, connected: 57, liveAnswered: 60, machines: 40, percent: 5 });
  },
);

t.test('nobody answered: 0 %, not NaN', async (t) => {
  t.same(abandonCounts([], 0, NOW), {
    abandoned: 0,
    connected: 0,
    liveAnswered: 0,
    machines: 0,
    percent: 0,
  });
  const onlyMachines = abandonCounts(many(5, 'machine', NOW - 1), 0, NOW);
  t.equal(onlyMachines.percent, 0);
  t.equal(onlyMachines.machines, 5);
});

t.test('the 24-hour window is (now − 24 h, now]', async (t) => {
  const day = ABANDON_WINDOWS.day;
  const rates = rollingAbandonRates(
    [
      answered('abandoned', NOW - day), // exactly 24 h ago: out
      answered('abandoned', NOW - day + 1), // just inside
      answered('connected', NOW), // now: in
      answered('abandoned', NOW + 1), // the future: out
    ],
    NOW,
  );
  t.same(rates.day, { abandoned: 1, connected: 1, liveAnswered: 2, machines: 0, percent: 50 });
  t.equal(rates.month.abandoned, 2, 'the 24-hour-old drop is inside 30 days');
});

t.test('the 30-day window is (now − 30 d, now]', async (t) => {
  const month = ABANDON_WINDOWS.month;
  t.equal(month, 30 * 24 * HOUR);
  const rates = rollingAbandonRates(
    [
      answered('abandoned', NOW - month),
      answered('abandoned', NOW - month + 1),
      ...many(9, 'connected', NOW - 10 * 24 * HOUR),
    ],
    NOW,
  );
  t.same(rates.month, { abandoned: 1, connected: 9, liveAnswered: 10, machines: 0, percent: 10 });
  t.same(rates.day.liveAnswered, 0, 'nothing in the last day');
});

t.test('an attempt counts when the customer answered, else when it started', async (t) => {
  const day = ABANDON_WINDOWS.day;
  const startedBeforeAnsweredInside: AbandonAttempt = {
    startedAt: NOW - day - 10_000,
    answeredAt: NOW - day + 5_000,
    outcome: 'abandoned',
  };
  const noAnswerTime: AbandonAttempt = {
    startedAt: NOW - day - 1,
    answeredAt: null,
    outcome: 'connected',
  };
  const rates = rollingAbandonRates([startedBeforeAnsweredInside, noAnswerTime], NOW);
  t.equal(rates.day.abandoned, 1);
  t.equal(rates.day.connected, 0, 'started before the window, no answer time: out');
  t.equal(rates.month.connected, 1);
});

t.test('over the target in either window; exactly at the target is within the rule', async (t) => {
  const at3 = countsOf(3, 97, 0);
  const at4 = countsOf(4, 96, 0);
  t.equal(at3.percent, 3);
  t.equal(overAbandonTarget({ day: at3, month: at3 }, 3), false);
  t.equal(overAbandonTarget({ day: at4, month: at3 }, 3), true, 'the day over');
  t.equal(overAbandonTarget({ day: at3, month: at4 }, 3), true, 'the month over');
  t.equal(overAbandonTarget({ day: at4, month: at4 }, 5), false, 'a higher target');
});

t.test('per campaign, each its own rate', async (t) => {
  const rates = rollingAbandonRatesByCampaign(
    [
      { campaignId: 1, ...answered('abandoned', NOW - HOUR) },
      { campaignId: 1, ...answered('connected', NOW - HOUR) },
      { campaignId: 2, ...answered('connected', NOW - HOUR) },
      { campaignId: 2, ...answered('machine', NOW - HOUR) },
    ],
    NOW,
  );
  t.same([...rates.keys()].sort(), [1, 2]);
  t.equal(rates.get(1)?.day.percent, 50);
  t.equal(rates.get(2)?.day.percent, 0);
  t.equal(rates.get(2)?.day.machines, 1);
});
