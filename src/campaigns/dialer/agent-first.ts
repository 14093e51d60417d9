/**
 * A preview attempt (§10-8 プレビューコール): the agent is rung first, showing the customer's
 * number; once they answer they see the entry (the `preview_offered` event, the web's preview
 * card) and choose: dial (key 1, or the card's button) rings the customer with the campaign's
 * number while the agent hears ringback, and connects them; skip (key 3, or the button) hands
 * the entry back untouched. An agent who does not answer hands it back too.
 */
import { callStart } from '../../calls/history-service.js';
import type { Call, Leg } from '../../calls/model.js';
import { MINUTE_MS } from '../../platform/calendar.js';
import type { CampaignRow, DialTicket } from '../ledger.js';
import type { AttemptWire } from '../notifier.js';
import type { AttemptOutcome } from '../results.js';
import { afterTalk } from './after-talk.js';
import type { AttemptContext } from './context.js';
import type { LiveAttempt } from './customer-first.js';
import { outcomeOfDialFailure } from './outcome.js';

/** How long an offered preview waits for the agent's choice before it is skipped. */
export const PREVIEW_CHOICE_MS = 5 * MINUTE_MS;

/** 発信, スキップ, or 予約: skip now and dial it at that time. */
export type PreviewChoice = 'dial' | 'skip' | { reserveAt: Date };

/** The keys of the preview's choice on the agent's phone. */
const KEYS: Readonly<Record<string, PreviewChoice>> = { '1': 'dial', '3': 'skip' };

export interface PreviewAttempt {
  ticket: DialTicket;
  agentId: number;
  customerName: string;
  /** Set by the dialer: the web's choice reaches the attempt through it. */
  choose?: (choice: PreviewChoice) => void;
  /** A recall the agent asked for (§7 発信): the customer is dialled as soon as they answer. */
  autoDial?: boolean;
}

export async function dialAgentFirst(
  ctx: AttemptContext,
  campaign: CampaignRow,
  attempt: PreviewAttempt,
  live: LiveAttempt,
): Promise<void> {
  const { engine, ledger, clock, notifier } = ctx;
  const { ticket, agentId } = attempt;
  const wire = {
    ...ticket,
    mode: attempt.autoDial === true ? 'recall' : 'preview',
    agentId,
  } as const;
  const phoneNumberId = campaign.phoneNumberId;
  if (phoneNumberId === null) return ledger.withdraw(ticket, clock.now(), { result: 'error' });

  const ourNumber = ctx.numberOf(phoneNumberId);
  const call = engine.newCall(
    {
      direction: 'outbound',
      from: ctx.agentIdentity(agentId),
      to: ticket.phone,
      ourNumber,
      phoneNumberId,
    },
    ticket.callId,
  );
  live.call = call;
  live.stage = 'offered';
  if (campaign.acwStatusId !== null)
    engine.describe(call, {
      afterCall: { customStatusId: campaign.acwStatusId, seconds: campaign.acwSeconds },
    });
  ctx.history.open(callStart(call, { agentId, calleeAgentId: null }));
  engine.publish(call, 'call_created');
  if (attempt.autoDial !== true)
    notifier.previewOffered({ ...wire, customerName: attempt.customerName });

  const rung = await engine.fork(
    call,
    engine.agentTargets(agentId, {
      number: ticket.phone,
      name: attempt.customerName || campaign.name,
    }),
    campaign.agentRingSeconds,
    null,
  );
  if (!('answered' in rung)) {
    if (call.state !== 'ended') engine.finish(call, rung.failed, rung.cause);
    return handBack(ctx, ticket, wire);
  }
  const agent = rung.answered;
  engine.makeCaller(call, agent);
  const choice = attempt.autoDial === true ? 'dial' : await chosen(ctx, call, agent, attempt);
  if (choice !== 'dial' || live.stopped) {
    if (call.state !== 'ended') engine.finish(call, 'completed');
    return handBack(ctx, ticket, wire, typeof choice === 'object' ? choice.reserveAt : null);
  }

  const out = ctx.carrierTarget(ticket.phone, phoneNumberId, campaign.withholdCallerId);
  if ('refused' in out) {
    const outcome = outcomeOfDialFailure(out.refused);
    engine.finish(call, out.refused === 'channel_limit' ? 'busy' : out.refused);
    ledger.withdraw(ticket, clock.now(), {
      result: outcome === 'restricted' || outcome === 'channel_limit' ? outcome : 'error',
    });
    return;
  }
  live.stage = 'dialing';
  notifier.attempt('attempt_dialing', wire);
  const tone = `${agent.channelId}-ringback`;
  void ctx.engine
    .playToEnd(agent.channelId, 'tone:ring;tonezone=jp', tone, campaign.dialTimeoutSeconds * 1000)
    .catch(() => undefined);
  const dialled = await engine.fork(
    call,
    [out.target],
    campaign.dialTimeoutSeconds,
    agent.channelId,
  );
  await ctx.stopPlayback(tone);
  const end = (outcome: AttemptOutcome) => {
    ledger.finished(ticket, outcome, clock.now());
    notifier.ended({ ...wire, outcome });
  };
  if (!('answered' in dialled)) {
    if (call.state !== 'ended') engine.finish(call, dialled.failed, dialled.cause);
    return end(outcomeOfDialFailure(dialled.failed));
  }
  ledger.answered(ticket.attemptId, clock.now());
  notifier.attempt('attempt_answered', wire);
  await engine.connect(call, agent, dialled.answered);
  ledger.connected(ticket, agentId, clock.now());
  live.stage = 'connected';
  notifier.connected(wire);
  const entered = await afterTalk(ctx, campaign, call, agent);
  ledger.finished(ticket, 'connected', clock.now(), null, entered);
  notifier.ended({ ...wire, outcome: 'connected' });
  if (entered === null) ctx.requestResult(campaign, ticket, agentId);
}

/** The agent's choice: a key on their phone or the web's button, else skip after a while. */
function chosen(
  ctx: AttemptContext,
  call: Call,
  agent: Leg,
  attempt: PreviewAttempt,
): Promise<PreviewChoice | 'gone'> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (choice: PreviewChoice | 'gone') => {
      if (settled) return;
      settled = true;
      stopDigits();
      ctx.clock.clearTimeout(timer);
      resolve(choice);
    };
    const stopDigits = ctx.engine.listenDigits(call, agent, (digit) => {
      const choice = KEYS[digit];
      if (choice !== undefined) settle(choice);
    });
    const timer = ctx.clock.setTimeout(() => settle('skip'), PREVIEW_CHOICE_MS);
    attempt.choose = settle;
    void ctx.ended(call).then(() => settle('gone'));
    void ctx.engine
      .playToEnd(
        agent.channelId,
        ctx.agentPrompt('campaign_preview', attempt.agentId),
        `${agent.channelId}-preview`,
      )
      .catch(() => undefined);
  });
}

/** Nothing was dialled: the entry is as it was, and goes behind the others. */
function handBack(
  ctx: AttemptContext,
  ticket: DialTicket,
  wire: AttemptWire,
  reserveAt: Date | null = null,
): void {
  ctx.ledger.withdraw(ticket, ctx.clock.now(), { reserveAt });
  ctx.notifier.ended({ ...wire, outcome: 'cancelled' });
}
