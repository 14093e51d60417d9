/**
 * The CC_TRANSFER tag a restarted server reads a transfer back from.
 */
import t from 'tap';
import { parseTransferTag, transferTag, type TransferTag } from '../../src/transfers/tag.js';

const ringing: TransferTag = {
  id: '6f0c2b1e-1d2e-4c1a-9a55-1b2c3d4e5f60',
  mode: 'attended',
  status: 'ringing',
  initiatorChannelId: '1796128132.0',
  recipientChannelId: null,
  to: '203',
  createdAt: new Date(1_800_000_000_000),
  initiatorAgentId: 2,
};

t.test('written and read back', async (t) => {
  t.equal(
    transferTag(ringing),
    '6f0c2b1e-1d2e-4c1a-9a55-1b2c3d4e5f60|attended|ringing|1796128132.0||203|1800000000000|2',
  );
  t.same(parseTransferTag(transferTag(ringing)), ringing);
  const answered = { ...ringing, status: 'answered' as const, recipientChannelId: 'c-3' };
  t.same(parseTransferTag(transferTag(answered)), answered);
  const blind = { ...ringing, mode: 'blind' as const, initiatorAgentId: null };
  t.same(parseTransferTag(transferTag(blind)), blind);
});

t.test('a tag of an earlier release (no initiator agent) still reads', async (t) => {
  t.same(parseTransferTag('x|attended|answered|a|b|203|1800000000000'), {
    id: 'x',
    mode: 'attended',
    status: 'answered',
    initiatorChannelId: 'a',
    recipientChannelId: 'b',
    to: '203',
    createdAt: new Date(1_800_000_000_000),
    initiatorAgentId: null,
  });
});

t.test('anything else is not a tag', async (t) => {
  for (const value of [
    '',
    'x',
    'x|sideways|ringing|a||203|1',
    'x|blind|gone|a||203|1',
    'x|blind|ringing|||203|1',
    'x|blind|ringing|a||203|soon',
  ])
    t.equal(parseTransferTag(value), undefined, JSON.stringify(value));
});
