/**
 * Which of a campaign's agents can take its next call, and the dialer's hold on them while it
 * rings them (so two customers answered at once never ring the same agent).
 *
 * An agent takes part when they are a member of the campaign not paused for it (the campaign
 * status tag), and are free when their own status is 待機中 (available): the same rule a group
 * uses, so an agent in a queue and a campaign is offered one call at a time by whichever comes
 * first — the ringing itself makes them busy for the other.
 */
import type { AgentStatusView } from '../../agents/status-service.js';

export interface FreeAgents {
  /** Free members, longest-available first (the fairest to ring next). */
  of(members: readonly number[]): number[];
  /** The dialer is ringing or offering to the agent: not free for another call. */
  hold(agentId: number): void;
  release(agentId: number): void;
  held(agentId: number): boolean;
}

export function createFreeAgents(statusOf: (agentId: number) => AgentStatusView): FreeAgents {
  const holds = new Map<number, number>();
  return {
    of(members) {
      return members
        .map((agentId) => statusOf(agentId))
        .filter((s) => s.status === 'available' && !holds.has(s.agentId))
        .sort((a, b) => a.since.getTime() - b.since.getTime() || a.agentId - b.agentId)
        .map((s) => s.agentId);
    },
    hold(agentId) {
      holds.set(agentId, (holds.get(agentId) ?? 0) + 1);
    },
    release(agentId) {
      const n = (holds.get(agentId) ?? 0) - 1;
      if (n <= 0) holds.delete(agentId);
      else holds.set(agentId, n);
    },
    held: (agentId) => holds.has(agentId),
  };
}
