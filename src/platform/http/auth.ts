/**
 * Authentication and authorization at the HTTP edge.
 *
 * Every route declares what it needs in `config.permission`: a permission of the matrix
 * (`agents.view`), `authenticated`, or `public`. The declarations are collected as routes are
 * registered (tests walk them), and a route that declares nothing is refused at request time, so a
 * forgotten declaration fails closed.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { RouteAccess } from '../../accounts/permissions.js';
import { forbidden, unauthorized } from './errors.js';

/** Who is calling: an agent with a session token, or an integration with an API key. */
export interface Principal {
  kind: 'agent' | 'api_key';
  /** The agent's or the API key's id. */
  id: number;
  /** How the principal appears in audit columns: the login ID, or `api_key:<name>`. */
  actor: string;
  roleId: number;
  permissions: ReadonlySet<string>;
  /** The session token in use (agents only), so logout can revoke exactly it. */
  tokenId?: number;
  /** When the token or key stops being valid; null for an API key that never expires. */
  expiresAt: Date | null;
}

export interface AgentPrincipal extends Principal {
  kind: 'agent';
  tokenId: number;
}

/** Resolves a bearer token to its principal, or undefined when it is unknown, expired or revoked. */
export type TokenResolver = (token: string) => Promise<Principal | undefined>;

export interface RouteDeclaration {
  method: string;
  url: string;
  permission: RouteAccess | undefined;
  /** The route's schemas (zod on our routes), so tests can walk them (the fuzz test does). */
  schema: FastifySchema | undefined;
  /** A WebSocket route, which answers upgrades rather than plain requests. */
  websocket: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RouteAccess;
    /** Accept the token as `?token=` (browsers cannot set headers on a WebSocket). */
    tokenInQuery?: boolean;
    /** For an agent's own session only (routes about "me"): API keys are refused, 403. */
    sessionOnly?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    routeDeclarations: RouteDeclaration[];
  }
}

export interface AuthPluginOptions {
  resolveToken: TokenResolver;
  /** URL prefixes whose routes are registered by plugins we do not own and are public. */
  publicPrefixes: string[];
}

/** The token of a request: the Authorization header, or `?token=` where the route allows it. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  if (request.routeOptions.config.tokenInQuery === true) {
    const query = request.query as Record<string, unknown> | undefined;
    const token = query?.token;
    return typeof token === 'string' && token.length > 0 ? token : undefined;
  }
  return undefined;
}

async function authPlugin(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  app.decorate('routeDeclarations', [] as RouteDeclaration[]);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (
      route.config?.permission === undefined &&
      options.publicPrefixes.some((prefix) => route.url.startsWith(prefix))
    ) {
      route.config = { ...route.config, permission: 'public' };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      app.routeDeclarations.push({
        method,
        url: route.url,
        permission: route.config?.permission,
        schema: route.schema,
        websocket: route.websocket === true,
      });
    }
  });

  app.addHook('onRequest', async (request) => {
    // Unknown URLs have no route config; the not-found handler answers them.
    if (request.is404) return;
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) {
      throw forbidden('route_not_declared', 'This route declares no permission and is closed');
    }
    if (permission === 'public') return;

    const token = bearerToken(request);
    if (token === undefined) {
      throw unauthorized('unauthenticated', 'A bearer token is required');
    }
    const principal = await options.resolveToken(token);
    if (principal === undefined) {
      throw unauthorized('invalid_token', 'The token is unknown, expired or revoked');
    }
    request.principal = principal;
    if (request.routeOptions.config.sessionOnly === true && principal.kind !== 'agent') {
      throw agentRequired();
    }
    if (permission !== 'authenticated') requirePermission(principal, permission);
  });
}

export const authentication = fp(authPlugin, { name: 'authentication' });

/**
 * Refuses (403) a principal without the permission: the check every route's declaration makes,
 * for handlers where part of a route needs more (e.g. a CSV download of a report).
 */
export function requirePermission(principal: Principal, permission: string): void {
  if (!principal.permissions.has(permission)) {
    throw forbidden('permission_denied', `This needs the permission ${permission}`, {
      required: permission,
    });
  }
}

const agentRequired = () =>
  forbidden('agent_required', 'This route is for agents logged in with a session token');

/** The principal of an authenticated route (the onRequest hook guarantees it is set). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw unauthorized('unauthenticated', 'Not authenticated');
  return request.principal;
}

/** The agent behind the request; API keys are refused on routes about "me". */
export function agentOf(request: FastifyRequest): AgentPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'agent' || principal.tokenId === undefined) throw agentRequired();
  return principal as AgentPrincipal;
}
