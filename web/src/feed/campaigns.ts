/**
 * The `campaigns` topic in the browser (§10-8): what the dialer does (src/campaigns/notifier.ts).
 * A supervisor's snapshot holds each running campaign's live figures, and the recent attempts
 * each at its latest stage (the live view); an agent gets the events of their own calls — the
 * preview offered to them (the preview card), the end of each attempt (which closes that card)
 * and the result asked for after a campaign call (the result entry).
 */
import type { TopicStore } from './topics';

/** One attempt as the events carry it. */
export interface AttemptWire {
  campaignId: number;
  entryId: number;
  attemptId: number;
  callId: string;
  mode: 'preview' | 'progressive' | 'predictive' | 'recall';
  phone: string;
  customerId: number | null;
  agentId: number | null;
  outcome?: string;
  customerName?: string;
}

export type CampaignMode = 'preview' | 'progressive' | 'predictive';

export type AttemptStage = 'offered' | 'dialing' | 'answered' | 'connected' | 'ended';

/** An attempt at its latest stage, for the live view. */
export interface CampaignAttempt extends AttemptWire {
  stage: AttemptStage;
  /** When the page heard of its latest stage (ms, the browser's clock). */
  at: number;
}

/** `preview_offered`: the agent is rung with this entry; 発信 / スキップ / 予約 follows. */
export type PreviewOffer = AttemptWire & { agentId: number; customerName: string };

/** `result_requested`: a campaign call of the agent's ended; its result is asked for. */
export interface ResultRequest {
  campaignId: number;
  campaignName?: string;
  entryId: number;
  callId: string;
  phone: string;
  customerName: string;
  /** The campaign's results, then 発信待機中 (`waiting`, with a time: a recall) and 停止. */
  choices: { result: string; label: string }[];
  /** Whose call it was (a supervisor sees every agent's). */
  agentId?: number;
}

/** `campaign_live`: a running campaign's figures (the supervisor's live view). */
export interface CampaignLive {
  campaignId: number;
  name: string;
  running: boolean;
  idleReason: string | null;
  /** How it dials now: a predictive campaign falls back to progressive under its guards. */
  mode: CampaignMode;
  /** The pacer's last why (below_min_agents, over_abandon_target …). */
  pacerReason: string | null;
  dialing: number;
  waiting: number;
  connected: number;
  agents: number;
  freeAgents: number;
  due: number;
  abandon: { rate24h: number; rate30d: number; targetPercent: number };
}

export interface CampaignsState {
  live: Map<number, CampaignLive>;
  /** Previews offered and not yet ended, by call. */
  previews: Map<string, PreviewOffer>;
  /** Results asked for since the snapshot, by call (a screen forgets the ones it answered). */
  results: Map<string, ResultRequest>;
  /** Newest first, one per attempt (the live view's recent calls). */
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

function withAttempt(
  state: CampaignsState,
  stage: AttemptStage,
  wire: AttemptWire,
): CampaignsState {
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
}

const without = <V>(map: Map<string, V>, key: string) => {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
};

export const campaignsStore: TopicStore<CampaignsState> = {
  empty: () => ({ live: new Map(), previews: new Map(), results: new Map(), attempts: [] }),
  fromSnapshot: (data) => ({
    live: new Map((data as { campaigns: CampaignLive[] }).campaigns.map((c) => [c.campaignId, c])),
    previews: new Map(),
    results: new Map(),
    attempts: [],
  }),
  onEvent: (before, name, data) => {
    const stage = STAGES[name];
    const state = stage === undefined ? before : withAttempt(before, stage, data as AttemptWire);
    if (name === 'preview_offered') {
      const offer = data as PreviewOffer;
      return { ...state, previews: new Map(state.previews).set(offer.callId, offer) };
    }
    if (name === 'attempt_ended') {
      const previews = without(state.previews, (data as AttemptWire).callId);
      return { ...state, previews };
    }
    if (name === 'result_requested') {
      const request = data as ResultRequest;
      return { ...state, results: new Map(state.results).set(request.callId, request) };
    }
    if (name === 'campaign_live') {
      const live = data as CampaignLive;
      return { ...state, live: new Map(state.live).set(live.campaignId, live) };
    }
    return state;
  },
};
