/**
 * The dialer: every running campaign (ステータス ON, a caller ID, inside its daily window) is
 * looked at each second and whenever an agent's status changes, and dialled as its type says —
 * preview: one entry offered to each free agent; progressive: 発信速度倍率 × free agents lines,
 * never more than 最大チャンネル (the pacer decides the number when it is predictive).
 *
 * Stopping a campaign (OFF) dials nothing more: customers still ringing are cancelled (their
 * entries back to 発信待機中), calls with an agent go on to their end. After a restart, entries
 * the dead process left in flight are closed — never dialled again by accident — and calls
 * Asterisk kept are followed to their end.
 */
import type { Call } from '../../calls/model.js';
import { SECOND_MS } from '../../platform/calendar.js';
import type { Clock, Timer } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { CampaignRow, DialTicket, Ledger } from '../ledger.js';
import type { CampaignLiveWire } from '../notifier.js';
import type { AgentStatusView } from '../../agents/status-service.js';
import {
  decideLines,
  ESTIMATE_MAX_ATTEMPTS,
  ESTIMATE_WINDOW_MS,
  initialPacerState,
  type PacerAgent,
  type PacerDecision,
  type PacerState,
} from '../pacer.js';
import type { DialMode } from '../results.js';
import { inWindow } from '../window.js';
import { dialAgentFirst, type PreviewAttempt, type PreviewChoice } from './agent-first.js';
import type { AttemptContext } from './context.js';
import { dialCustomerFirst, type LiveAttempt } from './customer-first.js';

const TICK_MS = SECOND_MS;

export interface DialerDeps {
  ctx: AttemptContext;
  ledger: Ledger;
  clock: Clock;
  log: Logger;
  timeZone: string;
  /** Whether Asterisk is reachable: nothing is dialled without it. */
  asteriskUp(): boolean;
  /** A customer's name for the preview card. */
  customerName(customerId: number | null): string;
  /** Told when the engine took back the calls Asterisk kept (after each connection). */
  onReconciled(listener: () => void): void;
  /** Told when any agent's status changes. */
  onAgentChange(listener: () => void): void;
  /** An agent's recall list changed (a recall of theirs was dialled). */
  recallsChanged(agentId: number): void;
  /** Tells the feed a running campaign's figures (`campaign_live`). */
  publishLive(wire: CampaignLiveWire): void;
  /** An agent's status (the pacer reads who is talking, in after-call work, free). */
  statusOf(agentId: number): AgentStatusView;
  /** Channels still free on a DID (its 最大チャンネル minus its calls); null = no limit. */
  didFreeChannels(phoneNumberId: number): number | null;
  /** Whether the agent is on a call or not free to take one (a recall then waits). */
  agentBusy(agentId: number): boolean;
  /** New call ids (the dialer writes the id down before dialling). */
  newCallId: () => string;
}

export interface Dialer {
  /** A campaign was created, changed, switched or deleted. */
  changed(campaignId: number): void;
  /** Whether the campaign has calls in progress (it cannot be deleted then). */
  busy(campaignId: number): boolean;
  /** The web's choice on a preview offered to `agentId`. */
  choosePreview(callId: string, agentId: number, choice: PreviewChoice): boolean;
  /**
   * The recall list's 発信 (§7): the agent's phone rings, then the customer with the campaign's
   * number. The call id, or why not.
   */
  recall(
    entryId: number,
    agentId: number,
  ):
    | { callId: string }
    | {
        refused:
          | 'not_found'
          | 'not_yours'
          | 'not_waiting'
          | 'in_flight'
          | 'agent_busy'
          | 'agent_offline'
          | 'campaign_off';
      };
  /** The running campaigns' figures (the live view). */
  live(): CampaignLiveWire[];
  stop(): void;
}

interface Running extends LiveAttempt {
  campaignId: number;
  startedAt: Date;
  agentId: number | null;
  preview: PreviewAttempt | null;
}

