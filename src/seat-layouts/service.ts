/**
 * Seat layouts (§10-7): CRUD of the layouts, the atomic replacement of their items, and each
 * seat as the screen shows it — its terminal, whether the phone is registered, and the agent on
 * it now (the hot-desk agent, else the linked one: terminals' `agentOnTerminal`, the same rule
 * as the `agents` topic's terminal_registration_changed). The agent's live status is not here:
 * the screen follows it on the `agents` topic.
 *
 * Every change is announced on the `seat_layouts` topic (notifier.ts).
 */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Hub } from '../platform/realtime/hub.js';
import { groups } from '../queues/schema.js';
import { agentOnTerminal, terminals } from '../terminals/schema.js';
import { createSeatLayoutsNotifier, type LayoutChange } from './notifier.js';
import { placementIssues, type Canvas, type PlacementIssue } from './placement.js';
import {
  seatLayoutItems,
  seatLayouts,
  type SeatLayoutItemRow,
  type SeatLayoutRow,
} from './schema.js';

export interface Geometry {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
}

export type ObjectKind = 'wall' | 'pillar' | 'desk';

export type ItemInput =
  | (Geometry & { kind: 'seat'; terminalId: number })
  | (Geometry & { kind: ObjectKind })
  | (Geometry & { kind: 'label'; label: string });

export interface SeatLayoutInput {
  name: string;
  width: number;
  height: number;
  groupId?: number | null | undefined;
  items?: ItemInput[] | undefined;
}

export type SeatLayoutPatch = Partial<Omit<SeatLayoutInput, 'items'>>;

export interface SeatLayoutFilter extends PageQuery {
  name?: string | undefined;
  groupId?: number | undefined;
}

/** A layout as its list shows it (名称, 端末数, オブジェクト数, 更新). */
export interface SeatLayoutSummary extends SeatLayoutRow {
  terminalCount: number;
  objectCount: number;
}

export interface SeatTerminal {
  id: number;
  sipUser: string;
  name: string;
  registered: boolean;
}

export interface SeatAgent {
  id: number;
  name: string;
  nickname: string;
  extension: string | null;
}

export type ItemView =
  | (Geometry & {
      kind: 'seat';
      terminalId: number;
      terminal: SeatTerminal;
      /** The agent on the phone now: hot-desked on it, else linked to it; null for none. */
      agent: SeatAgent | null;
    })
  | (Geometry & { kind: ObjectKind })
  | (Geometry & { kind: 'label'; label: string });

export interface SeatLayoutView extends SeatLayoutSummary {
  items: ItemView[];
}

export interface SeatLayoutsService {
  list(filter: SeatLayoutFilter): Page<SeatLayoutSummary>;
  get(id: number): SeatLayoutView;
  create(input: SeatLayoutInput, actor: string): SeatLayoutView;
  update(id: number, patch: SeatLayoutPatch, actor: string): SeatLayoutView;
  /** Replaces every item at once; nothing changes when any item is refused. */
  replaceItems(id: number, items: ItemInput[], actor: string): SeatLayoutView;
  remove(id: number): void;
}

export interface SeatLayoutsDeps {
  db: Db;
  clock: Clock;
  hub: Hub;
  /** Whether the phone with this SIP user name is registered now (the terminals' book). */
  isRegistered: (sipUser: string) => boolean;
}

/** 422 with every refused item in `details`. */
function refuseItems(issues: PlacementIssue[]): never {
  throw unprocessable(
    'invalid_items',
    issues.length === 1 ? '1 item cannot be placed' : `${issues.length} items cannot be placed`,
    issues,
  );
}

