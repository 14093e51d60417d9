/**
 * Groups (グループ, §11-2): their settings, their members with a skill level each, and the
 * extension that reaches them. Membership and skill changes go to the queue event log
 * (ADDMEMBER, REMOVEMEMBER, PENALTY) and to whoever listens (the ACD re-plans on them).
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import { customStatuses } from '../agents/schema.js';
import type { ExtensionRegistry } from '../dialplan/extensions.js';
import {
  destinationColumns,
  destinationOf,
  type Destination,
} from '../destinations/destination.js';
import { assertAudioFiles } from '../audio/sounds.js';
import { assertDestination } from '../destinations/exists.js';
import { assertNoIvrLoop } from '../ivr/loops.js';
import { phoneNumbers } from '../numbers/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { QueueLog } from './queue-log.js';
import { groupMembers, groups, type GroupMemberRow, type GroupRow } from './schema.js';

/** A group's settings as the API and the ACD see them. */
export interface GroupView extends Omit<
  GroupRow,
  'overflowRouteType' | 'overflowRouteTarget' | 'timeoutRouteType' | 'timeoutRouteTarget'
> {
  overflow: Destination | null;
  timeout: Destination | null;
}

export type GroupInput = Partial<
  Omit<GroupView, 'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>
> & { members?: MemberInput[] | undefined };

export interface MemberInput {
  agentId: number;
  skillLevel: number;
}

export interface GroupFilter extends PageQuery {
  name?: string | undefined;
  extension?: string | undefined;
  agentId?: number | undefined;
}

export type MemberChange =
  | { kind: 'added' | 'level_changed'; groupId: number; agentId: number; skillLevel: number }
  | { kind: 'removed'; groupId: number; agentId: number };

export interface GroupsService {
  list(filter: GroupFilter): Page<GroupView>;
  all(): GroupView[];
  get(id: number): GroupView;
  find(id: number): GroupView | undefined;
  byExtension(extension: string): GroupView | undefined;
  create(input: GroupInput & { name: string }, actor: string): GroupView;
  update(id: number, patch: GroupInput, actor: string): GroupView;
  remove(id: number): void;
  members(groupId: number): GroupMemberRow[];
  /** The groups the agent belongs to. */
  groupsOf(agentId: number): GroupMemberRow[];
  /** Replaces the member list (the checklist of §11-2); the order given is the ring order. */
  setMembers(groupId: number, members: MemberInput[]): GroupMemberRow[];
  /** Adds the agent, or changes their skill level (§10-1, editable from the realtime view). */
  putMember(groupId: number, member: MemberInput): GroupMemberRow;
  removeMember(groupId: number, agentId: number): void;
  /**
   * Drops what is kept in memory: for changes the database makes by itself (deleting an agent or
   * a status cascades to memberships), which the service does not see.
   */
  forget(): void;
  /** Pauses or resumes the agent in this group only (§4-2, the per-group status tag). */
  setMemberPause(
    groupId: number,
    agentId: number,
    pause: { paused: boolean; customStatusId: number | null },
  ): GroupMemberRow;
  /** Clears every per-group pause of the agent (the white tag: one status for all groups). */
  clearMemberPauses(agentId: number): void;
  onChange(listener: (change: { groupId: number; member?: MemberChange }) => void): () => void;
}

function viewOf(row: GroupRow): GroupView {
  const { overflowRouteType, overflowRouteTarget, timeoutRouteType, timeoutRouteTarget, ...rest } =
    row;
  return {
    ...rest,
    overflow: destinationOf({ type: overflowRouteType, target: overflowRouteTarget }),
    timeout: destinationOf({ type: timeoutRouteType, target: timeoutRouteTarget }),
  };
}

function columnsOf(input: GroupInput): Partial<GroupRow> {
  const { overflow, timeout, members: _members, ...rest } = input;
  const columns: Partial<GroupRow> = { ...rest };
  if (overflow !== undefined) {
    const c = destinationColumns(overflow);
    columns.overflowRouteType = c.type;
    columns.overflowRouteTarget = c.target;
  }
  if (timeout !== undefined) {
    const c = destinationColumns(timeout);
    columns.timeoutRouteType = c.type;
    columns.timeoutRouteTarget = c.target;
  }
  return columns;
}

