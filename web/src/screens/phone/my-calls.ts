/**
 * The calls the logged-in agent's phone is on now: the `calls` topic gives an agent every call
 * they took part in, and a call they parked or transferred goes on without them.
 */
import type { LiveCall } from '../../feed/topics';
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';

export function useMyCalls(): LiveCall[] {
  const { me } = useSession();
  const { state } = useTopic('calls');
  return [...state.calls.values()]
    .filter((c) => myLeg(c, me.id) !== undefined)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** My leg of a call: the one the agent's phone is on. */
export function myLeg(call: LiveCall, agentId: number) {
  return call.legs.find((l) => l.agentId === agentId && l.state !== 'gone');
}

/** The number on the other end of a call, as the agent sees it. */
export function otherParty(call: LiveCall, agentId: number): string {
  const mine = myLeg(call, agentId);
  if (mine?.role === 'caller') return call.to;
  return call.from.number;
}
