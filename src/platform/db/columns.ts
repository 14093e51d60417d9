/**
 * Column sets shared by every master table. The seed manuals show "registered / updated" with a
 * time and the user on every record, so every master table carries them.
 */
import { integer, text } from 'drizzle-orm/sqlite-core';

/** A UTC instant stored as milliseconds since the epoch. */
export const instant = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const auditColumns = () => ({
  createdAt: instant('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  updatedAt: instant('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

/** Values for the audit columns of a new row. */
export function created(actor: string, at: Date) {
  return { createdAt: at, createdBy: actor, updatedAt: at, updatedBy: actor };
}

/** Values for the audit columns of an updated row. */
export function updated(actor: string, at: Date) {
  return { updatedAt: at, updatedBy: actor };
}
