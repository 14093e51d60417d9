/**
 * What an operator can do with an agent of the presence panel (§6-1): the actions the manual
 * lists, offered only where they can work now and the operator may take them. Pure.
 *
 * - `chat`: send them a message (chat.post).
 * - `call`: click-to-call (コールバック, POST /calls): the operator's own phone rings first; needs
 *   an operator with a registered phone and no call, and an agent with an extension and a
 *   registered phone.
 * - `transfer` / `attended_transfer` (転送 / 保留転送, POST /calls/{id}/transfer, blind or
 *   attended): the operator is on a connected call and the agent is free to take it — an
 *   extension, a registered phone, no call — and not already on the operator's call.
 * - `monitor` / `whisper` (モニタリング / ウィスパリング): the agent is on a connected call the
 *   operator is not on, and the operator, an agent, holds call_features.monitor / .whisper
 *   (not the agent role, §6-1).
 *
 * No action is offered on oneself.
 */

export const PRESENCE_ACTIONS = [
  'chat',
  'call',
  'transfer',
  'attended_transfer',
  'monitor',
  'whisper',
] as const;
export type PresenceAction = (typeof PRESENCE_ACTIONS)[number];

/** The operator looking at the panel. */
export interface PresenceViewer {
  /** null for an API key, which has no phone and takes no call. */
  agentId: number | null;
  permissions: ReadonlySet<string>;
  /** A phone of the operator is registered. */
  registered: boolean;
  /** The operator's connected call, with the agents on it; null when none. */
  call: { id: string; agentIds: readonly number[] } | null;
}

/** An agent of the panel. */
export interface PresenceTarget {
  agentId: number;
  extension: string | null;
  registered: boolean;
  /** The agent's connected call, if any. */
  callId: string | null;
}

export function presenceActions(viewer: PresenceViewer, target: PresenceTarget): PresenceAction[] {
  if (viewer.agentId === target.agentId) return [];
  const actions: PresenceAction[] = [];
  if (viewer.permissions.has('chat.post')) actions.push('chat');
  if (viewer.agentId === null) return actions;

  const reachable = target.extension !== null && target.registered;
  const free = reachable && target.callId === null;
  if (viewer.call === null && viewer.registered && reachable) actions.push('call');
  if (viewer.call !== null && free && !viewer.call.agentIds.includes(target.agentId))
    actions.push('transfer', 'attended_transfer');

  const listenable = target.callId !== null && target.callId !== viewer.call?.id;
  if (listenable && viewer.permissions.has('call_features.monitor')) actions.push('monitor');
  if (listenable && viewer.permissions.has('call_features.whisper')) actions.push('whisper');
  return actions;
}
