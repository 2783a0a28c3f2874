// Per-call cost on a textbook set (issue 16), in-process, numeric check off: for each case of
// bench/textbook-set.json, the median time of a gradient when every call starts from nothing
// ("fresh": terms.resetTerms() first, as a new process would) and in a long-running process
// ("steady"), then the same cases in SymPy (bench/textbook_sympy.py, in its own process, also after
// clearing its cache) side by side, with the ratio on the cases SymPy gets right. Prints figures
// measured in this one run; asserts nothing (shared, noisy machines). `npm run bench` runs it; alone:
// `node bench/textbook.mjs` after `npm run build`. BENCH_REPEATS (default 15), BENCH_SYMPY=0 skips
// SymPy, BENCH_SYMPY_LIMIT_S bounds each SymPy case (default 10).
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

/** Median ms of `repeats` calls, each after `before` (untimed). */
function time(c, before) {
  const times = [];
  for (let r = 0; r < repeats; r++) {
    before();
    const t0 = performance.now();
    const result = gradient(request(c));
    times.push(performance.now() - t0);
    if (!result.ok) throw new Error(`${c.id}: ${result.diagnostics[0].message}`);
  }
  return median(times);
}

// Warm the code (JIT, lazy modules, the rulebook) on the whole set once, so "fresh" measures a call
// that starts without terms, not the first call of the process.
for (const c of cases) gradient(request(c));

const rows = cases.map((c) => {
  const fresh = time(c, () => terms.resetTerms());
  gradient(request(c));
  const steady = time(c, () => {});
  return { id: c.id, ref: c.ref, fresh, steady };
});

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
console.log(`\nTextbook set: ${cases.length} gradients (bench/textbook-set.json), check off, median of ${repeats} in-process calls each`);
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
console.log(`\nmatcalc median: ${fmt(freshMedian)} ms fresh, ${fmt(steadyMedian)} ms steady (goal: ≤ 0.27 ms fresh)`);
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
for (const row of [...rows].sort((a, b) => b.fresh - a.fresh).slice(0, 5)) console.log(`  ${row.id.padEnd(20)} ${fmt(row.fresh)} ms  (${row.ref})`);
