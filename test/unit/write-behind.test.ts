/**
 * The write-behind on a real SQLite database with a fake clock: deferred writes wait for the
 * next turn, run together in one transaction, in order, each listener told right after its own
 * write; a failing write is undone alone; a flush runs them at once (what readers do first).
 */
import BetterSqlite3 from 'better-sqlite3';
import t from 'tap';
import { createWriteBehind } from '../../src/platform/db/write-behind.js';
import { createLogger } from '../../src/platform/logger.js';
import { fakeClock } from '../support/fake-clock.js';

function setUp() {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE)');
  const clock = fakeClock();
  const writes = createWriteBehind(sqlite, clock, createLogger('silent'));
  const insert = sqlite.prepare<[string]>('INSERT INTO rows (value) VALUES (?)');
  const values = () =>
    sqlite
      .prepare<[], { value: string }>('SELECT value FROM rows ORDER BY id')
      .all()
      .map((r) => r.value);
  return { sqlite, clock, writes, insert, values };
}

t.test('deferred writes run on the next turn, in order, in one transaction', async (t) => {
  const { sqlite, clock, writes, insert, values } = setUp();
  const transactions: boolean[] = [];
  writes.defer(() => {
    transactions.push(sqlite.inTransaction);
    insert.run('a');
  });
  writes.defer(() => insert.run('b'));
  t.same(values(), [], 'nothing is written while the current turn runs');
  clock.advance(0);
  t.same(values(), ['a', 'b'], 'both written, in the order deferred');
  t.same(transactions, [true], 'inside a transaction');
  clock.advance(1000);
  t.same(values(), ['a', 'b'], 'and only once');
});

t.test('a failing write is undone alone; its listener is not told', async (t) => {
  const { clock, writes, insert, values } = setUp();
  const told: string[] = [];
  writes.defer(
    () => insert.run('a'),
    () => told.push('a'),
  );
  writes.defer(
    () => {
      insert.run('half');
      insert.run('a'); // UNIQUE: this write fails after a first statement
    },
    () => told.push('failed'),
  );
  writes.defer(
    () => insert.run('c'),
    () => told.push('c'),
  );
  clock.advance(0);
  t.same(values(), ['a', 'c'], 'the failed write left nothing behind; the others committed');
  t.same(told, ['a', 'c']);
});

t.test('a listener reads the database as of its own write, not the later ones', async (t) => {
  const { clock, writes, insert, values } = setUp();
  const seen: string[][] = [];
  writes.defer(
    () => insert.run('a'),
    () => seen.push(values()),
  );
  writes.defer(
    () => insert.run('b'),
    () => seen.push(values()),
  );
  clock.advance(0);
  t.same(seen, [['a'], ['a', 'b']]);
});

t.test('a throwing listener neither undoes writes nor silences the next listeners', async (t) => {
  const { clock, writes, insert, values } = setUp();
  const told: string[] = [];
  writes.defer(
    () => insert.run('a'),
    () => {
      throw new Error('listener bug');
    },
  );
  writes.defer(
    () => insert.run('b'),
    () => told.push('b'),
  );
  clock.advance(0);
  t.same(values(), ['a', 'b']);
  t.same(told, ['b']);
});

t.test(
  'flush writes at once; writes deferred by a listener follow in the same flush',
  async (t) => {
    const { writes, insert, values } = setUp();
    writes.defer(
      () => insert.run('a'),
      () => writes.defer(() => insert.run('from listener')),
    );
    writes.flush();
    t.same(values(), ['a', 'from listener'], 'a reader that flushes sees everything deferred');
    writes.flush();
    t.same(values(), ['a', 'from listener'], 'a second flush has nothing to do');
  },
);
