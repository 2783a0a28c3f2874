// Scaling of the symbolic gradient (no numeric check): time per gradient, result size, and the
// fitted exponent of time against L. Prints a table; asserts nothing (machines here are shared and
// noisy: compare the ratios within one run). Run with `npm run bench` after `npm run build`.
import { gradient } from '../dist/src/pipeline.js';
import { sharedText } from '../dist/src/emit/report.js';
import { dagSize } from '../dist/src/term/traverse.js';

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
};

const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 20000);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

for (const [name, make] of Object.entries(families)) {
  console.log(`\n${name}`);
  console.log('      L   ms/gradient   result nodes   printed chars');
  const points = [];
  const started = performance.now();
  for (const L of sizes) {
    const request = { ...make(L), check: false };
    const times = [];
    let report;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      const result = gradient(request);
      times.push(performance.now() - t0);
      if (!result.ok) throw new Error(`${name} L=${L}: ${result.diagnostics[0].message}`);
      report = result.value;
      if (times[0] > 2000) break;
    }
    const ms = median(times);
    const nodes = dagSize(report.gradients.map((g) => g.gradient));
    const printed = sharedText(report);
    const chars = printed.main.reduce((n, t) => n + t.length, 0) + printed.where.reduce((n, w) => n + w.text.length, 0);
    points.push([L, ms]);
    console.log(`${String(L).padStart(7)}   ${ms.toFixed(2).padStart(11)}   ${String(nodes).padStart(12)}   ${String(chars).padStart(13)}`);
    if (performance.now() - started > budgetMs) break;
  }
  const tail = points.filter(([L]) => L >= 16);
  if (tail.length >= 2) {
    const [l0, t0] = tail[0];
    const [l1, t1] = tail[tail.length - 1];
    console.log(`  fitted exponent of time vs L (L = ${l0}…${l1}): ${(Math.log(t1 / t0) / Math.log(l1 / l0)).toFixed(2)}`);
  }
}
