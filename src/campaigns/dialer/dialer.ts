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
import { SECOND_MS, wallClock } from '../../platform/calendar.js';
import type { Clock, Timer } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { CampaignRow, DialTicket, Ledger } from '../ledger.js';
import type { CampaignLiveWire } from '../notifier.js';
import type { DialMode } from '../results.js';
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
  /** The running campaigns' figures (the live view). */
  live(): CampaignLiveWire[];
  stop(): void;
}

interface Running extends LiveAttempt {
  campaignId: number;
  agentId: number | null;
  preview: PreviewAttempt | null;
}

export function createDialer(deps: DialerDeps): Dialer {
  const { ctx, ledger, clock, log } = deps;
  const attempts = new Map<string, Running>();
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
    if (!inWindow(now, campaign.windowFrom, campaign.windowTo, deps.timeZone))
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

  function dialProgressive(campaign: CampaignRow, now: Date): void {
    const mine = ofCampaign(campaign.id);
    const ringing = mine.filter((a) => a.stage === 'dialing').length;
    const waiting = mine.filter((a) => a.stage === 'waiting').length;
    const free = ctx.freeAgents.of(ctx.members(campaign.id)).length;
    const wanted = Math.floor(campaign.dialRatio * free) - ringing - waiting;
    const lines = Math.min(wanted, campaign.maxChannels - mine.length);
    if (lines <= 0) return;
    const mode: DialMode = 'progressive';
    for (const ticket of ledger.take(campaign.id, lines, now, mode, deps.newCallId)) {
      run(campaign, ticket, null, null, (live) =>
        dialCustomerFirst(ctx, campaign, { ticket, predictive: false }, live),
      );
    }
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
    choosePreview(callId, agentId, choice) {
      const attempt = attempts.get(callId);
      const choose = attempt?.preview?.choose;
      if (attempt?.agentId !== agentId || choose === undefined) return false;
      choose(choice);
      return true;
    },
    live() {
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
              : campaign.predictive
                ? 'predictive'
                : 'progressive',
          dialing: mine.filter((a) => a.stage === 'dialing').length,
          waiting: mine.filter((a) => a.stage === 'waiting').length,
          connected: mine.filter((a) => a.stage === 'connected').length,
          agents: members.length,
          freeAgents: ctx.freeAgents.of(members).length,
          due: ledger.dueCount(campaign.id, now),
          abandon: { ...abandon, targetPercent: campaign.abandonTargetPercent },
        };
      });
    },
    stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      if (soon !== null) clock.clearTimeout(soon);
    },
  };
}

/** HH:MM From–To, both minutes included; a window may run past midnight (22:00–06:00). */
function inWindow(now: Date, from: string, to: string, timeZone: string): boolean {
  const wall = wallClock(now, timeZone);
  const minute = wall.hour * 60 + wall.minute;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [start, end] = [minutes(from), minutes(to)];
  return start <= end ? minute >= start && minute <= end : minute >= start || minute <= end;
}