export function createGroupsService(
  db: Db,
  clock: Clock,
  extensions: ExtensionRegistry,
  queueLog: QueueLog,
): GroupsService {
  const listeners = new Set<(change: { groupId: number; member?: MemberChange }) => void>();
  const changed = (groupId: number, member?: MemberChange) => {
    kept = null;
    for (const listener of listeners) listener({ groupId, ...(member && { member }) });
  };

  // Asked on every call that dials a number: prepared once.
  const groupOfExtension = db
    .select({ id: groups.id })
    .from(groups)
    .where(eq(groups.extension, sql.placeholder('extension')))
    .prepare();
  extensions.register('group', (extension) => groupOfExtension.get({ extension })?.id);

  // One group as the database has it, for the API's reads and checks.
  const selectGroup = db
    .select()
    .from(groups)
    .where(eq(groups.id, sql.placeholder('id')))
    .prepare();

  /**
   * The groups and their members as the queue reads them on every call and every statistics
   * push, kept in memory: a database read for each would cost more than the routing decision.
   * Every change the service makes calls `changed`, which drops them; `forget` does for the rest.
   */
  interface Kept {
    views: readonly GroupView[];
    byId: ReadonlyMap<number, GroupView>;
    membersOf: ReadonlyMap<number, readonly GroupMemberRow[]>;
    groupsOf: ReadonlyMap<number, readonly GroupMemberRow[]>;
  }
  let kept: Kept | null = null;
  const selectAllGroups = db
    .select()
    .from(groups)
    .orderBy(asc(groups.sortOrder), asc(groups.id))
    .prepare();
  const selectAllMembers = db
    .select()
    .from(groupMembers)
    .orderBy(asc(groupMembers.groupId), asc(groupMembers.position), asc(groupMembers.agentId))
    .prepare();

  function keep(): Kept {
    if (kept !== null) return kept;
    const views = selectAllGroups.all().map((row) => Object.freeze(viewOf(row)));
    const membersOf = new Map<number, GroupMemberRow[]>();
    const groupsOf = new Map<number, GroupMemberRow[]>();
    const add = (lists: Map<number, GroupMemberRow[]>, key: number, row: GroupMemberRow) => {
      const list = lists.get(key);
      if (list === undefined) lists.set(key, [row]);
      else list.push(row);
    };
    for (const member of selectAllMembers.all()) {
      const row = Object.freeze(member);
      add(membersOf, row.groupId, row);
      add(groupsOf, row.agentId, row);
    }
    kept = { views, byId: new Map(views.map((v) => [v.id, v])), membersOf, groupsOf };
    return kept;
  }

  function getRow(id: number): GroupRow {
    const row = selectGroup.get({ id });
    if (row === undefined) throw notFound('Group');
    return row;
  }

  function assertInput(input: GroupInput, selfId?: number): void {
    if (input.extension != null)
      extensions.assertFree(
        input.extension,
        selfId === undefined ? undefined : { kind: 'group', id: selfId },
      );
    if (input.name !== undefined) {
      const clash = db
        .select({ id: groups.id })
        .from(groups)
        .where(eq(groups.name, input.name))
        .get();
      if (clash !== undefined && clash.id !== selfId)
        throw conflict('name_taken', `A group named ${input.name} exists`);
    }
    for (const route of [input.overflow, input.timeout]) {
      assertDestination(db, route);
      if (route?.type === 'group' && route.groupId === selfId)
        throw unprocessable('route_loop', 'A group cannot send its calls to itself');
    }
    assertAudioFiles(db, [
      input.greetingAudioFileId,
      input.announcementAudioFileId,
      input.whisperAudioFileId,
    ]);
    if (input.acwStatusId != null && !customStatusExists(input.acwStatusId))
      throw unprocessable('unknown_status', `There is no agent status ${input.acwStatusId}`);
    if (input.members !== undefined) assertMembers(input.members);
  }

  function customStatusExists(id: number): boolean {
    return (
      db
        .select({ id: customStatuses.id })
        .from(customStatuses)
        .where(eq(customStatuses.id, id))
        .get() !== undefined
    );
  }

  function assertMembers(members: MemberInput[]): void {
    const ids = members.map((m) => m.agentId);
    if (new Set(ids).size !== ids.length)
      throw unprocessable('duplicate_member', 'An agent is listed twice');
    if (ids.length === 0) return;
    const found = db.select({ id: agents.id }).from(agents).where(inArray(agents.id, ids)).all();
    if (found.length !== ids.length) {
      const known = new Set(found.map((a) => a.id));
      throw unprocessable('unknown_agent', 'Some agents do not exist', {
        agentIds: ids.filter((id) => !known.has(id)),
      });
    }
  }

  function membersOf(groupId: number): GroupMemberRow[] {
    return [...(keep().membersOf.get(groupId) ?? [])];
  }

  function memberRow(groupId: number, agentId: number): GroupMemberRow | undefined {
    return db
      .select()
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.agentId, agentId)))
      .get();
  }

  /** Writes the member list; returns what changed, for the log and the listeners. */
  function replaceMembers(groupId: number, members: MemberInput[]): MemberChange[] {
    const before = new Map(membersOf(groupId).map((m) => [m.agentId, m]));
    const changes: MemberChange[] = [];
    const now = clock.now();
    members.forEach((m, position) => {
      const old = before.get(m.agentId);
      if (old === undefined) {
        db.insert(groupMembers)
          .values({ groupId, agentId: m.agentId, skillLevel: m.skillLevel, position, addedAt: now })
          .run();
        changes.push({ kind: 'added', groupId, agentId: m.agentId, skillLevel: m.skillLevel });
      } else {
        db.update(groupMembers)
          .set({ skillLevel: m.skillLevel, position })
          .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.agentId, m.agentId)))
          .run();
        if (old.skillLevel !== m.skillLevel)
          changes.push({
            kind: 'level_changed',
            groupId,
            agentId: m.agentId,
            skillLevel: m.skillLevel,
          });
        before.delete(m.agentId);
      }
    });
    for (const gone of before.keys()) {
      db.delete(groupMembers)
        .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.agentId, gone)))
        .run();
      changes.push({ kind: 'removed', groupId, agentId: gone });
    }
    return changes;
  }

  function logMemberChange(change: MemberChange): void {
    switch (change.kind) {
      case 'added':
        queueLog.append({
          callId: 'NONE',
          groupId: change.groupId,
          agentId: change.agentId,
          event: 'ADDMEMBER',
          data: [],
        });
        return;
      case 'level_changed':
        queueLog.append({
          callId: 'NONE',
          groupId: change.groupId,
          agentId: change.agentId,
          event: 'PENALTY',
          data: [String(change.skillLevel)],
        });
        return;
      case 'removed':
        queueLog.append({
          callId: 'NONE',
          groupId: change.groupId,
          agentId: change.agentId,
          event: 'REMOVEMEMBER',
          data: [],
        });
        return;
    }
  }

  function applyMembers(groupId: number, members: MemberInput[]): void {
    const changes = db.transaction(() => replaceMembers(groupId, members));
    // A new order alone is no change to tell anyone of, but the kept lists must learn it.
    kept = null;
    for (const change of changes) logMemberChange(change);
    for (const change of changes) changed(groupId, change);
  }

  const service: GroupsService = {
    list({ limit, offset, name, extension, agentId }) {
      const conditions: (SQL | undefined)[] = [
        name === undefined ? undefined : contains(groups.name, name),
        extension === undefined ? undefined : contains(groups.extension, extension),
        agentId === undefined
          ? undefined
          : inArray(
              groups.id,
              db
                .select({ id: groupMembers.groupId })
                .from(groupMembers)
                .where(eq(groupMembers.agentId, agentId)),
            ),
      ];
      const where = and(...conditions);
      const rows = db
        .select()
        .from(groups)
        .where(where)
        .orderBy(asc(groups.sortOrder), asc(groups.id))
        .limit(limit)
        .offset(offset)
        .all();
      return {
        items: rows.map(viewOf),
        total: countRows(db, groups, where),
      };
    },
    all: () => [...keep().views],
    get: (id) => viewOf(getRow(id)),
    find: (id) => keep().byId.get(id),
    byExtension(extension) {
      const row = db.select().from(groups).where(eq(groups.extension, extension)).get();
      return row === undefined ? undefined : viewOf(row);
    },
    create(input, actor) {
      assertInput(input);
      const row = db
        .insert(groups)
        .values({ ...columnsOf(input), name: input.name, ...created(actor, clock.now()) })
        .returning()
        .get();
      if (input.members !== undefined) applyMembers(row.id, input.members);
      changed(row.id);
      return viewOf(row);
    },
    update(id, patch, actor) {
      const before = viewOf(getRow(id));
      assertInput(patch, id);
      // A new group closes no loop (nothing sends calls to it yet); a changed one may, via IVRs.
      if (patch.overflow !== undefined || patch.timeout !== undefined)
        assertNoIvrLoop(db, {
          kind: 'group',
          id,
          name: patch.name ?? before.name,
          routes: [
            patch.overflow === undefined ? before.overflow : patch.overflow,
            patch.timeout === undefined ? before.timeout : patch.timeout,
          ],
        });
      const row = db
        .update(groups)
        .set({ ...columnsOf(patch), ...updated(actor, clock.now()) })
        .where(eq(groups.id, id))
        .returning()
        .get();
      if (patch.members !== undefined) applyMembers(id, patch.members);
      changed(id);
      return viewOf(row);
    },
    remove(id) {
      getRow(id);
      const routedHere = db
        .select({ number: phoneNumbers.number })
        .from(phoneNumbers)
        .where(and(eq(phoneNumbers.routeType, 'group'), eq(phoneNumbers.routeTarget, String(id))))
        .all();
      const divertingHere = service
        .all()
        .filter(
          (g) =>
            (g.overflow?.type === 'group' && g.overflow.groupId === id) ||
            (g.timeout?.type === 'group' && g.timeout.groupId === id),
        )
        .map((g) => g.name);
      if (routedHere.length > 0 || divertingHere.length > 0) {
        throw conflict('in_use', 'Calls are routed to this group', {
          phoneNumbers: routedHere.map((r) => r.number),
          groups: divertingHere,
        });
      }
      // The log outlives the group: it says its members left.
      for (const m of membersOf(id))
        logMemberChange({ kind: 'removed', groupId: id, agentId: m.agentId });
      db.delete(groups).where(eq(groups.id, id)).run();
      changed(id);
    },
    members: (groupId) => {
      if (!keep().byId.has(groupId)) throw notFound('Group');
      return membersOf(groupId);
    },
    groupsOf: (agentId) => [...(keep().groupsOf.get(agentId) ?? [])],
    setMembers(groupId, members) {
      getRow(groupId);
      assertMembers(members);
      applyMembers(groupId, members);
      return membersOf(groupId);
    },
    putMember(groupId, member) {
      getRow(groupId);
      assertMembers([member]);
      const current = membersOf(groupId);
      const list = current.some((m) => m.agentId === member.agentId)
        ? current.map((m) => (m.agentId === member.agentId ? member : m))
        : [...current, member];
      applyMembers(
        groupId,
        list.map((m) => ({ agentId: m.agentId, skillLevel: m.skillLevel })),
      );
      const row = memberRow(groupId, member.agentId);
      if (row === undefined) throw notFound('Member');
      return row;
    },
    removeMember(groupId, agentId) {
      getRow(groupId);
      if (memberRow(groupId, agentId) === undefined) throw notFound('Member');
      applyMembers(
        groupId,
        membersOf(groupId)
          .filter((m) => m.agentId !== agentId)
          .map((m) => ({ agentId: m.agentId, skillLevel: m.skillLevel })),
      );
    },
    setMemberPause(groupId, agentId, pause) {
      getRow(groupId);
      if (memberRow(groupId, agentId) === undefined) throw notFound('Member');
      if (pause.customStatusId !== null && !customStatusExists(pause.customStatusId))
        throw unprocessable('unknown_status', `There is no agent status ${pause.customStatusId}`);
      const before = memberRow(groupId, agentId);
      db.update(groupMembers)
        .set({ paused: pause.paused, pausedStatusId: pause.paused ? pause.customStatusId : null })
        .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.agentId, agentId)))
        .run();
      if (before?.paused !== pause.paused) {
        queueLog.append({
          callId: 'NONE',
          groupId,
          agentId,
          event: pause.paused ? 'PAUSE' : 'UNPAUSE',
          data: [pause.customStatusId === null ? '' : String(pause.customStatusId)],
        });
      }
      changed(groupId);
      const row = memberRow(groupId, agentId);
      if (row === undefined) throw notFound('Member');
      return row;
    },
    clearMemberPauses(agentId) {
      const paused = db
        .select()
        .from(groupMembers)
        .where(and(eq(groupMembers.agentId, agentId), eq(groupMembers.paused, true)))
        .all();
      if (paused.length === 0) return;
      db.update(groupMembers)
        .set({ paused: false, pausedStatusId: null })
        .where(eq(groupMembers.agentId, agentId))
        .run();
      for (const m of paused) {
        queueLog.append({
          callId: 'NONE',
          groupId: m.groupId,
          agentId,
          event: 'UNPAUSE',
          data: [''],
        });
        changed(m.groupId);
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    forget() {
      kept = null;
    },
  };
  return service;
}
