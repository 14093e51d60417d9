/**
 * The abandon rate of a campaign (issue 13 §2; shared/notes/ivr-voicemail-dialer.md "Predictive
 * pacing and abandon rules"): one definition for the predictive pacer's guard, the live view and
 * the README's rule. Pure.
 *
 * The rule (FCC 47 CFR 64.1200(a)(7) and the FTC's TSR, which the setting's default of 3 % follows):
 * - A call is **abandoned** when the customer answered and no live agent was connected within
 *   2 seconds of their greeting (ABANDON_LIMIT_MS). The engine plays the campaign's abandon message
 *   and hangs up; the ledger records the attempt with outcome `abandoned`. The time an
 *   answering-machine verdict takes counts against those 2 seconds.
 * - The rate is abandoned ÷ live-answered, where live-answered = connected + abandoned. Calls
 *   answered by a machine (`machine`) are neither: they never needed an agent. Calls never answered
 *   (busy, no answer, errors…) do not count at all.
 * - It is kept per campaign over two rolling windows ending now: 30 days (the US rule) and 24 hours
 *   (the UK's old safe harbour). An attempt falls in a window by the time the customer answered
 *   (its start when the ledger lacks that time); a window is (now − length, now].
 */
import type { AttemptOutcome } from './results.js';

/** No agent within this long after the customer answered: the call is abandoned. */
export const ABANDON_LIMIT_MS = 2_000;

export const ABANDON_WINDOWS = {
  day: 24 * 60 * 60 * 1000,
  month: 30 * 24 * 60 * 60 * 1000,
} as const;
export type AbandonWindow = keyof typeof ABANDON_WINDOWS;

/** What the rate reads of a ledger row (campaign_attempts); instants in ms since the epoch. */
export interface AbandonAttempt {
  startedAt: number;
  answeredAt: number | null;
  /** None while the call is live: a live call is not counted yet. */
  outcome: AttemptOutcome | null;
}

export interface AbandonCounts {
  abandoned: number;
  connected: number;
  /** connected + abandoned: the denominator. */
  liveAnswered: number;
  /** Answered by a machine: shown beside the rate, never part of it. */
  machines: number;
  /** abandoned ÷ liveAnswered × 100; 0 when nobody has answered yet. */
  percent: number;
}

export type RollingAbandonRates = Readonly<Record<AbandonWindow, AbandonCounts>>;

export const NO_ABANDON_COUNTS: AbandonCounts = {
  abandoned: 0,
  connected: 0,
  liveAnswered: 0,
  machines: 0,
  percent: 0,
};

/** When an attempt counts: the customer's answer, or its start when that is not recorded. */
export function abandonInstantOf(attempt: AbandonAttempt): number {
  return attempt.answeredAt ?? attempt.startedAt;
}

export function countsOf(abandoned: number, connected: number, machines: number): AbandonCounts {
  const liveAnswered = abandoned + connected;
  return {
    abandoned,
    connected,
    liveAnswered,
    machines,
    percent: liveAnswered === 0 ? 0 : (abandoned / liveAnswered) * 100,
  };
}

/** The counts over (from, to]. */
export function abandonCounts(
  attempts: readonly AbandonAttempt[],
  from: number,
  to: number,
): AbandonCounts {
  let abandoned = 0;
  let connected = 0;
  let machines = 0;
  for (const attempt of attempts) {
    const at = abandonInstantOf(attempt);
    if (at <= from || at > to) continue;
    if (attempt.outcome === 'abandoned') abandoned += 1;
    else if (attempt.outcome === 'connected') connected += 1;
    else if (attempt.outcome === 'machine') machines += 1;
  }
  return countsOf(abandoned, connected, machines);
}

/** Both rolling windows ending at `now`. */
export function rollingAbandonRates(
  attempts: readonly AbandonAttempt[],
  now: number,
): RollingAbandonRates {
  return {
    day: abandonCounts(attempts, now - ABANDON_WINDOWS.day, now),
    month: abandonCounts(attempts, now - ABANDON_WINDOWS.month, now),
  };
}

/** Both windows per campaign, for the live view of several campaigns at once. */
export function rollingAbandonRatesByCampaign(
  attempts: readonly (AbandonAttempt & { campaignId: number })[],
  now: number,
): Map<number, RollingAbandonRates> {
  const byCampaign = new Map<number, AbandonAttempt[]>();
  for (const attempt of attempts) {
    const list = byCampaign.get(attempt.campaignId);
    if (list) list.push(attempt);
    else byCampaign.set(attempt.campaignId, [attempt]);
  }
  const rates = new Map<number, RollingAbandonRates>();
  for (const [campaignId, list] of byCampaign)
    rates.set(campaignId, rollingAbandonRates(list, now));
  return rates;
}

/** The rule holds at exactly the target; above it in either window, it is broken. */
export function overAbandonTarget(rates: RollingAbandonRates, targetPercent: number): boolean {
  return rates.day.percent > targetPercent || rates.month.percent > targetPercent;
}
