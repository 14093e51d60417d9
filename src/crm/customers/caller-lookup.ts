/**
 * The caller lookup of CRM自動検索 (§8-1, §11-1): which live customers have the number of a
 * ringing call's other party. One prepared statement, an index seek on customer_phones
 * (digits, live) — never a scan, at any number of customers (scripts/bench-caller-lookup.ts).
 * For the call engine; no HTTP.
 */
import type { CustomerMatch } from '../../calls/customers.js';
import type { Db } from '../../platform/db/client.js';
import { displayIdOf } from './views.js';
import { FORMAT_ADMIN_PERMISSION } from './visibility.js';

/** The match is the shape the call engine's CustomerDirectory port asks for. */
export type { CustomerMatch };

export interface CallerLookup {
  /** Up to MAX_MATCHES live customers with this number (digits as stored), oldest first. */
  matchPhone: (digits: string) => CustomerMatch[];
  /**
   * The matches an agent may see: all for an agent whose role administers the formats
   * (business_formats.update), else those of the formats whose members include the agent.
   */
  visibleTo: (agentId: number, matches: readonly CustomerMatch[]) => CustomerMatch[];
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
  const formatsOf = sqlite.prepare<[number], { formatId: number }>(
    'SELECT format_id AS formatId FROM business_format_agents WHERE agent_id = ?',
  );
  const permissionsOf = sqlite.prepare<[number], { permissions: string }>(
    'SELECT r.permissions AS permissions FROM agents a JOIN roles r ON r.id = a.role_id WHERE a.id = ?',
  );
  return {
    matchPhone: (digits) =>
      digits === ''
        ? []
        : byDigits.all(digits, MAX_MATCHES).map((r) => ({ ...r, displayId: displayIdOf(r.id) })),
    visibleTo: (agentId, matches) => {
      if (matches.length === 0) return [];
      const role = permissionsOf.get(agentId);
      if (role === undefined) return [];
      const permissions = JSON.parse(role.permissions) as unknown;
      if (Array.isArray(permissions) && permissions.includes(FORMAT_ADMIN_PERMISSION))
        return [...matches];
      const member = new Set(formatsOf.all(agentId).map((r) => r.formatId));
      return matches.filter((m) => member.has(m.formatId));
    },
  };
}
