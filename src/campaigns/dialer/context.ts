/**
 * What one dial attempt works with: the call engine's primitives, the routing facts it needs
 * (the carrier leg, how an agent shows), the ledger, and the campaign's agents. Built once by
 * the dialer and handed to each attempt.
 */
import type { CallEngine, Target } from '../../calls/engine.js';
import type { CallHistoryService } from '../../calls/history-service.js';
import type { Call, Leg } from '../../calls/model.js';
import type { EndReason } from '../../calls/outcomes.js';
import type { WaitingMedia } from '../../calls/waiting-media.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { PromptName } from '../../prompts/catalogue.js';
import type { CampaignRow, DialTicket, Ledger } from '../ledger.js';
import type { CampaignNotifier } from '../notifier.js';
import type { FreeAgents } from './free-agents.js';
import type { OpenLines } from './open-lines.js';

export interface AttemptContext {
  engine: CallEngine;
  clock: Clock;
  log: Logger;
  history: CallHistoryService;
  ledger: Ledger;
  notifier: CampaignNotifier;
  freeAgents: FreeAgents;
  /** The open lines of ログイン mode (agents who dialled 990). */
  lines: OpenLines;
  /** The carrier leg for a customer, or why it may not be dialled. */
  carrierTarget(
    number: string,
    phoneNumberId: number,
    withhold: boolean,
  ): { target: Target } | { refused: EndReason | 'channel_limit' };
  /** How an agent shows on a phone (their extension and nickname). */
  agentIdentity(agentId: number): { number: string; name: string };
  /** The number a campaign presents (its 発信者番号). */
  numberOf(phoneNumberId: number): string;
  /** What an answered customer hears while an agent is rung (呼中音声). */
  waitingMedia(call: Call, customer: Leg, campaign: CampaignRow): WaitingMedia;
  /** The message an abandoned customer hears (the campaign's file, else the system prompt). */
  abandonMedia(campaign: CampaignRow, call: Call): string;
  /** Stops a playback (the ringback an agent hears while the customer rings). */
  stopPlayback(playbackId: string): Promise<void>;
  /** A system prompt played to an agent (the preview beep, the result entry), in their language. */
  agentPrompt(name: PromptName, agentId: number): string;
  /** TIMEZONE: recall times in days are calendar days there. */
  timeZone: string;
  /** Asks the agent of a call that ended to enter its result on the web (`result_requested`). */
  requestResult(campaign: CampaignRow, ticket: DialTicket, agentId: number): void;
  /** The campaign as it is now (it may have been stopped or changed while a call went on). */
  campaign(campaignId: number): CampaignRow | undefined;
  /** The members taking part in the campaign now. */
  members(campaignId: number): number[];
  /** Resolves when the call is over. */
  ended(call: Call): Promise<void>;
  /** Resolves at the next change of any agent's status (or after `ms`). */
  agentsChanged(ms: number): Promise<void>;
}
