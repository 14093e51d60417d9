/** CRUD /roles (権限設定) and the permission matrix they are built from. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { roleCreateSchema, roleSchema, roleUpdateSchema, toRole } from './dto.js';
import { PERMISSION_AREAS } from './permissions.js';
import type { RolesService } from './roles-service.js';
import { idParams, security } from '../platform/http/schemas.js';

const tags = ['roles'];

const matrixSchema = z.object({
  areas: z.array(
    z.object({
      area: z.string(),
      label: z.string(),
      actions: z.array(z.object({ permission: z.string(), action: z.string(), label: z.string() })),
    }),
  ),
});

const matrix = {
  areas: Object.entries(PERMISSION_AREAS).map(([area, def]) => ({
    area,
    label: def.label,
    actions: Object.entries(def.actions).map(([action, label]) => ({
      permission: `${area}.${action}`,
      action,
      label,
    })),
  })),
};

export const rolesRoutes: FastifyPluginAsyncZod<{ roles: RolesService }> = async (
  app,
  { roles },
) => {
  app.get('/roles/permissions', {
    config: { permission: 'roles.view' },
    schema: {
      tags,
      security,
      summary: 'The permission matrix: areas × actions, with their Japanese labels',
      response: { 200: matrixSchema, ...errorResponses(401, 403) },
    },
    handler: async () => matrix,
  });

  app.get('/roles', {
    config: { permission: 'roles.view' },
    schema: {
      tags,
      security,
      summary: 'List roles',
      querystring: pageQuery.extend({ name: z.string().min(1).max(64).optional() }),
      response: { 200: pageOf(roleSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = roles.list(request.query);
      return { items: page.items.map(toRole), total: page.total };
    },
  });

  app.post('/roles', {
    config: { permission: 'roles.update' },
    schema: {
      tags,
      security,
      summary: 'Create a custom role',
      body: roleCreateSchema,
      response: { 201: roleSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(toRole(roles.create(request.body, principalOf(request).actor))),
  });

  app.get('/roles/:id', {
    config: { permission: 'roles.view' },
    schema: {
      tags,
      security,
      summary: 'One role',
      params: idParams,
      response: { 200: roleSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toRole(roles.get(request.params.id)),
  });

  app.patch('/roles/:id', {
    config: { permission: 'roles.update' },
    schema: {
      tags,
      security,
      summary: "Rename a role or replace its permissions (the system administrator's are fixed)",
      params: idParams,
      body: roleUpdateSchema,
      response: { 200: roleSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toRole(roles.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/roles/:id', {
    config: { permission: 'roles.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a custom role no agent or API key uses',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request, reply) => {
      roles.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
