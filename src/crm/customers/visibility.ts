/**
 * CRM権限 (§11-1, §8-1): which business formats' customers a principal may see and edit. An
 * administrator of the formats (business_formats.update) sees every customer; anyone else sees
 * the customers of the formats whose member checklist names them (business_format_agents). An
 * API key without business_formats.update is in no checklist, so it sees none.
 */
import { eq } from 'drizzle-orm';
import type { Principal } from '../../platform/http/auth.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { businessFormatAgents } from '../formats/schema.js';

/** Every format, or only these. */
export type FormatScope = { all: true } | { all: false; formatIds: number[] };

export const ALL_FORMATS: FormatScope = { all: true };

export const FORMAT_ADMIN_PERMISSION = 'business_formats.update';

/** The formats an agent is a member of. */
export function memberFormats(db: DbOrTx, agentId: number): number[] {
  return db
    .select({ id: businessFormatAgents.formatId })
    .from(businessFormatAgents)
    .where(eq(businessFormatAgents.agentId, agentId))
    .all()
    .map((r) => r.id);
}

export function scopeOfPrincipal(db: DbOrTx, principal: Principal): FormatScope {
  if (principal.permissions.has(FORMAT_ADMIN_PERMISSION)) return ALL_FORMATS;
  return {
    all: false,
    formatIds: principal.kind === 'agent' ? memberFormats(db, principal.id) : [],
  };
}

export const inScope = (scope: FormatScope, formatId: number): boolean =>
  scope.all || scope.formatIds.includes(formatId);
