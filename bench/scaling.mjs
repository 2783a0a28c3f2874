// Scaling of the symbolic gradient (no numeric check): time per gradient, result size, and the
// fitted exponent of time against L; the floating-point operations of evaluating f and the gradient
// with every dimension 64 (src/emit/flops.ts: the emitted code's order and sharing), against the
// cheap-gradient target ∇/f ≤ 3; whether time grows with L (fresh calls, L = 1…32: no size slower than
// a larger one); a numeric check (check: true) on 100×100 inputs. Prints a table; asserts nothing (machines here are shared and
// noisy: compare the ratios within one run). Run with `npm run bench` after `npm run build`.
// Then the same families in SymPy (bench/sympy_peer.py, python3 with sympy), side by side.
// Environment: BENCH_BUDGET_MS (matcalc, per family, default 10000), BENCH_SYMPY=0 (skip SymPy),
// BENCH_SYMPY_LIMIT_S (per SymPy case, default 10), BENCH_SYMPY_BUDGET_S (per SymPy family, default 20),
// BENCH_FRESH=1 (forget every term before each repetition, as a fresh process would: without it the
// repetitions after the first find the simplifier's memo filled by the first, and time mostly lookups).
import { spawnSync } from 'node:child_process';
import { exponentLine, median, timeMedian, worstInversion } from './timing.mjs';
import { fileURLToPath } from 'node:url';
import { gradient, terms } from '../dist/src/pipeline.js';
import { textAnswer } from '../dist/src/emit/text-answer.js';
import { dagSize } from '../dist/src/term/traverse.js';
import { countFlops } from '../dist/src/emit/flops.js';

/** The request again with every symbolic dimension fixed to `size` (--dims for every variable). */
function withDims(request, report, size) {
  const dims = new Map();
  for (const [name, shape] of report.typed.variables) dims.set(name, shape.map((d) => (typeof d === 'number' ? d : size)));
  return { ...request, dims };
}

/** Flops of f, of the gradients (together), and of f and the gradients together (the emitted module). */
function flopsAt(request, report, size) {
  const result = gradient(withDims(request, report, size));
  if (!result.ok) throw new Error(result.diagnostics[0].message);
  const r = result.value;
  const grads = r.gradients.map((g) => g.gradient);
  return { f: countFlops([r.f]).total, grad: countFlops(grads).total, both: countFlops([r.f, ...grads]).total };
}

const fmtFlops = (x) => (x >= 1e6 ? `${(x / 1e6).toPrecision(3)}M` : x >= 1e3 ? `${(x / 1e3).toPrecision(3)}k` : x.toFixed(0));

// Keys as in bench/sympy_peer.py.
const keys = ['network-w1', 'network-all', 'chain', 'quadratic', 'power', 'tower', 'logdet'];
const families = {
  'network sum(σ(W_L⋯σ(W_1 x))) wrt W_1': (L) => {
    let e = 'x';
    for (let i = 1; i <= L; i++) e = `sigmoid(W${i}*${e})`;
    return { expression: `sum(${e})`, wrt: 'W1' };
  },
  'network, every W_i': (L) => {
    let e = 'x';
    for (let i = 1; i <= L; i++) e = `sigmoid(W${i}*${e})`;
    return { expression: `sum(${e})`, wrt: Array.from({ length: L }, (_, i) => `W${i + 1}`).join(',') };
  },
  'chain ‖W_L⋯W_1 X‖²_F wrt X': (L) => ({
    expression: `norm2(${Array.from({ length: L }, (_, i) => `W${L - i}`).join('*')}*X)^2`,
    wrt: 'X',
  }),
  'quadratic forms Σ xᵀA_i x wrt x': (L) => ({
    expression: Array.from({ length: L }, (_, i) => `x'*A${i + 1}*x`).join(' + '),
    wrt: 'x',
  }),
  'power tr(X⋯X) wrt X': (L) => ({ expression: `tr(${Array.from({ length: L }, () => 'X').join('*')})`, wrt: 'X' }),
  'shared tower Y_{k+1} = Y_k ⊙ Y_k + Y_k': (L) => {
    const defs = ['Y1 = sigmoid(W*X)'];
    for (let k = 1; k < L; k++) defs.push(`Y${k + 1} = Y${k} .* Y${k} + Y${k}`);
    return { expression: `${defs.join('; ')}; sum(Y${L})`, wrt: 'W' };
  },
  'nested inverses logdet(X + inv(X + inv(⋯)))': (L) => {
    let e = 'X';
    for (let k = 1; k < L; k++) e = `X + inv(${e})`;
    return { expression: `logdet(${e})`, wrt: 'X' };
  },
};

