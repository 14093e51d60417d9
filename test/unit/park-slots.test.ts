/** Park slots (§5-3): the range, the lowest free slot, what a dialled number is. */
import t from 'tap';
import { freeSlot, isSlot, parkFallback, slotsOf } from '../../src/park/slots.js';

const range = { firstSlot: '9001', lastSlot: '9099' };

t.test('a park takes the lowest free slot; none when all are taken', async (t) => {
  t.equal(freeSlot(range, new Set()), '9001');
  t.equal(freeSlot(range, new Set(['9001', '9002', '9004'])), '9003');
  t.equal(freeSlot(range, new Set(slotsOf(range))), null);
  t.equal(slotsOf(range).length, 99);
  t.same(slotsOf({ firstSlot: '0701', lastSlot: '0703' }), ['0701', '0702', '0703'], 'zeros kept');
});

t.test('a dialled number is a slot only inside the range, at its length', async (t) => {
  t.ok(isSlot(range, '9001'));
  t.ok(isSlot(range, '9099'));
  t.notOk(isSlot(range, '9000'));
  t.notOk(isSlot(range, '9100'));
  t.notOk(isSlot(range, '09001'));
  t.notOk(isSlot(range, '901'));
  t.notOk(isSlot(range, '90a1'));
});

t.test('the fallback setting', async (t) => {
  t.same(parkFallback('parker'), { kind: 'parker' });
  t.same(parkFallback('group:7'), { kind: 'group', groupId: 7 });
  t.same(parkFallback('extension:201'), { kind: 'extension', extension: '201' });
});
