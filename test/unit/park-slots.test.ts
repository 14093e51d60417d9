/** Park slots (§5-3): the range, the lowest free slot, what a dialled number is, reservation. */
import t from 'tap';
import { createExtensionRegistry } from '../../src/dialplan/extensions.js';
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

t.test(
  'the configured slots are reserved extensions, the default range only by default',
  async (t) => {
    const moved = { firstSlot: '7001', lastSlot: '7010' };
    const registry = createExtensionRegistry((e) => isSlot(moved, e));
    t.throws(() => registry.assertFree('7005'), { code: 'extension_reserved' }, '7005 is a slot');
    t.doesNotThrow(() => registry.assertFree('9001'), '9001 is free once the slots moved');
    t.throws(
      () => registry.assertFree('9201'),
      { code: 'extension_reserved' },
      'rooms stay reserved',
    );
    const byDefault = createExtensionRegistry();
    t.throws(() => byDefault.assertFree('9001'), { code: 'extension_reserved' });
    t.doesNotThrow(() => byDefault.assertFree('7005'));
  },
);
