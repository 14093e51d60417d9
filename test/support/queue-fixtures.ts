/** What the unit tests of the queue's pure cores share: candidates, frozen inputs, a seeded PRNG. */
import type { Candidate } from '../../src/queues/strategies.js';

/** A free member: level 1, never called, nothing today, at the given position. */
export function cand(agentId: number, order: number, more: Partial<Candidate> = {}): Candidate {
  return {
    agentId,
    level: 1,
    order,
    lastCallEndedAt: null,
    talkSecondsToday: 0,
    callsToday: 0,
    ...more,
  };
}

/** Frozen inputs, so that code changing or sorting its input in place throws. */
export function frozen<T extends object>(...xs: T[]): readonly T[] {
  return Object.freeze(xs.map((x) => Object.freeze(x)));
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
