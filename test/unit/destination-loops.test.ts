import t from 'tap';
import { loopFrom, loopThrough } from '../../src/destinations/loops.js';

/** A graph of named nodes: each sends calls to the nodes listed. */
const graph = (edges: Record<string, string[]>) => (node: string) => edges[node] ?? [];
const id = (node: string) => node;

t.test('no loop: calls leave the graph', async (t) => {
  t.equal(loopFrom('ivr:1', graph({}), id), null, 'a node that sends nowhere it knows');
  t.equal(
    loopFrom(
      'ivr:1',
      graph({ 'ivr:1': ['group:1', 'ivr:2'], 'ivr:2': ['group:1'], 'group:1': [] }),
      id,
    ),
    null,
    'two ways to the same group (a diamond) are not a loop',
  );
});

t.test('loops are named from where they start back to it', async (t) => {
  t.same(loopFrom('ivr:1', graph({ 'ivr:1': ['ivr:1'] }), id), ['ivr:1', 'ivr:1'], 'itself');
  t.same(
    loopFrom(
      'ivr:1',
      graph({ 'ivr:1': ['ivr:2'], 'ivr:2': ['group:3'], 'group:3': ['ivr:1'] }),
      id,
    ),
    ['ivr:1', 'ivr:2', 'group:3', 'ivr:1'],
  );
  t.same(
    loopFrom('ivr:1', graph({ 'ivr:1': ['ivr:2'], 'ivr:2': ['ivr:3'], 'ivr:3': ['ivr:2'] }), id),
    ['ivr:2', 'ivr:3', 'ivr:2'],
    'a loop further on, not through the start',
  );
  t.same(
    loopFrom(
      'ivr:1',
      graph({ 'ivr:1': ['group:1', 'ivr:2'], 'group:1': [], 'ivr:2': ['group:1', 'ivr:1'] }),
      id,
    ),
    ['ivr:1', 'ivr:2', 'ivr:1'],
    'found past a branch that ends',
  );
});

t.test('a large graph without loops is walked once per node', async (t) => {
  let asked = 0;
  // Every node sends to every later one: 200 nodes, ~20,000 edges.
  const next = (node: number) => {
    asked += 1;
    return Array.from({ length: 200 - node - 1 }, (_, i) => node + i + 1);
  };
  t.equal(loopFrom(0, next, String), null);
  t.equal(asked, 200);
});

t.test('loopThrough: only a loop back to the start counts, the shortest one', async (t) => {
  t.equal(loopThrough('ivr:1', graph({}), id), null, 'a node that sends nowhere it knows');
  t.same(loopThrough('ivr:1', graph({ 'ivr:1': ['ivr:1'] }), id), ['ivr:1', 'ivr:1'], 'itself');
  t.equal(
    loopThrough(
      'ivr:1',
      graph({ 'ivr:1': ['group:1', 'ivr:2'], 'ivr:2': ['group:1'], 'group:1': [] }),
      id,
    ),
    null,
    'a diamond is not a loop',
  );
  t.equal(
    loopThrough('ivr:1', graph({ 'ivr:1': ['ivr:2'], 'ivr:2': ['ivr:3'], 'ivr:3': ['ivr:2'] }), id),
    null,
    'a loop further on, not through the start, is not the start’s',
  );
  t.same(
    loopThrough(
      'ivr:1',
      graph({
        'ivr:1': ['ivr:2', 'ivr:3'],
        'ivr:2': ['ivr:4'],
        'ivr:4': ['ivr:1'],
        'ivr:3': ['ivr:1'],
      }),
      id,
    ),
    ['ivr:1', 'ivr:3', 'ivr:1'],
    'the shortest of two',
  );
  t.same(
    loopThrough(
      'ivr:1',
      graph({ 'ivr:1': ['ivr:2'], 'ivr:2': ['ivr:3', 'ivr:2'], 'ivr:3': ['ivr:1'] }),
      id,
    ),
    ['ivr:1', 'ivr:2', 'ivr:3', 'ivr:1'],
    'found past a loop further on',
  );
});

t.test('loopThrough with `via`: the loop must pass a wanted node', async (t) => {
  const isIvr = (node: string) => node.startsWith('ivr:');
  t.equal(
    loopThrough('group:1', graph({ 'group:1': ['group:2'], 'group:2': ['group:1'] }), id, isIvr),
    null,
    'groups alone',
  );
  t.same(
    loopThrough(
      'group:1',
      graph({ 'group:1': ['group:2', 'ivr:5'], 'group:2': ['group:1'], 'ivr:5': ['group:1'] }),
      id,
      isIvr,
    ),
    ['group:1', 'ivr:5', 'group:1'],
    'through the IVR, past a shorter loop of groups',
  );
  t.same(
    loopThrough(
      'group:1',
      graph({ 'group:1': ['group:2'], 'group:2': ['group:1', 'ivr:5'], 'ivr:5': ['group:2'] }),
      id,
      isIvr,
    ),
    ['group:1', 'group:2', 'ivr:5', 'group:2', 'group:1'],
    'a way that passes a node twice to reach the IVR and come back',
  );
});

t.test('loopThrough walks a large graph without loops once per node', async (t) => {
  let asked = 0;
  const next = (node: number) => {
    asked += 1;
    return Array.from({ length: 200 - node - 1 }, (_, i) => node + i + 1);
  };
  t.equal(loopThrough(0, next, String), null);
  t.equal(asked, 200);
});