export function createSeatLayoutsService(deps: SeatLayoutsDeps): SeatLayoutsService {
  const { db, clock, isRegistered } = deps;

  function getRow(id: number): SeatLayoutRow {
    const row = db.select().from(seatLayouts).where(eq(seatLayouts.id, id)).get();
    if (row === undefined) throw notFound('Seat layout');
    return row;
  }

  function assertNameFree(name: string, except?: number): void {
    const holder = db
      .select({ id: seatLayouts.id })
      .from(seatLayouts)
      .where(eq(seatLayouts.name, name))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A seat layout is already named ${name}`);
  }

  function assertGroup(groupId: number | null | undefined): void {
    if (groupId === null || groupId === undefined) return;
    const group = db.select({ id: groups.id }).from(groups).where(eq(groups.id, groupId)).get();
    if (group === undefined) throw unprocessable('unknown_group', `There is no group ${groupId}`);
  }

  function assertPlaceable(canvas: Canvas, items: readonly ItemInput[]): void {
    const wanted = [...new Set(items.flatMap((i) => (i.kind === 'seat' ? [i.terminalId] : [])))];
    const known =
      wanted.length === 0
        ? new Set<number>()
        : new Set(
            db
              .select({ id: terminals.id })
              .from(terminals)
              .where(inArray(terminals.id, wanted))
              .all()
              .map((r) => r.id),
          );
    const issues = placementIssues(canvas, items, known);
    if (issues.length > 0) refuseItems(issues);
  }

  function insertItems(tx: DbOrTx, layoutId: number, items: readonly ItemInput[]): void {
    if (items.length === 0) return;
    tx.insert(seatLayoutItems)
      .values(
        items.map((item, position) => ({
          layoutId,
          position,
          kind: item.kind,
          terminalId: item.kind === 'seat' ? item.terminalId : null,
          label: item.kind === 'label' ? item.label : null,
          x: item.x,
          y: item.y,
          width: item.width,
          height: item.height,
          rotation: item.rotation,
        })),
      )
      .run();
  }

  /** Seats and objects of each layout. */
  function countsOf(layoutIds: number[]): Map<number, { terminals: number; objects: number }> {
    const counts = new Map<number, { terminals: number; objects: number }>();
    if (layoutIds.length === 0) return counts;
    const rows = db
      .select({
        layoutId: seatLayoutItems.layoutId,
        seats: sql<number>`sum(case when ${seatLayoutItems.kind} = 'seat' then 1 else 0 end)`,
        all: count(),
      })
      .from(seatLayoutItems)
      .where(inArray(seatLayoutItems.layoutId, layoutIds))
      .groupBy(seatLayoutItems.layoutId)
      .all();
    for (const r of rows) counts.set(r.layoutId, { terminals: r.seats, objects: r.all - r.seats });
    return counts;
  }

  function summarize(rows: SeatLayoutRow[]): SeatLayoutSummary[] {
    const counts = countsOf(rows.map((r) => r.id));
    return rows.map((row) => {
      const c = counts.get(row.id);
      return { ...row, terminalCount: c?.terminals ?? 0, objectCount: c?.objects ?? 0 };
    });
  }

  function itemView(
    item: SeatLayoutItemRow,
    terminal: Pick<
      typeof terminals.$inferSelect,
      'id' | 'sipUser' | 'name' | 'agentId' | 'hotDeskAgentId'
    > | null,
    agentsById: Map<number, SeatAgent>,
  ): ItemView {
    const geometry = {
      x: item.x,
      y: item.y,
      width: item.width,
      height: item.height,
      rotation: item.rotation,
    };
    switch (item.kind) {
      case 'seat': {
        // The foreign key keeps a seat's terminal: it goes with the terminal.
        if (terminal === null) throw new Error(`seat item ${item.id} without its terminal`);
        const agentId = agentOnTerminal(terminal);
        return {
          kind: 'seat',
          ...geometry,
          terminalId: terminal.id,
          terminal: {
            id: terminal.id,
            sipUser: terminal.sipUser,
            name: terminal.name,
            registered: isRegistered(terminal.sipUser),
          },
          agent: agentId === null ? null : (agentsById.get(agentId) ?? null),
        };
      }
      case 'label':
        return { kind: 'label', ...geometry, label: item.label ?? '' };
      default:
        return { kind: item.kind, ...geometry };
    }
  }

  function view(row: SeatLayoutRow): SeatLayoutView {
    const rows = db
      .select({
        item: seatLayoutItems,
        terminal: {
          id: terminals.id,
          sipUser: terminals.sipUser,
          name: terminals.name,
          agentId: terminals.agentId,
          hotDeskAgentId: terminals.hotDeskAgentId,
        },
      })
      .from(seatLayoutItems)
      .leftJoin(terminals, eq(terminals.id, seatLayoutItems.terminalId))
      .where(eq(seatLayoutItems.layoutId, row.id))
      .orderBy(asc(seatLayoutItems.position))
      .all();
    const agentIds = [
      ...new Set(
        rows.flatMap((r) => {
          const agentId = r.terminal === null ? null : agentOnTerminal(r.terminal);
          return agentId === null ? [] : [agentId];
        }),
      ),
    ];
    const agentsById = new Map(
      (agentIds.length === 0
        ? []
        : db
            .select({
              id: agents.id,
              name: agents.name,
              nickname: agents.nickname,
              extension: agents.extension,
            })
            .from(agents)
            .where(inArray(agents.id, agentIds))
            .all()
      ).map((a) => [a.id, a]),
    );
    const items = rows.map((r) => itemView(r.item, r.terminal, agentsById));
    const terminalCount = items.filter((i) => i.kind === 'seat').length;
    return { ...row, terminalCount, objectCount: items.length - terminalCount, items };
  }

  function all(): SeatLayoutSummary[] {
    return summarize(db.select().from(seatLayouts).orderBy(asc(seatLayouts.id)).all());
  }

  const notifier = createSeatLayoutsNotifier(deps.hub, all);
  function announce(change: LayoutChange, layout: SeatLayoutSummary): void {
    notifier.layoutChanged(change, layout);
  }

  return {
    list({ limit, offset, name, groupId }) {
      const conditions: (SQL | undefined)[] = [
        name === undefined ? undefined : contains(seatLayouts.name, name),
        groupId === undefined ? undefined : eq(seatLayouts.groupId, groupId),
      ];
      const where = and(...conditions);
      const rows = db
        .select()
        .from(seatLayouts)
        .where(where)
        .orderBy(asc(seatLayouts.id))
        .limit(limit)
        .offset(offset)
        .all();
      return { items: summarize(rows), total: countRows(db, seatLayouts, where) };
    },

    get: (id) => view(getRow(id)),

    create(input, actor) {
      assertNameFree(input.name);
      assertGroup(input.groupId);
      const items = input.items ?? [];
      assertPlaceable(input, items);
      const row = db.transaction((tx) => {
        const layout = tx
          .insert(seatLayouts)
          .values({
            name: input.name,
            width: input.width,
            height: input.height,
            groupId: input.groupId ?? null,
            ...created(actor, clock.now()),
          })
          .returning()
          .get();
        insertItems(tx, layout.id, items);
        return layout;
      });
      const result = view(row);
      announce('created', result);
      return result;
    },

    update(id, patch, actor) {
      const before = getRow(id);
      if (patch.name !== undefined) assertNameFree(patch.name, id);
      assertGroup(patch.groupId);
      const canvas = { width: patch.width ?? before.width, height: patch.height ?? before.height };
      if (canvas.width !== before.width || canvas.height !== before.height) {
        // A smaller canvas must still hold every item.
        const placed = view(before).items;
        const issues = placementIssues(canvas, placed, new Set(placed.flatMap(seatTerminal)));
        if (issues.length > 0) refuseItems(issues);
      }
      const row = db
        .update(seatLayouts)
        .set({ ...patch, ...updated(actor, clock.now()) })
        .where(eq(seatLayouts.id, id))
        .returning()
        .get();
      const result = view(row);
      announce('updated', result);
      return result;
    },

    replaceItems(id, items, actor) {
      const layout = getRow(id);
      assertPlaceable(layout, items);
      const row = db.transaction((tx) => {
        tx.delete(seatLayoutItems).where(eq(seatLayoutItems.layoutId, id)).run();
        insertItems(tx, id, items);
        return tx
          .update(seatLayouts)
          .set(updated(actor, clock.now()))
          .where(eq(seatLayouts.id, id))
          .returning()
          .get();
      });
      const result = view(row);
      announce('items_replaced', result);
      return result;
    },

    remove(id) {
      const layout = summarize([getRow(id)])[0];
      db.delete(seatLayouts).where(eq(seatLayouts.id, id)).run();
      if (layout !== undefined) announce('deleted', layout);
    },
  };
}

const seatTerminal = (item: ItemView): number[] => (item.kind === 'seat' ? [item.terminalId] : []);
