import t from 'tap';
import { backoffDelay } from '../../src/platform/backoff.js';

t.test('delays grow exponentially up to the cap and never stop', async (t) => {
  const opts = { initialMs: 500, maxMs: 30_000 };
  const mid = () => 0.5; // no jitter
  t.same(
    [0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, opts, mid)),
    [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000],
  );
  t.equal(backoffDelay(1000, opts, mid), 30_000);
  t.equal(
    backoffDelay(0, opts, () => 0),
    400,
    'jitter -20 %',
  );
  t.equal(
    backoffDelay(0, opts, () => 1),
    600,
    'jitter +20 %',
  );
});
