/**
 * The services of every domain, built once and wired to each other: who tells whom about
 * registrations, logins, the link to Asterisk and calls. app.ts exposes them over HTTP.
 */
import { readCallListSettings } from './call-lists/settings.js';
import { generalUserGrants } from './call-lists/general-role.js';
import { createAgentsService } from './accounts/agents-service.js';
import { createHotDeskAuth } from './accounts/hot-desk-auth.js';
import { createApiKeysService } from './accounts/api-keys-service.js';
import { createAuthService } from './accounts/auth-service.js';
import { createRolesService } from './accounts/roles-service.js';
import { createCustomStatusesService } from './agents/custom-statuses-service.js';
import { createAgentStatusService } from './agents/status-service.js';
import { createSoxConverter } from './audio/converter.js';
import { createSystemPromptsService } from './prompts/service.js';
import { createMediaUrls } from './audio/media-urls.js';
import { createAudioFilesService } from './audio/service.js';
import { createCallEngine } from './calls/engine.js';
import { createDigitReaders } from './calls/digit-reader.js';
import type { Call } from './calls/model.js';
import { createIvrRunner } from './ivr/runner.js';
import type { PromptName } from './prompts/catalogue.js';
import { createAudioDestination } from './voicemail/audio-destination.js';
import { createVoicemailRecorder } from './voicemail/recorder.js';
import { createVoicemailsService } from './voicemail/service.js';
import { createCallHistoryService } from './calls/history-service.js';
import { createMixMonitorRecorder, NO_RECORDER } from './calls/recorder.js';
import { createRouting } from './calls/routing.js';
import { createCallsService } from './calls/service.js';
import type { Config } from './config.js';
import { createExtensionRegistry } from './dialplan/extensions.js';
import { createBlockedNumbersService } from './numbers/blocked-numbers-service.js';
import { createExternalTransfersService } from './numbers/external-transfers-service.js';
import { createOutboundRestrictionsService } from './numbers/outbound-restrictions-service.js';
import { createPhoneNumbersService } from './numbers/phone-numbers-service.js';
import { phoneNumbersPlaying } from './numbers/audio-users.js';
import { createHolidayCalendarsService } from './ivr/holiday-calendars-service.js';
import { createIvrsService } from './ivr/service.js';
import { createPostalLookup } from './crm/postal/lookup.js';
import type { AsteriskGateway } from './platform/asterisk/gateway.js';
import type { Provisioner } from './platform/asterisk/provisioning.js';
import type { Clock } from './platform/clock.js';
import type { Db } from './platform/db/client.js';
import type { WriteBehind } from './platform/db/write-behind.js';
import type { Logger } from './platform/logger.js';
import type { Hub } from './platform/realtime/hub.js';
import type { SessionWatch } from './platform/http/session-watch.js';
import type { SecretBox } from './platform/secrets.js';
import { createTerminalsService } from './terminals/service.js';
import { createAcd } from './queues/acd.js';
import { createGroupsService } from './queues/groups-service.js';
import { groupsPlaying } from './queues/audio-users.js';
import { createQueueLog } from './queues/queue-log.js';
import { countersSince } from './queues/group-stats.js';
import { createRealtimeStats } from './queues/realtime.js';
import { createTrunksService } from './trunks/service.js';
import { createParking } from './park/parking.js';
import { isSlot } from './park/slots.js';
import { createReferHandling } from './transfers/refer.js';
import { createTransfers } from './transfers/service.js';
import { createConferences } from './conferences/conferences.js';
import { isRoom } from './conferences/rooms.js';
import { createSupervision } from './supervision/service.js';
import { createChatService } from './chat/service.js';
import { createPresenceService } from './chat/presence-service.js';
import { publishPresence } from './chat/presence-notifier.js';
import { createHotDesk } from './hotdesk/service.js';
import { createBrowserPhone } from './browser-phone/service.js';
import { agentOnTerminal } from './terminals/schema.js';
import { createSeatLayoutsService } from './seat-layouts/service.js';
import { createMailQueue } from './mail/queue.js';
import { MAIL_RETRY } from './mail/retry.js';
import { createSmtpTransport } from './mail/transport.js';
import { createTagsService } from './crm/tags/service.js';
import { createBusinessFormatsService } from './crm/formats/service.js';
import { createCustomFieldsService } from './crm/custom-fields/service.js';
import { createCustomersService } from './crm/customers/service.js';
import { createCrmSettingsService } from './crm/customers/settings.js';
import { createCallerLookup } from './crm/customers/caller-lookup.js';
import { inScope, scopeOfPrincipal } from './crm/customers/visibility.js';
import { createTargetListsService } from './target-lists/service.js';
import { createFaqsService } from './crm/faqs/service.js';
import { createCaseStatusesService } from './crm/case-statuses/service.js';
import { caseHolders, createCasesService } from './crm/cases/service.js';
import { createWorkflowsService } from './crm/workflows/service.js';
import { crmReferenceLabels } from './crm/chat-labels.js';
import { createCustomersImporter } from './crm/customers/importer.js';
import { createImportEngine } from './imports/engine.js';
import { createCallListImporter } from './call-lists/importer.js';
import { createTargetsImporter } from './target-lists/importer.js';
import { createGroupsImporter } from './queues/groups-importer.js';
import { createAgentsImporter } from './accounts/agents-importer.js';
import { createAutocall } from './call-lists/autocall.js';
import { createCallListsService } from './call-lists/service.js';
import { createCallListCustomerEditor } from './call-lists/customer-edit.js';
import { createCallListSettingsService } from './call-lists/settings.js';
import { createCampaignDialer } from './campaigns/dialer/create.js';
import { createLedger } from './campaigns/ledger.js';
import { createCampaignNotifier } from './campaigns/notifier.js';
import { createCampaignsService } from './campaigns/service.js';
import { createCampaignEntriesService } from './campaigns/entries-service.js';

