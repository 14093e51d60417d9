/**
 * Seat layouts (座席レイアウト, spec §10-7): floor plans drawn freely on a canvas, holding the
 * center's terminals as seats (端末) and walls, pillars, desks and labels (オブジェクト). The
 * screen shows on each seat the live status of the agent on its phone.
 *
 * A layout's items are replaced as a whole (one PUT), so they carry their order, not an identity.
 * Deleting a terminal removes its seats; deleting a group leaves its layouts without a group.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { auditColumns } from '../platform/db/columns.js';
import { groups } from '../queues/schema.js';
import { terminals } from '../terminals/schema.js';

/** `seat`: a terminal (端末); the others are objects (オブジェクト). */
export const ITEM_KINDS = ['seat', 'wall', 'pillar', 'desk', 'label'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const seatLayouts = sqliteTable('seat_layouts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** The floor canvas, in the screen's units (pixels at 100 %); items must lie within it. */
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  /** The group whose floor this is (optional): the screen may offer it for that group. */
  groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
  ...auditColumns(),
});

export const seatLayoutItems = sqliteTable(
  'seat_layout_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    layoutId: integer('layout_id')
      .notNull()
      .references(() => seatLayouts.id, { onDelete: 'cascade' }),
    /** The item's place in the layout's list: drawn in this order. */
    position: integer('position').notNull(),
    kind: text('kind', { enum: ITEM_KINDS }).notNull(),
    /** A seat's terminal (seats only). */
    terminalId: integer('terminal_id').references(() => terminals.id, { onDelete: 'cascade' }),
    /** The top-left corner before rotation, and the size. */
    x: integer('x').notNull(),
    y: integer('y').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** Degrees clockwise about the item's centre, 0–359. */
    rotation: integer('rotation').notNull().default(0),
    /** A label's text (labels only). */
    label: text('label'),
  },
  (t) => [
    index('seat_layout_items_layout_idx').on(t.layoutId, t.position),
    // A terminal sits once in a layout (it may sit in several layouts).
    uniqueIndex('seat_layout_items_terminal_unique').on(t.layoutId, t.terminalId),
    index('seat_layout_items_terminal_idx').on(t.terminalId),
  ],
);

export type SeatLayoutRow = typeof seatLayouts.$inferSelect;
export type SeatLayoutItemRow = typeof seatLayoutItems.$inferSelect;