const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 10000);
const fresh = process.env.BENCH_FRESH === '1';
const matcalcMs = new Map(); // `${key} ${L}` → ms
const worstRatio = new Map(); // family → largest ∇/f flops ratio


for (const [f, [name, make]] of Object.entries(families).entries()) {
  console.log(`\n${name}`);
  console.log('      L   ms/gradient   result nodes   printed chars   flops f @64   flops ∇ @64    ∇/f   (f+∇)/f');
  const points = [];
  const started = performance.now();
  for (const L of sizes) {
    const request = { ...make(L), check: false };
    const { ms, result } = timeMedian(() => gradient(request), { before: () => fresh && terms.resetTerms() });
    if (!result.ok) throw new Error(`${name} L=${L}: ${result.diagnostics[0].message}`);
    const report = result.value;
    const nodes = dagSize(report.gradients.map((g) => g.gradient));
    const printed = textAnswer(report);
    const chars = printed.lines.reduce((n, l) => n + l.text.length, 0) + printed.where.reduce((n, w) => n + w.text.length, 0);
    points.push([L, ms]);
    matcalcMs.set(`${keys[f]} ${L}`, ms);
    const flops = flopsAt(request, report, 64);
    const ratio = flops.grad / flops.f;
    worstRatio.set(name, Math.max(worstRatio.get(name) ?? 0, ratio));
    console.log(
      `${String(L).padStart(7)}   ${ms.toFixed(2).padStart(11)}   ${String(nodes).padStart(12)}   ${String(chars).padStart(13)}` +
        `   ${fmtFlops(flops.f).padStart(11)}   ${fmtFlops(flops.grad).padStart(11)}   ${ratio.toFixed(2).padStart(5)}${ratio > 3 ? '!' : ' '}  ${(flops.both / flops.f).toFixed(2).padStart(7)}`,
    );
    if (performance.now() - started > budgetMs) break;
  }
  const fit = exponentLine(points);
  if (fit) console.log(fit);

}

// ── Monotonicity: no size slower than a larger one ────────────────────────────────────────────
// Fresh calls (every term forgotten before each), where a search that runs only on small terms
// would show: the shared tower once took 50–250 ms at L = 3–4 and 1 ms at L = 5–10.
{
  const small = [1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32];
  const tolerance = 1.5; // repeated medians on this shared machine differ by up to ~30 %
  console.log(`\nmonotonicity, fresh calls, L = ${small[0]}…${small[small.length - 1]} (fastest of 9 each): the worst t(L) / t(L′) over L < L′ ("!" above ${tolerance}):`);
  for (const [name, make] of Object.values(families).map((m, i) => [Object.keys(families)[i], m])) {
    const points = [];
    for (const L of small) {
      const request = { ...make(L), check: false, sample: false };
      gradient(request); // compile what this size needs, so the timings see a warm process
      // The minimum, not the median: other work on the machine only ever adds time, and an
      // inversion is about the work the engine does.
      const times = [];
      for (let r = 0; r < 9; r++) {
        terms.resetTerms();
        const t0 = performance.now();
        gradient(request);
        times.push(performance.now() - t0);
      }
      points.push([L, Math.min(...times)]);
    }
    const worst = worstInversion(points);
    const where = worst.ratio > 1 ? ` (L = ${worst.small[0]}: ${worst.small[1].toFixed(2)} ms, L = ${worst.large[0]}: ${worst.large[1].toFixed(2)} ms)` : '';
    console.log(`  ${worst.ratio.toFixed(2).padStart(5)}${worst.ratio > tolerance ? '!' : ' '} ${name}${where}`);
  }
}

console.log('\nflops of the gradient / flops of f at dims 64, largest over L (target ≤ 3; "!" marks a row above it):');
for (const [name, ratio] of worstRatio) console.log(`  ${ratio.toFixed(2).padStart(5)}  ${name}`);

