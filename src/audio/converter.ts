/**
 * Converts an uploaded audio file to what Asterisk plays to a telephone as it is (WAV 8000 Hz
 * mono 16-bit, admission.ts's TELEPHONE_WAV) with sox, from Debian (scripts/install-asterisk.sh
 * installs it with its MP3 format). Through files in a private temporary directory, not pipes:
 * sox writes a WAV's lengths into its header only when it can seek back.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TELEPHONE_WAV } from './admission.js';

export type SourceFormat = 'wav' | 'mp3';

export interface AudioConverter {
  /** The file as a telephone WAV; rejects with sox's own words when it cannot read it. */
  toTelephoneWav(bytes: Uint8Array, from: SourceFormat): Promise<Buffer>;
}

export function createSoxConverter(
  options: { sox?: string; timeoutMs?: number } = {},
): AudioConverter {
  const sox = options.sox ?? 'sox';
  const timeoutMs = options.timeoutMs ?? 60_000;

  function run(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(sox, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 2000) stderr += chunk;
      });
      child.once('error', reject);
      child.once('close', (code, signal) => {
        if (code === 0) resolve();
        else
          reject(
            new Error(
              signal !== null
                ? `sox stopped by ${signal} (over ${timeoutMs} ms?)`
                : stderr.trim() || `sox exited with ${String(code)}`,
            ),
          );
      });
    });
  }

  return {
    toTelephoneWav: async (bytes, from) => {
      const dir = await mkdtemp(join(tmpdir(), 'callcenter-audio-'));
      try {
        const input = join(dir, `in.${from}`);
        const output = join(dir, 'out.wav');
        await writeFile(input, bytes);
        // -V1: errors only; dither is sox's default when the depth drops.
        await run([
          '-V1',
          input,
          '-r',
          String(TELEPHONE_WAV.sampleRate),
          '-c',
          String(TELEPHONE_WAV.channels),
          '-b',
          String(TELEPHONE_WAV.bitsPerSample),
          '-e',
          'signed-integer',
          output,
        ]);
        return await readFile(output);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
