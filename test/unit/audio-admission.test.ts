import t from 'tap';
import { admit, type AudioLimits } from '../../src/audio/admission.js';
import { sniff } from '../../src/audio/sniff.js';

/** A WAV file's bytes: RIFF, optional chunks before `fmt `, the format, then `dataBytes` of data. */
function wav(options: {
  code?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  dataBytes?: number;
  declaredData?: number;
  extensibleCode?: number;
  before?: string;
}): Uint8Array {
  const { code = 1, channels = 1, rate = 8000, bits = 16, dataBytes = 1600 } = options;
  const chunks: Buffer[] = [];
  if (options.before !== undefined) {
    const body = Buffer.from(options.before);
    const head = Buffer.alloc(8);
    head.write('LIST', 0, 'ascii');
    head.writeUInt32LE(body.length, 4);
    chunks.push(head, body, Buffer.alloc(body.length % 2));
  }
  const extensible = options.extensibleCode !== undefined;
  const fmt = Buffer.alloc(extensible ? 48 : 24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(extensible ? 40 : 16, 4);
  fmt.writeUInt16LE(extensible ? 0xfffe : code, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  if (extensible) fmt.writeUInt16LE(options.extensibleCode ?? 1, 32);
  const data = Buffer.alloc(8 + dataBytes);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(options.declaredData ?? dataBytes, 4);
  chunks.push(fmt, data);
  const body = Buffer.concat(chunks);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + body.length, 4);
  riff.write('WAVE', 8, 'ascii');
  return new Uint8Array(Buffer.concat([riff, body]));
}

const LIMITS: AudioLimits = { maxBytes: 5_000_000, maxSeconds: 300 };

t.test('sniffing: WAV formats, MP3, and what is neither', async (t) => {
  t.same(sniff(wav({})), {
    kind: 'wav',
    encoding: 'pcm',
    channels: 1,
    sampleRate: 8000,
    bitsPerSample: 16,
    seconds: 0.1,
  });
  t.match(sniff(wav({ rate: 44100, channels: 2, dataBytes: 176400 })), {
    sampleRate: 44100,
    channels: 2,
    seconds: 1,
  });
  t.match(
    sniff(wav({ before: 'INFOISFTLavf' })),
    { kind: 'wav', seconds: 0.1 },
    'a LIST chunk first',
  );
  t.match(sniff(wav({ extensibleCode: 3, bits: 32 })), { encoding: 'float', bitsPerSample: 32 });
  t.match(sniff(wav({ code: 7, bits: 8 })), { encoding: 'mulaw' });
  t.match(sniff(wav({ code: 85 })), { encoding: 'other' });
  t.match(sniff(wav({ declaredData: 0xffffffff })), { seconds: null }, 'a streamed WAV');
  t.same(sniff(new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0])), { kind: 'mp3' }, 'ID3');
  t.same(
    sniff(new Uint8Array([0xff, 0xfb, 0x90, 0x64])),
    { kind: 'mp3' },
    'an MPEG-1 layer III frame',
  );
  t.same(
    sniff(new Uint8Array([0xff, 0xfd, 0x90, 0x64])),
    { kind: 'unknown' },
    'layer II is not MP3',
  );
  t.same(sniff(new TextEncoder().encode('name,number\n')), { kind: 'unknown' });
  t.same(sniff(wav({}).subarray(0, 30)), { kind: 'unknown' }, 'cut before the data chunk');
  t.same(sniff(new Uint8Array()), { kind: 'unknown' });
});

t.test('the manual’s format is stored as it is', async (t) => {
  const file = wav({});
  t.same(admit(file.length, sniff(file), LIMITS), { verdict: 'store' });
});

t.test('other formats are converted, saying what changes', async (t) => {
  const cd = wav({ rate: 44100, channels: 2, dataBytes: 176400 });
  t.same(admit(cd.length, sniff(cd), LIMITS), {
    verdict: 'convert',
    changes: ['44100 Hz → 8000 Hz', 'stereo → mono'],
  });
  const deep = wav({ bits: 24, rate: 48000, dataBytes: 144000 });
  t.same(admit(deep.length, sniff(deep), LIMITS), {
    verdict: 'convert',
    changes: ['PCM 24-bit → PCM 16-bit', '48000 Hz → 8000 Hz'],
  });
  const ulaw = wav({ code: 7, bits: 8 });
  t.same(admit(ulaw.length, sniff(ulaw), LIMITS), {
    verdict: 'convert',
    changes: ['mulaw 8-bit → PCM 16-bit'],
  });
  t.same(admit(1000, { kind: 'mp3' }, LIMITS), { verdict: 'convert', changes: ['MP3 → WAV'] });
});

t.test('refused with the reason', async (t) => {
  t.match(admit(0, { kind: 'unknown' }, LIMITS), { verdict: 'refuse', reason: 'empty' });
  t.match(admit(5_000_001, { kind: 'mp3' }, LIMITS), { verdict: 'refuse', reason: 'too_large' });
  t.match(admit(12, sniff(new TextEncoder().encode('not a sound!')), LIMITS), {
    verdict: 'refuse',
    reason: 'not_audio',
  });
  const long = wav({ dataBytes: 16_000 * 301 });
  t.match(admit(long.length, sniff(long), { ...LIMITS, maxBytes: 10_000_000 }), {
    verdict: 'refuse',
    reason: 'too_long',
    message: /301\.0 s; at most 300 s/,
  });
  const noRate = wav({ rate: 0 });
  t.match(admit(noRate.length, sniff(noRate), LIMITS), { verdict: 'refuse', reason: 'not_audio' });
});
