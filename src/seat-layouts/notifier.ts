/**
 * The `seat_layouts` topic (seat_layouts.view): the layouts as their list shows them as the
 * snapshot, then `layout_changed` whenever one is created, renamed or resized, gets new items, or
 * is deleted — so an open seat-layout screen reloads the layout (GET /seat-layouts/{id}). The
 * agents' live status on the seats is the `agents` topic's.
 */
import type { Hub } from '../platform/realtime/hub.js';
import { auditOf } from '../platform/http/schemas.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { SeatLayoutSummary } from './service.js';

export const SEAT_LAYOUTS_VIEW = 'seat_layouts.view';

export type LayoutChange = 'created' | 'updated' | 'items_replaced' | 'deleted';

export interface SeatLayoutSummaryWire {
  id: number;
  name: string;
  width: number;
  height: number;
  groupId: number | null;
  terminalCount: number;
  objectCount: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface SeatLayoutEvents {
  /** `layout` as it is now (as it was, for `deleted`). */
  layout_changed: { layoutId: number; change: LayoutChange; layout: SeatLayoutSummaryWire };
}

export const toSummaryWire = (s: SeatLayoutSummary): SeatLayoutSummaryWire => ({
  id: s.id,
  name: s.name,
  width: s.width,
  height: s.height,
  groupId: s.groupId,
  terminalCount: s.terminalCount,
  objectCount: s.objectCount,
  ...auditOf(s),
});

export function createSeatLayoutsNotifier(hub: Hub, all: () => SeatLayoutSummary[]) {
  hub.defineTopic('seat_layouts', {
    canSubscribe: (p) => p.permissions.has(SEAT_LAYOUTS_VIEW),
    snapshot: () => ({ layouts: all().map(toSummaryWire) }),
  });
  const topic = typedTopic<SeatLayoutEvents>(hub, 'seat_layouts');
  return {
    layoutChanged: (change: LayoutChange, layout: SeatLayoutSummary) =>
      void topic.publish(
        'layout_changed',
        { layoutId: layout.id, change, layout: toSummaryWire(layout) },
        // Also for a subscriber whose role lost the permission since subscribing.
        (p) => p.permissions.has(SEAT_LAYOUTS_VIEW),
      ),
  };
}
