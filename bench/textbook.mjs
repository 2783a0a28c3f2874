// Per-call cost on a textbook set (issue 16), in-process, numeric check off: for each case of
// bench/textbook-set.json, the median time of a gradient when every call starts from nothing
// ("fresh": terms.resetTerms() first, as a new process would) and in a long-running process
// ("steady"), then the same cases in SymPy (bench/textbook_sympy.py, in its own process, also after
// clearing its cache) side by side, with the ratio on the cases SymPy gets right. Prints figures
// measured in this one run; asserts nothing (shared, noisy machines). `npm run bench` runs it; alone:
// `node bench/textbook.mjs` after `npm run build`. BENCH_REPEATS (default 15), BENCH_WARM (passes
// over the set before timing, default 8), BENCH_SYMPY=0 skips SymPy, BENCH_SYMPY_LIMIT_S bounds each
// SymPy case (default 10).
//
// Both columns time compiled code: a new process's first calls also pay V8 compiling the engine
// (timed after one warm-up call per case, the fresh median came out ~2× what it is after 8 passes),
// which the start-up bench (bench/startup.mjs) counts; the first pass's median is printed apart. The
// rounds go over every case in turn, so a burst of load on the shared machine falls on many cases a
// little rather than on one case entirely. To compare two builds, bench/textbook-compare.mjs times
// them call by call in one process (separate runs differ by ±50 % under load).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gradient } from '../dist/src/pipeline.js';
import * as terms from '../dist/src/term/factory.js';
import { median } from './timing.mjs';

const setPath = fileURLToPath(new URL('./textbook-set.json', import.meta.url));
const { cases } = JSON.parse(readFileSync(setPath, 'utf8'));
const repeats = Number(process.env.BENCH_REPEATS ?? 15);

function request(c) {
  return { expression: c.expr, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}), ...(c.assume ? { assume: c.assume } : {}), check: false };
}

/** One call, timed in ms; a refused case stops the bench (the set must stay answerable). */
function timed(c) {
  const t0 = performance.now();
  const result = gradient(request(c));
  const ms = performance.now() - t0;
  if (!result.ok) throw new Error(`${c.id}: ${result.diagnostics[0].message}`);
  return ms;
}

// The first pass: every case once from nothing, while V8 is still compiling the engine's code.
const firstPass = cases.map((c) => {
  terms.resetTerms();
  return timed(c);
});
// Then warm the code on the whole set, fresh and steady, so that both columns time compiled code.
const warm = Number(process.env.BENCH_WARM ?? 8);
for (let w = 0; w < warm; w++) {
  for (const c of cases) {
    terms.resetTerms();
    gradient(request(c));
    gradient(request(c));
  }
}

const fresh = cases.map(() => []);
for (let r = 0; r < repeats; r++) {
  cases.forEach((c, i) => {
    terms.resetTerms();
    fresh[i].push(timed(c));
  });
}
// Steady: every case answered once in this generation (untimed), then the same calls again.
terms.resetTerms();
for (const c of cases) gradient(request(c));
const steady = cases.map(() => []);
for (let r = 0; r < repeats; r++) cases.forEach((c, i) => steady[i].push(timed(c)));
const rows = cases.map((c, i) => ({ id: c.id, ref: c.ref, fresh: median(fresh[i]), steady: median(steady[i]) }));

const sympy = new Map();
if (process.env.BENCH_SYMPY !== '0') {
  const python = process.env.PYTHON ?? 'python3';
  const limit = process.env.BENCH_SYMPY_LIMIT_S ?? '10';
  const peer = spawnSync(python, [fileURLToPath(new URL('./textbook_sympy.py', import.meta.url)), setPath, '3', limit], {
    encoding: 'utf8',
    timeout: 30 * 60 * 1000,
  });
  for (const line of (peer.stdout ?? '').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line);
    sympy.set(row.id, row);
  }
  if (peer.status !== 0) console.log(`(textbook_sympy.py stopped: ${peer.error?.message ?? `exit ${peer.status}`}; ${(peer.stderr ?? '').trim().split('\n').pop()})`);
}

const fmt = (ms) => (ms === undefined || ms === null ? '—' : ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
console.log(`\nTextbook set: ${cases.length} gradients (bench/textbook-set.json), check off, median of ${repeats} in-process calls each, after ${warm} warm-up passes`);
console.log('case                 fresh ms   steady ms   SymPy ms   SymPy status   SymPy/fresh');
for (const row of rows) {
  const peer = sympy.get(row.id);
  const ratio = peer?.status === 'ok' ? `${(peer.ms / row.fresh).toFixed(0)}×` : '';
  console.log(
    `${row.id.padEnd(20)} ${fmt(row.fresh).padStart(8)}   ${fmt(row.steady).padStart(9)}   ${fmt(peer?.ms).padStart(8)}   ${(peer?.status ?? (sympy.size ? 'not stated' : '—')).padEnd(13)}  ${ratio.padStart(11)}`,
  );
}

const freshMedian = median(rows.map((r) => r.fresh));
const steadyMedian = median(rows.map((r) => r.steady));
console.log(`\nmatcalc median: ${fmt(freshMedian)} ms fresh, ${fmt(steadyMedian)} ms steady (goal: ≤ 0.27 ms fresh); first pass, code still compiling: ${fmt(median(firstPass))} ms`);
const right = rows.filter((r) => sympy.get(r.id)?.status === 'ok');
if (right.length > 0) {
  const peerMedian = median(right.map((r) => sympy.get(r.id).ms));
  const oursOnRight = median(right.map((r) => r.fresh));
  const counts = {};
  for (const row of sympy.values()) counts[row.status] = (counts[row.status] ?? 0) + 1;
  console.log(
    `SymPy: right on ${right.length} of ${cases.length} (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${cases.length - sympy.size} not stateable); ` +
      `median ${fmt(peerMedian)} ms on those, matcalc fresh ${fmt(oursOnRight)} ms: ${(peerMedian / oursOnRight).toFixed(0)}× (goal ≥ 100×)`,
  );
}
console.log('slowest five (fresh):');
for (const row of [...rows].sort((a, b) => b.fresh - a.fresh).slice(0, 5)) {
  const peer = sympy.get(row.id);
  const side = peer?.status === 'ok' ? `; SymPy ${fmt(peer.ms)} ms, ${(peer.ms / row.fresh).toFixed(0)}×` : '';
  console.log(`  ${row.id.padEnd(20)} ${fmt(row.fresh)} ms fresh, ${fmt(row.steady)} ms steady  (${row.ref}${side})`);
}
