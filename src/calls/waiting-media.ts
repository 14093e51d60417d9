/**
 * What a caller hears while they wait for someone: a greeting, ringing for a while, then music
 * on hold with a periodic announcement (spec §11-2 応答音声, 待ち呼開始時間, 呼中音声). Queues use
 * it for their callers; park and IVR play the same way.
 *
 * The caller is answered only when something must be played to them: with no greeting, the
 * ringing is the SIP 180 of the caller's own call. Music plays on the caller's own channel (not a
 * shared holding bridge), so each caller hears their own announcements at their own times.
 */
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Call, Leg } from './model.js';

export interface WaitingMediaSettings {
  /** Played once, first (a media URI: `sound:…`); null for none. */
  greeting: string | null;
  /** Ringing after the greeting, before the music. */
  ringSeconds: number;
  /** The music-on-hold class. */
  musicOnHold: string;
  /** Played every `announcementSeconds` over the music (a media URI); null for none. */
  announcement: string | null;
  announcementSeconds: number;
}

export interface WaitingMediaDeps {
  ari: AriPort;
  clock: Clock;
  log: Logger;
  engine: {
    answer(call: Call, leg: Leg): Promise<void>;
    playToEnd(channelId: string, media: string, playbackId: string): Promise<void>;
  };
}

export interface WaitingMedia {
  /** Greeting, then ringing, then music; `greeted` is told when the greeting is over. */
  start(greeted: () => void): Promise<void>;
  /** Music (and its announcements) from now on. */
  hold(): Promise<void>;
  /** Taken back after a restart, `elapsedMs` after the start: Asterisk kept playing. */
  resume(elapsedMs: number, holding: boolean): void;
  /** Silences whatever plays and stops the schedule (the caller is answered, or leaves). */
  stop(): Promise<void>;
}

export function createWaitingMedia(
  deps: WaitingMediaDeps,
  call: Call,
  caller: Leg,
  settings: WaitingMediaSettings,
): WaitingMedia {
  const { ari, clock, log, engine } = deps;
  const channelId = caller.channelId;
  let active = true;
  let holding = false;
  let playbackId: string | null = null;
  let timers: Timer[] = [];
  let stopping: Promise<void> | null = null;

  const later = (ms: number, action: () => void) => {
    timers.push(clock.setTimeout(action, Math.max(0, ms)));
  };
  const isActive = (): boolean => active;

  async function hold(): Promise<void> {
    if (!isActive()) return;
    try {
      if (playbackId !== null) {
        await ari.playbacks.stop(playbackId).catch(() => undefined);
        playbackId = null;
      }
      await engine.answer(call, caller);
      await startMusic();
      if (settings.announcement !== null) scheduleAnnouncement();
    } catch (err) {
      log.info({ err, callId: call.id }, 'music on hold not started');
    }
  }

  function startMusic(): Promise<void> {
    holding = true;
    return ari.channels.startMoh(channelId, settings.musicOnHold);
  }

  function scheduleAnnouncement(): void {
    later(settings.announcementSeconds * 1000, () => void announce());
  }

  async function announce(): Promise<void> {
    if (!isActive() || settings.announcement === null) return;
    try {
      await ari.channels.stopMoh(channelId);
      holding = false;
      playbackId = `${call.id}-announcement-${clock.now().getTime()}`;
      await engine.playToEnd(channelId, settings.announcement, playbackId);
      playbackId = null;
      if (!isActive()) return;
      await startMusic();
      scheduleAnnouncement();
    } catch (err) {
      log.info({ err, callId: call.id }, 'announcement not played');
    }
  }

  return {
    async start(greeted) {
      if (settings.greeting !== null) {
        await engine.answer(call, caller);
        playbackId = `${call.id}-greeting`;
        await engine.playToEnd(channelId, settings.greeting, playbackId);
        playbackId = null;
      }
      if (!isActive()) return;
      greeted();
      // What the caller hears next waits for the next turn of the event loop: the agents that
      // the greeting's end lets the queue ring get their INVITEs first.
      await new Promise<void>((resolve) => later(0, resolve));
      if (!isActive()) return;
      if (settings.ringSeconds > 0) {
        if (caller.state === 'up') {
          // An answered caller can no longer be sent a 180: the tone says it.
          playbackId = `${call.id}-ringing`;
          await ari.channels
            .play(channelId, 'tone:ring;tonezone=jp', playbackId)
            .catch(() => undefined);
        } else {
          await ari.channels.ring(channelId);
        }
        later(settings.ringSeconds * 1000, () => void hold());
      } else {
        await hold();
      }
    },
    hold() {
      active = true;
      stopping = null;
      return hold();
    },
    resume(elapsedMs, wasHolding) {
      holding = wasHolding;
      if (wasHolding) {
        if (settings.announcement !== null) scheduleAnnouncement();
      } else {
        later(settings.ringSeconds * 1000 - elapsedMs, () => void hold());
      }
    },
    stop() {
      if (stopping !== null) return stopping;
      active = false;
      for (const timer of timers) clock.clearTimeout(timer);
      timers = [];
      const playing = playbackId;
      const music = holding;
      playbackId = null;
      holding = false;
      stopping = (async () => {
        if (playing !== null) await ari.playbacks.stop(playing).catch(() => undefined);
        if (music) await ari.channels.stopMoh(channelId).catch(() => undefined);
      })();
      return stopping;
    },
  };
}
