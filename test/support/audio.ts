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

/** Uploads an audio file over real HTTP (multipart, as the web application does); its id. */
export async function uploadAudio(
  server: { baseUrl: string; adminToken: string },
  name: string,
  wav: Buffer,
  fields: Record<string, string> = {},
): Promise<{ id: number; converted: boolean; changes: string[] }> {
  const form = new FormData();
  form.append('name', name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([wav], { type: 'audio/wav' }), `${name}.wav`);
  const res = await fetch(`${server.baseUrl}/api/v1/audio-files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}` },
    body: form,
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`audio upload: ${res.status} ${body}`);
  return JSON.parse(body) as { id: number; converted: boolean; changes: string[] };
}

/** How loud a pure tone of `hz` is in a 16-bit PCM WAV (Goertzel amplitude, linear units). */
export function toneLevel(wav: Buffer, hz: number, rate = 8000): number {
  const samples = Math.floor((wav.length - 44) / 2);
  const k = (2 * Math.PI * hz) / rate;
  const coefficient = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples; i++) {
    const s0 = wav.readInt16LE(44 + i * 2) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return samples === 0 ? 0 : (2 * Math.sqrt(Math.max(0, power))) / samples;
}
