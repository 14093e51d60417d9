/** The actions of the presence panel (§6-1): offered only where they work and are permitted. */
import t from 'tap';
import {
  presenceActions,
  type PresenceTarget,
  type PresenceViewer,
} from '../../src/chat/presence.js';

const AGENT_ROLE = new Set(['chat.view', 'chat.post', 'chat.alert']);
const SUPERVISOR = new Set([...AGENT_ROLE, 'call_features.monitor', 'call_features.whisper']);

const viewer = (over: Partial<PresenceViewer> = {}): PresenceViewer => ({
  agentId: 1,
  permissions: AGENT_ROLE,
  registered: true,
  call: null,
  ...over,
});
const target = (over: Partial<PresenceTarget> = {}): PresenceTarget => ({
  agentId: 2,
  extension: '202',
  registered: true,
  callId: null,
  ...over,
});

t.test('an idle operator and a free agent: chat and call', async (t) => {
  t.same(presenceActions(viewer(), target()), ['chat', 'call']);
  t.same(
    presenceActions(viewer({ permissions: new Set(['chat.view']) }), target()),
    ['call'],
    'no chat without chat.post',
  );
  t.same(
    presenceActions(viewer({ registered: false }), target()),
    ['chat'],
    'no call without a registered phone of one’s own',
  );
  t.same(
    presenceActions(viewer(), target({ registered: false })),
    ['chat'],
    'no call to an agent without a registered phone',
  );
  t.same(
    presenceActions(viewer(), target({ extension: null })),
    ['chat'],
    'no call to an agent without an extension',
  );
});

t.test('an operator on a call: transfers to a free agent', async (t) => {
  const onCall = viewer({ call: { id: 'c1', agentIds: [1] } });
  t.same(presenceActions(onCall, target()), ['chat', 'transfer', 'attended_transfer']);
  t.same(
    presenceActions(onCall, target({ callId: 'c2' })),
    ['chat'],
    'not to an agent busy on another call',
  );
  t.same(
    presenceActions(onCall, target({ registered: false })),
    ['chat'],
    'not to an agent whose phones are unregistered',
  );
  t.same(
    presenceActions(viewer({ call: { id: 'c1', agentIds: [1, 2] } }), target()),
    ['chat'],
    'not to an agent already on the call (a consultation)',
  );
});

t.test('monitor and whisper: the permission and an agent on a call', async (t) => {
  const talking = target({ callId: 'c9' });
  t.same(presenceActions(viewer(), talking), ['chat', 'call'], 'the agent role may not');
  t.same(presenceActions(viewer({ permissions: SUPERVISOR }), talking), [
    'chat',
    'call',
    'monitor',
    'whisper',
  ]);
  t.same(
    presenceActions(viewer({ permissions: new Set(['call_features.monitor']) }), talking),
    ['call', 'monitor'],
    'each permission by itself',
  );
  t.same(
    presenceActions(viewer({ permissions: SUPERVISOR }), target()),
    ['chat', 'call'],
    'nothing to listen to without a call',
  );
  t.same(
    presenceActions(
      viewer({ permissions: SUPERVISOR, call: { id: 'c9', agentIds: [1, 2] } }),
      talking,
    ),
    ['chat'],
    'not on one’s own call',
  );
});

t.test('nothing on oneself; an API key only chats', async (t) => {
  t.same(
    presenceActions(viewer({ permissions: SUPERVISOR }), target({ agentId: 1, callId: 'c1' })),
    [],
  );
  t.same(
    presenceActions(
      { agentId: null, permissions: SUPERVISOR, registered: false, call: null },
      target({ callId: 'c1' }),
    ),
    ['chat'],
  );
});
