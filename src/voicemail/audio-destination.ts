/**
 * The audio destinations (§14.2): 音声ファイル再生 plays a file to the caller and hangs up — or,
 * when the file has 留守電 on, goes on to voicemail (recorder.ts) —; 留守電 goes to voicemail at
 * once, the message filed under the file. A file deleted since the route was saved ends the call.
 */
import type { AudioFilesService } from '../audio/service.js';
import type { Call, Leg } from '../calls/model.js';
import type { EndReason } from '../calls/outcomes.js';
import type { Logger } from '../platform/logger.js';
import type { VoicemailRecorder } from './recorder.js';

export interface AudioDestinationDeps {
  log: Logger;
  audioFiles: Pick<AudioFilesService, 'find' | 'mediaUri'>;
  recorder: Pick<VoicemailRecorder, 'leave'>;
  engine: {
    answer(call: Call, leg: Leg): Promise<void>;
    playToEnd(
      channelId: string,
      media: string,
      playbackId: string,
      limitMs?: number,
    ): Promise<void>;
    finish(call: Call, reason: EndReason, cause?: number | null): void;
    refuse(call: Call, reason: EndReason, cause?: number | null): void;
  };
}

export function createAudioDestination(deps: AudioDestinationDeps) {
  const { log, audioFiles, recorder, engine } = deps;
  let sequence = 0;

  function fileOr404(call: Call, caller: Leg, audioFileId: number) {
    const file = audioFiles.find(audioFileId);
    if (file === undefined) {
      log.warn({ callId: call.id, audioFileId }, 'the audio file a call was sent to is gone');
      if (caller.state === 'up') engine.finish(call, 'failed');
      else engine.refuse(call, 'unknown_number');
    }
    return file;
  }

  return {
    /** Plays the file; then voicemail when it has it on, else the call ends. */
    play: async (call: Call, caller: Leg, audioFileId: number): Promise<void> => {
      const file = fileOr404(call, caller, audioFileId);
      if (file === undefined) return;
      await engine.answer(call, caller);
      sequence += 1;
      await engine
        .playToEnd(
          caller.channelId,
          audioFiles.mediaUri(file),
          `${caller.channelId}-audio-${sequence}`,
          // The whole file, however long it is, plus time to fetch it.
          (file.seconds + 30) * 1000,
        )
        .catch((err: unknown) => log.warn({ err, callId: call.id }, 'audio file not played'));
      if (call.state === 'ended' || caller.state === 'gone') return;
      if (file.voicemail) return recorder.leave(call, caller, file);
      engine.finish(call, 'completed');
    },
    /** Straight to voicemail, filed under the file. */
    voicemail: async (call: Call, caller: Leg, audioFileId: number): Promise<void> => {
      const file = fileOr404(call, caller, audioFileId);
      if (file === undefined) return;
      return recorder.leave(call, caller, file);
    },
  };
}

export type AudioDestination = ReturnType<typeof createAudioDestination>;
