/**
 * API keys for integrations (CRM connectors, wallboards, scripts). A key carries a role like an
 * agent does, is shown once at creation, is stored hashed, may expire, and is revoked by
 * deleting it.
 */
import { eq, getTableColumns } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created } from '../platform/db/columns.js';
import { countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { apiKeySessions, type SessionWatch } from '../platform/http/session-watch.js';
import { generateToken, hashToken } from './credentials.js';
import { apiKeys, roles } from './schema.js';

export type ApiKeyView = Omit<typeof apiKeys.$inferSelect, 'keyHash'>;

export interface ApiKeyInput {
  name: string;
  roleId: number;
  expiresAt?: Date | null | undefined;
}

export interface ApiKeysService {
  list(page: PageQuery): Page<ApiKeyView>;
  create(input: ApiKeyInput, actor: string): { apiKey: ApiKeyView; key: string };
  remove(id: number): void;
}

/** How much of a key is kept in clear to tell keys apart: the kind prefix and 6 random chars. */
const VISIBLE_PREFIX = 10;

export function createApiKeysService(db: Db, clock: Clock, sessions: SessionWatch): ApiKeysService {
  const { keyHash: _hash, ...visible } = getTableColumns(apiKeys);

  return {
    list({ limit, offset }) {
      const items = db
        .select(visible)
        .from(apiKeys)
        .orderBy(apiKeys.id)
        .limit(limit)
        .offset(offset)
        .all();
      const total = countRows(db, apiKeys);
      return { items, total };
    },

    create(input, actor) {
      const role = db.select({ id: roles.id }).from(roles).where(eq(roles.id, input.roleId)).get();
      if (role === undefined)
        throw unprocessable('unknown_role', `There is no role ${input.roleId}`);
      const clash = db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(eq(apiKeys.name, input.name))
        .get();
      if (clash !== undefined)
        throw conflict('api_key_name_taken', `An API key named "${input.name}" exists`);
      const now = clock.now();
      if (input.expiresAt && input.expiresAt <= now) {
        throw unprocessable('expiry_in_past', 'expiresAt must be in the future');
      }
      const key = generateToken('api_key');
      const apiKey = db
        .insert(apiKeys)
        .values({
          name: input.name,
          prefix: key.slice(0, VISIBLE_PREFIX),
          keyHash: hashToken(key),
          roleId: input.roleId,
          expiresAt: input.expiresAt ?? null,
          ...created(actor, now),
        })
        .returning(visible)
        .get();
      return { apiKey, key };
    },

    remove(id) {
      const deleted = db.delete(apiKeys).where(eq(apiKeys.id, id)).run();
      if (deleted.changes === 0) throw notFound('API key');
      sessions.recheck(apiKeySessions(id));
    },
  };
}
