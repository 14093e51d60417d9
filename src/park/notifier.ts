/**
 * The `parked` topic: the park list (§5-3: slot, the other party's number, how long it has been
 * parked) as a snapshot, and every change of it. Park is shared by the floor: every agent sees it.
 */
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';

export interface ParkedWire {
  slot: string;
  callId: string;
  /** The parked party's number (and name, when the network gave one). */
  number: string;
  name: string;
  parkerAgentId: number | null;
  parkedAt: string;
  /** When the parker is rung back. */
  timesOutAt: string;
}

export interface ParkEvents {
  call_parked: ParkedWire;
  /** Picked up (by dialling the slot, by a callback over REST) or sent to the fallback. */
  call_unparked: ParkedWire & {
    pickedUpBy: number | null;
    via: 'dial' | 'callback' | 'fallback';
  };
  /** The park timeout passed: the parker is being rung back (or the fallback takes it). */
  parked_call_timed_out: ParkedWire;
  /** The parked party hung up. */
  parked_call_abandoned: ParkedWire;
}

export function createParkNotifier(hub: Hub, list: () => ParkedWire[]) {
  hub.defineTopic('parked', {
    canSubscribe: (p) => p.kind === 'agent' || p.permissions.has('realtime.view'),
    snapshot: () => ({ parked: list() }),
  });
  return typedTopic<ParkEvents>(hub, 'parked');
}
