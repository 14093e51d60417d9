/**
 * Media helpers over ARI shared by every feature that plays something to a channel: a playback
 * awaited to its end, and call-control steps that may find their channel already gone.
 */
import type { AriEvent } from '../platform/asterisk/ari-types.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { quietlyWith } from '../platform/asterisk/best-effort.js';

export function createMedia(ari: AriPort, clock: Clock, log: Logger) {
  /** Runs a call-control step; a channel that hung up meanwhile is not an error. */
  const quietly = quietlyWith(log);

  /**
   * Plays `media` to a channel and resolves when it has finished, the channel is gone or
   * `limitMs` passed; stopping the playback by its id (playbacks.stop) also ends it.
   */
  function playToEnd(
    channelId: string,
    media: string,
    playbackId: string,
    limitMs = 30_000,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop = ari.onEvent((event: AriEvent) => {
        if (event.type === 'PlaybackFinished' && event.playback.id === playbackId) done();
        if (event.type === 'ChannelDestroyed' && event.channel.id === channelId) done();
      });
      const timer = clock.setTimeout(done, limitMs);
      function done(): void {
        clock.clearTimeout(timer);
        stop();
        resolve();
      }
      ari.channels.play(channelId, media, playbackId).catch((err: unknown) => {
        clock.clearTimeout(timer);
        stop();
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  return { quietly, playToEnd };
}

export type Media = ReturnType<typeof createMedia>;
