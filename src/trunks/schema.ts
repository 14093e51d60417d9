/**
 * Trunks: the carrier connections. Outbound calls leave through them and DID calls arrive
 * from them (recognised by source address). Provisioned into Asterisk like terminals.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { auditColumns } from '../platform/db/columns.js';
import { DTMF_MODES } from '../terminals/schema.js';

export const trunks = sqliteTable('trunks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  host: text('host').notNull(),
  port: integer('port').notNull().default(5060),
  /** Credentials for the carrier's digest challenges (and registration); optional. */
  username: text('username'),
  secretSealed: text('secret_sealed'),
  /** Register to the carrier (outbound registration); needs a username. */
  register: integer('register', { mode: 'boolean' }).notNull().default(false),
  fromUser: text('from_user'),
  fromDomain: text('from_domain'),
  /** Source addresses (IP or CIDR) whose calls are this trunk's; default: the host. */
  matchAddresses: text('match_addresses', { mode: 'json' }).$type<string[]>().notNull(),
  codecs: text('codecs', { mode: 'json' }).$type<string[]>().notNull(),
  dtmfMode: text('dtmf_mode', { enum: DTMF_MODES }).notNull().default('rfc4733'),
  /** Concurrent calls allowed on the trunk; 0 = no limit. */
  maxChannels: integer('max_channels').notNull().default(0),
  /** Outbound calls use the enabled trunk with the lowest priority (unless the number names one). */
  priority: integer('priority').notNull().default(0),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  ...auditColumns(),
});

export type TrunkRow = typeof trunks.$inferSelect;
