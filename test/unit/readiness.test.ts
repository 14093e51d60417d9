import t from 'tap';
import { readiness } from '../../src/system/readiness.js';

const links = { ari: 'connected', ami: 'connected' } as const;

t.test('ready when the database answers and both links are up', async (t) => {
  t.same(readiness(undefined, { mode: 'external', ...links }).ready, true, 'external: no process');
  t.same(readiness(undefined, { mode: 'managed', ...links, process: 'running' }).ready, true);
});

t.test('a managed Asterisk still starting is not ready, though ARI already answers', async (t) => {
  const starting = readiness(undefined, { mode: 'managed', ...links, process: 'starting' });
  t.equal(starting.ready, false);
  t.equal(starting.reason, 'Asterisk process starting');
});

t.test('every failing part is named in the reason, with the last link failure', async (t) => {
  const down = readiness('disk I/O error', {
    mode: 'managed',
    ari: 'disconnected',
    ami: 'connected',
    process: 'exited',
    reason: 'exit code none, signal SIGKILL',
  });
  t.equal(down.ready, false);
  t.equal(
    down.reason,
    'database: disk I/O error; ARI disconnected; Asterisk process exited (last: exit code none, signal SIGKILL)',
  );
});
