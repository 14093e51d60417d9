/**
 * The caller lookup of CRM自動検索 (§8-1, §11-1): which live customers have the number of a
 * ringing call's other party. One prepared statement, an index seek on customer_phones
 * (digits, live) — never a scan, at any number of customers (scripts/bench-caller-lookup.ts).
 * For the call engine; no HTTP.
 */
import type { CustomerMatch } from '../../calls/customers.js';
import type { Db } from '../../platform/db/client.js';
import { displayIdOf } from './views.js';

/** The match is the shape the call engine's CustomerDirectory port asks for. */
export type { CustomerMatch };

export interface CallerLookup {
  /** Up to MAX_MATCHES live customers with this number (digits as stored), oldest first. */
  matchPhone: (digits: string) => CustomerMatch[];
}

export const MAX_MATCHES = 5;

interface MatchRow {
  id: number;
  name: string;
  formatId: number;
  formatName: string;
}

export function createCallerLookup(db: Db): CallerLookup {
  const sqlite = db.$client;
  const byDigits = sqlite.prepare<[string, number], MatchRow>(
    `SELECT c.id AS id, c.name AS name, c.format_id AS formatId, f.name AS formatName
       FROM (SELECT DISTINCT customer_id FROM customer_phones WHERE digits = ? AND live = 1) p
       JOIN customers c ON c.id = p.customer_id
       JOIN business_formats f ON f.id = c.format_id
      ORDER BY c.id
      LIMIT ?`,
  );
  return {
    matchPhone: (digits) =>
      digits === ''
        ? []
        : byDigits.all(digits, MAX_MATCHES).map((r) => ({ ...r, displayId: displayIdOf(r.id) })),
  };
}
