/**
 * Hot-desk logins and logouts on the `agents` topic, beside `terminal_registration_changed`:
 * seen by supervisors (realtime.view), terminal administrators (terminals.view) and the agent.
 */
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';

export interface HotDeskWire {
  terminalId: number;
  sipUser: string;
  agentId: number;
  at: string;
}

export interface HotDeskEvents {
  hot_desk_login: HotDeskWire;
  /**
   * `logout`: 997 from the phone; `elsewhere`: the agent logged in on another phone;
   * `replaced`: another agent logged in on this one; `admin`: DELETE /terminals/{id}/hot-desk.
   */
  hot_desk_logout: HotDeskWire & { how: HotDeskLogoutHow };
}

export type HotDeskLogoutHow = 'logout' | 'elsewhere' | 'replaced' | 'admin';

export function createHotDeskNotifier(hub: Hub) {
  const agents = typedTopic<HotDeskEvents>(hub, 'agents');
  return {
    publish<Name extends keyof HotDeskEvents>(name: Name, data: HotDeskEvents[Name]): void {
      agents.publish(
        name,
        data,
        (p) =>
          p.permissions.has('realtime.view') ||
          p.permissions.has('terminals.view') ||
          (p.kind === 'agent' && p.id === data.agentId),
      );
    },
  };
}
