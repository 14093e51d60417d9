/**
 * Presence (§6-1): the agents of a group (or every agent) as they are now — status, phones and
 * their registration, whether they are on a call — with the actions the operator can take on
 * each (presence.ts). A read of what the status service, the terminals and the call engine
 * already know; it keeps no state of its own.
 */
import type { AgentsService } from '../accounts/agents-service.js';
import type { AgentStatusService } from '../agents/status-service.js';
import type { Call } from '../calls/model.js';
import type { Principal } from '../platform/http/auth.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { GroupsService } from '../queues/groups-service.js';
import type { TerminalsService } from '../terminals/service.js';
import { presenceActions, type PresenceAction, type PresenceViewer } from './presence.js';

export interface AgentPresence {
  agentId: number;
  /** The nickname, as the panel shows it (`223(System02)` = extension(nickname)). */
  name: string;
  extension: string | null;
  status: string;
  customStatusId: number | null;
  since: Date;
  phones: { terminalId: number; sipUser: string; name: string; registered: boolean }[];
  /** Some phone of the agent is registered. */
  registered: boolean;
  /** The agent is talking on a connected call. */
  onCall: boolean;
  /** That call's id, when the operator may see the call (their own, or realtime.view). */
  callId: string | null;
  actions: PresenceAction[];
}

export interface PresenceService {
  /** The members of a group in its ring order (404 for no such group), or every agent. */
  list(
    principal: Principal,
    filter: PageQuery & { groupId?: number | undefined },
  ): Page<AgentPresence>;
  /** The groups the panel offers to choose from. */
  groups(): { id: number; name: string; extension: string | null }[];
}

export interface PresenceDeps {
  agents: Pick<AgentsService, 'get' | 'list'>;
  groups: Pick<GroupsService, 'members' | 'all'>;
  agentStatus: Pick<AgentStatusService, 'get'>;
  terminals: Pick<TerminalsService, 'ofAgent' | 'isRegistered'>;
  calls: { list(): Call[]; visibleTo(call: Call): (principal: Principal) => boolean };
}

export function createPresenceService(deps: PresenceDeps): PresenceService {
  /** Each agent's connected call: a call that is up, on which the agent's leg is up. */
  function connectedCalls(): Map<number, Call> {
    const byAgent = new Map<number, Call>();
    for (const call of deps.calls.list()) {
      if (call.state !== 'up') continue;
      for (const leg of call.legs.values()) {
        if (leg.agentId !== null && leg.state === 'up' && !byAgent.has(leg.agentId))
          byAgent.set(leg.agentId, call);
      }
    }
    return byAgent;
  }

  function phonesOf(agentId: number): AgentPresence['phones'] {
    return deps.terminals.ofAgent(agentId).map((t) => ({
      terminalId: t.id,
      sipUser: t.sipUser,
      name: t.name,
      registered: deps.terminals.isRegistered(t.sipUser),
    }));
  }

  function viewerOf(principal: Principal, calls: Map<number, Call>): PresenceViewer {
    if (principal.kind !== 'agent')
      return { agentId: null, permissions: principal.permissions, registered: false, call: null };
    const call = calls.get(principal.id);
    return {
      agentId: principal.id,
      permissions: principal.permissions,
      registered: phonesOf(principal.id).some((p) => p.registered),
      call:
        call === undefined
          ? null
          : {
              id: call.id,
              agentIds: [...call.legs.values()].flatMap((l) =>
                l.agentId === null || l.state === 'gone' ? [] : [l.agentId],
              ),
            },
    };
  }

  return {
    list(principal, { groupId, limit, offset }) {
      let page: Page<{ id: number; nickname: string; extension: string | null }>;
      if (groupId === undefined) {
        page = deps.agents.list({ limit, offset });
      } else {
        const members = deps.groups.members(groupId);
        page = {
          items: members.slice(offset, offset + limit).map((m) => deps.agents.get(m.agentId)),
          total: members.length,
        };
      }
      const calls = connectedCalls();
      const viewer = viewerOf(principal, calls);
      return {
        total: page.total,
        items: page.items.map((agent): AgentPresence => {
          const status = deps.agentStatus.get(agent.id);
          const phones = phonesOf(agent.id);
          const registered = phones.some((p) => p.registered);
          const call = calls.get(agent.id);
          return {
            agentId: agent.id,
            name: agent.nickname,
            extension: agent.extension,
            status: status.status,
            customStatusId: status.customStatusId,
            since: status.since,
            phones,
            registered,
            onCall: call !== undefined,
            callId: call !== undefined && deps.calls.visibleTo(call)(principal) ? call.id : null,
            actions: presenceActions(viewer, {
              agentId: agent.id,
              extension: agent.extension,
              registered,
              callId: call?.id ?? null,
            }),
          };
        }),
      };
    },

    groups: () =>
      deps.groups.all().map((g) => ({ id: g.id, name: g.name, extension: g.extension })),
  };
}
