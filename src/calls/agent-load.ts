/**
 * Tells the agents' status how many of their calls ring, talk and hold — only when a count
 * changed, so a busy floor does not rewrite every agent's status on every call event.
 */
import type { AgentStatusService } from '../agents/status-service.js';
import { NO_CALLS, type CallCounts } from '../agents/status.js';
import type { Call } from './model.js';

export function createAgentLoad(
  agentStatus: Pick<AgentStatusService, 'setCalls'>,
  live: () => Iterable<Call>,
) {
  const lastCounts = new Map<number, CallCounts>();

  function countsOf(agentId: number): CallCounts {
    const counts = { ...NO_CALLS };
    for (const call of live()) {
      if (call.state === 'ended') continue;
      for (const leg of call.legs.values()) {
        if (leg.agentId !== agentId || leg.state === 'gone') continue;
        // Placing a call keeps an agent busy from the first digit, answered or not.
        if (leg.state === 'up' || leg.role === 'caller') counts.up += 1;
        else counts.ringing += 1;
        if (leg.held) counts.held += 1;
      }
    }
    return counts;
  }

  return {
    update(agentIds: Iterable<number>): void {
      for (const agentId of agentIds) {
        const counts = countsOf(agentId);
        const last = lastCounts.get(agentId) ?? NO_CALLS;
        if (last.up !== counts.up || last.ringing !== counts.ringing || last.held !== counts.held) {
          lastCounts.set(agentId, counts);
          agentStatus.setCalls(agentId, counts);
        }
      }
    },
  };
}

export type AgentLoad = ReturnType<typeof createAgentLoad>;
