/** The manual's formats on screen (A.24): 2024-11-18 11:15:58 and 2024/10/23, in local time. */

const two = (n: number) => String(n).padStart(2, '0');

export function dateTimeOf(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
  );
}

export function dateOf(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}/${two(d.getMonth() + 1)}/${two(d.getDate())}`;
}

/** A datetime-local input's value for an instant (local time, to the second). */
export function localInputOf(d: Date): string {
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
  );
}
