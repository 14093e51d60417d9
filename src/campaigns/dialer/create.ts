/**
 * Builds the dialer from the services it works with: what each attempt gets (context.ts) made
 * from the call engine, routing, numbers, audio files and prompts, and the agents' statuses.
 */
import { randomUUID } from 'node:crypto';
import type { AgentsService } from '../../accounts/agents-service.js';
import type { AgentStatusService } from '../../agents/status-service.js';
import type { AudioFilesService } from '../../audio/service.js';
import type { CallEngine } from '../../calls/engine.js';
import type { CallHistoryService } from '../../calls/history-service.js';
import type { Call } from '../../calls/model.js';
import type { Routing } from '../../calls/routing.js';
import { createWaitingMedia } from '../../calls/waiting-media.js';
import type { PhoneNumbersService } from '../../numbers/phone-numbers-service.js';
import type { AriPort } from '../../platform/asterisk/ari.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { SystemPromptsService } from '../../prompts/service.js';
import type { Ledger } from '../ledger.js';
import type { CampaignNotifier } from '../notifier.js';
import type { AttemptContext } from './context.js';
import { createDialer, type Dialer } from './dialer.js';
import { createFreeAgents } from './free-agents.js';
import { createOpenLines, type LineChange } from './open-lines.js';

export interface CampaignDialerDeps {
  ari: AriPort;
  clock: Clock;
  log: Logger;
  timeZone: string;
  engine: CallEngine;
  routing: Pick<
    Routing,
    'campaignTarget' | 'agentIdentity' | 'callsOn' | 'claimDialled' | 'announceAndRefuse'
  >;
  history: CallHistoryService;
  agents: Pick<AgentsService, 'get'>;
  agentStatus: Pick<AgentStatusService, 'get' | 'onChange'>;
  numbers: Pick<PhoneNumbersService, 'get'>;
  audioFiles: Pick<AudioFilesService, 'mediaOf'>;
  prompts: Pick<SystemPromptsService, 'media'>;
  ledger: Ledger;
  notifier: CampaignNotifier;
  /** The campaign's members not paused for it (the campaigns service's). */
  membersTakingPart(campaignId: number): number[];
  /** The campaigns the agent is a member of. */
  campaignsOf(agentId: number): { id: number }[];
  /** The recall badge of an agent is to be recounted. */
  recallsChanged(agentId: number): void;
}

export function createCampaignDialer(deps: CampaignDialerDeps): Dialer {
  const { ari, clock, log, engine, ledger } = deps;
  const agentWaiters = new Set<() => void>();
  /** Told when who can take a customer may have changed: an agent's status, an open line. */
  const agentListeners = new Set<() => void>([
    () => {
      for (const wake of [...agentWaiters]) wake();
    },
  ]);
  const agentsChanged = () => {
    for (const listener of [...agentListeners]) listener();
  };
  deps.agentStatus.onChange(agentsChanged);

  const lines = createOpenLines({
    engine,
    bridges: {
      create: (params) => ari.bridges.create(params),
      destroy: (bridgeId) => ari.bridges.destroy(bridgeId),
    },
    clock,
    log,
    takesLoginCalls: (agentId) =>
      deps.campaignsOf(agentId).some((c) => ledger.campaign(c.id)?.agentMode === 'login'),
    refuse: (call, caller, reason) => deps.routing.announceAndRefuse(call, caller, reason),
    changed: (change: LineChange) => {
      deps.notifier.lineChanged(change);
      agentsChanged();
    },
  });
  deps.routing.claimDialled(
    (dialled) => lines.isCode(dialled),
    (call, caller) => lines.open(call, caller),
  );

  const ended = (call: Call) =>
    new Promise<void>((resolve) => {
      if (engine.get(call.id) === undefined || call.state === 'ended') return resolve();
      const off = engine.onEnded((c) => {
        if (c.id !== call.id) return;
        off();
        resolve();
      });
    });

  const ctx: AttemptContext = {
    engine,
    clock,
    log,
    history: deps.history,
    ledger,
    notifier: deps.notifier,
    freeAgents: createFreeAgents((agentId) => deps.agentStatus.get(agentId)),
    lines,
    carrierTarget: (number, phoneNumberId, withhold) =>
      deps.routing.campaignTarget(number, phoneNumberId, withhold),
    agentIdentity: (agentId) => deps.routing.agentIdentity(agentId),
    numberOf: (phoneNumberId) => deps.numbers.get(phoneNumberId).number,
    waitingMedia: (call, customer, campaign) =>
      createWaitingMedia({ ari, clock, log, engine }, call, customer, {
        greeting: deps.audioFiles.mediaOf({ audioFileId: campaign.holdAudioFileId, sound: null }),
        ringSeconds: 0,
        musicOnHold: 'default',
        announcement: null,
        announcementSeconds: 0,
      }),
    abandonMedia: (campaign, call) =>
      deps.audioFiles.mediaOf({ audioFileId: campaign.abandonAudioFileId, sound: null }) ??
      deps.prompts
        .media(
          'campaign_abandoned',
          call.phoneNumberId === null ? 'ja' : deps.numbers.get(call.phoneNumberId).language,
        )
        .join(','),
    agentPrompt: (name, agentId) =>
      deps.prompts.media(name, deps.agents.get(agentId).language).join(','),
    timeZone: deps.timeZone,
    stopPlayback: (playbackId) => ari.playbacks.stop(playbackId).catch(() => undefined),
    requestResult: (campaign, ticket, agentId) =>
      deps.notifier.resultRequested({
        campaignId: campaign.id,
        campaignName: campaign.name,
        entryId: ticket.entryId,
        callId: ticket.callId,
        phone: ticket.phone,
        customerName: ledger.customerName(ticket.customerId),
        agentId,
        choices: ledger.resultChoices(campaign.id),
      }),
    campaign: (campaignId) => ledger.campaign(campaignId),
    members: (campaignId) => deps.membersTakingPart(campaignId),
    ended,
    agentsChanged: (ms) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          agentWaiters.delete(wake);
          clock.clearTimeout(timer);
          resolve();
        };
        const timer = clock.setTimeout(wake, ms);
        agentWaiters.add(wake);
      }),
  };

  return createDialer({
    ctx,
    ledger,
    clock,
    log,
    timeZone: deps.timeZone,
    asteriskUp: () => ari.state() === 'connected',
    recallsChanged: (agentId) => deps.recallsChanged(agentId),
    publishLive: (wire) => deps.notifier.live(wire),
    statusOf: (agentId) => deps.agentStatus.get(agentId),
    didFreeChannels: (phoneNumberId) => {
      const number = deps.numbers.get(phoneNumberId);
      if (number.maxChannels <= 0) return null;
      return Math.max(0, number.maxChannels - deps.routing.callsOn(phoneNumberId));
    },
    agentBusy: (agentId) => {
      const status = deps.agentStatus.get(agentId).status;
      // A recall is the agent's own choice: from 後処理 or a pause too, never over another call.
      return status !== 'available' && status !== 'paused';
    },
    customerName: (customerId) => ledger.customerName(customerId),
    onReconciled: (listener) => engine.onReconciled(listener),
    onAgentChange: (listener) => agentListeners.add(listener),
    newCallId: () => randomUUID(),
  });
}
