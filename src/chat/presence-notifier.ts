/**
 * The `presence` topic (§6-1): tells the presence panels that an agent's presence changed — their
 * status (which follows their calls) or a phone's registration — so a panel reads the list again
 * only then, and never polls. Presence is for everyone with chat.view (the panel's permission),
 * as GET /presence is; the event carries the agent and their status, not the viewer's actions,
 * which GET /presence works out for each viewer.
 */
import type { AgentStatusService } from '../agents/status-service.js';
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { TerminalsService } from '../terminals/service.js';
import { agentOnTerminal } from '../terminals/schema.js';

export interface PresenceChangedWire {
  agentId: number;
  status: string;
  customStatusId: number | null;
  since: string;
  registered: boolean;
}

export interface PresenceEvents {
  presence_changed: PresenceChangedWire;
}

const PANEL = 'chat.view';

export function publishPresence(deps: {
  hub: Hub;
  agentStatus: Pick<AgentStatusService, 'get' | 'onChange'>;
  terminals: Pick<TerminalsService, 'onRegistrationChange'>;
}): void {
  const { hub, agentStatus } = deps;
  hub.defineTopic('presence', {
    canSubscribe: (p) => p.permissions.has(PANEL),
    snapshot: () => ({}),
  });
  const presence = typedTopic<PresenceEvents>(hub, 'presence');
  const tell = (agentId: number) => {
    const now = agentStatus.get(agentId);
    presence.publish(
      'presence_changed',
      {
        agentId,
        status: now.status,
        customStatusId: now.customStatusId,
        since: now.since.toISOString(),
        registered: now.registered,
      },
      (p) => p.permissions.has(PANEL),
    );
  };
  agentStatus.onChange((view) => tell(view.agentId));
  deps.terminals.onRegistrationChange(({ terminal }) => {
    const agentId = agentOnTerminal(terminal);
    if (agentId !== null) tell(agentId);
  });
}
