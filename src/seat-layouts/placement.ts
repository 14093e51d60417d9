/**
 * Whether a layout's items can be placed on its canvas: every item within the canvas (rotated
 * about its centre, as the screen draws it), every seat on a terminal that exists, no terminal
 * twice. Items may overlap — a label on a desk, a seat on a desk. Every problem is reported, with
 * the item's index, so a client can mark them all at once.
 *
 * Pure: no I/O.
 */
import type { ItemKind } from './schema.js';

export interface Canvas {
  width: number;
  height: number;
}

export interface Placement {
  kind: ItemKind;
  /** Seats only. */
  terminalId?: number | null | undefined;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Degrees clockwise about the item's centre. */
  rotation: number;
}

export type PlacementIssueCode = 'out_of_canvas' | 'unknown_terminal' | 'terminal_placed_twice';

export interface PlacementIssue {
  /** The item's index in the list. */
  index: number;
  code: PlacementIssueCode;
  message: string;
  terminalId?: number;
}

export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Rounding slack: cos 90° is 6e-17, not 0, so a square turned a quarter would otherwise poke
 * out of a canvas it touches.
 */
const EPSILON = 1e-9;

/** The axis-aligned box the item covers once rotated about its centre. */
export function boundsOf(item: Omit<Placement, 'kind' | 'terminalId'>): Bounds {
  const radians = (item.rotation * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  const halfWidth = (item.width * cos + item.height * sin) / 2;
  const halfHeight = (item.width * sin + item.height * cos) / 2;
  const cx = item.x + item.width / 2;
  const cy = item.y + item.height / 2;
  return {
    left: cx - halfWidth,
    top: cy - halfHeight,
    right: cx + halfWidth,
    bottom: cy + halfHeight,
  };
}

export function withinCanvas(canvas: Canvas, item: Omit<Placement, 'kind' | 'terminalId'>) {
  const b = boundsOf(item);
  return (
    b.left >= -EPSILON &&
    b.top >= -EPSILON &&
    b.right <= canvas.width + EPSILON &&
    b.bottom <= canvas.height + EPSILON
  );
}

/** Every problem of the items, in item order; empty when they can be placed. */
export function placementIssues(
  canvas: Canvas,
  items: readonly Placement[],
  knownTerminals: ReadonlySet<number>,
): PlacementIssue[] {
  const issues: PlacementIssue[] = [];
  const firstSeat = new Map<number, number>();
  items.forEach((item, index) => {
    if (!withinCanvas(canvas, item)) {
      issues.push({
        index,
        code: 'out_of_canvas',
        message: `Item ${index} lies outside the ${canvas.width}×${canvas.height} canvas`,
      });
    }
    const terminalId = item.terminalId;
    if (item.kind !== 'seat' || terminalId === null || terminalId === undefined) return;
    if (!knownTerminals.has(terminalId)) {
      issues.push({
        index,
        code: 'unknown_terminal',
        message: `There is no terminal ${terminalId}`,
        terminalId,
      });
      return;
    }
    const first = firstSeat.get(terminalId);
    if (first === undefined) {
      firstSeat.set(terminalId, index);
      return;
    }
    issues.push({
      index,
      code: 'terminal_placed_twice',
      message: `Terminal ${terminalId} is already placed as item ${first}`,
      terminalId,
    });
  });
  return issues;
}
