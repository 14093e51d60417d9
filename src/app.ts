/**
 * buildApp(deps): the Fastify instance, with every plugin and route. main.ts builds the deps
 * from the configuration and the tests build them around a private Asterisk; both get the same
 * application.
 */
import { randomUUID } from 'node:crypto';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { agentsRoutes } from './accounts/agents-routes.js';
import { apiKeysRoutes } from './accounts/api-keys-routes.js';
import { authRoutes } from './accounts/auth-routes.js';
import { rolesRoutes } from './accounts/roles-routes.js';
import { agentStatusRoutes } from './agents/routes.js';
import { callHistoryRoutes, callsRoutes } from './calls/routes.js';
import { dialerRoutes } from './campaigns/dialer/routes.js';
import { parkRoutes } from './park/routes.js';
import { conferenceRoutes } from './conferences/routes.js';
import { supervisionRoutes } from './supervision/routes.js';
import { chatRoutes } from './chat/routes.js';
import { presenceRoutes } from './chat/presence-routes.js';
import { hotDeskRoutes } from './hotdesk/routes.js';
import { seatLayoutsRoutes } from './seat-layouts/routes.js';
import { browserPhoneRoutes } from './browser-phone/routes.js';
import { sipProxyRoutes } from './browser-phone/sip-proxy.js';
import type { Config } from './config.js';
import { listsRoutes } from './numbers/lists-routes.js';
import { phoneNumbersRoutes } from './numbers/phone-numbers-routes.js';
import { httpErrorOfAri } from './platform/asterisk/ari-http.js';
import type { AsteriskGateway } from './platform/asterisk/gateway.js';
import type { Provisioner } from './platform/asterisk/provisioning.js';
import type { WriteBehind } from './platform/db/write-behind.js';
import type { ReadPool } from './platform/db/read-pool.js';
import type { AppReadPrograms } from './read-programs.js';
import { systemClock, type Clock } from './platform/clock.js';
import { databaseProblem, type Database } from './platform/db/client.js';
import { authentication, type Principal } from './platform/http/auth.js';
import {
  declareStandardErrors,
  frameworkErrors,
  registerErrorHandlers,
} from './platform/http/errors.js';
import { DOCS_PREFIX, registerOpenApi } from './platform/http/openapi.js';
import { registerWebApp } from './platform/http/web-app.js';
import { createSessionWatch, type SessionWatch } from './platform/http/session-watch.js';
import type { Logger } from './platform/logger.js';
import type { Hub } from './platform/realtime/hub.js';
import { refuseStrayUpgrades, wsRoutes } from './platform/realtime/ws-routes.js';
import type { SecretBox } from './platform/secrets.js';
import { audioFilesRoutes } from './audio/routes.js';
import { systemPromptsRoutes } from './prompts/routes.js';
import { voicemailsRoutes } from './voicemail/routes.js';
import { holidayCalendarsRoutes } from './ivr/holiday-calendars-routes.js';
import { postalRoutes } from './crm/postal/routes.js';
import { ivrsRoutes } from './ivr/routes.js';
import { VERSION } from './platform/version.js';
import { createServices, type Services } from './services.js';
import { queuesRoutes } from './queues/routes.js';
import { statsRoutes } from './queues/stats-routes.js';
import { publishSystemEvents } from './system/realtime.js';
import { systemRoutes } from './system/routes.js';
import { terminalsRoutes } from './terminals/routes.js';
import { trunksRoutes } from './trunks/routes.js';
import { tagsRoutes } from './crm/tags/routes.js';
import { businessFormatsRoutes } from './crm/formats/routes.js';
import { customFieldsRoutes } from './crm/custom-fields/routes.js';
import { scopeOfPrincipal } from './crm/customers/visibility.js';
import { customersRoutes } from './crm/customers/routes.js';
import { customerFormsRoutes } from './crm/customers/forms-routes.js';
import { customerDialListsRoutes } from './crm/customers/dial-lists-routes.js';
import { callListsOfCustomer } from './call-lists/memberships.js';
import { targetListsOfCustomer } from './target-lists/memberships.js';
import { faqsRoutes } from './crm/faqs/routes.js';
import { targetListsRoutes } from './target-lists/routes.js';
import { caseStatusesRoutes } from './crm/case-statuses/routes.js';
import { casesRoutes } from './crm/cases/routes.js';
import { workflowsRoutes } from './crm/workflows/routes.js';
import { importsRoutes } from './imports/routes.js';
import { callListsRoutes } from './call-lists/routes.js';
import { campaignsRoutes } from './campaigns/routes.js';
import { campaignStatisticsRoutes } from './campaigns/statistics-routes.js';
import { campaignEntriesRoutes } from './campaigns/entries-routes.js';
import { toCustomerCampaignEntry } from './campaigns/entries-schemas.js';
import { reservationsRoutes } from './campaigns/reservations-routes.js';
import { recallsRoutes } from './campaigns/recalls-routes.js';

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
  /** Runs reports, exports and searches off the main thread. */
  reads: ReadPool<AppReadPrograms>;
  /** Writes that follow the work they record (history, queue log); flushed before reads. */
  writes: WriteBehind;
  logger: Logger;
  clock?: Clock;
  /** Realtime feed tuning (tests shorten the keep-alive). */
  realtime?: { keepAliveMs?: number; maxBufferedBytes?: number };
  /** Switches for tests: the harness test plays the Stasis application itself. */
  features?: { callEngine?: boolean };
  /** Told about the first administrator when a fresh database gets one. */
  onAdminCreated?: (admin: { loginId: string; generatedPassword?: string }) => void;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, asterisk, hub } = deps;
  const clock = deps.clock ?? systemClock;

  // Typed as Fastify's logger interface, so the instance is a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    frameworkErrors,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app, httpErrorOfAri);
  declareStandardErrors(app);

  const sessions = createSessionWatch();
  const services = createServices({
    config,
    db: database.db,
    writes: deps.writes,
    clock,
    hub,
    asterisk,
    secrets: deps.secrets,
    provisioner: deps.provisioner,
    logger: deps.logger,
    sessions,
    callEngine: deps.features?.callEngine ?? true,
  });
  const { auth } = services;
  const admin = await auth.ensureInitialAdmin(config.admin);
  if (admin !== undefined) deps.onAdminCreated?.(admin);

  // Before authentication: its hooks must see every upgrade, refused ones included, so that
  // the socket of a refused upgrade is released.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  refuseStrayUpgrades(app);
  await app.register(authentication, {
    resolveToken: auth.resolveToken,
    publicPrefixes: [DOCS_PREFIX],
  });
  await registerOpenApi(app, VERSION);

  const stopSystemEvents = publishSystemEvents(hub, asterisk);
  app.addHook('onClose', async () => {
    stopSystemEvents();
    services.realtimeStats.stop();
    services.dialer.stop();
    // Before the database closes: a send in flight records its outcome.
    await services.mail.stop();
  });

  await app.register(systemRoutes, {
    asterisk,
    databaseProblem: () => databaseProblem(database),
    version: VERSION,
  });
  await app.register(async (api) => registerApi(api, services, { ...deps, clock, sessions }), {
    prefix: API_PREFIX,
  });
  await registerWebApp(app);
  app.decorate('services', services);

  return app;
}

