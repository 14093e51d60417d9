/**
 * Leaving a voicemail message (§11-6), in Stasis: the instructions ("発信音の後にメッセージを
 * お話し下さい。終わりましたら電話をきるかシャープを押してください。"), a beep, and the caller's
 * message recorded until `#`, a hang-up, VOICEMAIL_SILENCE_SECONDS of silence or
 * VOICEMAIL_MAX_SECONDS; after `#` (or a limit) "ありがとうございます。" and the call ends.
 *
 * Asterisk tells neither why a recording ended (every end is `done`) nor its length to better
 * than a second, and loses what is said during the beep: so `#` is read from the DTMF that
 * precedes the end, the length from the WAV itself, and a message shorter than
 * VOICEMAIL_MIN_SECONDS (a caller who hung up at the beep) is dropped. The audio is fetched
 * through ARI — an external Asterisk shares no disk — and deleted from Asterisk once kept.
 */
import type { Readable } from 'node:stream';
import { sniff } from '../audio/sniff.js';
import type { Call, Leg } from '../calls/model.js';
import type { EndReason } from '../calls/outcomes.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { PromptName } from '../prompts/catalogue.js';

export interface VoicemailSettings {
  maxSeconds: number;
  silenceSeconds: number;
  minSeconds: number;
}

/** A message as it is handed to the voicemail service to keep. */
export interface RecordedMessage {
  call: Call;
  audioFile: { id: number; name: string };
  wav: Buffer;
  seconds: number;
}

export interface VoicemailRecorderDeps {
  ari: Pick<AriPort, 'onEvent' | 'channels' | 'recordings'>;
  clock: Clock;
  log: Logger;
  settings: VoicemailSettings;
  engine: {
    answer(call: Call, leg: Leg): Promise<void>;
    playToEnd(channelId: string, media: string, playbackId: string): Promise<void>;
    finish(call: Call, reason: EndReason, cause?: number | null): void;
    listenDigits(call: Call, leg: Leg, listener: (digit: string) => void): () => void;
  };
  prompt(name: PromptName, call: Call): string[];
  keep(message: RecordedMessage): void;
}

/** How a recording ended, as far as the events tell. */
type RecordingEnd = 'pound' | 'hangup' | 'limit' | 'failed';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export function createVoicemailRecorder(deps: VoicemailRecorderDeps) {
  const { ari, clock, log, engine, settings } = deps;
  let sequence = 0;

  const isEnded = (call: Call) => call.state === 'ended';

  async function say(call: Call, caller: Leg, name: PromptName): Promise<void> {
    for (const media of deps.prompt(name, call)) {
      if (isEnded(call)) return;
      sequence += 1;
      await engine
        .playToEnd(caller.channelId, media, `${caller.channelId}-vm-${sequence}`)
        .catch((err: unknown) =>
          log.debug({ err, callId: call.id }, 'voicemail prompt not played'),
        );
    }
  }

  /** Records on the caller's channel until the recording ends; how it ended. */
  function record(call: Call, caller: Leg, name: string): Promise<RecordingEnd> {
    return new Promise((resolve) => {
      let pound = false;
      let hungUp = false;
      const stopDigits = engine.listenDigits(call, caller, (digit) => {
        if (digit === '#') pound = true;
      });
      let afterHangUp: Timer | null = null;
      const stopEvents = ari.onEvent((event) => {
        if (event.type === 'ChannelDestroyed' && event.channel.id === caller.channelId) {
          hungUp = true;
          // The recording's end follows the hang-up at once; it is not waited for long.
          afterHangUp ??= clock.setTimeout(() => done('hangup'), 5000);
        }
        if (
          (event.type === 'RecordingFinished' || event.type === 'RecordingFailed') &&
          event.recording.name === name
        )
          done(
            event.type === 'RecordingFailed'
              ? 'failed'
              : pound
                ? 'pound'
                : hungUp
                  ? 'hangup'
                  : 'limit',
          );
      });
      // Asterisk ends it at the limit; this only guards against an end that is never told.
      const guard = clock.setTimeout(
        () => done(hungUp ? 'hangup' : 'limit'),
        (settings.maxSeconds + 15) * 1000,
      );
      function done(end: RecordingEnd): void {
        clock.clearTimeout(guard);
        if (afterHangUp !== null) clock.clearTimeout(afterHangUp);
        stopDigits();
        stopEvents();
        resolve(end);
      }
      ari.channels
        .record(caller.channelId, {
          name,
          format: 'wav',
          maxDurationSeconds: settings.maxSeconds,
          maxSilenceSeconds: settings.silenceSeconds,
          beep: true,
          terminateOn: '#',
          ifExists: 'overwrite',
        })
        .catch((err: unknown) => {
          log.warn({ err, callId: call.id }, 'voicemail recording did not start');
          done('failed');
        });
    });
  }

  /** Fetches the stored recording from Asterisk, then deletes it there. */
  async function fetchRecording(name: string): Promise<Buffer | null> {
    try {
      const file = await ari.recordings.storedFile(name);
      return await bytesOf(file.stream);
    } catch (err) {
      log.warn({ err, recording: name }, 'voicemail recording could not be fetched');
      return null;
    } finally {
      await ari.recordings.deleteStored(name).catch(() => undefined);
    }
  }

  /**
   * The caller leaves a message filed under `audioFile` (whose audio, if any, has played).
   * Resolves once the message is kept (or dropped) and the call ended.
   */
  async function leave(
    call: Call,
    caller: Leg,
    audioFile: { id: number; name: string },
  ): Promise<void> {
    await engine.answer(call, caller);
    await say(call, caller, 'voicemail_instructions');
    if (isEnded(call) || caller.state === 'gone') return;
    sequence += 1;
    const name = `voicemail-${call.id}-${sequence}`;
    const end = await record(call, caller, name);
    if (end !== 'hangup' && end !== 'failed' && !isEnded(call)) {
      await say(call, caller, 'voicemail_thanks');
      engine.finish(call, 'completed');
    }
    const wav = end === 'failed' ? null : await fetchRecording(name);
    if (wav === null) return;
    const sniffed = sniff(wav);
    const seconds = sniffed.kind === 'wav' ? (sniffed.seconds ?? 0) : 0;
    if (seconds < settings.minSeconds) {
      log.info({ callId: call.id, seconds }, 'voicemail message too short: dropped');
      return;
    }
    deps.keep({ call, audioFile, wav, seconds: Math.round(seconds * 100) / 100 });
  }

  return { leave };
}

export type VoicemailRecorder = ReturnType<typeof createVoicemailRecorder>;
