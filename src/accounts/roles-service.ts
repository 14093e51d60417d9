/**
 * Roles: named permission sets (§11-13). The three built-in roles always exist; system_admin
 * always holds every permission (so an administrator can never lock everybody out), the other
 * two are editable. Custom roles come and go, but not while an agent or API key uses them.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { roleHolders, type SessionWatch } from '../platform/http/session-watch.js';
import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLE_NAMES,
  BUILT_IN_ROLES,
  defaultPermissions,
  type BuiltInRole,
  type Permission,
} from './permissions.js';
import { agents, apiKeys, roles, type RoleRow } from './schema.js';

export interface RoleInput {
  name: string;
  permissions: Permission[];
}

export interface RolesService {
  ensureBuiltInRoles(): void;
  builtInRoleId(role: BuiltInRole): number;
  list(query: PageQuery & { name?: string | undefined }): Page<RoleRow>;
  get(id: number): RoleRow;
  create(input: RoleInput, actor: string): RoleRow;
  update(id: number, input: Partial<RoleInput>, actor: string): RoleRow;
  remove(id: number): void;
}

/** Permissions in matrix order, without duplicates. */
function normalize(permissions: readonly string[]): Permission[] {
  const wanted = new Set(permissions);
  return ALL_PERMISSIONS.filter((p) => wanted.has(p));
}

export function createRolesService(db: Db, clock: Clock, sessions: SessionWatch): RolesService {
  function get(id: number): RoleRow {
    const row = db.select().from(roles).where(eq(roles.id, id)).get();
    if (row === undefined) throw notFound('Role');
    return row;
  }

  function assertNameFree(name: string, exceptId?: number): void {
    const clash = db
      .select({ id: roles.id })
      .from(roles)
      .where(
        exceptId === undefined
          ? eq(roles.name, name)
          : and(eq(roles.name, name), ne(roles.id, exceptId)),
      )
      .get();
    if (clash !== undefined) throw conflict('role_name_taken', `A role named "${name}" exists`);
  }

  return {
    ensureBuiltInRoles() {
      const now = clock.now();
      for (const builtIn of BUILT_IN_ROLES) {
        const existing = db.select().from(roles).where(eq(roles.builtIn, builtIn)).get();
        if (existing === undefined) {
          db.insert(roles)
            .values({
              builtIn,
              name: BUILT_IN_ROLE_NAMES[builtIn],
              permissions: defaultPermissions(builtIn),
              ...created('system', now),
            })
            .run();
        } else if (builtIn === 'system_admin') {
          // Permissions added by a newer version reach the administrators automatically.
          const all = defaultPermissions('system_admin');
          if (existing.permissions.join() !== all.join()) {
            db.update(roles).set({ permissions: all }).where(eq(roles.id, existing.id)).run();
          }
        }
      }
    },

    builtInRoleId(role) {
      const row = db.select({ id: roles.id }).from(roles).where(eq(roles.builtIn, role)).get();
      if (row === undefined) throw new Error(`built-in role ${role} is missing`);
      return row.id;
    },

    list({ limit, offset, name }) {
      const where = name === undefined ? undefined : contains(roles.name, name);
      const items = db
        .select()
        .from(roles)
        .where(where)
        .orderBy(roles.id)
        .limit(limit)
        .offset(offset)
        .all();
      const total = countRows(db, roles, where);
      return { items, total };
    },

    get,

    create(input, actor) {
      assertNameFree(input.name);
      return db
        .insert(roles)
        .values({
          name: input.name,
          permissions: normalize(input.permissions),
          ...created(actor, clock.now()),
        })
        .returning()
        .get();
    },

    update(id, input, actor) {
      const role = get(id);
      if (role.builtIn === 'system_admin' && input.permissions !== undefined) {
        throw unprocessable(
          'built_in_role_fixed',
          'The system administrator role always holds every permission',
        );
      }
      if (input.name !== undefined) assertNameFree(input.name, id);
      const row = db
        .update(roles)
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.permissions !== undefined && { permissions: normalize(input.permissions) }),
          ...updated(actor, clock.now()),
        })
        .where(eq(roles.id, id))
        .returning()
        .get();
      // Open realtime connections of the role's holders see what the new permissions allow.
      if (input.permissions !== undefined) sessions.recheck(roleHolders(id));
      return row;
    },

    remove(id) {
      const role = get(id);
      if (role.builtIn !== null) {
        throw unprocessable('built_in_role', 'Built-in roles cannot be deleted');
      }
      const agentUsers = countRows(db, agents, eq(agents.roleId, id));
      const keyUsers = countRows(db, apiKeys, eq(apiKeys.roleId, id));
      if (agentUsers + keyUsers > 0) {
        throw conflict('role_in_use', 'Agents or API keys still use this role', {
          agents: agentUsers,
          apiKeys: keyUsers,
        });
      }
      db.delete(roles).where(eq(roles.id, id)).run();
    },
  };
}
