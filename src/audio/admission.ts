/**
 * Whether an uploaded audio file is stored as it is, converted first, or refused (pure). The
 * manual (§11-6) takes WAV 8000 Hz mono 16-bit only — what Asterisk plays to a telephone without
 * transcoding — and that is stored as it is. Beyond it, other WAVs and MP3s are converted to it,
 * and the answer says what was changed. Not audio, empty, over the size limit or over the length
 * limit: refused with the reason. An MP3's length is only known once converted: the converted
 * file is admitted again.
 */
import type { Sniffed } from './sniff.js';

export interface AudioLimits {
  maxBytes: number;
  maxSeconds: number;
}

export type Refusal = 'empty' | 'not_audio' | 'too_large' | 'too_long';

export type Admission =
  | { verdict: 'store' }
  | { verdict: 'convert'; changes: string[] }
  | { verdict: 'refuse'; reason: Refusal; message: string };

/** What Asterisk plays to a phone as it is. */
export const TELEPHONE_WAV = { sampleRate: 8000, channels: 1, bitsPerSample: 16 } as const;

const channelsName = (n: number) => (n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n} channels`);

export function admit(size: number, sniffed: Sniffed, limits: AudioLimits): Admission {
  const refuse = (reason: Refusal, message: string): Admission => ({
    verdict: 'refuse',
    reason,
    message,
  });
  if (size === 0) return refuse('empty', 'The file is empty');
  if (size > limits.maxBytes)
    return refuse('too_large', `The file is ${size} bytes; at most ${limits.maxBytes} are taken`);
  if (sniffed.kind === 'unknown')
    return refuse('not_audio', 'The file is neither a WAV nor an MP3 audio file');
  if (sniffed.kind === 'mp3') return { verdict: 'convert', changes: ['MP3 → WAV'] };

  if (sniffed.seconds !== null && sniffed.seconds > limits.maxSeconds)
    return refuse(
      'too_long',
      `The audio lasts ${sniffed.seconds.toFixed(1)} s; at most ${limits.maxSeconds} s are taken`,
    );
  if (sniffed.sampleRate === 0 || sniffed.channels === 0)
    return refuse('not_audio', 'The WAV header gives no sample rate or no channels');
  const changes: string[] = [];
  if (sniffed.encoding !== 'pcm' || sniffed.bitsPerSample !== TELEPHONE_WAV.bitsPerSample)
    changes.push(
      `${sniffed.encoding === 'pcm' ? 'PCM' : sniffed.encoding} ${sniffed.bitsPerSample}-bit → PCM 16-bit`,
    );
  if (sniffed.sampleRate !== TELEPHONE_WAV.sampleRate)
    changes.push(`${sniffed.sampleRate} Hz → ${TELEPHONE_WAV.sampleRate} Hz`);
  if (sniffed.channels !== TELEPHONE_WAV.channels)
    changes.push(`${channelsName(sniffed.channels)} → mono`);
  return changes.length === 0 ? { verdict: 'store' } : { verdict: 'convert', changes };
}
