/**
 * What a person types as a postal code (〒160-0023, １６０－００２３, 160 0023) as the 7 digits
 * Japan Post files it under. Pure.
 */

/** Full-width digits, the postal mark, hyphens and dashes of every width, and spaces. */
const DECORATION = /[〒\s\-‐‑–—−－ー]/g;

/** The 7 digits of a postal code, or null when `text` is not one. */
export function normalisePostalCode(text: string): string | null {
  const digits = text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(DECORATION, '');
  return /^\d{7}$/.test(digits) ? digits : null;
}
