/**
 * The `calls` topic: one place that tells the feed about every change of a call. A call is seen
 * by supervisors (realtime.view) and by the agents taking part; each agent also gets their own
 * calls on `me`.
 */
import type { Principal } from '../platform/http/auth.js';
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { CallCustomers, CustomerMatch } from './customers.js';
import { agentsOf, toWire, type Call, type CallWire } from './model.js';

/** A call as its viewer sees it: with the CRM customers of the far end they may see. */
export type CallView = CallWire & { customers: CustomerMatch[] };

/** Every event of the `calls` topic (and of `me`, for the agents of the call). */
export interface CallEvents {
  call_created: CallView;
  call_ringing: CallView;
  call_answered: CallView;
  call_held: CallView;
  call_resumed: CallView;
  /** A party left a call that goes on (the agent parked it, or handed it over): its legs now. */
  call_party_left: CallView;
  call_ended: CallView;
}

export type CallEventName = keyof CallEvents;

const SUPERVISOR_VIEW = 'realtime.view';

export function visibleTo(call: Call): (p: Principal) => boolean {
  return (p) =>
    p.permissions.has(SUPERVISOR_VIEW) || (p.kind === 'agent' && agentsOf(call).includes(p.id));
}

export function createCallNotifier(hub: Hub, live: () => Iterable<Call>, customers: CallCustomers) {
  const calls = typedTopic<CallEvents>(hub, 'calls');
  const me = typedTopic<CallEvents>(hub, 'me');

  hub.defineTopic('calls', {
    canSubscribe: () => true,
    snapshot: (p) => ({
      calls: [...live()]
        .filter((c) => visibleTo(c)(p))
        .map((c) => ({ ...toWire(c), customers: customers.visibleTo(c, p) })),
    }),
  });

  return {
    /**
     * `leftBy`: an agent whose leg has just left the call; they are told too, for their screens
     * to drop the call they are no longer on.
     */
    publish(call: Call, name: CallEventName, leftBy: number | null = null): void {
      const wire = toWire(call);
      const current = visibleTo(call);
      const audience =
        leftBy === null
          ? current
          : (p: Principal) => current(p) || (p.kind === 'agent' && p.id === leftBy);
      const agents = new Set([...agentsOf(call), ...(leftBy === null ? [] : [leftBy])]);
      // Viewers who may see different customers get different versions of the event.
      for (const { customers: seen, admits } of customers.audiences(call)) {
        const data = { ...wire, customers: seen };
        calls.publish(name, data, (p) => audience(p) && admits(p));
        for (const agentId of agents)
          me.publish(name, data, (p) => p.kind === 'agent' && p.id === agentId && admits(p));
      }
      if (call.state === 'ended') customers.forget(call.id);
    },
    /** A call as the principal sees it (GET /calls). */
    viewOf: (call: Call, principal: Principal): CallView => ({
      ...toWire(call),
      customers: customers.visibleTo(call, principal),
    }),
  };
}

export type CallNotifier = ReturnType<typeof createCallNotifier>;
