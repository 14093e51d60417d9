/**
 * The `campaigns` topic: what the dialer does, as it does it — each attempt (dialling, answered,
 * connected to an agent, ended with its outcome), the preview offered to an agent, and each
 * running campaign's live figures (lines dialling, customers waiting, agents, abandon rate). A
 * supervisor (realtime.view) sees everything; an agent sees the attempts and previews that are
 * theirs.
 */
import type { Principal } from '../platform/http/auth.js';
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { LineChange } from './dialer/open-lines.js';
import type { AttemptOutcome, DialMode } from './results.js';

export interface AttemptWire {
  campaignId: number;
  entryId: number;
  attemptId: number;
  callId: string;
  mode: DialMode;
  phone: string;
  customerId: number | null;
  /** The agent rung for or talking to the customer, when there is one. */
  agentId: number | null;
}

export interface CampaignLiveWire {
  campaignId: number;
  name: string;
  running: boolean;
  /** Why it does not dial now, when it does not: off, outside its window, no caller ID … */
  idleReason: string | null;
  /** How it dials now: a predictive campaign falls back to progressive under its guards. */
  mode: 'preview' | 'progressive' | 'predictive';
  /** The pacer's last why (pacer.ts PacerReason: below_min_agents, over_abandon_target …). */
  pacerReason: string | null;
  /** Customer lines ringing now. */
  dialing: number;
  /** Answered customers waiting for an agent. */
  waiting: number;
  /** Customers talking to an agent. */
  connected: number;
  /** Members taking part (not paused), and of them those free now. */
  agents: number;
  freeAgents: number;
  /** ログイン mode: members on their open line (990), whatever its state. */
  openLines: number;
  /** Entries still to dial (発信待機中, due now). */
  due: number;
  abandon: { rate24h: number; rate30d: number; targetPercent: number };
}

export interface CampaignEvents {
  attempt_dialing: AttemptWire;
  attempt_answered: AttemptWire;
  attempt_connected: AttemptWire & { agentId: number };
  attempt_ended: AttemptWire & { outcome: AttemptOutcome };
  /** Preview: the agent is rung with this entry; dial or skip follows. */
  preview_offered: AttemptWire & { agentId: number; customerName: string };
  campaign_live: CampaignLiveWire;
  /** A campaign call of the agent's ended: its result is wanted (the web's result entry). */
  result_requested: ResultRequestWire;
  /** ログイン mode: an agent's open line opened (idle), took a customer, wrapped up or closed. */
  line_changed: LineChange;
}

export interface ResultRequestWire {
  campaignId: number;
  campaignName: string;
  entryId: number;
  callId: string;
  phone: string;
  customerName: string;
  agentId: number;
  /** What may be entered: the campaign's results, then 発信待機中 (with a time: a recall) and 停止. */
  choices: { result: string; label: string }[];
}

export type CampaignNotifier = ReturnType<typeof createCampaignNotifier>;

const supervises = (p: Principal) => p.permissions.has('realtime.view');

export function createCampaignNotifier(hub: Hub, live: () => CampaignLiveWire[]) {
  hub.defineTopic('campaigns', {
    canSubscribe: (p) => p.kind === 'agent' || supervises(p),
    snapshot: (p) => ({ campaigns: supervises(p) ? live() : [] }),
  });
  const topic = typedTopic<CampaignEvents>(hub, 'campaigns');
  /** A supervisor, or the agent of the attempt. */
  const seenBy = (agentId: number | null) => (p: Principal) =>
    supervises(p) || (agentId !== null && p.kind === 'agent' && p.id === agentId);
  return {
    attempt(name: 'attempt_dialing' | 'attempt_answered', wire: AttemptWire): void {
      topic.publish(name, wire, seenBy(wire.agentId));
    },
    connected(wire: AttemptWire & { agentId: number }): void {
      topic.publish('attempt_connected', wire, seenBy(wire.agentId));
    },
    ended(wire: AttemptWire & { outcome: AttemptOutcome }): void {
      topic.publish('attempt_ended', wire, seenBy(wire.agentId));
    },
    previewOffered(wire: AttemptWire & { agentId: number; customerName: string }): void {
      topic.publish('preview_offered', wire, seenBy(wire.agentId));
    },
    resultRequested(wire: ResultRequestWire): void {
      topic.publish('result_requested', wire, seenBy(wire.agentId));
    },
    lineChanged(change: LineChange): void {
      topic.publish('line_changed', change, seenBy(change.agentId));
    },
    live(wire: CampaignLiveWire): void {
      topic.publish('campaign_live', wire, supervises);
    },
  };
}