/** Every resource under /api/v1. */
async function registerApi(
  api: FastifyInstance,
  s: Services,
  deps: AppDeps & { clock: Clock; sessions: SessionWatch },
): Promise<void> {
  await api.register(authRoutes, { auth: s.auth, agents: s.agents, roles: s.roles });
  await api.register(agentsRoutes, { agents: s.agents });
  await api.register(rolesRoutes, { roles: s.roles });
  await api.register(apiKeysRoutes, { apiKeys: s.apiKeys });
  await api.register(terminalsRoutes, { terminals: s.terminals });
  await api.register(trunksRoutes, { trunks: s.trunks });
  await api.register(phoneNumbersRoutes, {
    numbers: s.phoneNumbers,
    assertAgent: (id) => void s.agents.get(id),
  });
  await api.register(listsRoutes, {
    blocked: s.blockedNumbers,
    restrictions: s.outboundRestrictions,
    externalTransfers: s.externalTransfers,
  });
  await api.register(agentStatusRoutes, {
    statuses: s.customStatuses,
    status: s.agentStatus,
    assertAgent: (id) => void s.agents.get(id),
  });
  await api.register(queuesRoutes, {
    groups: s.groups,
    acd: s.acd,
    reads: deps.reads,
    agents: s.agents,
  });
  await api.register(statsRoutes, {
    groups: s.groups,
    reads: deps.reads,
    clock: deps.clock,
    acd: s.acd,
    queueLog: s.queueLog,
    realtime: s.realtimeStats,
    agentStatus: s.agentStatus,
    agents: s.agents,
    timeZone: deps.config.timezone,
  });
  await api.register(callsRoutes, { calls: s.calls });
  await api.register(parkRoutes, { parking: s.parking, calls: s.calls });
  await api.register(conferenceRoutes, { conferences: s.conferences });
  await api.register(supervisionRoutes, { supervision: s.supervision });
  await api.register(chatRoutes, { chat: s.chat });
  await api.register(presenceRoutes, { presence: s.presence });
  await api.register(hotDeskRoutes, { hotDesk: s.hotDesk });
  await api.register(seatLayoutsRoutes, { layouts: s.seatLayouts });
  await api.register(audioFilesRoutes, {
    audioFiles: s.audioFiles,
    maxBytes: deps.config.audio.maxBytes,
  });
  await api.register(systemPromptsRoutes, { prompts: s.systemPrompts });
  await api.register(voicemailsRoutes, { voicemails: s.voicemails });
  await api.register(ivrsRoutes, { ivrs: s.ivrs });
  await api.register(holidayCalendarsRoutes, { calendars: s.holidayCalendars });
  await api.register(tagsRoutes, { tags: s.tags });
  await api.register(postalRoutes, { postalLookup: s.postalLookup });
  await api.register(faqsRoutes, { faqs: s.faqs });
  await api.register(targetListsRoutes, { targetLists: s.targetLists, imports: s.imports });
  await api.register(browserPhoneRoutes, { browserPhone: s.browserPhone, terminals: s.terminals });
  await api.register(sipProxyRoutes, {
    browserPhone: s.browserPhone,
    settings: deps.config.browserPhone,
    resolveToken: s.auth.resolveToken,
    sessions: deps.sessions,
    clock: deps.clock,
  });
  await api.register(callHistoryRoutes, {
    history: s.history,
    reads: deps.reads,
    ari: deps.asterisk.ari,
  });
  await api.register(businessFormatsRoutes, {
    formats: s.businessFormats,
    scopeOf: (principal) => scopeOfPrincipal(deps.database.db, principal),
  });
  await api.register(customFieldsRoutes, { customFields: s.customFields });
  await api.register(customersRoutes, {
    db: deps.database.db,
    customers: s.customers,
    formats: s.businessFormats,
    customFields: s.customFields,
    settings: s.crmSettings,
    scopeOf: (principal) => scopeOfPrincipal(deps.database.db, principal),
  });
  await api.register(customerFormsRoutes, {
    formats: s.businessFormats,
    customFields: s.customFields,
    scopeOf: (principal) => scopeOfPrincipal(deps.database.db, principal),
  });
  await api.register(customerDialListsRoutes, {
    customers: s.customers,
    scopeOf: (principal) => scopeOfPrincipal(deps.database.db, principal),
    dialListsOf: (customerId) => ({
      callLists: callListsOfCustomer(deps.database.db, customerId),
      targetLists: targetListsOfCustomer(deps.database.db, customerId),
      campaigns: s.campaignEntries.ofCustomer(customerId).map(toCustomerCampaignEntry),
    }),
    addToCampaign: (customerId, campaignId, scope, actor) =>
      toCustomerCampaignEntry(s.campaignEntries.addCustomer(customerId, campaignId, scope, actor)),
  });
  await api.register(caseStatusesRoutes, { statuses: s.caseStatuses });
  await api.register(workflowsRoutes, { workflows: s.workflows });
  await api.register(casesRoutes, {
    db: deps.database.db,
    cases: s.cases,
    customFields: s.customFields,
    scopeOf: (principal) => scopeOfPrincipal(deps.database.db, principal),
  });
  await api.register(importsRoutes, {
    engine: s.imports,
    maxBytes: deps.config.imports.maxBytes,
  });
  await api.register(callListsRoutes, {
    callLists: s.callLists,
    settings: s.callListSettings,
    editor: s.callListCustomerEditor,
    autocall: s.autocall,
  });
  // Autodial campaigns (§10-8).
  await api.register(campaignsRoutes, { campaigns: s.campaigns });
  await api.register(campaignStatisticsRoutes, {
    db: deps.database.db,
    timeZone: deps.config.timezone,
  });
  // The autodial list, reservations and recall list (§10-9, §9-2, §7).
  const crmScope = (principal: Principal) => scopeOfPrincipal(deps.database.db, principal);
  await api.register(campaignEntriesRoutes, {
    entries: s.campaignEntries,
    customers: s.customers,
    customFields: s.customFields,
    formats: s.businessFormats,
    scopeOf: crmScope,
  });
  await api.register(reservationsRoutes, { entries: s.campaignEntries, scopeOf: crmScope });
  await api.register(recallsRoutes, { entries: s.campaignEntries, scopeOf: crmScope });
  await api.register(dialerRoutes, {
    dialer: s.dialer,
    ledger: s.campaignLedger,
    entries: s.campaignEntries,
    clock: deps.clock,
    scopeOf: crmScope,
  });
  await api.register(wsRoutes, {
    hub: deps.hub,
    resolveToken: s.auth.resolveToken,
    sessions: deps.sessions,
    clock: deps.clock,
    ...deps.realtime,
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The domain services, for tests and tools that need more than HTTP. */
    services: Services;
  }
}
