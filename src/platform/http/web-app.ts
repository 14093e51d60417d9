/**
 * The web application (web/, built into web/dist by `npm run build:web`) served at `/`: its page
 * and its hashed assets, public like the login they lead to (the API under /api/v1 checks every
 * request itself). Without a build there is nothing to serve and the routes are not declared.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** web/dist, from src/platform/http (tsx) and from dist/platform/http (the build) alike. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export async function registerWebApp(app: FastifyInstance, root = WEB_DIST): Promise<boolean> {
  if (!existsSync(`${root}/index.html`)) return false;
  await app.register(fastifyStatic, { root, serve: false });
  const page = { config: { permission: 'public' as const }, schema: { hide: true } };
  app.get('/', page, (_request, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html'),
  );
  // Asset names carry their content's hash: cached for good.
  app.get<{ Params: { '*': string } }>('/assets/*', page, (request, reply) =>
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(`assets/${request.params['*']}`),
  );
  return true;
}
