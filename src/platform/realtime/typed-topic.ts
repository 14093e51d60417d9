/**
 * A topic's events with their payload types: a domain declares its event map once
 * (`{ call_ended: CallWire, … }`) and publishes through this, so an event name and its data
 * cannot disagree.
 */
import type { Principal } from '../http/auth.js';
import type { Hub, HubEvent } from './hub.js';

export interface TypedTopic<Events extends object> {
  publish<Name extends keyof Events & string>(
    name: Name,
    data: Events[Name],
    visibleTo?: (principal: Principal) => boolean,
  ): HubEvent;
}

export function typedTopic<Events extends object>(hub: Hub, topic: string): TypedTopic<Events> {
  return {
    publish: (name, data, visibleTo) => hub.publish(topic, name, data, visibleTo),
  };
}