export interface ServicesDeps {
  config: Config;
  db: Db;
  /** Writes that follow the work they record (history, queue log). */
  writes: WriteBehind;
  clock: Clock;
  hub: Hub;
  asterisk: AsteriskGateway;
  secrets: SecretBox;
  provisioner: Provisioner;
  logger: Logger;
  /** Told when sessions end or change, so open WebSockets follow at once. */
  sessions: SessionWatch;
  /** Whether calls entering Stasis are handled (the harness test plays the application itself). */
  callEngine: boolean;
}

export function createServices(deps: ServicesDeps) {
  const { config, db, writes, clock, hub, asterisk, secrets, provisioner, logger, sessions } = deps;
  const log = (component: string) => logger.child({ component });

  const roles = createRolesService(db, clock, sessions);
  roles.ensureBuiltInRoles();
  // MOT's 一般権限の操作許可設定 (A.18) open call-list screens to general users.
  const auth = createAuthService(db, clock, config.auth, roles, sessions, (own) =>
    generalUserGrants(own, () => readCallListSettings(db)),
  );
  // Park slots and conference rooms are dialled as they are: no agent, group or transfer may take one.
  const extensions = createExtensionRegistry(
    (e) => isSlot(config.park, e) || isRoom(config.conferences, e),
  );
  const agents = createAgentsService(db, clock, extensions, sessions);
  const apiKeys = createApiKeysService(db, clock, sessions);

  const terminals = createTerminalsService({
    db,
    clock,
    secrets,
    provisioner,
    ari: asterisk.ari,
    ami: asterisk.ami,
    hub,
    sip: config.sip,
    dtls: config.browserPhone.dtls,
    log: log('terminals'),
  });
  const trunks = createTrunksService({
    db,
    clock,
    secrets,
    provisioner,
    ami: asterisk.ami,
    sip: config.sip,
  });
  const audioFiles = createAudioFilesService({
    db,
    clock,
    limits: config.audio,
    converter: createSoxConverter(),
    media: createMediaUrls({ apiBaseUrl: config.audio.apiBaseUrl, secrets }),
  });
  const systemPrompts = createSystemPromptsService({ db, clock, audioFiles });
  audioFiles.registerUsers((id) => systemPrompts.usersOf(id));
  const phoneNumbers = createPhoneNumbersService(db, clock);
  audioFiles.registerUsers(phoneNumbersPlaying(db));
  const externalTransfers = createExternalTransfersService(db, clock, extensions);
  const blockedNumbers = createBlockedNumbersService(db, clock);
  const outboundRestrictions = createOutboundRestrictionsService(db, clock);

  const customStatuses = createCustomStatusesService(db, clock);
  const agentStatus = createAgentStatusService({
    db,
    clock,
    hub,
    log: log('agent-status'),
    statuses: customStatuses,
    facts: {
      asteriskUp: () => asterisk.ari.state() === 'connected',
      isRegistered: (agentId) => terminals.agentReachable(agentId),
    },
  });
  terminals.onRegistrationChange(({ terminal }) => {
    // The agent on the phone now (hot-desk or linked); a linked agent displaced by a hot-desk
    // login is refreshed too, harmlessly.
    for (const agentId of new Set([agentOnTerminal(terminal), terminal.agentId]))
      if (agentId !== null) agentStatus.refresh(agentId);
  });
  asterisk.ari.onStateChange(() => agentStatus.refreshAll());
  auth.onLoggedIn((agentId) => agentStatus.loggedIn(agentId));

  const history = createCallHistoryService(db, clock, writes);
  // For the call engine's CRM自動検索: who has the number of a ringing call.
  const callerLookup = createCallerLookup(db);
  const engine = createCallEngine({
    ari: asterisk.ari,
    clock,
    hub,
    log: log('calls'),
    history,
    terminals,
    trunks,
    agentStatus,
    recorder: config.calls.recording
      ? createMixMonitorRecorder(asterisk.ami, log('recorder'))
      : NO_RECORDER,
    featureCodes: config.calls.featureCodes,
    handleIncoming: deps.callEngine,
    customers: {
      matchPhone: callerLookup.matchPhone,
      formatsSeenBy: (principal) => {
        const scope = scopeOfPrincipal(db, principal);
        return (formatId) => inScope(scope, formatId);
      },
    },
  });
  const queueLog = createQueueLog(db, clock, writes);
  // After an upgrade (or rows loaded into the log directly) the rollups catch up before use.
  const caughtUp = queueLog.catchUpRollups();
  if (caughtUp > 0)
    log('queues').info({ rows: caughtUp }, 'report rollups caught up with the queue log');
  const groups = createGroupsService(db, clock, extensions, queueLog);
  audioFiles.registerUsers(groupsPlaying(groups));
  const holidayCalendars = createHolidayCalendarsService({ db, clock });
  const ivrs = createIvrsService({ db, clock });
  audioFiles.registerUsers((id) => ivrs.playing(id));
  // Deleting an agent or a status cascades to memberships in the database, unseen by the groups.
  agents.onRemoved(() => groups.forget());
  customStatuses.onRemoved(() => groups.forget());
  // The white tag (one status for every group) ends the per-group pauses.
  agentStatus.onChosen((agentId) => groups.clearMemberPauses(agentId));
  const acd = createAcd({
    ari: asterisk.ari,
    engine,
    groups,
    queueLog,
    agentStatus,
    history,
    clock,
    log: log('acd'),
    timeZone: config.timezone,
    // Routing is built next; a call only reaches here once both exist.
    deliver: (call, caller, route, visited) => routing.deliver(call, caller, route, visited),
    mediaOf: (choice) => audioFiles.mediaOf(choice),
  });
  const realtimeStats = createRealtimeStats({
    hub,
    clock,
    timeZone: config.timezone,
    groups,
    acd,
    queueLog,
    rollups: {
      countersSince(from) {
        writes.flush();
        return countersSince(db, from);
      },
    },
    agentStatus,
  });
  const routing = createRouting({
    ari: asterisk.ari,
    engine,
    history,
    agents,
    agentStatus,
    terminals,
    trunks,
    numbers: phoneNumbers,
    blocked: blockedNumbers,
    restrictions: outboundRestrictions,
    externalTransfers,
    extensions,
    queues: acd,
    ivrs: {
      enter: (call, caller, ivrId, visited) => ivrRunner.enter(call, caller, ivrId, visited),
    },
    audio: {
      play: (call, caller, audioFileId) => audioDestination.play(call, caller, audioFileId),
      voicemail: (call, caller, audioFileId) =>
        audioDestination.voicemail(call, caller, audioFileId),
    },
    settings: config.calls,
    prompt: (name, agentId) =>
      systemPrompts.media(name, agentId === null ? 'ja' : agents.get(agentId).language),
    log: log('routing'),
  });
  /** A system prompt in the language of the call's DID (Japanese when it has none). */
  const promptFor = (name: PromptName, call: Call) =>
    systemPrompts.media(name, phoneNumbers.byNumber(call.to)?.language ?? 'ja');
  const mail = createMailQueue({
    db,
    clock,
    log: log('mail'),
    transport: config.mail === null ? null : createSmtpTransport(config.mail),
    retry: { ...MAIL_RETRY, initialMs: config.mailRetrySeconds * 1000 },
  });
  mail.start();
  const voicemails = createVoicemailsService({
    db,
    clock,
    hub,
    log: log('voicemail'),
    timeZone: config.timezone,
    audioFiles,
    history,
    mail: {
      configured: mail.configured,
      enqueue: ({ attachments, ...message }) => mail.enqueue(message, attachments),
      onSettled: (listener) => mail.onSettled(listener),
    },
  });
  const voicemailRecorder = createVoicemailRecorder({
    ari: asterisk.ari,
    clock,
    log: log('voicemail'),
    settings: config.voicemail,
    engine,
    prompt: promptFor,
    keep: (message) => voicemails.keep(message),
  });
  const audioDestination = createAudioDestination({
    log: log('audio'),
    audioFiles,
    recorder: voicemailRecorder,
    engine,
  });
  const ivrRunner = createIvrRunner({
    clock,
    log: log('ivr'),
    timeZone: config.timezone,
    maxHops: config.ivr.maxHops,
    engine,
    readers: createDigitReaders({ ari: asterisk.ari, clock, engine }),
    history,
    findIvr: (id) => ivrs.find(id),
    mediaOfFile: (audioFileId) => audioFiles.mediaOf({ audioFileId, sound: null }),
    prompt: promptFor,
    deliver: (call, caller, destination, visited) =>
      routing.deliver(call, caller, destination, visited),
  });
  const transfers = createTransfers({
    ari: asterisk.ari,
    clock,
    hub,
    log: log('transfers'),
    engine,
    target: (call, initiator, dialled) =>
      isRoom(config.conferences, dialled)
        ? { kind: 'room', room: dialled }
        : routing.transferTarget(call, initiator, dialled),
    // Conferences are built below; a transfer only reaches a room once both exist.
    enterRoom: (call, customer, room) => conferences.admit(room, call, customer),
    // The customer keeps their original arrival: ahead of those who called after them.
    enterQueue: (call, customer, groupId) =>
      acd.enter(call, customer, groupId, new Set(), call.startedAt),
    consultGroup: (call, agent, groupId) => acd.consult(call, agent, groupId),
    ringSeconds: config.calls.ringSeconds,
  });
  // A phone's own transfer button (SIP REFER) starts the same transfers.
  createReferHandling({ ari: asterisk.ari, engine, transfers, log: log('transfers') });
  const calls = createCallsService(engine, routing, asterisk.ari, transfers);
  const parking = createParking({
    ari: asterisk.ari,
    clock,
    hub,
    log: log('park'),
    engine,
    settings: config.park,
    ringSeconds: config.calls.ringSeconds,
    deliver: (call, party, route) => routing.deliver(call, party, route, new Set()),
  });
  routing.claimDialled(parking.isSlot, (call, caller, slot) =>
    parking.pickUpByDial(call, caller, slot),
  );
  const conferences = createConferences({
    ari: asterisk.ari,
    clock,
    hub,
    log: log('conferences'),
    engine,
    history,
    settings: config.conferences,
    ringSeconds: config.calls.ringSeconds,
    target: (shown, initiator, dialled) => routing.ringTarget(shown, initiator, dialled),
    agentIdentity: (agentId) => routing.agentIdentity(agentId),
  });
  routing.claimDialled(conferences.isRoom, (call, caller, room) =>
    conferences.joinByDial(call, caller, room),
  );
  const supervision = createSupervision({
    ari: asterisk.ari,
    clock,
    hub,
    log: log('supervision'),
    engine,
    history,
    codes: config.supervision,
    ringSeconds: config.calls.ringSeconds,
    permissionsOf: (agentId) => new Set(roles.get(agents.get(agentId).roleId).permissions),
    agentByExtension: (extension) => routing.agentByExtension(extension),
    agentIdentity: (agentId) => routing.agentIdentity(agentId),
    refuse: (call, caller, reason) => routing.announceAndRefuse(call, caller, reason),
  });
  routing.claimDialled(supervision.isCode, (call, caller, dialled) =>
    supervision.byDial(call, caller, dialled),
  );
  const chat = createChatService({
    db,
    clock,
    hub,
    timeZone: config.timezone,
    agents,
    groups,
    // The CRM names the #C / #T links for each reader (what they may see).
    labels: crmReferenceLabels(db),
  });
  const presence = createPresenceService({ agents, groups, agentStatus, terminals, calls: engine });
  publishPresence({ hub, agentStatus, terminals });
  const hotDesk = createHotDesk({
    ari: asterisk.ari,
    clock,
    hub,
    log: log('hot-desk'),
    engine,
    terminals,
    extensions,
    auth: createHotDeskAuth(db, clock, config.auth),
    agentStatus,
    prompt: (name, language) => systemPrompts.media(name, language),
    languageOf: (agentId) => agents.get(agentId).language,
  });
  routing.claimDialled(hotDesk.claims, (call, caller, dialled) =>
    hotDesk.handle(call, caller, dialled),
  );
  const seatLayouts = createSeatLayoutsService({
    db,
    clock,
    hub,
    isRegistered: (sipUser) => terminals.isRegistered(sipUser),
  });

  const browserPhone = createBrowserPhone({
    terminals,
    resolveToken: auth.resolveToken,
    sessions,
    clock,
    settings: config.browserPhone,
    log: log('browser-phone'),
  });
  // Japan Post's data is read on the first lookup, not at start.
  const postalLookup = createPostalLookup();

  // Mails (voicemail recordings) wait in the database until the SMTP server takes them.

  const tags = createTagsService({ db, clock });
  const businessFormats = createBusinessFormatsService({ db, clock, postal: postalLookup });
  businessFormats.ensureBuiltIns();
  const customFields = createCustomFieldsService({ db, clock });
  const customers = createCustomersService({ db, clock, formats: businessFormats, customFields });
  const crmSettings = createCrmSettingsService({ db, clock });
  const faqs = createFaqsService({ db, clock });
  const targetLists = createTargetListsService({
    db,
    clock,
    formats: businessFormats,
    customers,
    maxTargets: config.targetLists.maxTargets,
  });
  const caseStatuses = createCaseStatusesService({ db, clock });
  caseStatuses.ensureBuiltIns();
  const workflows = createWorkflowsService({ db, clock, cases: caseHolders(db) });
  audioFiles.registerUsers((id) => workflows.playing(id));
  const cases = createCasesService({ db, clock, statuses: caseStatuses, customFields });
  const callListSettings = createCallListSettingsService({ db, clock });
  const callLists = createCallListsService({
    db,
    clock,
    timeZone: config.timezone,
    formats: businessFormats,
    customers,
    maxCustomers: config.callLists.maxCustomers,
    agentLabel: (agentId) => {
      const agent = agents.get(agentId);
      return agent.extension === null ? agent.name : `${agent.name}(${agent.extension})`;
    },
    flushCallHistory: () => writes.flush(),
  });
  // MOT autocall (A.23): the operator's held customers, dialled through the engine one by one.
  const autocall = createAutocall({
    engine,
    history,
    hub,
    log: log('autocall'),
    held: (agentId) => callLists.held(agentId),
    claim: (agentId) => void callLists.claim(agentId, {}),
    dials: (agentId, held) => callLists.lastDials(agentId, held),
    settings: () => callListSettings.get(),
    reachable: (agentId) => terminals.agentReachable(agentId),
    onCall: (agentId) =>
      ['ringing', 'on_call', 'on_hold'].includes(agentStatus.get(agentId).status),
    agentIdentity: (agentId) => routing.agentIdentity(agentId),
    // The operator's own caller ID, as click-to-call calls out with; its limits and restrictions.
    customerTarget: (agentId, phone) => {
      const chosen = phoneNumbers.callerIdOf(agentId);
      if (chosen === undefined) return { refused: 'forbidden' };
      const out = routing.campaignTarget(phone, chosen.id, false);
      if ('refused' in out)
        return { refused: out.refused === 'channel_limit' ? 'busy' : out.refused };
      return { target: out.target, ourNumber: chosen.number, phoneNumberId: chosen.id };
    },
    stopPlayback: (playbackId) => asterisk.ari.playbacks.stop(playbackId).catch(() => undefined),
    ringSeconds: config.calls.ringSeconds,
    dialSeconds: config.calls.outboundRingSeconds,
  });
  const callListCustomerEditor = createCallListCustomerEditor({
    db,
    clock,
    timeZone: config.timezone,
    formats: businessFormats,
    crm: customers,
  });

  // Autodial campaigns (§10-8): their audio files are in use; the white tag (one status for
  // everything) ends the per-campaign pauses as it ends the per-group ones.
  const campaigns = createCampaignsService({ db, clock, log: log('campaigns') });
  audioFiles.registerUsers((id) => campaigns.playing(id));
  agentStatus.onChosen((agentId) => campaigns.clearMemberPauses(agentId));
  // The dialer places the campaigns' calls through the engine and routing.
  const campaignLedger = createLedger(db);
  const campaignNotifier = createCampaignNotifier(hub, () => dialer.live());
  const dialer = createCampaignDialer({
    ari: asterisk.ari,
    clock,
    log: log('dialer'),
    timeZone: config.timezone,
    engine,
    routing,
    history,
    agents,
    agentStatus,
    numbers: phoneNumbers,
    audioFiles,
    prompts: systemPrompts,
    ledger: campaignLedger,
    notifier: campaignNotifier,
    membersTakingPart: (campaignId) => campaigns.membersTakingPart(campaignId),
    campaignsOf: (agentId) => campaigns.campaignsOf(agentId),
    // The entries service is built below; a recall only ends once both exist.
    recallsChanged: (agentId) => campaignEntries.recalls.changed(agentId),
  });
  campaigns.onChanged((campaignId) => dialer.changed(campaignId));
  campaigns.setBusyCheck((campaignId) => dialer.busy(campaignId));
  // The autodial list (§10-9), reservations (§9-2) and recall list (§7).
  const campaignEntries = createCampaignEntriesService({
    db,
    clock,
    hub,
    timeZone: config.timezone,
  });

  // After the services its importers write through (call lists, target lists, groups, agents).
  const imports = createImportEngine({
    db,
    clock,
    hub,
    logger,
    limits: config.imports,
    importers: [
      createCustomersImporter({ db, clock, formats: businessFormats, customFields }),
      createCallListImporter({ db, callLists }),
      createTargetsImporter({ targetLists }),
      createGroupsImporter({ groups }),
      createAgentsImporter({ agents, roles, groups, terminals, secrets }),
    ],
  });
  return {
    roles,
    auth,
    agents,
    apiKeys,
    extensions,
    terminals,
    trunks,
    audioFiles,
    systemPrompts,
    voicemails,
    phoneNumbers,
    externalTransfers,
    blockedNumbers,
    outboundRestrictions,
    customStatuses,
    agentStatus,
    history,
    engine,
    calls,
    queueLog,
    groups,
    holidayCalendars,
    ivrs,
    acd,
    realtimeStats,
    parking,
    conferences,
    supervision,
    chat,
    presence,
    hotDesk,
    seatLayouts,
    browserPhone,
    mail,
    tags,
    postalLookup,
    businessFormats,
    customFields,
    customers,
    crmSettings,
    callerLookup,
    faqs,
    targetLists,
    caseStatuses,
    workflows,
    cases,
    imports,
    callListSettings,
    callLists,
    callListCustomerEditor,
    autocall,
    campaigns,
    campaignLedger,
    dialer,
    campaignEntries,
  };
}

export type Services = ReturnType<typeof createServices>;
