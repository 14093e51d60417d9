/** Audio for upload tests: tones as WAV files, and their loudness. */

/** A `seconds`-long 440 Hz tone as a 16-bit PCM WAV at `rate` Hz on `channels` channels. */
export function toneWav(rate: number, channels: number, seconds: number, hz = 440): Buffer {
  const frames = Math.round(rate * seconds);
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const sample = Math.round(12000 * Math.sin((2 * Math.PI * hz * i) / rate));
    for (let c = 0; c < channels; c++) data.writeInt16LE(sample, (i * channels + c) * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** The RMS of a 16-bit PCM WAV's samples (after a 44-byte header, as sox and we write it). */
export function rms(wav: Buffer): number {
  let sum = 0;
  const samples = Math.floor((wav.length - 44) / 2);
  for (let i = 0; i < samples; i++) sum += wav.readInt16LE(44 + i * 2) ** 2;
  return samples === 0 ? 0 : Math.sqrt(sum / samples);
}

/** A multipart/form-data body (as a browser would send it) for app.inject or fetch. */
export async function multipartBody(
  fields: Record<string, string>,
  file?: { field?: string; name: string; type: string; bytes: Buffer },
): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file !== undefined)
    form.append(file.field ?? 'file', new Blob([file.bytes], { type: file.type }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    body: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '',
  };
}
