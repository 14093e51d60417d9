/** GET /healthz (the process is up) and GET /readyz (database, ARI and AMI connected). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AsteriskGateway } from '../platform/asterisk/gateway.js';
import { readiness } from './readiness.js';

export interface SystemRoutesOptions {
  asterisk: AsteriskGateway;
  databaseProblem: () => string | undefined;
  version: string;
}

const linkState = z.enum(['connecting', 'connected', 'disconnected', 'stopped']);

const readinessSchema = z.object({
  ready: z.boolean(),
  checks: z.object({
    database: z.object({ ok: z.boolean(), problem: z.string().optional() }),
    ari: z.object({ ok: z.boolean(), state: z.string() }),
    ami: z.object({ ok: z.boolean(), state: z.string() }),
  }),
  asterisk: z.object({
    mode: z.enum(['managed', 'external']),
    ari: linkState,
    ami: linkState,
    process: z.enum(['idle', 'starting', 'running', 'exited', 'stopped']).optional(),
    reason: z.string().optional(),
  }),
  reason: z.string().optional(),
});

export const systemRoutes: FastifyPluginAsyncZod<SystemRoutesOptions> = async (app, options) => {
  app.get('/healthz', {
    config: { permission: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Liveness: the process is up',
      response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
    },
    handler: async () => ({ status: 'ok' as const, version: options.version }),
  });

  app.get('/readyz', {
    config: { permission: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Readiness: database, ARI and AMI connected (503 with the reason otherwise)',
      response: { 200: readinessSchema, 503: readinessSchema },
    },
    handler: async (_request, reply) => {
      const result = readiness(options.databaseProblem(), options.asterisk.status());
      return reply.status(result.ready ? 200 : 503).send(result);
    },
  });
};