// ── The numeric check on 100×100 inputs ────────────────────────────────────────────────────────
{
  const checks = [
    { expression: 'tr(inv(X)*A)', wrt: 'X' },
    { expression: "a'*exp(X*b)", wrt: 'X' },
    { expression: 'logdet(X) + tr(A*X)', wrt: 'X' },
    { expression: 'norm2(A*X - B)^2', wrt: 'X' },
  ];
  console.log('\nnumeric check (gradient with check: true) with every dimension 100, median of 5:');
  console.log('   ms total   ms symbolic   status    rel. error   expression');
  for (const c of checks) {
    const symbolic = gradient({ ...c, check: false });
    if (!symbolic.ok) throw new Error(symbolic.diagnostics[0].message);
    const request = withDims({ ...c, check: true }, symbolic.value, 100);
    const total = [];
    const bare = [];
    let report;
    for (let r = 0; r < 5; r++) {
      let t0 = performance.now();
      const result = gradient(request);
      total.push(performance.now() - t0);
      if (!result.ok) throw new Error(result.diagnostics[0].message);
      report = result.value;
      t0 = performance.now();
      gradient({ ...request, check: false });
      bare.push(performance.now() - t0);
    }
    const check = report.check;
    console.log(
      `${median(total).toFixed(1).padStart(11)}   ${median(bare).toFixed(1).padStart(11)}   ${check.status.padEnd(8)}  ${check.relativeError.toExponential(1).padStart(10)}   ${c.expression} w.r.t. ${c.wrt}`,
    );
  }
}

// ── SymPy, side by side ────────────────────────────────────────────────────────────────────────
function wallMs(command, args) {
  const t0 = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? performance.now() - t0 : undefined;
}

if (process.env.BENCH_SYMPY !== '0') {
  const python = process.env.PYTHON ?? 'python3';
  const importSympy = median([0, 1, 2].map(() => wallMs(python, ['-c', 'import sympy']) ?? NaN));
  const bare = median([0, 1, 2].map(() => wallMs(python, ['-c', 'pass']) ?? NaN));
  if (Number.isNaN(importSympy)) {
    console.log(`\nSymPy: not run (${python} -c "import sympy" failed)`);
  } else {
    console.log(`\nSymPy: \`${python} -c "import sympy"\` takes ${importSympy.toFixed(0)} ms (bare \`${python} -c pass\`: ${bare.toFixed(0)} ms)`);
    const peer = spawnSync(python, [fileURLToPath(new URL('./sympy_peer.py', import.meta.url))], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_SIZES: sizes.join(',') },
      timeout: 150_000,
    });
    const rows = new Map();
    for (const line of (peer.stdout ?? '').split('\n')) {
      if (!line.startsWith('{')) continue;
      const row = JSON.parse(line);
      if (row.family) rows.set(`${row.family} ${row.L}`, row);
    }
    if (peer.status !== 0) console.log(`  (sympy_peer.py stopped: ${peer.error?.message ?? `exit ${peer.status}`}${peer.stderr ? `; ${peer.stderr.trim().split('\n').pop()}` : ''})`);
    console.log('  ms per gradient (symbolic only; SymPy: building the expression + .diff, cache cleared each run)');
    for (const [f, name] of Object.keys(families).entries()) {
      console.log(`\n${name}`);
      console.log('      L   matcalc ms     SymPy ms   SymPy/matcalc');
      const failures = [];
      for (const L of sizes) {
        const m = matcalcMs.get(`${keys[f]} ${L}`);
        const row = rows.get(`${keys[f]} ${L}`);
        if (m === undefined && row === undefined) continue;
        // After a failure SymPy's family stops (larger L would only fail later): '—'.
        const sympyCell = row === undefined ? '—' : row.status === 'ok' ? row.ms.toFixed(2) : row.status.toUpperCase();
        if (row !== undefined && row.status !== 'ok') failures.push(`  L = ${L}: SymPy ${row.status}${row.detail ? ` (${row.detail})` : ''}`);
        const ratio = m !== undefined && row?.status === 'ok' ? `${(row.ms / m).toFixed(1)}×` : '';
        console.log(`${String(L).padStart(7)}   ${(m === undefined ? '—' : m.toFixed(2)).padStart(10)}   ${sympyCell.padStart(10)}   ${ratio.padStart(13)}`);
      }
      for (const line of failures) console.log(line);
    }
  }
}
