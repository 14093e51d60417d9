/**
 * The recall badge (再コール一覧 §7): how many entries wait for an agent to dial them (担当 = the
 * agent, 結果 = 発信待機中), pushed on the agent's own `me` topic when it changes — the manual's
 * 3-minute reload becomes a push. Whoever changes an entry's assignee or result tells this, for
 * the agents before and after (the entries API does; the dialer engine calls `changed` too).
 */
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';

export interface RecallEvents {
  recalls_changed: { count: number };
}

export interface RecallsNotifier {
  /** Recounts the agent's recalls and tells them when the count is not the one they last got. */
  changed(agentId: number): void;
}

export function createRecallsNotifier(
  hub: Hub,
  countOf: (agentId: number) => number,
): RecallsNotifier {
  const me = typedTopic<RecallEvents>(hub, 'me');
  /** The count each agent was last told; an agent not yet told is told the first time. */
  const told = new Map<number, number>();
  return {
    changed(agentId) {
      const count = countOf(agentId);
      if (told.get(agentId) === count) return;
      told.set(agentId, count);
      me.publish('recalls_changed', { count }, (p) => p.kind === 'agent' && p.id === agentId);
    },
  };
}
