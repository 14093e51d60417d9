/**
 * A progressive (or predictive) attempt: the customer is dialled first, with the campaign's
 * number; when they answer they hear the campaign's hold audio (呼中音声) while a free agent of
 * the campaign is rung, and are connected to the first who answers (§10-8 プログレッシブコール).
 *
 * An answered customer no agent takes in time is abandoned: they hear the abandon message and
 * are hung up, and the ledger counts it. "In time" is 2 s from the answer to an agent ringing
 * when the campaign dials predictively (the abandon rule), and the campaign's agent ring time
 * (待ち呼タイムアウト) otherwise. An abandoned entry is called again after ABANDON_RETRY_MS.
 *
 * Every step writes the ledger first, so a restart finds the entry in the phase it was in.
 */
import { callStart } from '../../calls/history-service.js';
import type { Call, Leg } from '../../calls/model.js';
import { answerInstant } from '../../calls/machine-check.js';
import { HOUR_MS, SECOND_MS } from '../../platform/calendar.js';
import type { CampaignRow, DialTicket } from '../ledger.js';
import type { AttemptOutcome } from '../results.js';
import { afterLineTalk, afterTalk } from './after-talk.js';
import type { AttemptContext } from './context.js';
import { outcomeOfDialFailure } from './outcome.js';

/** An answered customer must reach an agent within this when dialled predictively. */
export const ABANDON_LIMIT_MS = 2 * SECOND_MS;
/** An abandoned customer is called again no sooner than this. */
export const ABANDON_RETRY_MS = HOUR_MS;

export interface CustomerFirstAttempt {
  ticket: DialTicket;
  /** Whether the pacer dialled it predictively (the 2-second rule applies). */
  predictive: boolean;
}

/** The attempt's live state, for the campaign's figures and its stop. */
export interface LiveAttempt {
  ticket: DialTicket;
  stage: 'dialing' | 'waiting' | 'connected' | 'offered';
  call: Call | null;
  /** The campaign was stopped while this rang: its entry goes back to 発信待機中. */
  stopped: boolean;
}

