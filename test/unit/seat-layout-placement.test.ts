/** Where a seat layout's items may be placed: within the canvas once rotated, terminals once each. */
import t from 'tap';
import {
  boundsOf,
  placementIssues,
  withinCanvas,
  type Placement,
} from '../../src/seat-layouts/placement.js';

const canvas = { width: 1000, height: 500 };
const box = (x: number, y: number, width: number, height: number, rotation = 0) => ({
  x,
  y,
  width,
  height,
  rotation,
});
const wall = (x: number, y: number, width: number, height: number, rotation = 0): Placement => ({
  kind: 'wall',
  ...box(x, y, width, height, rotation),
});
const seat = (terminalId: number, x = 0, y = 0): Placement => ({
  kind: 'seat',
  terminalId,
  ...box(x, y, 80, 60),
});

t.test('the bounds of an item turn with it about its centre', async (t) => {
  t.same(boundsOf(box(10, 20, 100, 40)), { left: 10, top: 20, right: 110, bottom: 60 });
  const quarter = boundsOf(box(10, 20, 100, 40, 90));
  t.ok(Math.abs(quarter.left - 40) < 1e-9 && Math.abs(quarter.right - 80) < 1e-9);
  t.ok(Math.abs(quarter.top + 10) < 1e-9 && Math.abs(quarter.bottom - 90) < 1e-9);
  const half = boundsOf(box(10, 20, 100, 40, 180));
  t.ok(Math.abs(half.left - 10) < 1e-9 && Math.abs(half.bottom - 60) < 1e-9);
  // A square turned 45° reaches √2/2 of its side beyond its centre.
  const diamond = boundsOf(box(0, 0, 100, 100, 45));
  t.ok(Math.abs(diamond.left - (50 - 50 * Math.SQRT2)) < 1e-9);
});

t.test('within the canvas: edges included, rotation counted', async (t) => {
  t.ok(withinCanvas(canvas, box(0, 0, 1000, 500)), 'the whole canvas');
  t.ok(withinCanvas(canvas, box(900, 400, 100, 100)), 'touching the far corner');
  t.notOk(withinCanvas(canvas, box(-1, 0, 10, 10)), 'left of it');
  t.notOk(withinCanvas(canvas, box(0, -1, 10, 10)), 'above it');
  t.notOk(withinCanvas(canvas, box(991, 0, 10, 10)), 'past the right edge');
  t.notOk(withinCanvas(canvas, box(0, 491, 10, 10)), 'past the bottom');
  t.notOk(withinCanvas(canvas, box(2000, 2000, 10, 10)), 'far off');
  t.ok(withinCanvas(canvas, box(980, 480, 20, 20, 90)), 'a square turned a quarter stays put');
  t.ok(withinCanvas(canvas, box(980, 480, 20, 20, 270)));
  t.notOk(withinCanvas(canvas, box(0, 0, 1000, 10, 90)), 'a wall along the top, turned upright');
  t.ok(withinCanvas(canvas, box(0, 0, 400, 10, 180)), 'turned half way it covers the same');
  t.notOk(withinCanvas(canvas, box(0, 0, 100, 100, 45)), 'a diamond in the corner pokes out');
  t.ok(withinCanvas(canvas, box(100, 100, 100, 100, 45)), 'not when it has room');
});

t.test('overlapping items are no problem', async (t) => {
  const items: Placement[] = [
    { kind: 'desk', ...box(100, 100, 200, 100) },
    seat(1, 110, 110),
    seat(2, 110, 110),
    { kind: 'label', ...box(100, 100, 200, 100) },
  ];
  t.same(placementIssues(canvas, items, new Set([1, 2])), []);
});

t.test('every problem is reported, in item order, with the item’s index', async (t) => {
  const items: Placement[] = [
    seat(1),
    wall(990, 0, 20, 10),
    seat(7),
    seat(1, 100, 100),
    seat(1, 200, 200),
    { kind: 'seat', terminalId: 7, ...box(-10, 0, 80, 60) },
    seat(2),
  ];
  const issues = placementIssues(canvas, items, new Set([1, 2]));
  t.same(
    issues.map((i) => [i.index, i.code, i.terminalId]),
    [
      [1, 'out_of_canvas', undefined],
      [2, 'unknown_terminal', 7],
      [3, 'terminal_placed_twice', 1],
      [4, 'terminal_placed_twice', 1],
      [5, 'out_of_canvas', undefined],
      [5, 'unknown_terminal', 7],
    ],
  );
  t.match(issues[2]?.message, /already placed as item 0/);
  t.match(issues[0]?.message, /1000×500/);
});

t.test('an unknown terminal placed twice is unknown, not twice', async (t) => {
  const issues = placementIssues(canvas, [seat(9), seat(9, 100, 0)], new Set());
  t.same(
    issues.map((i) => i.code),
    ['unknown_terminal', 'unknown_terminal'],
  );
});

t.test('objects carry no terminal; nothing to place is fine', async (t) => {
  t.same(placementIssues(canvas, [], new Set()), []);
  t.same(
    placementIssues(canvas, [{ kind: 'pillar', terminalId: 5, ...box(0, 0, 10, 10) }], new Set()),
    [],
    'a terminal id on an object is not looked at',
  );
});
