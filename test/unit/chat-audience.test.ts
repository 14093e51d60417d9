/** Who reads a chat message (§6-2): addressee, group members, everyone, and the sender. */
import t from 'tap';
import { mayRead, type Addressee, type Reader, type Sender } from '../../src/chat/audience.js';

const agent = (id: number, groups: number[] = []): Reader => ({
  kind: 'agent',
  id,
  memberOf: (g) => groups.includes(g),
});
const apiKey = (id: number): Reader => ({ kind: 'api_key', id, memberOf: () => false });
const fromAgent = (id: number | null): Sender => ({ kind: 'agent', id });

t.test('a message to an agent: that agent and the sender', async (t) => {
  const to: Addressee = { type: 'agent', agentId: 2 };
  t.ok(mayRead(to, fromAgent(1), agent(2)), 'the addressee');
  t.ok(mayRead(to, fromAgent(1), agent(1)), 'the sender');
  t.notOk(mayRead(to, fromAgent(1), agent(3)), 'another agent');
  t.notOk(mayRead(to, fromAgent(1), agent(3, [1, 2])), 'groups do not matter');
  t.notOk(mayRead(to, fromAgent(1), apiKey(2)), 'an API key with the same id is no agent');
  t.notOk(mayRead({ type: 'agent', agentId: null }, fromAgent(1), agent(2)), 'addressee deleted');
});

t.test('a message to a group: its members and the sender', async (t) => {
  const to: Addressee = { type: 'group', groupId: 7 };
  t.ok(mayRead(to, fromAgent(1), agent(2, [7])), 'a member');
  t.ok(mayRead(to, fromAgent(1), agent(1)), 'the sender, a member or not');
  t.notOk(mayRead(to, fromAgent(1), agent(3, [8])), 'a member of another group');
  t.notOk(mayRead(to, fromAgent(1), apiKey(5)), 'an API key belongs to no group');
  t.notOk(mayRead({ type: 'group', groupId: null }, fromAgent(1), agent(2, [7])), 'group deleted');
});

t.test('a message to everyone: every reader', async (t) => {
  const to: Addressee = { type: 'everyone' };
  t.ok(mayRead(to, fromAgent(1), agent(2)));
  t.ok(mayRead(to, fromAgent(1), apiKey(2)));
});

t.test('the sender is told apart by kind and by a live id', async (t) => {
  const to: Addressee = { type: 'agent', agentId: 9 };
  t.ok(mayRead(to, { kind: 'api_key', id: 4 }, apiKey(4)), 'an API key reads what it sent');
  t.notOk(mayRead(to, { kind: 'api_key', id: 4 }, agent(4)), 'not the agent with its id');
  t.notOk(mayRead(to, { kind: 'agent', id: 4 }, apiKey(4)), 'nor the other way round');
  t.notOk(mayRead(to, fromAgent(null), agent(4)), 'a deleted sender is no one');
});