export function createDialer(deps: DialerDeps): Dialer {
  const { ctx, ledger, clock, log } = deps;
  const attempts = new Map<string, Running>();
  /** The pacer's memory per campaign (its margin and guards), and its last decision. */
  const pacing = new Map<number, PacerState>();
  const lastDecision = new Map<number, PacerDecision>();
  let ready = false;
  let stopped = false;
  let timer: Timer | null = null;
  let soon: Timer | null = null;

  function schedule(): void {
    if (stopped || timer !== null) return;
    timer = clock.setTimeout(() => {
      timer = null;
      tick();
      schedule();
    }, TICK_MS);
  }

  /** Looks again at once (an agent became free, a campaign was switched on). */
  function nudge(): void {
    if (stopped || !ready || soon !== null) return;
    soon = clock.setTimeout(() => {
      soon = null;
      tick();
    }, 0);
  }

  function ofCampaign(campaignId: number): Running[] {
    return [...attempts.values()].filter((a) => a.campaignId === campaignId);
  }

  /** Why the campaign does not dial now, or null when it may. */
  function idleReason(campaign: CampaignRow, now: Date): string | null {
    if (!campaign.enabled) return 'off';
    if (campaign.phoneNumberId === null) return 'no_caller_id';
    if (!deps.asteriskUp()) return 'asterisk_down';
    if (!inWindow(now, { from: campaign.windowFrom, to: campaign.windowTo }, deps.timeZone))
      return 'outside_window';
    return null;
  }

  function tick(): void {
    if (!ready || stopped) return;
    const now = clock.now();
    for (const campaign of ledger.running()) {
      if (idleReason(campaign, now) !== null) continue;
      try {
        if (campaign.type === 'preview') offerPreviews(campaign, now);
        else dialProgressive(campaign, now);
      } catch (err) {
        log.error({ err, campaignId: campaign.id }, 'campaign not dialled');
      }
    }
    publishLive();
  }

  /** The live view's figures, on the feed when they changed since they were last told. */
  const told = new Map<number, string>();
  function publishLive(): void {
    for (const wire of live()) {
      const text = JSON.stringify(wire);
      if (told.get(wire.campaignId) === text) continue;
      told.set(wire.campaignId, text);
      deps.publishLive(wire);
    }
  }

  function offerPreviews(campaign: CampaignRow, now: Date): void {
    const free = ctx.freeAgents.of(ctx.members(campaign.id));
    for (const agentId of free) {
      const [ticket] = ledger.take(campaign.id, 1, now, 'preview', deps.newCallId);
      if (ticket === undefined) return;
      const preview: PreviewAttempt = {
        ticket,
        agentId,
        customerName: deps.customerName(ticket.customerId),
      };
      run(campaign, ticket, agentId, preview, (live) =>
        dialAgentFirst(ctx, campaign, preview, live),
      );
    }
  }

  /**
   * Progressive and predictive: the pacer (pacer.ts) decides how many customers to dial now from
   * the agents' states, the lines ringing, the customers waiting and the campaign's ledger.
   */
  function dialProgressive(campaign: CampaignRow, now: Date): void {
    const mine = ofCampaign(campaign.id);
    const decision = decideLines({
      now: now.getTime(),
      settings: campaign,
      agents: ctx
        .members(campaign.id)
        .flatMap((agentId) =>
          campaign.agentMode === 'login' ? lineAgent(agentId, now) : pacerAgent(agentId, now),
        ),
      lines: mine
        .filter((a) => a.stage === 'dialing')
        .map((a) => ({ sinceDialSeconds: (now.getTime() - a.startedAt.getTime()) / SECOND_MS })),
      waitingCustomers: mine.filter((a) => a.stage === 'waiting').length,
      history: ledger.recentAttempts(
        campaign.id,
        new Date(now.getTime() - ESTIMATE_WINDOW_MS),
        ESTIMATE_MAX_ATTEMPTS,
      ),
      didFreeChannels:
        campaign.phoneNumberId === null ? 0 : deps.didFreeChannels(campaign.phoneNumberId),
      rollingAbandon: ledger.abandonRates(campaign.id, now),
      state: pacing.get(campaign.id) ?? initialPacerState(),
    });
    pacing.set(campaign.id, decision.state);
    lastDecision.set(campaign.id, decision);
    if (decision.lines <= 0) return;
    const predictive = decision.mode === 'predictive';
    const mode: DialMode = predictive ? 'predictive' : 'progressive';
    for (const ticket of ledger.take(campaign.id, decision.lines, now, mode, deps.newCallId)) {
      run(campaign, ticket, null, null, (live) =>
        dialCustomerFirst(ctx, campaign, { ticket, predictive }, live),
      );
    }
  }

  /** A member as the pacer sees them: free, rung by us, talking, in after-call work — or away. */
  function pacerAgent(agentId: number, now: Date): PacerAgent[] {
    if (ctx.freeAgents.held(agentId)) return [{ state: 'ringing' }];
    const status = deps.statusOf(agentId);
    const seconds = (now.getTime() - status.since.getTime()) / SECOND_MS;
    switch (status.status) {
      case 'available':
        return [{ state: 'ready' }];
      case 'ringing':
        return [{ state: 'ringing' }];
      case 'on_call':
      case 'on_hold':
        return [{ state: 'talking', talkingForSeconds: seconds }];
      case 'paused':
        // 後処理 ends by itself (its time is set); other pauses are away until they choose.
        return status.until === null
          ? []
          : [{ state: 'after_call_work', wrapUpForSeconds: seconds }];
      default:
        return [];
    }
  }

  /** A member of a ログイン campaign: only on their open line do they take part. */
  function lineAgent(agentId: number, now: Date): PacerAgent[] {
    const line = ctx.lines.of(agentId);
    if (line === undefined) return [];
    const seconds = (now.getTime() - line.since.getTime()) / SECOND_MS;
    switch (line.state) {
      case 'idle':
        return [{ state: 'ready' }];
      case 'customer':
        return [{ state: 'talking', talkingForSeconds: seconds }];
      case 'wrap_up':
        return [{ state: 'after_call_work', wrapUpForSeconds: seconds }];
    }
  }

  /** Members free for the campaign's next customer: idle on their line, or 待機中. */
  function freeMembers(campaign: CampaignRow, members: readonly number[]): number[] {
    return campaign.agentMode === 'login' ? ctx.lines.idle(members) : ctx.freeAgents.of(members);
  }

  function run(
    campaign: CampaignRow,
    ticket: DialTicket,
    agentId: number | null,
    preview: PreviewAttempt | null,
    attempt: (live: LiveAttempt) => Promise<void>,
  ): void {
    const running: Running = {
      ticket,
      campaignId: campaign.id,
      startedAt: clock.now(),
      agentId,
      preview,
      stage: preview === null ? 'dialing' : 'offered',
      call: null,
      stopped: false,
    };
    attempts.set(ticket.callId, running);
    if (agentId !== null) ctx.freeAgents.hold(agentId);
    attempt(running)
      .catch((err: unknown) => {
        // A server shutting down leaves its attempts in flight: the next start closes them.
        if (stopped) return;
        log.error({ err, callId: ticket.callId }, 'campaign attempt failed');
        const call = running.call;
        if (call !== null && call.state !== 'ended') ctx.engine.finish(call, 'failed');
        try {
          ledger.finished(ticket, 'error', clock.now());
        } catch (error) {
          log.error({ err: error, callId: ticket.callId }, 'campaign attempt not closed');
        }
      })
      .finally(() => {
        attempts.delete(ticket.callId);
        if (agentId !== null) ctx.freeAgents.release(agentId);
        if (agentId !== null && preview?.autoDial === true && !stopped)
          deps.recallsChanged(agentId);
        nudge();
      });
  }

  /** OFF: nothing more is dialled; what still rings is cancelled, calls with an agent go on. */
  function stopCampaign(campaignId: number): void {
    for (const attempt of ofCampaign(campaignId)) {
      if (attempt.stage !== 'dialing' && attempt.stage !== 'offered') continue;
      attempt.stopped = true;
      const call: Call | null = attempt.call;
      if (call !== null && call.state !== 'ended' && call.answeredAt === null)
        ctx.engine.finish(call, 'cancelled');
    }
  }

  /**
   * Entries a process before this one left in flight: those whose call Asterisk kept are
   * followed to its end; the others are closed as they stood — none is dialled again unasked.
   */
  function recover(): void {
    const now = clock.now();
    for (const entry of ledger.inFlight()) {
      if (entry.callId !== null && attempts.has(entry.callId)) continue;
      const call = entry.callId === null ? undefined : ctx.engine.get(entry.callId);
      const ticket = { attemptId: entry.attemptId, entryId: entry.entryId };
      if (call !== undefined && call.state !== 'ended') {
        log.info({ callId: call.id, entryId: entry.entryId }, 'campaign call taken back');
        void ctx.ended(call).then(() => ledger.close(ticket, 'connected', clock.now()));
        continue;
      }
      ledger.close(
        ticket,
        entry.connected ? 'connected' : entry.answered ? 'abandoned' : 'error',
        now,
      );
    }
    ledger.closeStrayAttempts(new Set(attempts.keys()), now);
  }

  function live(): CampaignLiveWire[] {
    const now = clock.now();
    return ledger.running().map((campaign) => {
      const mine = ofCampaign(campaign.id);
      const members = ctx.members(campaign.id);
      const abandon = ledger.abandonRates(campaign.id, now);
      return {
        campaignId: campaign.id,
        name: campaign.name,
        running: idleReason(campaign, now) === null,
        idleReason: idleReason(campaign, now),
        mode:
          campaign.type === 'preview'
            ? 'preview'
            : (lastDecision.get(campaign.id)?.mode ?? 'progressive'),
        pacerReason: lastDecision.get(campaign.id)?.reason ?? null,
        dialing: mine.filter((a) => a.stage === 'dialing').length,
        waiting: mine.filter((a) => a.stage === 'waiting').length,
        connected: mine.filter((a) => a.stage === 'connected').length,
        agents: members.length,
        freeAgents: freeMembers(campaign, members).length,
        openLines: ctx.lines.onLine(members).length,
        due: ledger.dueCount(campaign.id, now),
        abandon: {
          rate24h: abandon.day.percent,
          rate30d: abandon.month.percent,
          targetPercent: campaign.abandonTargetPercent,
        },
      };
    });
  }

  deps.onReconciled(() => {
    if (stopped) return;
    try {
      recover();
    } catch (err) {
      log.error({ err }, 'campaign entries in flight not recovered');
    }
    ready = true;
    nudge();
  });
  deps.onAgentChange(nudge);
  schedule();

  return {
    changed(campaignId) {
      const campaign = ledger.campaign(campaignId);
      if (campaign === undefined || !campaign.enabled) stopCampaign(campaignId);
      nudge();
    },
    busy: (campaignId) => ofCampaign(campaignId).length > 0,
    recall(entryId, agentId) {
      // No phone of theirs registered (or Asterisk not reachable): nothing could ring.
      const reachable = deps.statusOf(agentId).status;
      if (reachable === 'offline' || reachable === 'unknown') return { refused: 'agent_offline' };
      if (ctx.freeAgents.held(agentId) || deps.agentBusy(agentId)) return { refused: 'agent_busy' };
      const ticket = ledger.takeRecall(entryId, agentId, clock.now(), deps.newCallId());
      if (typeof ticket === 'string') return { refused: ticket };
      const campaign = ledger.campaign(ticket.campaignId);
      if (campaign === undefined || campaign.phoneNumberId === null) {
        ledger.withdraw(ticket, clock.now(), { reserveAt: null });
        return { refused: 'campaign_off' };
      }
      const recall: PreviewAttempt = {
        ticket,
        agentId,
        customerName: deps.customerName(ticket.customerId),
        autoDial: true,
      };
      run(campaign, ticket, agentId, recall, (live) => dialAgentFirst(ctx, campaign, recall, live));
      return { callId: ticket.callId };
    },
    choosePreview(callId, agentId, choice) {
      const attempt = attempts.get(callId);
      const choose = attempt?.preview?.choose;
      if (attempt?.agentId !== agentId || choose === undefined) return false;
      choose(choice);
      return true;
    },
    live,
    stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      if (soon !== null) clock.clearTimeout(soon);
    },
  };
}
