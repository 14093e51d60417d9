/**
 * buildApp(deps): the Fastify instance, with every plugin and route. main.ts builds the deps
 * from the configuration and the tests build them around a private Asterisk; both get the same
 * application.
 */
import { randomUUID } from 'node:crypto';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createAgentsService } from './accounts/agents-service.js';
import { agentsRoutes } from './accounts/agents-routes.js';
import { createApiKeysService } from './accounts/api-keys-service.js';
import { apiKeysRoutes } from './accounts/api-keys-routes.js';
import { authRoutes } from './accounts/auth-routes.js';
import { createAuthService } from './accounts/auth-service.js';
import { createRolesService } from './accounts/roles-service.js';
import { rolesRoutes } from './accounts/roles-routes.js';
import type { Config } from './config.js';
import type { AsteriskGateway } from './platform/asterisk/gateway.js';
import { systemClock, type Clock } from './platform/clock.js';
import { databaseProblem, type Database } from './platform/db/client.js';
import { authentication } from './platform/http/auth.js';
import { registerErrorHandlers } from './platform/http/errors.js';
import { DOCS_PREFIX, registerOpenApi } from './platform/http/openapi.js';
import type { Logger } from './platform/logger.js';
import type { Hub } from './platform/realtime/hub.js';
import type { SecretBox } from './platform/secrets.js';
import type { Provisioner } from './platform/asterisk/provisioning.js';
import { createCustomStatusesService } from './agents/custom-statuses-service.js';
import { agentStatusRoutes } from './agents/routes.js';
import { createAgentStatusService } from './agents/status-service.js';
import { createExtensionRegistry } from './dialplan/extensions.js';
import { createBlockedNumbersService } from './numbers/blocked-numbers-service.js';
import { createExternalTransfersService } from './numbers/external-transfers-service.js';
import { listsRoutes } from './numbers/lists-routes.js';
import { createOutboundRestrictionsService } from './numbers/outbound-restrictions-service.js';
import { createPhoneNumbersService } from './numbers/phone-numbers-service.js';
import { phoneNumbersRoutes } from './numbers/phone-numbers-routes.js';
import { createTerminalsService } from './terminals/service.js';
import { trunksRoutes } from './trunks/routes.js';
import { createTrunksService } from './trunks/service.js';
import { terminalsRoutes } from './terminals/routes.js';
import { wsRoutes } from './platform/realtime/ws-routes.js';
import { VERSION } from './platform/version.js';
import { publishSystemEvents } from './system/realtime.js';
import { systemRoutes } from './system/routes.js';

export const API_PREFIX = '/api/v1';

export interface AppDeps {
  config: Config;
  database: Database;
  asterisk: AsteriskGateway;
  hub: Hub;
  /** Seals the SIP secrets kept in the database. */
  secrets: SecretBox;
  /** Pushes the SIP endpoints into Asterisk. */
  provisioner: Provisioner;
  logger: Logger;
  clock?: Clock;
  /** Realtime feed tuning (tests shorten the keep-alive). */
  realtime?: { keepAliveMs?: number; maxBufferedBytes?: number };
  /** Told about the first administrator when a fresh database gets one. */
  onAdminCreated?: (admin: { loginId: string; generatedPassword?: string }) => void;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, asterisk, hub } = deps;
  const clock = deps.clock ?? systemClock;
  const db = database.db;

  // Typed as Fastify's logger interface, so the instance is a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);

  const roles = createRolesService(db, clock);
  roles.ensureBuiltInRoles();
  const auth = createAuthService(db, clock, config.auth, roles);
  const extensions = createExtensionRegistry();
  const agents = createAgentsService(db, clock, extensions);
  const apiKeys = createApiKeysService(db, clock);
  const terminals = createTerminalsService({
    db,
    clock,
    secrets: deps.secrets,
    provisioner: deps.provisioner,
    ari: asterisk.ari,
    ami: asterisk.ami,
    hub,
    log: deps.logger.child({ component: 'terminals' }),
  });
  const trunks = createTrunksService(db, clock, deps.secrets, deps.provisioner);
  const phoneNumbers = createPhoneNumbersService(db, clock);
  const externalTransfers = createExternalTransfersService(db, clock, extensions);
  const blockedNumbers = createBlockedNumbersService(db, clock);
  const outboundRestrictions = createOutboundRestrictionsService(db, clock);
  const customStatuses = createCustomStatusesService(db, clock);
  const agentStatus = createAgentStatusService({
    db,
    clock,
    hub,
    log: deps.logger.child({ component: 'agent-status' }),
    statuses: customStatuses,
    facts: {
      asteriskUp: () => asterisk.ari.state() === 'connected',
      isRegistered: (agentId) => terminals.registeredOfAgent(agentId).length > 0,
    },
  });
  terminals.onRegistrationChange(({ terminal }) => {
    if (terminal.agentId !== null) agentStatus.refresh(terminal.agentId);
  });
  asterisk.ari.onStateChange(() => agentStatus.refreshAll());
  auth.onLoggedIn((agentId) => agentStatus.loggedIn(agentId));
  const admin = await auth.ensureInitialAdmin(config.admin);
  if (admin !== undefined) deps.onAdminCreated?.(admin);

  // Before authentication: its hooks must see every upgrade, refused ones included, so that
  // the socket of a refused upgrade is released.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(authentication, {
    resolveToken: auth.resolveToken,
    publicPrefixes: [DOCS_PREFIX],
  });
  await registerOpenApi(app, VERSION);

  const stopSystemEvents = publishSystemEvents(hub, asterisk);
  app.addHook('onClose', async () => stopSystemEvents());

  await app.register(systemRoutes, {
    asterisk,
    databaseProblem: () => databaseProblem(database),
    version: VERSION,
  });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { auth, agents, roles });
      await api.register(agentsRoutes, { agents });
      await api.register(rolesRoutes, { roles });
      await api.register(apiKeysRoutes, { apiKeys });
      await api.register(terminalsRoutes, { terminals });
      await api.register(trunksRoutes, { trunks });
      await api.register(phoneNumbersRoutes, { numbers: phoneNumbers });
      await api.register(listsRoutes, {
        blocked: blockedNumbers,
        restrictions: outboundRestrictions,
        externalTransfers,
      });
      await api.register(agentStatusRoutes, {
        statuses: customStatuses,
        status: agentStatus,
        assertAgent: (id) => void agents.get(id),
      });
      await api.register(wsRoutes, { hub, resolveToken: auth.resolveToken, ...deps.realtime });
    },
    { prefix: API_PREFIX },
  );

  return app;
}
