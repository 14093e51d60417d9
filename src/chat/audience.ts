/**
 * Who reads a chat message (§6-2): the agent it is addressed to, the members of the group it is
 * addressed to, or everyone (全員) — and always its sender. An API key (an integration) is no
 * agent and belongs to no group: it reads what goes to everyone and what it sent itself.
 * Pure; the feed applies it to each event and the history's query says the same in SQL
 * (service.ts), which the HTTP tests hold to it.
 */

export const AUDIENCES = ['agent', 'group', 'everyone'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Whom a message goes to. */
export type Addressee =
  | { type: 'agent'; agentId: number | null }
  | { type: 'group'; groupId: number | null }
  | { type: 'everyone' };

export const SENDER_KINDS = ['agent', 'api_key'] as const;

/** Who wrote it: an agent or an API key (its id is null once the account is deleted). */
export interface Sender {
  kind: (typeof SENDER_KINDS)[number];
  id: number | null;
}

/** A reader: the principal, and whether it is a member of a group now. */
export interface Reader {
  kind: 'agent' | 'api_key';
  id: number;
  memberOf: (groupId: number) => boolean;
}

export function isSender(sender: Sender, reader: Reader): boolean {
  return sender.id !== null && sender.kind === reader.kind && sender.id === reader.id;
}

/** Whether `reader` may read a message from `sender` to `to`. */
export function mayRead(to: Addressee, sender: Sender, reader: Reader): boolean {
  if (isSender(sender, reader)) return true;
  switch (to.type) {
    case 'everyone':
      return true;
    case 'agent':
      return reader.kind === 'agent' && to.agentId === reader.id;
    case 'group':
      return reader.kind === 'agent' && to.groupId !== null && reader.memberOf(to.groupId);
  }
}
