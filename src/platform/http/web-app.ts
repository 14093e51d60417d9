/**
 * The web application (web/, built into web/dist by `npm run build`) served at `/`: its page and
 * its hashed assets, public like the login they lead to (the API under /api/v1 checks every
 * request itself). The routes are always declared; without a build they answer 503
 * `web_app_not_built`, saying what to run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** web/dist, from src/platform/http (tsx) and from dist/platform/http (the build) alike. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export async function registerWebApp(app: FastifyInstance, root = WEB_DIST): Promise<void> {
  const built = existsSync(`${root}/index.html`);
  if (built) await app.register(fastifyStatic, { root, serve: false });
  const notBuilt = (reply: FastifyReply) =>
    reply.code(503).send({
      error: {
        code: 'web_app_not_built',
        message: 'The web application is not built: run `npm run build`',
      },
    });
  const page = { config: { permission: 'public' as const }, schema: { hide: true } };
  app.get('/', page, (_request, reply) =>
    built
      ? reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false })
      : notBuilt(reply),
  );
  // Asset names carry their content's hash: cached for good.
  app.get<{ Params: { '*': string } }>('/assets/*', page, (request, reply) =>
    built
      ? reply.sendFile(`assets/${request.params['*']}`, { maxAge: ONE_YEAR_MS, immutable: true })
      : notBuilt(reply),
  );
}
