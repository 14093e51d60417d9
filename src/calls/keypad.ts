/**
 * Digits keyed on our phones during an answered call (spec §13). A phone's digits are absorbed
 * by the call's bridge (they do not reach the other party by themselves: `absorbDTMF`), read by
 * the feature-code parser (feature-codes.ts), and what is not a code is passed on to the other
 * parties at once — so an agent keys through a customer's IVR as if nothing stood between them.
 * A recognised code is handed to the feature that registered for it (park, transfers); a code no
 * feature serves gets the error beep, heard by the agent only.
 *
 * A carrier's digits are not absorbed: the customer's keys reach our phones directly.
 */
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import {
  IDLE,
  deadline,
  expire,
  press,
  type Feature,
  type FeatureCodeSettings,
  type FeatureCodeState,
} from './feature-codes.js';
import type { Media } from './media.js';
import { liveLegs, type Call, type Leg } from './model.js';

export type FeatureType = Feature['type'];
export type FeatureHandler<T extends FeatureType = FeatureType> = (
  call: Call,
  leg: Leg,
  feature: Feature & { type: T },
) => Promise<void>;

/** Whether a leg's digits are ours to read (absorbed by the bridge): our phones'. */
export function keysFeatures(leg: Leg): boolean {
  return leg.kind === 'phone';
}

export interface KeypadDeps {
  ari: AriPort;
  clock: Clock;
  log: Logger;
  media: Media;
  settings: FeatureCodeSettings;
}

export function createKeypad(deps: KeypadDeps) {
  const { ari, clock, log, media, settings } = deps;
  const parsers = new Map<string, { state: FeatureCodeState; timer: Timer | null }>();
  const handlers = new Map<FeatureType, FeatureHandler>();

  function parserOf(channelId: string) {
    let parser = parsers.get(channelId);
    if (parser === undefined) {
      parser = { state: IDLE, timer: null };
      parsers.set(channelId, parser);
    }
    return parser;
  }

  /** The digits go to every other party still on the call, as they were keyed. */
  function passOn(call: Call, from: Leg, digits: string): void {
    if (digits === '') return;
    for (const other of liveLegs(call)) {
      if (other.channelId === from.channelId || other.state !== 'up') continue;
      void media.quietly(() => ari.channels.sendDtmf(other.channelId, digits));
    }
  }

  function arm(call: Call, leg: Leg): void {
    const parser = parserOf(leg.channelId);
    if (parser.timer !== null) clock.clearTimeout(parser.timer);
    parser.timer = null;
    const due = deadline(settings, parser.state);
    if (due === null) return;
    parser.timer = clock.setTimeout(
      () => {
        parser.timer = null;
        const step = expire(settings, parser.state, clock.now().getTime());
        parser.state = step.state;
        passOn(call, leg, step.passOn);
        arm(call, leg);
      },
      Math.max(0, due - clock.now().getTime()),
    );
  }

  /** The error beep, to the one who keyed the code (the other party hears nothing). */
  function refuse(leg: Leg): Promise<void> {
    return media.quietly(() =>
      ari.channels.play(leg.channelId, 'sound:beeperr').then(() => undefined),
    );
  }

  async function run(call: Call, leg: Leg, feature: Feature): Promise<void> {
    const handler = handlers.get(feature.type);
    if (handler === undefined) {
      log.info({ callId: call.id, feature: feature.type }, 'a feature code no feature serves');
      await refuse(leg);
      return;
    }
    try {
      await handler(call, leg, feature);
    } catch (err) {
      log.warn({ err, callId: call.id, feature: feature.type }, 'a feature code failed');
      await refuse(leg);
    }
  }

  return {
    /** A digit keyed on `leg` (one of our phones) during the answered `call`. */
    digit(call: Call, leg: Leg, digit: string): void {
      const parser = parserOf(leg.channelId);
      const step = press(settings, parser.state, digit, clock.now().getTime());
      parser.state = step.state;
      passOn(call, leg, step.passOn);
      arm(call, leg);
      if (step.feature !== null) void run(call, leg, step.feature);
    },
    /** Registers the feature a code starts (one handler per feature). */
    onFeature<T extends FeatureType>(type: T, handler: FeatureHandler<T>): void {
      handlers.set(type, handler as FeatureHandler);
    },
    /** The leg left its call: whatever it had keyed is forgotten. */
    forget(channelId: string): void {
      const parser = parsers.get(channelId);
      if (parser?.timer !== undefined && parser.timer !== null) clock.clearTimeout(parser.timer);
      parsers.delete(channelId);
    },
  };
}

export type Keypad = ReturnType<typeof createKeypad>;