export async function dialCustomerFirst(
  ctx: AttemptContext,
  campaign: CampaignRow,
  attempt: CustomerFirstAttempt,
  live: LiveAttempt,
): Promise<void> {
  const { engine, ledger, clock, notifier } = ctx;
  const { ticket } = attempt;
  const wire = {
    ...ticket,
    mode: attempt.predictive ? 'predictive' : 'progressive',
    agentId: null,
  } as const;
  const end = (outcome: AttemptOutcome, reserveAt: Date | null = null) => {
    ledger.finished(ticket, outcome, clock.now(), reserveAt);
    notifier.ended({ ...wire, outcome });
  };

  const phoneNumberId = campaign.phoneNumberId;
  if (phoneNumberId === null) return ledger.withdraw(ticket, clock.now(), { result: 'error' });
  const out = ctx.carrierTarget(ticket.phone, phoneNumberId, campaign.withholdCallerId);
  if ('refused' in out) {
    const outcome = outcomeOfDialFailure(out.refused);
    ledger.withdraw(ticket, clock.now(), {
      result: outcome === 'restricted' || outcome === 'channel_limit' ? outcome : 'error',
    });
    return;
  }

  const ourNumber = ctx.numberOf(phoneNumberId);
  const call = engine.newCall(
    {
      direction: 'outbound',
      from: { number: ourNumber, name: campaign.name },
      to: ticket.phone,
      ourNumber,
      phoneNumberId,
    },
    ticket.callId,
  );
  live.call = call;
  if (campaign.acwStatusId !== null)
    engine.describe(call, {
      afterCall: { customStatusId: campaign.acwStatusId, seconds: campaign.acwSeconds },
    });
  ctx.history.open(callStart(call, { agentId: null, calleeAgentId: null }));
  engine.publish(call, 'call_created');
  notifier.attempt('attempt_dialing', wire);

  const customerTarget = campaign.detectMachines
    ? { ...out.target, answerCheck: 'machine' as const }
    : out.target;
  const dialled = await engine.fork(call, [customerTarget], campaign.dialTimeoutSeconds, null);
  if (!('answered' in dialled)) {
    if (call.state !== 'ended') engine.finish(call, dialled.failed, dialled.cause);
    return end(live.stopped ? 'stopped' : outcomeOfDialFailure(dialled.failed));
  }
  const customer = dialled.answered;
  // With detection on, the customer answered before the verdict: the 2 s count from then.
  const check = dialled.machineCheck;
  const answeredAt = check === undefined ? clock.now() : answerInstant(check, clock.now());
  ledger.answered(ticket.attemptId, answeredAt);
  if (check?.verdict === 'machine' || check?.verdict === 'hangup') {
    // A machine is hung up and no agent rung; a customer who hung up during the check ended
    // the call as one who hangs up while an agent is rung.
    engine.finish(call, 'completed');
    if (check.verdict === 'machine') return end('machine');
    return end('abandoned', new Date(clock.now().getTime() + ABANDON_RETRY_MS));
  }
  live.stage = 'waiting';
  notifier.attempt('attempt_answered', wire);

  if (campaign.agentMode === 'login')
    return onOpenLine(ctx, campaign, { call, customer, answeredAt, attempt, live, end });

  const agent = await agentFor(ctx, campaign, call, customer, attempt.predictive, answeredAt);
  if (agent === null) {
    if (call.state !== 'ended') await abandon(ctx, campaign, call, customer);
    return end('abandoned', new Date(clock.now().getTime() + ABANDON_RETRY_MS));
  }
  engine.makeCaller(call, agent);
  try {
    await engine.connect(call, agent, customer);
  } catch (err) {
    // The customer (or the agent) hung up in the instant the two were being connected.
    if (call.state !== 'ended' && engine.get(call.id) !== undefined) throw err;
    ctx.log.info({ err, callId: call.id }, 'campaign call ended while connecting');
    return end('abandoned', new Date(clock.now().getTime() + ABANDON_RETRY_MS));
  }
  const agentId = agent.agentId ?? 0;
  ctx.history.assign(call.id, { agentId });
  ledger.connected(ticket, agentId, clock.now());
  live.stage = 'connected';
  notifier.connected({ ...wire, agentId });
  const entered = await afterTalk(ctx, campaign, call, agent);
  ledger.finished(ticket, 'connected', clock.now(), null, entered);
  notifier.ended({ ...wire, agentId, outcome: 'connected' });
  if (entered === null) ctx.requestResult(campaign, ticket, agentId);
}

/** An answered customer of a ログイン campaign, and how their attempt ends. */
interface AnsweredCustomer {
  call: Call;
  customer: Leg;
  answeredAt: Date;
  attempt: CustomerFirstAttempt;
  live: LiveAttempt;
  end: (outcome: AttemptOutcome, reserveAt?: Date | null) => void;
}

/**
 * ログイン mode: the customer is put through to the open line of a member who dialled 990 and is
 * idle, with no ringing — at once when one is, else the first to become idle in time.
 */
async function onOpenLine(
  ctx: AttemptContext,
  campaign: CampaignRow,
  answered: AnsweredCustomer,
): Promise<void> {
  const { call, customer, attempt, live, end } = answered;
  const { ticket } = attempt;
  const agentId = await lineFor(ctx, campaign, answered);
  if (agentId === null) {
    if (call.state !== 'ended') await abandon(ctx, campaign, call, customer);
    return end('abandoned', new Date(ctx.clock.now().getTime() + ABANDON_RETRY_MS));
  }
  const line = ctx.lines.of(agentId);
  if (line === undefined) return end('abandoned', null);
  ctx.history.assign(call.id, { agentId });
  ctx.ledger.connected(ticket, agentId, ctx.clock.now());
  live.stage = 'connected';
  const wire = { ...ticket, mode: attempt.predictive ? 'predictive' : 'progressive' } as const;
  ctx.notifier.connected({ ...wire, agentId });
  const entered = await afterLineTalk(ctx, campaign, call, line);
  ctx.ledger.finished(ticket, 'connected', ctx.clock.now(), null, entered);
  ctx.notifier.ended({ ...wire, agentId, outcome: 'connected' });
  if (entered === null) ctx.requestResult(campaign, ticket, agentId);
}

