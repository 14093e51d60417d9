/**
 * The in-process realtime hub (design §2 rule 3): every state change is written to SQLite, then
 * published here. The WebSocket feed, realtime statistics and tests all read this one stream.
 *
 * A domain defines a topic with who may see it and how to build its snapshot; events carry a
 * process-wide sequence number so a client can tell whether it missed something, and may narrow
 * their audience further (e.g. one agent's own calls).
 */
import type { Principal } from '../http/auth.js';

export interface HubEvent {
  topic: string;
  name: string;
  data: unknown;
  /** ISO instant of publication. */
  ts: string;
  seq: number;
  /** Extra visibility rule for this event, on top of the topic's. */
  visibleTo?: (principal: Principal) => boolean;
}

export interface TopicDefinition {
  /** Whether the principal may subscribe to the topic at all. */
  canSubscribe(principal: Principal): boolean;
  /** The state a new subscriber starts from; events follow it. */
  snapshot(principal: Principal): unknown;
}

export type HubListener = (event: HubEvent) => void;

export interface Hub {
  defineTopic(topic: string, definition: TopicDefinition): void;
  topic(topic: string): TopicDefinition | undefined;
  topics(): string[];
  publish(
    topic: string,
    name: string,
    data: unknown,
    visibleTo?: (principal: Principal) => boolean,
  ): HubEvent;
  subscribe(listener: HubListener): () => void;
  /** The sequence number of the last published event (0 before any). */
  lastSeq(): number;
}

export function createHub(now: () => Date = () => new Date()): Hub {
  const topics = new Map<string, TopicDefinition>();
  const listeners = new Set<HubListener>();
  let seq = 0;

  return {
    defineTopic(topic, definition) {
      if (topics.has(topic)) throw new Error(`topic ${topic} is already defined`);
      topics.set(topic, definition);
    },
    topic: (topic) => topics.get(topic),
    topics: () => [...topics.keys()],
    publish(topic, name, data, visibleTo) {
      seq += 1;
      const event: HubEvent = { topic, name, data, ts: now().toISOString(), seq };
      if (visibleTo !== undefined) event.visibleTo = visibleTo;
      for (const listener of listeners) {
        // One failing listener must not starve the others of the event.
        try {
          listener(event);
        } catch {
          /* listeners guard themselves; see the WebSocket feed */
        }
      }
      return event;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastSeq: () => seq,
  };
}
