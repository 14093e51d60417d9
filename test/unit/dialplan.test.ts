import t from 'tap';
import { looksExternal, resolveDialled, type DialplanLookup } from '../../src/dialplan/resolve.js';

const lookup: DialplanLookup = {
  agentByExtension: (e) => (({ '201': 1, '202': 2 }) as Record<string, number>)[e],
  groupByExtension: (e) => (e === '801' ? 3 : undefined),
  externalTransferByExtension: (e) => (e === '301' ? 7 : undefined),
  terminalExists: (u) => u === 'desk9',
  numberByPrefix: (d) =>
    d.startsWith('11') && d.length > 2 ? { phoneNumberId: 5, rest: d.slice(2) } : undefined,
};

t.test('internal destinations come first', async (t) => {
  t.same(resolveDialled('201', lookup), { kind: 'agent', agentId: 1 });
  t.same(resolveDialled('801', lookup), { kind: 'group', groupId: 3 });
  t.same(resolveDialled('301', lookup), { kind: 'external_transfer', externalTransferId: 7 });
  t.same(resolveDialled('desk9', lookup), { kind: 'terminal', sipUser: 'desk9' });
  t.same(resolveDialled('299', lookup), { kind: 'unknown', dialled: '299' }, 'an unused extension');
  t.same(
    resolveDialled('12345', lookup),
    { kind: 'unknown', dialled: '12345' },
    'not a telephone number',
  );
});

t.test('outbound numbers, 184/186 and dial prefixes', async (t) => {
  t.same(resolveDialled('0312345678', lookup), {
    kind: 'outbound',
    number: '0312345678',
    privacy: 'default',
    phoneNumberId: null,
  });
  t.same(resolveDialled('+81312345678', lookup), {
    kind: 'outbound',
    number: '+81312345678',
    privacy: 'default',
    phoneNumberId: null,
  });
  t.same(resolveDialled('1840312345678', lookup), {
    kind: 'outbound',
    number: '0312345678',
    privacy: 'withhold',
    phoneNumberId: null,
  });
  t.same(resolveDialled('1860312345678', lookup), {
    kind: 'outbound',
    number: '0312345678',
    privacy: 'present',
    phoneNumberId: null,
  });
  t.same(
    resolveDialled('110312345678', lookup),
    { kind: 'outbound', number: '0312345678', privacy: 'default', phoneNumberId: 5 },
    'prefix 11 → number 5',
  );
  t.same(
    resolveDialled('184110312345678', lookup),
    { kind: 'outbound', number: '0312345678', privacy: 'withhold', phoneNumberId: 5 },
    'both',
  );
  t.same(
    resolveDialled('119', lookup),
    { kind: 'outbound', number: '119', privacy: 'default', phoneNumberId: null },
    'emergency',
  );
  t.same(resolveDialled('184', lookup), { kind: 'unknown', dialled: '184' });
});

t.test('what looks external', async (t) => {
  for (const n of [
    '0312345678',
    '09012345678',
    '0120123456',
    '+14155550100',
    '110',
    '118',
    '119',
    '00012',
  ])
    t.ok(looksExternal(n), n);
  for (const n of ['201', '1234', '3123456', '+123', '0123', 'abc', ''])
    t.notOk(looksExternal(n), n);
});
