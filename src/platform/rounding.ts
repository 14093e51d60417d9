/** The roundings statistics are shown with (the seed's tables: 33.33%, 12.5s). Pure. */

/** part ÷ whole in %, 2 decimals; null for an empty whole. */
export function percent(part: number, whole: number): number | null {
  // Rounded in hundredths of a percent, from the integers: (part·10000) ÷ whole lands exactly on
  // a half when the true value is one (1/32 → 312.5 → 3.13), where scaling an already rounded
  // percentage by 100 can miss it (1.005·100 = 100.49999…).
  return whole === 0 ? null : Math.round((part * 10000) / whole) / 100;
}

/** total ÷ count to 1 decimal; 0 when there is nothing to average. */
export function average(total: number, count: number): number {
  return count === 0 ? 0 : Math.round((total * 10) / count) / 10;
}
