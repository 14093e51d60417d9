/**
 * The end of a campaign call an agent took. With 結果をコマンドで入力 (§10-8) the agent stays on
 * the line when the customer hangs up and is prompted for the result: the campaign's result
 * number then `#`, or `0` and a recall time — `分#`, `分*時#`, `分*時*日#` — which reserves the
 * entry that much later. A mistake is refused with the IVR's "invalid" and the prompt again;
 * nothing keyed within RESULT_ENTRY_MS leaves the entry 未入力. The agent hanging up ends it.
 * Without the setting the call ends with the customer, and the result is entered on the web.
 *
 * On an open line (ログイン mode) the agent is not a party of the customer's call: the result is
 * keyed on the line once the customer's call is over, and the line stays open.
 */
import type { Call, Leg } from '../../calls/model.js';
import { SECOND_MS } from '../../platform/calendar.js';
import type { Timer } from '../../platform/clock.js';
import type { CampaignRow } from '../ledger.js';
import { resultEntryReader, type ResultEntryReader } from '../result-entry.js';
import type { StoredResult } from '../results.js';
import { recallAt } from '../window.js';
import type { AttemptContext } from './context.js';
import type { OpenLine } from './open-lines.js';

/** Time the agent has to key a result after the customer hung up. */
export const RESULT_ENTRY_MS = 30 * SECOND_MS;

/** What the agent keyed: a result, or 発信待機中 with a reservation (a recall). */
export interface EnteredResult {
  result: StoredResult;
  reservedAt: Date | null;
}

/** Waits for the call's end; with DTMF entry on, takes the agent's result first. */
export async function afterTalk(
  ctx: AttemptContext,
  campaign: CampaignRow,
  call: Call,
  agent: Leg,
): Promise<EnteredResult | null> {
  if (!campaign.dtmfResults) {
    await ctx.ended(call);
    return null;
  }
  // Set from the supervisor, so held in an object TypeScript does not narrow to its first value.
  const taking: { entry: Promise<EnteredResult | null> | null } = { entry: null };
  const unsupervise = ctx.engine.supervise(call, (leg) => {
    // The customer left: the agent stays for the result. The agent leaving ends the call.
    if (leg.channelId === agent.channelId || leg.kind !== 'trunk' || taking.entry !== null)
      return false;
    taking.entry = takeResult(ctx, campaign, call, agent, 'ends_call');
    return true;
  });
  await ctx.ended(call);
  unsupervise();
  return taking.entry === null ? null : await taking.entry;
}

/**
 * The customer on an open line: once their call is over, the agent keys the result on the line
 * (with DTMF entry on), then rests for the campaign's ACW time before the next customer.
 */
export async function afterLineTalk(
  ctx: AttemptContext,
  campaign: CampaignRow,
  call: Call,
  line: OpenLine,
): Promise<EnteredResult | null> {
  await ctx.ended(call);
  ctx.lines.wrapUp(line.agentId);
  const open = () => ctx.lines.of(line.agentId) === line;
  const entered =
    campaign.dtmfResults && open()
      ? await takeResult(ctx, campaign, line.call, line.leg, 'keeps_call')
      : null;
  // The ACW time goes with an ACW status, as it does for a call that rang the agent.
  ctx.lines.rest(line.agentId, campaign.acwStatusId === null ? 0 : campaign.acwSeconds);
  return entered;
}

/**
 * Reads the agent's result on `call` (theirs): `ends_call` hangs the call up after it, an open
 * line `keeps_call`.
 */
function takeResult(
  ctx: AttemptContext,
  campaign: CampaignRow,
  call: Call,
  agent: Leg,
  after: 'ends_call' | 'keeps_call',
): Promise<EnteredResult | null> {
  const { engine, clock } = ctx;
  const numbers = ctx.ledger.resultNumbers(campaign.id);
  let reader: ResultEntryReader = resultEntryReader(numbers);
  let playing = 0;
  const say = (name: Parameters<AttemptContext['agentPrompt']>[0]) => {
    playing += 1;
    const playbackId = `${agent.channelId}-result-${playing}`;
    void ctx.stopPlayback(`${agent.channelId}-result-${playing - 1}`);
    void engine
      .playToEnd(agent.channelId, ctx.agentPrompt(name, agent.agentId ?? 0), playbackId)
      .catch(() => undefined);
  };

  return new Promise((resolve) => {
    let settled = false;
    let timer: Timer = clock.setTimeout(() => settle(null), RESULT_ENTRY_MS);
    const settle = (result: EnteredResult | null) => {
      if (settled) return;
      settled = true;
      stopDigits();
      clock.clearTimeout(timer);
      resolve(result);
      void (async () => {
        if (result !== null && call.state !== 'ended') {
          await ctx.stopPlayback(`${agent.channelId}-result-${playing}`);
          await engine
            .playToEnd(
              agent.channelId,
              ctx.agentPrompt('campaign_result_saved', agent.agentId ?? 0),
              `${agent.channelId}-result-saved`,
            )
            .catch(() => undefined);
        }
        if (after === 'ends_call' && call.state !== 'ended') engine.finish(call, 'completed');
      })();
    };
    const stopDigits = engine.listenDigits(call, agent, (digit) => {
      clock.clearTimeout(timer);
      timer = clock.setTimeout(() => settle(null), RESULT_ENTRY_MS);
      const first = reader.keys === '';
      const step = reader.feed(digit);
      if (first && digit === '0' && step.kind === 'more') return say('campaign_recall_time');
      switch (step.kind) {
        case 'more':
          return;
        case 'error':
          reader = resultEntryReader(numbers);
          return say('ivr_invalid');
        case 'result':
          return settle({ result: `${step.number}`, reservedAt: null });
        case 'recall':
          return settle({
            result: 'waiting',
            reservedAt: recallAt(clock.now(), step.delay, ctx.timeZone),
          });
      }
    });
    say('campaign_result_entry');
  });
}
