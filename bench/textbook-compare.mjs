// Two builds on the textbook set in one process (issue 16): this worktree's dist/ and another
// build's (`node bench/textbook-compare.mjs /path/to/other/checkout`, which must hold a built dist/),
// each call of one timed right after the same call of the other, in alternating order, every case in
// turn per round. On a shared machine separate runs of bench/textbook.mjs differ by ±50 % under load;
// calls interleaved in one process see the same load, so their ratio is what to compare. Prints, over
// the cases, the median of each build's per-case 10th percentile (load only ever adds time) and
// median, and the median per-case ratio this/other. MODE=steady times repeated calls instead of fresh
// ones; BENCH_REPEATS (default 61), BENCH_WARM (default 8) as in bench/textbook.mjs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './timing.mjs';

const other = process.argv[2];
if (!other) throw new Error('usage: node bench/textbook-compare.mjs <other checkout with a built dist/>');
const here = fileURLToPath(new URL('..', import.meta.url));
async function load(root) {
  return { gradient: (await import(`${root}/dist/src/pipeline.js`)).gradient, terms: await import(`${root}/dist/src/term/factory.js`) };
}
const builds = [await load(other), await load(here)];
const { cases } = JSON.parse(readFileSync(new URL('./textbook-set.json', import.meta.url), 'utf8'));
const request = (c) => ({ expression: c.expr, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}), ...(c.assume ? { assume: c.assume } : {}), check: false });
const fresh = (process.env.MODE ?? 'fresh') === 'fresh';
const repeats = Number(process.env.BENCH_REPEATS ?? 61);
const warm = Number(process.env.BENCH_WARM ?? 8);

for (let w = 0; w < warm; w++) {
  for (const c of cases) {
    for (const b of builds) {
      b.terms.resetTerms();
      b.gradient(request(c));
      b.gradient(request(c));
    }
  }
}
const times = cases.map(() => [[], []]);
for (let r = 0; r < repeats; r++) {
  cases.forEach((c, i) => {
    for (const k of (r + i) % 2 === 0 ? [0, 1] : [1, 0]) {
      const b = builds[k];
      if (fresh) b.terms.resetTerms();
      else b.gradient(request(c));
      const t0 = performance.now();
      const result = b.gradient(request(c));
      times[i][k].push(performance.now() - t0);
      if (!result.ok) throw new Error(`${c.id}: ${result.diagnostics[0].message}`);
    }
  });
}
const p10 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 10)];
const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
for (const [what, stat] of [['10th percentile', p10], ['median', median]]) {
  const rows = times.map(([a, b]) => [stat(a), stat(b)]);
  console.log(
    `${fresh ? 'fresh' : 'steady'}, per-case ${what} of ${repeats} calls, median over ${cases.length} cases: ` +
      `other ${us(median(rows.map((r) => r[0])))}, this ${us(median(rows.map((r) => r[1])))}; this/other per case ${median(rows.map((r) => r[1] / r[0])).toFixed(3)}`,
  );
}
