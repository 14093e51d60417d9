/**
 * The `conferences` topic: every room with who is in it, as a snapshot, and every change. Rooms
 * are shared by the floor like park: every agent sees them.
 */
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';

export interface ParticipantWire {
  /** The participant's channel: what mute and kick address. */
  id: string;
  room: string;
  /** The participant's own call (in the call history). */
  callId: string;
  number: string;
  name: string;
  agentId: number | null;
  terminal: string | null;
  muted: boolean;
  joinedAt: string;
}

export interface RoomWire {
  room: string;
  participants: ParticipantWire[];
}

export interface ConferenceEvents {
  participant_joined: ParticipantWire;
  /** Hung up, or removed (`kicked`) over REST. */
  participant_left: ParticipantWire & { reason: 'hangup' | 'kicked' };
  participant_muted: ParticipantWire;
  participant_unmuted: ParticipantWire;
}

export function createConferenceNotifier(hub: Hub, rooms: () => RoomWire[]) {
  hub.defineTopic('conferences', {
    canSubscribe: (p) => p.kind === 'agent' || p.permissions.has('realtime.view'),
    snapshot: () => ({ rooms: rooms() }),
  });
  return typedTopic<ConferenceEvents>(hub, 'conferences');
}
