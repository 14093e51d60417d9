/**
 * The `monitoring` topic: the supervision sessions in progress, for supervisors only (who holds
 * call_features.monitor or .whisper). The monitored agent and the customer are told nothing.
 */
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { SupervisionMode } from './modes.js';

export interface SessionWire {
  id: string;
  mode: SupervisionMode;
  /** `ringing`: the supervisor's phone rings (a session asked for over REST). */
  status: 'ringing' | 'active';
  supervisorAgentId: number | null;
  /** The supervisor's own call (in the call history). */
  supervisorCallId: string;
  /** The agent supervised, and their call. */
  agentId: number;
  callId: string;
  startedAt: string;
}

export type SessionEndReason =
  /** The supervisor hung up, or the session was ended over REST. */
  | 'supervisor_left'
  /** The agent's call ended, or the agent left it. */
  | 'call_ended'
  /** The supervisor's phone was not answered. */
  | 'not_answered'
  | 'failed';

export interface SupervisionEvents {
  monitoring_started: SessionWire;
  monitoring_mode_changed: SessionWire & { previousMode: SupervisionMode };
  monitoring_ended: SessionWire & { reason: SessionEndReason };
}

export const isSupervisor = (permissions: ReadonlySet<string>): boolean =>
  permissions.has('call_features.monitor') || permissions.has('call_features.whisper');

export function createSupervisionNotifier(hub: Hub, sessions: () => SessionWire[]) {
  hub.defineTopic('monitoring', {
    canSubscribe: (p) => isSupervisor(p.permissions),
    snapshot: () => ({ sessions: sessions() }),
  });
  return typedTopic<SupervisionEvents>(hub, 'monitoring');
}
