/** POST /auth/login, POST /auth/logout, GET and PATCH /me, PUT /me/password. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agentOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import type { AgentsService } from './agents-service.js';
import type { AuthService } from './auth-service.js';
import {
  agentSchema,
  nameSchema,
  passwordSchema,
  pinSchema,
  preferencesSchema,
  toAgent,
} from './dto.js';
import type { RolesService } from './roles-service.js';
import { instant } from '../platform/http/schemas.js';

export interface AuthRoutesOptions {
  auth: AuthService;
  agents: AgentsService;
  roles: RolesService;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (
  app,
  { auth, agents, roles },
) => {
  app.post('/auth/login', {
    config: { permission: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Log in (ログイン) and receive a bearer token',
      description:
        'An unknown login ID, a wrong password and a locked account with a wrong password all ' +
        'answer 401 invalid_credentials. AUTH_MAX_FAILED_LOGINS consecutive failures lock the ' +
        'account for AUTH_LOCK_MINUTES (0: until an administrator unlocks it); the right password ' +
        'of a locked account answers 403 account_locked with `lockedUntil`. Failed logins are ' +
        'throttled per client address and per login ID: past the limit, 429 too_many_attempts ' +
        'with Retry-After. With AUTH_SINGLE_SESSION a second login of the same account is ' +
        'refused with 409 already_logged_in.',
      body: z.object({ loginId: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      response: {
        200: z.object({ token: z.string(), expiresAt: instant, agent: agentSchema }),
        ...errorResponses(400, 401, 403, 409, 429),
      },
    },
    handler: async (request) => {
      const { token, expiresAt, agent } = await auth.login(
        request.body.loginId,
        request.body.password,
        {
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        },
      );
      return { token, expiresAt: expiresAt.toISOString(), agent: toAgent(agents.get(agent.id)) };
    },
  });

  app.post('/auth/logout', {
    config: { permission: 'authenticated', sessionOnly: true },
    schema: {
      tags: ['auth'],
      summary: 'Log out (ログアウト): revoke the token in use',
      security: [{ bearerAuth: [] }],
      response: { 204: z.undefined(), ...errorResponses(401, 403) },
    },
    handler: async (request, reply) => {
      auth.logout(agentOf(request));
      return reply.status(204).send();
    },
  });

  app.get('/me', {
    config: { permission: 'authenticated', sessionOnly: true },
    schema: {
      tags: ['auth'],
      summary: 'The logged-in agent, with the permissions of their role',
      security: [{ bearerAuth: [] }],
      response: {
        200: agentSchema.extend({ permissions: z.array(z.string()) }),
        ...errorResponses(401, 403),
      },
    },
    handler: async (request) => {
      const principal = agentOf(request);
      const agent = agents.get(principal.id);
      // The session's own: the role's, with what the settings grant on top.
      return { ...toAgent(agent), permissions: [...principal.permissions] };
    },
  });

  app.patch('/me', {
    config: { permission: 'personal_settings.update', sessionOnly: true },
    schema: {
      tags: ['auth'],
      summary:
        'Change my own settings (固有設定, §12): the interface language, my nickname, pop-ups and notifications',
      security: [{ bearerAuth: [] }],
      body: preferencesSchema
        .extend({
          language: z.enum(['ja', 'en']),
          nickname: nameSchema,
        })
        .partial()
        .strict(),
      response: {
        200: agentSchema.extend({ permissions: z.array(z.string()) }),
        ...errorResponses(400, 401, 403),
      },
    },
    handler: async (request) => {
      const principal = agentOf(request);
      const agent = await agents.update(principal.id, request.body, principal);
      return { ...toAgent(agent), permissions: roles.get(agent.roleId).permissions };
    },
  });

  app.put('/me/password', {
    config: { permission: 'password.update', sessionOnly: true },
    schema: {
      tags: ['auth'],
      summary: 'Change my password and/or PIN (パスワード)',
      description: 'Changing the password ends every other session of the account.',
      security: [{ bearerAuth: [] }],
      body: z
        .object({
          currentPassword: z.string().min(1).max(256),
          newPassword: passwordSchema.optional(),
          newPin: pinSchema.optional(),
        })
        .refine((b) => b.newPassword !== undefined || b.newPin !== undefined, {
          error: 'give newPassword, newPin or both',
        }),
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 422) },
    },
    handler: async (request, reply) => {
      await auth.changeOwnCredentials(agentOf(request), request.body);
      return reply.status(204).send();
    },
  });
};
