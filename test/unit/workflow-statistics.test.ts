/**
 * The workflow statistics fold (§10-6): per step count, average / max / min / total seconds of
 * the stays that ended in the range, and the 合計 row; steps without stays, deleted steps, the
 * range's edges, rounding as the manual's example shows it.
 */
import t from 'tap';
import { workflowStatistics, type StepStay } from '../../src/crm/workflows/statistics.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, s));
const stay = (
  stepId: number,
  entered: number,
  left: number,
  stepName = `S${stepId}`,
): StepStay => ({
  stepId,
  stepName,
  enteredAt: at(entered),
  leftAt: at(left),
});
const steps = [
  { id: 1, name: 'STEP1' },
  { id: 2, name: 'STEP2' },
  { id: 3, name: 'STEP3' },
];
const range = { from: at(0), to: at(1000) };

t.test('per step and in total, every step listed in order', async (t) => {
  const stats = workflowStatistics(
    steps,
    [stay(1, 0, 10), stay(2, 10, 40), stay(1, 40, 60), stay(2, 60, 65)],
    range,
  );
  t.same(stats.rows, [
    {
      stepId: 1,
      stepName: 'STEP1',
      count: 2,
      averageSeconds: 15,
      maxSeconds: 20,
      minSeconds: 10,
      totalSeconds: 30,
    },
    {
      stepId: 2,
      stepName: 'STEP2',
      count: 2,
      averageSeconds: 18,
      maxSeconds: 30,
      minSeconds: 5,
      totalSeconds: 35,
    },
    {
      stepId: 3,
      stepName: 'STEP3',
      count: 0,
      averageSeconds: null,
      maxSeconds: null,
      minSeconds: null,
      totalSeconds: 0,
    },
  ]);
  t.same(stats.total, {
    count: 4,
    averageSeconds: 16,
    maxSeconds: 30,
    minSeconds: 5,
    totalSeconds: 65,
  });
});

t.test('the manual’s example: 6 stays, 163 s in all, an average of 27 s', async (t) => {
  const lengths = [20, 30, 25, 28, 30, 30];
  let clock = 0;
  const stays = lengths.map((l) => {
    const s = stay(1, clock, clock + l);
    clock += l;
    return s;
  });
  const stats = workflowStatistics(steps.slice(0, 1), stays, range);
  t.same(stats.total, {
    count: 6,
    averageSeconds: 27,
    maxSeconds: 30,
    minSeconds: 20,
    totalSeconds: 163,
  });
});

t.test('a stay counts in the range it ended in: from included, to excluded', async (t) => {
  const stats = workflowStatistics(
    steps,
    [stay(1, -50, 0), stay(1, 900, 1000), stay(2, 10, 999), stay(3, -10, -1)],
    range,
  );
  t.equal(stats.rows[0]?.count, 1, 'ended at from: in; ended at to: out');
  t.equal(stats.rows[0]?.totalSeconds, 50, 'its whole length, also before from');
  t.equal(stats.rows[1]?.totalSeconds, 989);
  t.equal(stats.rows[2]?.count, 0, 'ended before from');
  t.equal(stats.total.count, 2);
});

t.test('deleted steps follow, under the name they had; no stays at all', async (t) => {
  const stats = workflowStatistics(
    steps.slice(0, 1),
    [stay(9, 0, 3, '旧STEP'), stay(1, 0, 1)],
    range,
  );
  t.same(
    stats.rows.map((r) => [r.stepId, r.stepName, r.count]),
    [
      [1, 'STEP1', 1],
      [9, '旧STEP', 1],
    ],
  );
  const none = workflowStatistics(steps, [], range);
  t.same(none.total, {
    count: 0,
    averageSeconds: null,
    maxSeconds: null,
    minSeconds: null,
    totalSeconds: 0,
  });
});

t.test('milliseconds are summed before rounding; a clock set back gives 0, not less', async (t) => {
  const ms = (entered: number, left: number): StepStay => ({
    stepId: 1,
    stepName: 'STEP1',
    enteredAt: new Date(at(0).getTime() + entered),
    leftAt: new Date(at(0).getTime() + left),
  });
  const stats = workflowStatistics(
    steps.slice(0, 1),
    [ms(0, 400), ms(0, 400), ms(500, 100)],
    range,
  );
  t.same(stats.total, {
    count: 3,
    averageSeconds: 0,
    maxSeconds: 0,
    minSeconds: 0,
    totalSeconds: 1,
  });
});
