/**
 * Preparing an upload (uploads.ts) with a converter stand-in: a telephone WAV is kept byte for
 * byte, a streamed WAV goes through conversion so its length is known, the converted file is
 * admitted again, a converter that cannot read the file refuses it as not audio, and a missing
 * sox is the server's 503, not the file's fault.
 */
import t from 'tap';
import type { AudioConverter } from '../../src/audio/converter.js';
import { prepareAudio } from '../../src/audio/uploads.js';
import { HttpError } from '../../src/platform/http/errors.js';
import { toneWav } from '../support/audio.js';

const LIMITS = { maxBytes: 1_000_000, maxSeconds: 10 };

function converter(result: (bytes: Uint8Array) => Promise<Buffer>): AudioConverter & {
  calls: number;
} {
  const c = {
    calls: 0,
    toTelephoneWav: (bytes: Uint8Array) => {
      c.calls += 1;
      return result(bytes);
    },
  };
  return c;
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HttpError) return { status: err.statusCode, code: err.code };
    throw err;
  }
  throw new Error('not refused');
}

t.test('a telephone WAV is kept as it is, with its hash and length', async (t) => {
  const wav = toneWav(8000, 1, 2);
  const none = converter(() => Promise.reject(new Error('must not convert')));
  const prepared = await prepareAudio(wav, LIMITS, none);
  t.equal(none.calls, 0);
  t.same(prepared.wav, wav);
  t.equal(prepared.seconds, 2);
  t.same(prepared.changes, []);
  t.equal(prepared.source, 'WAV 8000 Hz mono 16-bit');
  t.match(prepared.sha256, /^[0-9a-f]{64}$/);
});

t.test(
  'a streamed WAV (no length in its header) is rewritten, so its length is known',
  async (t) => {
    const wav = toneWav(8000, 1, 1);
    wav.writeUInt32LE(0xffffffff, 40);
    const fixed = converter(() => Promise.resolve(toneWav(8000, 1, 1)));
    const prepared = await prepareAudio(wav, LIMITS, fixed);
    t.equal(fixed.calls, 1);
    t.same(prepared.changes, ['length written into the WAV header']);
    t.equal(prepared.seconds, 1);
  },
);

t.test('what conversion makes is admitted again: an MP3 too long once decoded', async (t) => {
  const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(500)]);
  const long = converter(() => Promise.resolve(toneWav(8000, 1, 11)));
  t.same(await refusal(prepareAudio(mp3, LIMITS, long)), { status: 422, code: 'too_long' });
});

t.test('a file the converter cannot read is not audio; no sox is a 503', async (t) => {
  const cd = toneWav(44100, 2, 1);
  const unreadable = converter(() => Promise.reject(new Error('sox FAIL formats: bad header')));
  t.same(await refusal(prepareAudio(cd, LIMITS, unreadable)), { status: 422, code: 'not_audio' });
  const missing = converter(() =>
    Promise.reject(Object.assign(new Error('spawn sox ENOENT'), { code: 'ENOENT' })),
  );
  t.same(await refusal(prepareAudio(cd, LIMITS, missing)), {
    status: 503,
    code: 'converter_unavailable',
  });
});
