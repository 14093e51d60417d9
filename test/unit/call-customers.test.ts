/**
 * The CRM customers a call carries (CRM自動検索): the spellings of a number that are looked up,
 * one lookup per number a call has, and the versions of a call event — each viewer gets the
 * one with exactly the customers of the business formats they may see.
 */
import t from 'tap';
import {
  createCallCustomers,
  phoneCandidates,
  type CustomerDirectory,
  type CustomerMatch,
} from '../../src/calls/customers.js';
import type { Call } from '../../src/calls/model.js';
import type { Principal } from '../../src/platform/http/auth.js';

const match = (id: number, formatId: number): CustomerMatch => ({
  id,
  displayId: `#C${id}`,
  name: `顧客${id}`,
  formatId,
  formatName: `業務${formatId}`,
});

const viewer = (id: number, permissions = ['customers.view']): Principal => ({
  kind: 'agent',
  id,
  actor: `agent${id}`,
  roleId: 1,
  permissions: new Set(permissions),
  expiresAt: null,
});

const call = (over: Partial<Call> = {}): Call =>
  ({
    id: 'call-1',
    direction: 'inbound',
    state: 'ringing',
    from: { number: '0312345678', name: '' },
    to: '0501234567',
    ...over,
  }) as Call;

/** A directory over a fixed phone book; agent N sees the formats in `sees[N]`. */
function directory(book: Record<string, CustomerMatch[]>, sees: Record<number, number[]>) {
  const lookups: string[] = [];
  /** The viewers whose formats were read, one entry per read. */
  const reads: number[] = [];
  const port: CustomerDirectory = {
    matchPhone: (digits) => {
      lookups.push(digits);
      return book[digits] ?? [];
    },
    formatsSeenBy: (p) => {
      reads.push(p.id);
      return (formatId) => (sees[p.id] ?? []).includes(formatId);
    },
  };
  return { port, lookups, reads };
}

t.test('the spellings of a number that are looked up', async (t) => {
  t.same(phoneCandidates('0312345678'), ['0312345678']);
  t.same(phoneCandidates('03-1234-5678'), ['0312345678'], 'hyphens dropped');
  t.same(phoneCandidates('+81312345678'), ['+81312345678', '0312345678'], 'E.164 to national');
  t.same(phoneCandidates('81312345678'), ['81312345678', '0312345678']);
  t.same(phoneCandidates('anonymous'), [], 'a withheld number is no number');
  t.same(phoneCandidates(''), []);
  t.same(phoneCandidates('5'), [], 'one digit finds nobody');
});

t.test('one lookup per number: the far end of an inbound and an outbound call', async (t) => {
  const { port, lookups } = directory({ '0312345678': [match(1, 10)] }, { 7: [10] });
  const customers = createCallCustomers(port);
  const inbound = call();
  t.same(customers.visibleTo(inbound, viewer(7)), [match(1, 10)]);
  t.same(customers.visibleTo(inbound, viewer(7)), [match(1, 10)]);
  t.same(lookups, ['0312345678'], 'looked up once while the number stays');
  const outbound = call({ id: 'call-2', direction: 'outbound', to: '0312345678' });
  t.same(customers.visibleTo(outbound, viewer(7)), [match(1, 10)], 'the number dialled');
  t.same(customers.visibleTo(call({ id: 'call-3', direction: 'internal' }), viewer(7)), []);
  t.equal(lookups.length, 2, 'an internal call is not looked up');
});

t.test('a customer found under two spellings is there once', async (t) => {
  const c = match(4, 10);
  const { port } = directory({ '+81312345678': [c], '0312345678': [c, match(5, 10)] }, { 1: [10] });
  const found = createCallCustomers(port).visibleTo(
    call({ from: { number: '+81312345678', name: '' } }),
    viewer(1),
  );
  t.same(
    found.map((m) => m.id),
    [4, 5],
  );
});

t.test('viewers see only the formats they may, and nothing without customers.view', async (t) => {
  const { port } = directory(
    { '0312345678': [match(1, 10), match(2, 20)] },
    { 1: [10], 2: [10, 20], 3: [10, 20] },
  );
  const customers = createCallCustomers(port);
  const c = call();
  t.same(
    customers.visibleTo(c, viewer(1)).map((m) => m.id),
    [1],
  );
  t.same(
    customers.visibleTo(c, viewer(2)).map((m) => m.id),
    [1, 2],
  );
  t.same(customers.visibleTo(c, viewer(3, ['realtime.view'])), [], 'no customers.view');
  t.same(customers.visibleTo(c, viewer(9)), [], 'no format of theirs');
});

t.test('every viewer is admitted by exactly one version of an event', async (t) => {
  const { port } = directory(
    { '0312345678': [match(1, 10), match(2, 20), match(3, 10)] },
    { 1: [10], 2: [20], 3: [10, 20], 4: [] },
  );
  const audiences = createCallCustomers(port).audiences(call());
  t.equal(audiences.length, 4, 'one per set of the two formats');
  const expected: Record<number, number[]> = { 1: [1, 3], 2: [2], 3: [1, 2, 3], 4: [] };
  for (const [id, ids] of Object.entries(expected)) {
    const admitting = audiences.filter((a) => a.admits(viewer(Number(id))));
    t.equal(admitting.length, 1, `agent ${id}: one version`);
    t.same(
      admitting[0]?.customers.map((m) => m.id),
      ids,
      `agent ${id}: the customers of their formats`,
    );
  }
  const noView = audiences.filter((a) => a.admits(viewer(3, [])));
  t.same(
    noView.map((a) => a.customers),
    [[]],
    'without customers.view: the version with none',
  );
});

t.test('a call with no customer has one version, for everyone', async (t) => {
  const { port } = directory({}, {});
  const audiences = createCallCustomers(port).audiences(call());
  t.equal(audiences.length, 1);
  t.same(audiences[0]?.customers, []);
  t.ok(audiences[0]?.admits(viewer(1)));
});

t.test(
  'what is kept of a call goes when it is forgotten; an ended call keeps nothing',
  async (t) => {
    const { port, lookups } = directory({ '0312345678': [match(1, 10)] }, { 1: [10] });
    const customers = createCallCustomers(port);
    customers.visibleTo(call(), viewer(1));
    customers.visibleTo(call({ state: 'ended' }), viewer(1));
    t.equal(lookups.length, 1, 'its end is told with the customers found while it rang');
    customers.forget('call-1');
    customers.visibleTo(call({ state: 'ended' }), viewer(1));
    customers.visibleTo(call({ state: 'ended' }), viewer(1));
    t.equal(lookups.length, 3, 'once forgotten, an ended call is not kept again');
  },
);

t.test('a viewer’s formats are read once per event, whatever the versions', async (t) => {
  const { port, reads } = directory(
    { '0312345678': [match(1, 10), match(2, 20), match(3, 30)] },
    { 1: [10, 30], 2: [20] },
  );
  const audiences = createCallCustomers(port).audiences(call());
  t.equal(audiences.length, 8, 'three formats: eight versions');
  const one = viewer(1);
  const two = viewer(2);
  // The hub asks every version about every connection's principal.
  const admitting = (p: Principal) => audiences.filter((a) => a.admits(p));
  t.same(
    admitting(one).map((a) => a.customers.map((m) => m.id)),
    [[1, 3]],
  );
  t.same(
    admitting(two).map((a) => a.customers.map((m) => m.id)),
    [[2]],
  );
  t.same(reads, [1, 2], 'one read per viewer, not one per version or format');
});
