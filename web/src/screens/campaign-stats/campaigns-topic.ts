/**
 * The `campaigns` topic in the browser (src/campaigns/notifier.ts): the running campaigns' live
 * figures (the snapshot `{campaigns}` then `campaign_live`), and the recent attempts, each at its
 * latest stage — offered to an agent (preview), dialling, answered, connected, ended with its
 * outcome. The wire shapes mirror the notifier's (the feed is not in the OpenAPI document).
 */
import type { TopicStore } from '../../feed/topics';

export type CampaignMode = 'preview' | 'progressive' | 'predictive';

export interface CampaignLive {
  campaignId: number;
  name: string;
  running: boolean;
  /** Why it does not dial now: off, no_caller_id, asterisk_down, outside_window … */
  idleReason: string | null;
  mode: CampaignMode;
  dialing: number;
  waiting: number;
  connected: number;
  agents: number;
  freeAgents: number;
  due: number;
  /** In %, over the last 24 hours and 30 days, and the campaign's ceiling. */
  abandon: { rate24h: number; rate30d: number; targetPercent: number };
}

export interface AttemptWire {
  campaignId: number;
  entryId: number;
  attemptId: number;
  callId: string;
  mode: string;
  phone: string;
  customerId: number | null;
  agentId: number | null;
  outcome?: string;
  customerName?: string;
}

export type AttemptStage = 'offered' | 'dialing' | 'answered' | 'connected' | 'ended';

export interface CampaignAttempt extends AttemptWire {
  stage: AttemptStage;
  /** When the page heard of its latest stage (ms, the browser's clock). */
  at: number;
}

export interface CampaignsState {
  /** By campaign id. */
  live: Map<number, CampaignLive>;
  /** Newest first, one per attempt. */
  attempts: CampaignAttempt[];
}

const RECENT_ATTEMPTS = 30;

const STAGES: Readonly<Record<string, AttemptStage>> = {
  preview_offered: 'offered',
  attempt_dialing: 'dialing',
  attempt_answered: 'answered',
  attempt_connected: 'connected',
  attempt_ended: 'ended',
};

export const campaignsStore: TopicStore<CampaignsState> = {
  empty: () => ({ live: new Map(), attempts: [] }),
  fromSnapshot: (data) => ({
    live: new Map((data as { campaigns: CampaignLive[] }).campaigns.map((c) => [c.campaignId, c])),
    attempts: [],
  }),
  onEvent: (state, name, data) => {
    if (name === 'campaign_live') {
      const live = data as CampaignLive;
      return { ...state, live: new Map(state.live).set(live.campaignId, live) };
    }
    const stage = STAGES[name];
    if (stage === undefined) return state;
    const wire = data as AttemptWire;
    const before = state.attempts.find((a) => a.attemptId === wire.attemptId);
    const attempt: CampaignAttempt = {
      ...before,
      ...wire,
      // An agent once rung stays shown when a later event has none.
      agentId: wire.agentId ?? before?.agentId ?? null,
      stage,
      at: Date.now(),
    };
    const others = state.attempts.filter((a) => a.attemptId !== wire.attemptId);
    return { ...state, attempts: [attempt, ...others].slice(0, RECENT_ATTEMPTS) };
  },
};
