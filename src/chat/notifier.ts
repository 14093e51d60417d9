/**
 * The `chat` topic (§6-2): every principal with chat.view may subscribe; each message reaches
 * only those who may read it (audience.ts) — the addressee, the group's members as they are when
 * it is sent, everyone — and its sender. The snapshot is the latest messages the subscriber may
 * read; older ones come from GET /chat/messages.
 */
import type { Principal } from '../platform/http/auth.js';
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { ReferenceKind } from './references.js';

export interface ChatLinkWire {
  kind: ReferenceKind;
  /** The customer's (#C) or the case's (#T) id. */
  id: number;
  /** As written: `#C3`. */
  text: string;
  /** [start, end) in the body, in UTF-16 code units. */
  start: number;
  end: number;
  /** What it points at, as the reader may see it (`#C3 開発代表`); null if they may not. */
  label: string | null;
}

export type ChatAddresseeWire =
  | { type: 'agent'; agentId: number | null; name: string }
  | { type: 'group'; groupId: number | null; name: string }
  | { type: 'everyone' };

export interface ChatMessageWire {
  id: number;
  sentAt: string;
  from: { kind: 'agent' | 'api_key'; id: number | null; name: string };
  to: ChatAddresseeWire;
  body: string;
  bold: boolean;
  red: boolean;
  alert: boolean;
  links: ChatLinkWire[];
}

export interface ChatEvents {
  /** A message was posted; only its readers get it. */
  chat_message_posted: ChatMessageWire;
}

export const CHAT_VIEW = 'chat.view';

export function createChatNotifier(hub: Hub, recent: (principal: Principal) => ChatMessageWire[]) {
  hub.defineTopic('chat', {
    canSubscribe: (p) => p.permissions.has(CHAT_VIEW),
    snapshot: (p) => ({ messages: recent(p) }),
  });
  return typedTopic<ChatEvents>(hub, 'chat');
}

export type ChatNotifier = ReturnType<typeof createChatNotifier>;