/** The member whose open line the customer was put through to, or null in time. */
async function lineFor(
  ctx: AttemptContext,
  campaign: CampaignRow,
  answered: AnsweredCustomer,
): Promise<number | null> {
  const { call, customer, answeredAt, attempt } = answered;
  const media = ctx.waitingMedia(call, customer, campaign);
  let waiting = false;
  const deadline =
    answeredAt.getTime() +
    (attempt.predictive ? ABANDON_LIMIT_MS : campaign.agentRingSeconds * SECOND_MS);
  try {
    for (;;) {
      if (call.state === 'ended') return null;
      const [agentId] = ctx.lines.idle(ctx.members(campaign.id));
      if (agentId !== undefined) {
        if (waiting) await media.stop();
        waiting = false;
        if (await ctx.lines.putThrough(agentId, call, customer)) return agentId;
        continue;
      }
      const left = deadline - ctx.clock.now().getTime();
      if (left <= 0) return null;
      // Nobody idle: the customer hears 呼中音声 until a line is free.
      if (!waiting) void media.start(() => undefined);
      waiting = true;
      await ctx.agentsChanged(Math.min(left, 500));
    }
  } finally {
    if (waiting) await media.stop();
  }
}

/**
 * Rings free agents of the campaign, one after another, until one answers for the customer —
 * or the time for it runs out, or the customer hangs up: then none (null).
 */
async function agentFor(
  ctx: AttemptContext,
  campaign: CampaignRow,
  call: Call,
  customer: Leg,
  predictive: boolean,
  answeredAt: Date,
): Promise<Leg | null> {
  const { engine, clock, freeAgents } = ctx;
  const media = ctx.waitingMedia(call, customer, campaign);
  void media.start(() => undefined);
  const deadline =
    answeredAt.getTime() + (predictive ? ABANDON_LIMIT_MS : campaign.agentRingSeconds * SECOND_MS);
  const tried = new Set<number>();
  try {
    for (;;) {
      if (call.state === 'ended') return null;
      const left = deadline - clock.now().getTime();
      const agentId = freeAgents.of(ctx.members(campaign.id)).find((id) => !tried.has(id));
      if (agentId === undefined) {
        if (left <= 0) return null;
        await ctx.agentsChanged(Math.min(left, 500));
        continue;
      }
      // Once an agent rings, their phone has the agent ring time to be answered: the 2 s of the
      // predictive rule is the time to find one, not to answer.
      if (predictive && left <= 0 && tried.size > 0) return null;
      tried.add(agentId);
      freeAgents.hold(agentId);
      try {
        const shown = { number: call.to, name: campaign.name };
        const rung = await engine.fork(
          call,
          engine.agentTargets(agentId, shown),
          campaign.agentRingSeconds,
          customer.channelId,
        );
        if ('answered' in rung) return rung.answered;
      } finally {
        freeAgents.release(agentId);
      }
      if (clock.now().getTime() >= deadline) return null;
    }
  } finally {
    await media.stop();
  }
}

/** The abandon message, then the customer is hung up. */
async function abandon(
  ctx: AttemptContext,
  campaign: CampaignRow,
  call: Call,
  customer: Leg,
): Promise<void> {
  try {
    await ctx.engine.playToEnd(
      customer.channelId,
      ctx.abandonMedia(campaign, call),
      `${customer.channelId}-abandoned`,
    );
  } catch (err) {
    ctx.log.info({ err, callId: call.id }, 'abandon message not played');
  }
  ctx.engine.finish(call, 'completed');
}
