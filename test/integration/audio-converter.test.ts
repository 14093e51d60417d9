/**
 * The upload converter with the real sox: a CD-quality stereo WAV and an MP3 become the
 * telephone WAV (8000 Hz mono 16-bit) that admission stores as it is, with the sound kept (its
 * tone's energy); a file sox cannot read is refused with sox's words.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { admit } from '../../src/audio/admission.js';
import { createSoxConverter } from '../../src/audio/converter.js';
import { sniff } from '../../src/audio/sniff.js';
import { rms, toneWav } from '../support/audio.js';

const LIMITS = { maxBytes: 20_000_000, maxSeconds: 600 };

const converter = createSoxConverter();

t.test('a 44.1 kHz stereo WAV becomes the telephone format, the tone kept', async (t) => {
  const upload = toneWav(44100, 2, 2);
  t.match(admit(upload.length, sniff(upload), LIMITS), {
    verdict: 'convert',
    changes: ['44100 Hz → 8000 Hz', 'stereo → mono'],
  });
  const wav = await converter.toTelephoneWav(upload, 'wav');
  const sniffed = sniff(wav);
  t.match(sniffed, {
    kind: 'wav',
    encoding: 'pcm',
    sampleRate: 8000,
    channels: 1,
    bitsPerSample: 16,
  });
  t.ok(sniffed.kind === 'wav' && Math.abs((sniffed.seconds ?? 0) - 2) < 0.01, 'still 2 s long');
  t.same(admit(wav.length, sniffed, LIMITS), { verdict: 'store' }, 'stored as it is now');
  t.ok(rms(wav) > 5000, `the tone is there (RMS ${rms(wav).toFixed(0)}; the source's is 8485)`);
});

t.test('an MP3 becomes the telephone format', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mp3-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'tone.mp3');
  execFileSync('sox', [
    '-V1',
    '-n',
    '-r',
    '44100',
    '-c',
    '2',
    path,
    'synth',
    '3',
    'sine',
    '440',
    'vol',
    '0.4',
  ]);
  const upload = readFileSync(path);
  t.same(sniff(upload), { kind: 'mp3' }, 'sox made an MP3');
  const wav = await converter.toTelephoneWav(upload, 'mp3');
  const sniffed = sniff(wav);
  t.match(sniffed, { kind: 'wav', sampleRate: 8000, channels: 1, bitsPerSample: 16 });
  t.ok(sniffed.kind === 'wav' && Math.abs((sniffed.seconds ?? 0) - 3) < 0.1, 'about 3 s long');
  t.ok(rms(wav) > 3000, `the tone is there (RMS ${rms(wav).toFixed(0)})`);
});

t.test('what sox cannot read is refused with its words', async (t) => {
  await t.rejects(
    converter.toTelephoneWav(Buffer.from('RIFF....WAVEnot really a wav file at all'), 'wav'),
    /./,
  );
});
