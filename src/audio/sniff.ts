/**
 * What an uploaded file is, from its first bytes (pure): a WAV with its format (RIFF `fmt ` and
 * `data` chunks), an MP3 (an ID3v2 tag or an MPEG audio frame header), or something else. The
 * name and the declared content type are not trusted: only the bytes are.
 */

export type WavEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw' | 'other';

export type Sniffed =
  | {
      kind: 'wav';
      encoding: WavEncoding;
      channels: number;
      sampleRate: number;
      bitsPerSample: number;
      /** From the data chunk's size; null when the header does not say (a streamed WAV). */
      seconds: number | null;
    }
  | { kind: 'mp3' }
  | { kind: 'unknown' };

const ENCODINGS: Record<number, WavEncoding> = { 1: 'pcm', 3: 'float', 6: 'alaw', 7: 'mulaw' };
/** WAVE_FORMAT_EXTENSIBLE: the encoding is the first two bytes of the sub-format GUID. */
const EXTENSIBLE = 0xfffe;

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

function sniffWav(bytes: Uint8Array): Sniffed {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: Omit<Extract<Sniffed, { kind: 'wav' }>, 'kind' | 'seconds'> | null = null;
  let byteRate = 0;
  // Chunks follow the 12-byte RIFF header, each an id, a size and an even-padded body.
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = ascii(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 8 + 16 <= bytes.length) {
      let code = view.getUint16(at + 8, true);
      if (code === EXTENSIBLE && size >= 40 && at + 8 + 26 <= bytes.length)
        code = view.getUint16(at + 8 + 24, true);
      format = {
        encoding: ENCODINGS[code] ?? 'other',
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        bitsPerSample: view.getUint16(at + 22, true),
      };
      byteRate = view.getUint32(at + 16, true);
    } else if (id === 'data') {
      if (format === null) break;
      // 0 and 0xFFFFFFFF are what writers that stream put before they know the length.
      const known = size !== 0 && size !== 0xffffffff && byteRate > 0;
      return { kind: 'wav', ...format, seconds: known ? size / byteRate : null };
    }
    at += 8 + size + (size % 2);
  }
  return { kind: 'unknown' };
}

/** An MPEG-1/2 layer III frame header: 11 sync bits, a version, layer III. */
function isMp3Frame(bytes: Uint8Array, at: number): boolean {
  const b1 = bytes[at + 1] ?? 0;
  return bytes[at] === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) === 0x02 && (b1 & 0x18) !== 0x08;
}

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE')
    return sniffWav(bytes);
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === 'ID3') return { kind: 'mp3' };
  if (bytes.length >= 4 && isMp3Frame(bytes, 0)) return { kind: 'mp3' };
  return { kind: 'unknown' };
}
