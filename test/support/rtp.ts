/**
 * What a caller hears: a UDP socket put in the caller's SDP receives the RTP Asterisk sends.
 * It counts packets and decodes G.711 μ-law, so a test can tell sound from silence.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface RtpListener {
  port: number;
  packets(): number;
  /** Payload seconds of audio received (8 kHz). */
  seconds(): number;
  /** RMS level of the μ-law audio received so far, in linear 16-bit units (0 = digital silence). */
  rms(): number;
  payloadTypes(): Set<number>;
  /** When the first packet arrived (ms since the epoch), undefined before. */
  firstPacketAt(): number | undefined;
  /** When each packet of sound (not silence: RMS above 500) arrived, ms since the epoch. */
  soundTimes(): number[];
  /** The DTMF digits received as RFC 4733 telephone-events, in order, each once. */
  digits(): string;
  /**
   * How loud a pure tone of `hz` is in the audio received (the last 10 s at most): its amplitude
   * in linear 16-bit units, from a Goertzel filter — so a test tells whose tone it hears.
   */
  level(hz: number): number;
  /**
   * The party speaks: a tone of `hz` as μ-law RTP every 20 ms, sent from this very socket (so
   * Asterisk's symmetric RTP keeps sending here) to Asterisk's RTP address for the channel —
   * where its RTP comes from, or `address` (`host:port`, e.g. read with CHANNEL(rtp,src)) —
   * until `silence()`. Throws if Asterisk sent nothing yet and no address is given.
   */
  speak(hz: number, address?: string): void;
  silence(): void;
  reset(): void;
  close: () => Promise<void>;
}

/** G.711 μ-law byte → linear 16-bit sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign !== 0 ? -magnitude : magnitude;
}

export async function rtpListener(port = 0, host = '127.0.0.1'): Promise<RtpListener> {
  const socket: Socket = createSocket('udp4');
  let packets = 0;
  let samples = 0;
  let sumSquares = 0;
  const types = new Set<number>();
  let firstAt: number | undefined;
  let sound: number[] = [];
  let digits = '';
  let lastEventTimestamp: number | undefined;
  /** The decoded audio, the last MAX_SAMPLES of it. */
  let pcm: number[] = [];
  let source: string | undefined;
  socket.on('message', (message, from) => {
    if (message.length < 12) return;
    source = `${from.address}:${from.port}`;
    firstAt ??= Date.now();
    const payloadType = (message[1] ?? 0) & 0x7f;
    types.add(payloadType);
    packets += 1;
    const csrcCount = (message[0] ?? 0) & 0x0f;
    if (payloadType === 101 && message.length >= 16 + 4 * csrcCount) {
      // RFC 4733: every packet of one key press carries the event's RTP timestamp.
      const timestamp = message.readUInt32BE(4);
      const event = message[12 + 4 * csrcCount] ?? 255;
      if (timestamp !== lastEventTimestamp && event <= 11) {
        lastEventTimestamp = timestamp;
        digits += event === 10 ? '*' : event === 11 ? '#' : String(event);
      }
      return;
    }
    if (payloadType !== 0) return; // PCMU only: other payloads are not audio we decode
    let packetSquares = 0;
    let packetSamples = 0;
    for (let i = 12 + 4 * csrcCount; i < message.length; i++) {
      const sample = ulawToLinear(message[i] ?? 0xff);
      pcm.push(sample);
      packetSquares += sample * sample;
      packetSamples += 1;
    }
    if (pcm.length > MAX_SAMPLES) pcm = pcm.slice(-MAX_SAMPLES);
    sumSquares += packetSquares;
    samples += packetSamples;
    if (
      packetSamples > 0 &&
      Math.sqrt(packetSquares / packetSamples) > 500 &&
      sound.length < 100_000
    )
      sound.push(Date.now());
  });
  await new Promise<void>((resolve) => socket.bind(port, host, resolve));
  let speaking: ReturnType<typeof setInterval> | undefined;
  const silence = () => {
    if (speaking !== undefined) clearInterval(speaking);
    speaking = undefined;
  };
  return {
    port: (socket.address() as AddressInfo).port,
    packets: () => packets,
    seconds: () => samples / 8000,
    rms: () => (samples === 0 ? 0 : Math.sqrt(sumSquares / samples)),
    payloadTypes: () => new Set(types),
    firstPacketAt: () => firstAt,
    soundTimes: () => [...sound],
    digits: () => digits,
    level: (hz) => goertzelAmplitude(pcm, hz),
    speak(hz, address = source) {
      if (address === undefined) throw new Error('no RTP from Asterisk yet: where to speak to?');
      silence();
      const [toHost = '127.0.0.1', toPort = '0'] = address.split(':');
      const voice = tonePackets(hz);
      speaking = setInterval(() => socket.send(voice.next(), Number(toPort), toHost), 20);
    },
    silence,
    reset() {
      pcm = [];
      digits = '';
      lastEventTimestamp = undefined;
      firstAt = undefined;
      sound = [];
      packets = 0;
      samples = 0;
      sumSquares = 0;
      types.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        silence();
        socket.close(() => resolve());
      }),
  };
}

const MAX_SAMPLES = 80_000;

/** The amplitude of the `hz` component of 8 kHz samples (Goertzel). */
function goertzelAmplitude(samples: number[], hz: number): number {
  if (samples.length === 0) return 0;
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  let previous = 0;
  let beforePrevious = 0;
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  const power =
    previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
  return (2 * Math.sqrt(Math.max(0, power))) / samples.length;
}

/** Linear 16-bit sample → G.711 μ-law byte. */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent -= 1;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** RTP packets (PCMU, 20 ms) of a continuous tone of `hz` at about -10 dBFS. */
function tonePackets(hz: number): { next(): Buffer } {
  let sequence = 0;
  let sampleIndex = 0;
  const ssrc = Math.floor(Math.random() * 0xffffffff);
  return {
    next() {
      const header = Buffer.alloc(12);
      header[0] = 0x80;
      header[1] = 0; // PCMU
      header.writeUInt16BE(sequence & 0xffff, 2);
      header.writeUInt32BE((sampleIndex >>> 0) & 0xffffffff, 4);
      header.writeUInt32BE(ssrc >>> 0, 8);
      const payload = Buffer.alloc(160);
      for (let i = 0; i < 160; i += 1)
        payload[i] = linearToUlaw(10_000 * Math.sin((2 * Math.PI * hz * (sampleIndex + i)) / 8000));
      sequence += 1;
      sampleIndex += 160;
      return Buffer.concat([header, payload]);
    },
  };
}

/**
 * A party's media: RTP packets of silence, every 20 ms, to Asterisk's RTP address for one of
 * its channels (`host:port`, e.g. read with CHANNEL(rtp,src)) — so that Asterisk sees the party
 * alive. `stop()` is the party going silent, as a phone that lost power or network would.
 */
export async function mediaTo(address: string): Promise<{ stop: () => Promise<void> }> {
  const [host = '127.0.0.1', port = '0'] = address.split(':');
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let sequence = 0;
  const packet = () => {
    const header = Buffer.alloc(12);
    header[0] = 0x80; // RTP version 2
    header[1] = 0; // PCMU
    header.writeUInt16BE(sequence & 0xffff, 2);
    header.writeUInt32BE((sequence * 160) >>> 0, 4);
    header.writeUInt32BE(0x5eed, 8);
    sequence += 1;
    return Buffer.concat([header, Buffer.alloc(160, 0xff)]);
  };
  const timer = setInterval(() => socket.send(packet(), Number(port), host), 20);
  return {
    stop: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
