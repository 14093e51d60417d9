import t from 'tap';
import {
  destinationColumns,
  destinationOf,
  destinationSchema,
  type Destination,
} from '../../src/destinations/destination.js';

const EVERY_KIND: Destination[] = [
  { type: 'agent', agentId: 7 },
  { type: 'extension', extension: '0801' },
  { type: 'external_transfer', externalTransferId: 3 },
  { type: 'group', groupId: 12 },
  { type: 'ivr', ivrId: 4 },
  { type: 'audio', audioFileId: 9 },
  { type: 'voicemail', audioFileId: 9 },
];

t.test('every kind is stored in two text columns and read back the same', async (t) => {
  for (const destination of EVERY_KIND) {
    const columns = destinationColumns(destination);
    t.equal(columns.type, destination.type);
    t.type(columns.target, 'string');
    t.same(destinationOf(columns), destination, destination.type);
  }
  t.same(destinationColumns(null), { type: null, target: null }, 'none: both columns empty');
  t.equal(destinationOf({ type: null, target: null }), null);
  t.equal(destinationOf({ type: 'group', target: null }), null, 'half a destination is none');
});

t.test('the wire schema takes every kind and refuses the malformed', async (t) => {
  for (const destination of EVERY_KIND) t.ok(destinationSchema.safeParse(destination).success);
  for (const bad of [
    { type: 'conference', room: '9201' },
    { type: 'ivr', ivrId: 0 },
    { type: 'audio', audioFileId: -1 },
    { type: 'voicemail' },
    { type: 'group', groupId: 0 },
    { type: 'agent', agentId: 1.5 },
    { type: 'extension', extension: '1' },
    { type: 'extension', extension: '12a' },
    { groupId: 3 },
  ])
    t.notOk(destinationSchema.safeParse(bad).success, JSON.stringify(bad));
});
