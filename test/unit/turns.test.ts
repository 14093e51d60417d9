import t from 'tap';
import { createTurns } from '../../src/platform/turns.js';

t.test(
  'work takes turns: the next starts when the one before is done, failed or not',
  async (t) => {
    const turns = createTurns();
    const steps: string[] = [];
    let release = () => {};
    const first = turns(async () => {
      steps.push('first starts');
      await new Promise<void>((resolve) => (release = resolve));
      steps.push('first ends');
      throw new Error('first failed');
    });
    const second = turns(async () => {
      steps.push('second');
      return 2;
    });
    await new Promise((r) => setImmediate(r));
    t.same(steps, ['first starts'], 'the second waits');
    release();
    await t.rejects(first, /first failed/, 'a failure is its caller’s');
    t.equal(await second, 2, 'and does not stop the next');
    t.same(steps, ['first starts', 'first ends', 'second']);
  },
);
