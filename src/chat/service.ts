/**
 * Chat (§6-2): posting a message to an agent, a group or everyone, the day's history as its
 * reader may see it, and the latest messages for the feed's snapshot. A message is written
 * (with its `#C…` / `#T…` links) before it is published on the `chat` topic.
 *
 * Plain writes: chat is not on a call's hot path.
 */
import { and, asc, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { AgentsService } from '../accounts/agents-service.js';
import { dateKeyOf, instantsOfDateKey } from '../platform/calendar.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { countRows } from '../platform/db/query.js';
import { requirePermission, type Principal } from '../platform/http/auth.js';
import { HttpError, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { GroupsService } from '../queues/groups-service.js';
import { mayRead, type Addressee, type Sender } from './audience.js';
import {
  createChatNotifier,
  type ChatAddresseeWire,
  type ChatLinkWire,
  type ChatMessageWire,
} from './notifier.js';
import {
  parseReferences,
  referenceKey,
  referenceText,
  type ReferenceLabeller,
} from './references.js';
import {
  chatMessageLinks,
  chatMessages,
  type ChatMessageLinkRow,
  type ChatMessageRow,
} from './schema.js';

/** The longest message body, in characters. */
export const CHAT_BODY_MAX = 2000;
/** How many of the latest messages the feed's snapshot carries. */
export const CHAT_SNAPSHOT_SIZE = 50;

export interface ChatPost {
  to:
    { type: 'agent'; agentId: number } | { type: 'group'; groupId: number } | { type: 'everyone' };
  body: string;
  bold: boolean;
  red: boolean;
  alert: boolean;
}

export interface ChatService {
  /** Stores and publishes a message; 403 for an alert without chat.alert, 422 for no addressee. */
  post(principal: Principal, input: ChatPost): ChatMessageWire;
  /** The messages of a day (`YYYY-MM-DD` in the server's zone; today when omitted), oldest first. */
  history(principal: Principal, date: string | undefined, page: PageQuery): Page<ChatMessageWire>;
  /** The latest messages the principal may read, oldest first. */
  recent(principal: Principal, limit: number): ChatMessageWire[];
}

export interface ChatDeps {
  db: Db;
  clock: Clock;
  hub: Hub;
  /** Days of the history are calendar days here. */
  timeZone: string;
  agents: Pick<AgentsService, 'get'>;
  groups: Pick<GroupsService, 'find' | 'members' | 'groupsOf'>;
  /** Names the #C / #T links for a reader (the CRM); without it, links have no label. */
  labels?: ReferenceLabeller<Principal> | undefined;
}

interface Resolved {
  audience: ChatMessageRow['audience'];
  toAgentId: number | null;
  toGroupId: number | null;
  toName: string;
}

export function createChatService(deps: ChatDeps): ChatService {
  const { db, clock, groups } = deps;
  const notifier = createChatNotifier(deps.hub, (p) => recent(p, CHAT_SNAPSHOT_SIZE));

  /** The agent, or undefined when there is none with that id. */
  function findAgent(agentId: number): { nickname: string } | undefined {
    try {
      return deps.agents.get(agentId);
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  function resolve(to: ChatPost['to']): Resolved {
    switch (to.type) {
      case 'everyone':
        return { audience: 'everyone', toAgentId: null, toGroupId: null, toName: '' };
      case 'agent': {
        const agent = findAgent(to.agentId);
        if (agent === undefined)
          throw unprocessable('unknown_agent', `There is no agent ${to.agentId}`);
        return {
          audience: 'agent',
          toAgentId: to.agentId,
          toGroupId: null,
          toName: agent.nickname,
        };
      }
      case 'group': {
        const group = groups.find(to.groupId);
        if (group === undefined)
          throw unprocessable('unknown_group', `There is no group ${to.groupId}`);
        return { audience: 'group', toAgentId: null, toGroupId: group.id, toName: group.name };
      }
    }
  }

  function senderOf(principal: Principal) {
    return principal.kind === 'agent'
      ? {
          senderKind: 'agent' as const,
          senderAgentId: principal.id,
          senderApiKeyId: null,
          senderName: deps.agents.get(principal.id).nickname,
        }
      : {
          senderKind: 'api_key' as const,
          senderAgentId: null,
          senderApiKeyId: principal.id,
          senderName: principal.actor,
        };
  }

  /** What the principal may read, as SQL: the same rule as audience.ts's mayRead. */
  function readable(principal: Principal): SQL | undefined {
    const everyone = eq(chatMessages.audience, 'everyone');
    if (principal.kind === 'api_key')
      return or(everyone, eq(chatMessages.senderApiKeyId, principal.id));
    const groupIds = groups.groupsOf(principal.id).map((m) => m.groupId);
    return or(
      everyone,
      eq(chatMessages.senderAgentId, principal.id),
      and(eq(chatMessages.audience, 'agent'), eq(chatMessages.toAgentId, principal.id)),
      groupIds.length === 0
        ? undefined
        : and(eq(chatMessages.audience, 'group'), inArray(chatMessages.toGroupId, groupIds)),
    );
  }

  /** The labels of these links for this reader. */
  function labelsFor(principal: Principal, links: readonly ChatMessageLinkRow[]) {
    if (deps.labels === undefined || links.length === 0) return new Map<string, string>();
    return deps.labels(
      principal,
      links.map((l) => ({ kind: l.kind, id: l.refId })),
    );
  }

  function withLinks(principal: Principal, rows: ChatMessageRow[]): ChatMessageWire[] {
    if (rows.length === 0) return [];
    const links = new Map<number, ChatMessageLinkRow[]>();
    const linkRows = db
      .select()
      .from(chatMessageLinks)
      .where(
        inArray(
          chatMessageLinks.messageId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(chatMessageLinks.messageId), asc(chatMessageLinks.start))
      .all();
    for (const link of linkRows) {
      const list = links.get(link.messageId) ?? [];
      list.push(link);
      links.set(link.messageId, list);
    }
    const labels = labelsFor(principal, [...links.values()].flat());
    return rows.map((row) => toWire(row, links.get(row.id) ?? [], labels));
  }

  function recent(principal: Principal, limit: number): ChatMessageWire[] {
    const rows = db
      .select()
      .from(chatMessages)
      .where(readable(principal))
      .orderBy(desc(chatMessages.sentAt), desc(chatMessages.id))
      .limit(limit)
      .all();
    return withLinks(principal, rows.reverse());
  }

  return {
    post(principal, input) {
      if (input.alert) requirePermission(principal, 'chat.alert');
      const to = resolve(input.to);
      const references = parseReferences(input.body);
      const { row, links } = db.transaction((tx) => {
        const row = tx
          .insert(chatMessages)
          .values({
            sentAt: clock.now(),
            ...senderOf(principal),
            ...to,
            body: input.body,
            bold: input.bold,
            red: input.red,
            alert: input.alert,
          })
          .returning()
          .get();
        const links =
          references.length === 0
            ? []
            : tx
                .insert(chatMessageLinks)
                .values(
                  references.map((r) => ({
                    messageId: row.id,
                    kind: r.kind,
                    refId: r.id,
                    start: r.start,
                    end: r.end,
                  })),
                )
                .returning()
                .all();
        return { row, links };
      });
      // Readers differ in the records they may see, so the published message names none of
      // them (label null); the sender's answer, the history and the snapshot name them per reader.
      const message = toWire(row, links, new Map());
      // The group's members as they are now receive it; the history asks again when read.
      const members =
        to.toGroupId === null
          ? new Set<number>()
          : new Set(groups.members(to.toGroupId).map((m) => m.agentId));
      const addressee = addresseeOf(row);
      const sender = senderFactsOf(row);
      notifier.publish('chat_message_posted', message, (p) =>
        mayRead(addressee, sender, {
          kind: p.kind,
          id: p.id,
          memberOf: (groupId) => groupId === to.toGroupId && members.has(p.id),
        }),
      );
      return toWire(row, links, labelsFor(principal, links));
    },

    history(principal, date, { limit, offset }) {
      const day = instantsOfDateKey(date ?? dateKeyOf(clock.now(), deps.timeZone), deps.timeZone);
      const where = and(
        gte(chatMessages.sentAt, day.from),
        lt(chatMessages.sentAt, day.to),
        readable(principal),
      );
      const rows = db
        .select()
        .from(chatMessages)
        .where(where)
        .orderBy(asc(chatMessages.sentAt), asc(chatMessages.id))
        .limit(limit)
        .offset(offset)
        .all();
      return { items: withLinks(principal, rows), total: countRows(db, chatMessages, where) };
    },

    recent,
  };
}

function addresseeOf(row: ChatMessageRow): Addressee {
  switch (row.audience) {
    case 'everyone':
      return { type: 'everyone' };
    case 'agent':
      return { type: 'agent', agentId: row.toAgentId };
    case 'group':
      return { type: 'group', groupId: row.toGroupId };
  }
}

function senderFactsOf(row: ChatMessageRow): Sender {
  return {
    kind: row.senderKind,
    id: row.senderKind === 'agent' ? row.senderAgentId : row.senderApiKeyId,
  };
}

function toWire(
  row: ChatMessageRow,
  links: ChatMessageLinkRow[],
  labels: ReadonlyMap<string, string>,
): ChatMessageWire {
  const to: ChatAddresseeWire =
    row.audience === 'everyone'
      ? { type: 'everyone' }
      : row.audience === 'agent'
        ? { type: 'agent', agentId: row.toAgentId, name: row.toName }
        : { type: 'group', groupId: row.toGroupId, name: row.toName };
  return {
    id: row.id,
    sentAt: row.sentAt.toISOString(),
    from: { kind: row.senderKind, id: senderFactsOf(row).id, name: row.senderName },
    to,
    body: row.body,
    bold: row.bold,
    red: row.red,
    alert: row.alert,
    links: links.map((l): ChatLinkWire => ({
      kind: l.kind,
      id: l.refId,
      text: referenceText(l.kind, l.refId),
      start: l.start,
      end: l.end,
      label: labels.get(referenceKey(l.kind, l.refId)) ?? null,
    })),
  };
}
