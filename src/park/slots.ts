/**
 * Park slots (spec §5-3, §13): a parked call waits in a numbered slot (9001–9099 by default) that
 * any phone dials to pick it up. Pure: which slot a new park takes, and what the settings mean.
 */

/** Where a parked call goes when its parker does not take it back in time. */
export type ParkFallback =
  /** Ring the parker again, every timeout, until someone picks the call up or it hangs up. */
  | { kind: 'parker' }
  | { kind: 'group'; groupId: number }
  | { kind: 'extension'; extension: string };

export interface ParkSettings {
  /** The first and last slot numbers (same length, e.g. 9001 and 9099). */
  firstSlot: string;
  lastSlot: string;
  /** How long a call stays parked before its parker is rung back. */
  timeoutSeconds: number;
  fallback: ParkFallback;
}

/** PARK_FALLBACK's text: `parker`, `group:<id>` or `extension:<number>`. */
export function parkFallback(text: string): ParkFallback {
  const [kind, value = ''] = text.split(':');
  if (kind === 'group') return { kind: 'group', groupId: Number(value) };
  if (kind === 'extension') return { kind: 'extension', extension: value };
  return { kind: 'parker' };
}

/** Every slot of the range, in order. */
export function slotsOf(settings: Pick<ParkSettings, 'firstSlot' | 'lastSlot'>): string[] {
  const width = settings.firstSlot.length;
  const slots: string[] = [];
  for (let n = Number(settings.firstSlot); n <= Number(settings.lastSlot); n += 1)
    slots.push(String(n).padStart(width, '0'));
  return slots;
}

export function isSlot(settings: Pick<ParkSettings, 'firstSlot' | 'lastSlot'>, dialled: string) {
  return (
    /^\d+$/.test(dialled) &&
    dialled.length === settings.firstSlot.length &&
    Number(dialled) >= Number(settings.firstSlot) &&
    Number(dialled) <= Number(settings.lastSlot)
  );
}

/** The lowest free slot (the manual's example parks in 9001), or null when all are taken. */
export function freeSlot(
  settings: Pick<ParkSettings, 'firstSlot' | 'lastSlot'>,
  taken: ReadonlySet<string>,
): string | null {
  return slotsOf(settings).find((slot) => !taken.has(slot)) ?? null;
}
