/**
 * The `calls` topic: one place that tells the feed about every change of a call. A call is seen
 * by supervisors (realtime.view) and by the agents taking part; each agent also gets their own
 * calls on `me`.
 */
import type { Principal } from '../platform/http/auth.js';
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import { agentsOf, toWire, type Call, type CallWire } from './model.js';

/** Every event of the `calls` topic (and of `me`, for the agents of the call). */
export interface CallEvents {
  call_created: CallWire;
  call_ringing: CallWire;
  call_answered: CallWire;
  call_held: CallWire;
  call_resumed: CallWire;
  /** A party left a call that goes on (the agent parked it, or handed it over): its legs now. */
  call_party_left: CallWire;
  call_ended: CallWire;
}

export type CallEventName = keyof CallEvents;

const SUPERVISOR_VIEW = 'realtime.view';

export function visibleTo(call: Call): (p: Principal) => boolean {
  return (p) =>
    p.permissions.has(SUPERVISOR_VIEW) || (p.kind === 'agent' && agentsOf(call).includes(p.id));
}

export function createCallNotifier(hub: Hub, live: () => Iterable<Call>) {
  const calls = typedTopic<CallEvents>(hub, 'calls');
  const me = typedTopic<CallEvents>(hub, 'me');

  hub.defineTopic('calls', {
    canSubscribe: () => true,
    snapshot: (p) => ({
      calls: [...live()].filter((c) => visibleTo(c)(p)).map(toWire),
    }),
  });

  return {
    /**
     * `leftBy`: an agent whose leg has just left the call; they are told too, for their screens
     * to drop the call they are no longer on.
     */
    publish(call: Call, name: CallEventName, leftBy: number | null = null): void {
      const data = toWire(call);
      const current = visibleTo(call);
      calls.publish(
        name,
        data,
        leftBy === null ? current : (p) => current(p) || (p.kind === 'agent' && p.id === leftBy),
      );
      for (const agentId of new Set([...agentsOf(call), ...(leftBy === null ? [] : [leftBy])])) {
        me.publish(name, data, (p) => p.kind === 'agent' && p.id === agentId);
      }
    },
  };
}

export type CallNotifier = ReturnType<typeof createCallNotifier>;
