/**
 * The request and response pieces every resource shares (design §3): ids in paths and queries,
 * integers in query strings, instants, the audit fields of master records, text fields, and the
 * bearer security requirement. Defined once, so every route validates them alike.
 */
import { z } from 'zod';

/** Every authenticated operation's security requirement, for OpenAPI. */
export const security = [{ bearerAuth: [] }];

export const instant = z.iso.datetime().describe('UTC instant, ISO 8601');

export const isoOf = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * A whole number written in plain decimal, as a query string or path carries it. `Number()`
 * (and so z.coerce) also reads `0x1`, `1e0`, ` 1`, `1.0` and `+1` as numbers, which would make
 * one resource answer to many spellings; this reads only the decimal digits.
 */
export function decimalInteger(bounds: { min?: number; max?: number } = {}) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,14})$/, { error: 'must be a whole number in decimal digits' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(bounds.min ?? 0)
        .max(bounds.max ?? Number.MAX_SAFE_INTEGER),
    );
}

/** A row id: a positive decimal integer. */
export const id = () => decimalInteger({ min: 1 });

export const idParams = z.object({ id: id() });

export const auditFields = {
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
};

interface AuditedRow {
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

/** The audit fields of a row, as the wire has them. */
export const auditOf = (row: AuditedRow) => ({
  createdAt: isoOf(row.createdAt),
  createdBy: row.createdBy,
  updatedAt: isoOf(row.updatedAt),
  updatedBy: row.updatedBy,
});

/** A row as it is, with its audit instants as ISO strings. */
export const withAudit = <T extends AuditedRow>(row: T) => ({ ...row, ...auditOf(row) });

/**
 * Characters no name may hold: control characters (NUL, CR, LF, TAB, DEL, C1), line and
 * paragraph separators, the bidirectional controls (U+061C, U+200E/F, U+202A–E, U+2066–9) that
 * make a name display as something else (a "Trojan Source" name in a list or a log), and the
 * invisible U+FEFF.
 */
const NOT_IN_NAMES = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
/** In text that may span lines, tabs and line breaks are fine; the rest is not. */
const NOT_IN_TEXT =
  /(?![\t\n\r])[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** Whether a one-line text holds none of the characters above (for URLs, secrets …). */
export const isVisibleText = (text: string): boolean => !NOT_IN_NAMES.test(text);

/**
 * A one-line text such as a name: trimmed, `min`–`max` characters, no control or bidi
 * characters (checked before trimming, so a trailing CR/LF is refused, not hidden).
 */
export function singleLine(max: number, min = 1) {
  return z
    .string()
    .refine((v) => !NOT_IN_NAMES.test(v), {
      error: 'must not contain control characters or bidirectional overrides',
    })
    .trim()
    .min(min)
    .max(max);
}

/** A text that may span lines (a message, remarks): line breaks and tabs allowed. */
export function multiLine(max: number) {
  return z
    .string()
    .refine((v) => !NOT_IN_TEXT.test(v), {
      error: 'must not contain control characters or bidirectional overrides',
    })
    .max(max);
}

/**
 * A 200 that comes as JSON or as text (a CSV download, a queue_log export), for the OpenAPI
 * document: each content type with its own schema. Fastify sends a string as it is.
 */
export function jsonOrText<J extends z.ZodType>(json: J, text: 'text/csv' | 'text/plain') {
  return {
    content: {
      'application/json': { schema: json },
      [text]: { schema: z.string().describe(text === 'text/csv' ? 'CSV (UTF-8 with BOM)' : text) },
    },
  };
}
