/**
 * Reads digits from a leg a feature answered and holds outside any bridge (a hot-desk PIN; an
 * IVR's menu, a supervisor's mode switch next): plays a prompt that the first key interrupts,
 * then collects keys by digit-collector.ts's rules, with its timeouts on the Clock.
 *
 * Keys that come between two reads (while the feature checks a PIN, before the next prompt) are
 * kept for the next read, as a phone user types ahead; the terminator keyed right after an input
 * that ended by its length (`1234#` for a 4-digit PIN) is dropped rather than kept.
 */
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Clock, Timer } from '../platform/clock.js';
import {
  beginDigits,
  digitDeadline,
  expireDigits,
  hangUpDigits,
  pressDigit,
  promptEnded,
  type DigitInput,
  type DigitRules,
  type DigitState,
} from './digit-collector.js';
import type { Call, Leg } from './model.js';

export type { DigitInput, DigitRules } from './digit-collector.js';

export interface DigitReaderDeps {
  ari: Pick<AriPort, 'onEvent' | 'playbacks'>;
  clock: Clock;
  engine: {
    listenDigits(call: Call, leg: Leg, listener: (digit: string) => void): () => void;
    playToEnd(channelId: string, media: string, playbackId: string): Promise<void>;
  };
}

export interface DigitReader {
  /** Plays `prompt` (a media URI, e.g. `sound:agent-pass`), interrupted by a key, and reads. */
  read(rules: DigitRules, prompt?: string): Promise<DigitInput>;
  /** The feature is done with the leg: its keys are no longer read. */
  close(): void;
}

interface Reading {
  rules: DigitRules;
  state: DigitState;
  timer: Timer | null;
  playbackId: string | null;
  resolve: (input: DigitInput) => void;
}

export function createDigitReaders(deps: DigitReaderDeps) {
  const { ari, clock, engine } = deps;
  let sequence = 0;

  /** Starts reading the keys of `leg` (one of `call`'s, answered). */
  function open(call: Call, leg: Leg): DigitReader {
    const channelId = leg.channelId;
    const typedAhead: string[] = [];
    let reading: Reading | null = null;
    let gone = false;
    /** The terminator to drop if it is the next key (after an input ended by its length). */
    let dropNext: string | null = null;

    const now = () => clock.now().getTime();

    function settle(r: Reading): void {
      if (r.timer !== null) clock.clearTimeout(r.timer);
      r.timer = null;
      if (reading === r) reading = null;
      if (r.playbackId !== null) {
        const playbackId = r.playbackId;
        r.playbackId = null;
        void ari.playbacks.stop(playbackId).catch(() => undefined);
      }
      const done = r.state.done ?? { digits: r.state.digits, end: 'timeout' };
      dropNext = null;
      if (done.end === 'max_digits' && r.rules.terminator !== null) {
        if (typedAhead.length === 0) dropNext = r.rules.terminator;
        else if (typedAhead[0] === r.rules.terminator) typedAhead.shift();
      }
      r.resolve(done);
    }

    function arm(r: Reading): void {
      if (r.timer !== null) clock.clearTimeout(r.timer);
      r.timer = null;
      const due = digitDeadline(r.rules, r.state);
      if (due === null) return;
      r.timer = clock.setTimeout(
        () => {
          r.timer = null;
          r.state = expireDigits(r.rules, r.state, now());
          if (r.state.done !== null) settle(r);
          else arm(r);
        },
        Math.max(0, due - now()),
      );
    }

    function key(r: Reading, digit: string): void {
      const wasPrompting = r.state.prompting;
      r.state = pressDigit(r.rules, r.state, digit, now());
      if (r.state.done !== null) return settle(r);
      // Barge-in: Asterisk does not stop a playback on DTMF itself.
      if (wasPrompting && !r.state.prompting && r.playbackId !== null) {
        const playbackId = r.playbackId;
        r.playbackId = null;
        void ari.playbacks.stop(playbackId).catch(() => undefined);
      }
      arm(r);
    }

    const stopListening = engine.listenDigits(call, leg, (digit) => {
      const drop = dropNext;
      dropNext = null;
      if (drop !== null && digit === drop) return;
      if (reading === null) typedAhead.push(digit);
      else key(reading, digit);
    });
    const stopWatching = ari.onEvent((event) => {
      if (event.type !== 'ChannelDestroyed' || event.channel.id !== channelId) return;
      gone = true;
      if (reading !== null) {
        reading.state = hangUpDigits(reading.state);
        settle(reading);
      }
    });

    return {
      read(rules, prompt) {
        if (gone) return Promise.resolve({ digits: '', end: 'hangup' });
        if (reading !== null) settle(reading);
        return new Promise<DigitInput>((resolve) => {
          const ahead = typedAhead.length > 0;
          const r: Reading = {
            rules,
            state: beginDigits(now(), prompt !== undefined && !ahead),
            timer: null,
            playbackId: null,
            resolve,
          };
          reading = r;
          while (typedAhead.length > 0 && r.state.done === null) {
            r.state = pressDigit(rules, r.state, typedAhead.shift() ?? '', now());
          }
          if (r.state.done !== null) return settle(r);
          if (!r.state.prompting || prompt === undefined) return arm(r);
          sequence += 1;
          const playbackId = `${channelId}-prompt-${sequence}`;
          r.playbackId = playbackId;
          void engine
            .playToEnd(channelId, prompt, playbackId)
            .catch(() => undefined)
            .then(() => {
              if (r.playbackId === playbackId) r.playbackId = null;
              if (reading !== r) return;
              r.state = promptEnded(r.state, now());
              arm(r);
            });
        });
      },
      close() {
        stopListening();
        stopWatching();
        if (reading !== null) settle(reading);
      },
    };
  }

  return { open };
}

export type DigitReaders = ReturnType<typeof createDigitReaders>;
