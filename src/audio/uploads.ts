/**
 * An uploaded file made ready to store: sniffed, admitted (admission.ts), converted by sox when
 * it is not already a telephone WAV, and admitted again once converted (an MP3's length is only
 * known then). Refusals are 422 with the reason as the code; nothing is stored by this step.
 */
import { createHash } from 'node:crypto';
import { HttpError, unprocessable } from '../platform/http/errors.js';
import { admit, type AudioLimits } from './admission.js';
import type { AudioConverter } from './converter.js';
import { sniff, type Sniffed } from './sniff.js';

export interface PreparedAudio {
  wav: Buffer;
  seconds: number;
  sha256: string;
  /** What was uploaded, e.g. `WAV 44100 Hz stereo 16-bit`. */
  source: string;
  /** What conversion changed; empty when stored as uploaded. */
  changes: string[];
}

const channelsName = (n: number) => (n === 1 ? 'mono' : n === 2 ? 'stereo' : `${n} channels`);

function describe(sniffed: Sniffed): string {
  switch (sniffed.kind) {
    case 'wav': {
      const encoding = sniffed.encoding === 'pcm' ? '' : ` ${sniffed.encoding}`;
      return `WAV${encoding} ${sniffed.sampleRate} Hz ${channelsName(sniffed.channels)} ${sniffed.bitsPerSample}-bit`;
    }
    case 'mp3':
      return 'MP3';
    case 'unknown':
      return 'unknown';
  }
}

function refuse(reason: string, message: string): never {
  throw unprocessable(reason, message);
}

export async function prepareAudio(
  bytes: Buffer,
  limits: AudioLimits,
  converter: AudioConverter,
): Promise<PreparedAudio> {
  const sniffed = sniff(bytes);
  const first = admit(bytes.length, sniffed, limits);
  if (first.verdict === 'refuse') refuse(first.reason, first.message);
  let wav = bytes;
  let changes: string[] = [];
  // A streamed WAV's header gives no length: sox writes one, so the limits can be checked.
  const convert =
    first.verdict === 'convert'
      ? first.changes
      : sniffed.kind === 'wav' && sniffed.seconds === null
        ? ['length written into the WAV header']
        : null;
  if (convert !== null) {
    try {
      wav = await converter.toTelephoneWav(bytes, sniffed.kind === 'mp3' ? 'mp3' : 'wav');
    } catch (err) {
      // sox missing on this host is the server's fault, not the file's.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new HttpError(
          503,
          'converter_unavailable',
          'Audio conversion (sox) is not installed on the server: upload WAV 8000 Hz mono 16-bit',
        );
      refuse('not_audio', `The file could not be read as audio: ${(err as Error).message}`);
    }
    changes = convert;
  }
  const stored = sniff(wav);
  // The converted file must itself be within the limits, and be what Asterisk plays as it is.
  const again = admit(wav.length, stored, limits);
  if (again.verdict === 'refuse') refuse(again.reason, again.message);
  if (again.verdict === 'convert' || stored.kind !== 'wav')
    throw new Error(`conversion left a file that is not a telephone WAV: ${describe(stored)}`);
  return {
    wav,
    seconds: Math.round((stored.seconds ?? 0) * 1000) / 1000,
    sha256: createHash('sha256').update(wav).digest('hex'),
    source: describe(sniffed),
    changes,
  };
}
