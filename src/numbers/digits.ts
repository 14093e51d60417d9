/** Telephone numbers as the manuals keep them (half-width digits only), and the 備考 kept with them. */
import { z } from 'zod';
import { singleLine } from '../platform/http/schemas.js';

/**
 * A telephone number: digits, written with or without hyphens and spaces (03-1234-5678), kept as
 * digits only (0312345678). A leading + is kept for international numbers.
 */
export const phoneDigits = z
  .string()
  .transform((v) => v.replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .regex(/^\+?[0-9]{2,20}$/, { error: 'must be 2-20 half-width digits (hyphens allowed)' }),
  )
  .describe('Telephone number, half-width digits (hyphens are removed)');

/** Whether a text is a telephone number as phoneDigits reads it. */
export function isPhoneNumber(text: string): boolean {
  return phoneDigits.safeParse(text).success;
}

/** 備考: the remark kept with a blocked or restricted number. */
export const noteText = singleLine(200, 0);

export const extensionDigits = z
  .string()
  .regex(/^[0-9]{2,8}$/, { error: 'must be 2-8 digits' })
  .describe('Extension (内線)');

/** Replaces `@@@@` in a popup URL with the other party's number (§11-5). */
export function popupUrl(template: string | null, otherParty: string): string | null {
  if (template === null || template === '') return null;
  return template.split('@@@@').join(encodeURIComponent(otherParty));
}
