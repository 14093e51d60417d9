/**
 * Audio for SIPp's `play_pcap_audio`: G.711 μ-law RTP (20 ms packets) over UDP/IPv4/Ethernet in
 * a classic pcap file. SIPp sends each packet's UDP payload from its media port to the far end's,
 * at the pace of the packets' timestamps; the addresses written here are never used.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { linearToUlaw } from './rtp.js';

const RATE = 8000;
const SAMPLES_PER_PACKET = 160;

/** A stretch of audio: `seconds` of a tone at `level` (peak, of 32767), or of silence. */
export type AudioPart = { tone: number; level: number; seconds: number } | { silence: number };

/** The linear samples of the parts, one after another, at 8 kHz. */
export function samplesOf(parts: AudioPart[]): Int16Array {
  const total = parts.reduce(
    (n, p) => n + Math.round(('silence' in p ? p.silence : p.seconds) * RATE),
    0,
  );
  const samples = new Int16Array(total);
  let at = 0;
  for (const part of parts) {
    const count = Math.round(('silence' in part ? part.silence : part.seconds) * RATE);
    if (!('silence' in part))
      for (let i = 0; i < count; i += 1)
        samples[at + i] = Math.round(part.level * Math.sin((2 * Math.PI * part.tone * i) / RATE));
    at += count;
  }
  return samples;
}

/** The pcap file of `samples` as PCMU RTP, one packet each 20 ms. */
export function ulawRtpPcap(samples: Int16Array): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); // magic: microsecond timestamps
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16); // snap length
  header.writeUInt32LE(1, 20); // Ethernet
  const records: Buffer[] = [header];
  const ssrc = 0x5eed0001;
  for (let n = 0; n * SAMPLES_PER_PACKET < samples.length; n += 1) {
    const rtp = Buffer.alloc(12 + SAMPLES_PER_PACKET, linearToUlaw(0));
    rtp[0] = 0x80;
    rtp[1] = n === 0 ? 0x80 : 0; // PCMU, the marker on the first
    rtp.writeUInt16BE(n & 0xffff, 2);
    rtp.writeUInt32BE((n * SAMPLES_PER_PACKET) >>> 0, 4);
    rtp.writeUInt32BE(ssrc, 8);
    for (let i = 0; i < SAMPLES_PER_PACKET; i += 1) {
      const sample = samples[n * SAMPLES_PER_PACKET + i];
      if (sample !== undefined) rtp[12 + i] = linearToUlaw(sample);
    }
    const frame = udpFrame(rtp);
    const record = Buffer.alloc(16);
    const micros = n * 20_000;
    record.writeUInt32LE(Math.floor(micros / 1_000_000), 0);
    record.writeUInt32LE(micros % 1_000_000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    records.push(record, frame);
  }
  return Buffer.concat(records);
}

/** An Ethernet frame carrying `payload` in UDP/IPv4 from 127.0.0.1:6000 to 127.0.0.1:6002. */
function udpFrame(payload: Buffer): Buffer {
  const ethernet = Buffer.alloc(14);
  ethernet.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64; // TTL
  ip[9] = 17; // UDP
  ip.writeUInt32BE(0x7f000001, 12);
  ip.writeUInt32BE(0x7f000001, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(6000, 0);
  udp.writeUInt16BE(6002, 2);
  udp.writeUInt16BE(8 + payload.length, 4); // checksum 0: none (IPv4)
  return Buffer.concat([ethernet, ip, udp, payload]);
}

/** Writes a file whole or not at all (another test process may be reading the same path). */
export function writeAtomically(path: string, content: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.part`;
  writeFileSync(partial, content);
  renameSync(partial, path);
}
