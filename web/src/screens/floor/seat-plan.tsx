/**
 * The plan of a seat layout (§10-7) as both the live view and the editor draw it: the canvas
 * scaled to the screen, each item at its place, turned about its centre.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Answer, BodyOf } from '../../api/client';
import type { AgentStatus } from '../../feed/topics';
import type { CustomStatus } from '../desk/custom-statuses';

export type SeatLayout = Answer<'/api/v1/seat-layouts/{id}', 'get'>;
export type LayoutItem = SeatLayout['items'][number];
export type ItemIn = BodyOf<'/api/v1/seat-layouts/{id}/items', 'put'>['items'][number];
export type ItemKind = ItemIn['kind'];

/** Preact 11 writes numbers in a style as they are: lengths need their unit. */
const px = (n: number) => `${n}px`;

/** An element's inline style. */
export type Style = Record<string, string | number | undefined>;

export interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
}

/**
 * How much a canvas `width` wide is scaled to fit the frame it is drawn in (never enlarged):
 * `frame` is the ref for that frame, `scale` follows its width.
 */
export function useFit(width: number): {
  frame: (el: HTMLDivElement | null) => void;
  scale: number;
} {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [room, setRoom] = useState(width);
  useEffect(() => {
    if (el === null) return;
    // The plan's border (2 px a side) is outside the canvas.
    const measure = () => setRoom(el.clientWidth - 4);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return { frame: setEl, scale: room > 0 ? Math.min(1, room / width) : 1 };
}

export function Plan(props: {
  width: number;
  height: number;
  scale: number;
  children: ComponentChildren;
  testid: string;
}) {
  return (
    <div
      class="seat-plan"
      data-testid={props.testid}
      style={{ width: px(props.width * props.scale), height: px(props.height * props.scale) }}
    >
      {props.children}
    </div>
  );
}

/** Where an item is drawn on a plan drawn at `scale`. */
export function placeStyle(item: Placed, scale: number): Style {
  return {
    left: px(item.x * scale),
    top: px(item.y * scale),
    width: px(item.width * scale),
    height: px(item.height * scale),
    transform: item.rotation === 0 ? undefined : `rotate(${item.rotation}deg)`,
  };
}

const BUILT_IN = new Set(['offline', 'available', 'ringing', 'on_call', 'on_hold', 'paused']);

/** A seat's colours: a custom status's own, else the built-in status's (as its label shows). */
export function seatLook(
  status: AgentStatus | undefined,
  custom: CustomStatus[],
): { status: string; style: Style } {
  const own = custom.find((c) => c.id === status?.customStatusId);
  if (own !== undefined)
    return {
      status: 'custom',
      style: { background: own.backgroundColor, color: own.fontColor, borderColor: own.fontColor },
    };
  const name = status !== undefined && BUILT_IN.has(status.status) ? status.status : 'offline';
  return { status: name, style: {} };
}
