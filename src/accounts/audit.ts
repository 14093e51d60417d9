/**
 * The two append-only account logs: authentication events (every attempt, lock, unlock, logout)
 * and the per-agent change history (who changed which field when, old → new, secrets masked).
 */
import type { DbOrTx } from '../platform/db/client.js';
import { agentChanges, authEvents, type AuthEventKind } from './schema.js';

export interface AuthEvent {
  at: Date;
  kind: AuthEventKind;
  loginId: string;
  agentId?: number | null;
  detail?: string | null;
  ip?: string | null;
  actor?: string | null;
}

export function recordAuthEvent(db: DbOrTx, event: AuthEvent): void {
  db.insert(authEvents)
    .values({
      at: event.at,
      kind: event.kind,
      // An unknown login ID is stored as typed, but never more of it than a real one could be.
      loginId: event.loginId.slice(0, 64),
      agentId: event.agentId ?? null,
      detail: event.detail ?? null,
      ip: event.ip ?? null,
      actor: event.actor ?? null,
    })
    .run();
}

export const MASK = '********';

/** A field's value as the change history shows it. */
export type HistoryValue = string | number | boolean | null;

export interface FieldChange {
  field: string;
  oldValue: HistoryValue;
  newValue: HistoryValue;
}

/** The fields that differ between two snapshots, in the order of `after`'s keys. */
export function diffFields(
  before: Record<string, HistoryValue>,
  after: Record<string, HistoryValue>,
): FieldChange[] {
  return Object.keys(after)
    .filter((field) => before[field] !== after[field])
    .map((field) => ({ field, oldValue: before[field] ?? null, newValue: after[field] ?? null }));
}

export function recordAgentChanges(
  db: DbOrTx,
  agentId: number,
  changes: FieldChange[],
  by: string,
  at: Date,
): void {
  if (changes.length === 0) return;
  db.insert(agentChanges)
    .values(
      changes.map((c) => ({
        agentId,
        at,
        by,
        field: c.field,
        oldValue: c.oldValue === null ? null : String(c.oldValue),
        newValue: c.newValue === null ? null : String(c.newValue),
      })),
    )
    .run();
}
