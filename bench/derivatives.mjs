// Scaling of diff, jac and hess (no numeric check): time per derivative, the size of the result, and
// the fitted exponent of time against L. Prints a table; asserts nothing (shared, noisy machines:
// compare exponents within one run). Run with `npm run bench` (after bench/scaling.mjs) or alone
// with `node bench/derivatives.mjs` after `npm run build`. BENCH_BUDGET_MS bounds each family.
import { derivative } from '../dist/src/pipeline.js';
import { exponentLine, timeMedian } from './timing.mjs';
import { dagSize } from '../dist/src/term/traverse.js';

const network = (L) => {
  let e = 'x';
  for (let i = 1; i <= L; i++) e = `tanh(W${i}*${e})`;
  return e;
};
const families = {
  'hess sum(tanh(W_L⋯tanh(W_1 x))) wrt x (n×n matrix)': (L) => ({ command: 'hess', expression: `sum(${network(L)})`, wrt: 'x' }),
  'hess the same wrt W_1 (H[V], Kronecker form)': (L) => ({ command: 'hess', expression: `sum(${network(L)})`, wrt: 'W1' }),
  'jac tanh(W_L⋯tanh(W_1 x)) wrt x': (L) => ({ command: 'jac', expression: network(L), wrt: 'x' }),
  'diff W_L⋯W_1 X wrt X (L-fold product)': (L) => ({
    command: 'diff',
    expression: Array.from({ length: L }, (_, i) => `W${L - i}`).join('*') + '*X',
    wrt: 'X',
  }),
  'hess logdet(X + inv(X + inv(⋯))) wrt X': (L) => {
    let e = 'X';
    for (let k = 1; k < L; k++) e = `X + inv(${e})`;
    return { command: 'hess', expression: `logdet(${e})`, wrt: 'X' };
  },
};

const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 10000);


for (const [name, make] of Object.entries(families)) {
  console.log(`\n${name}`);
  console.log('      L   ms/derivative   result nodes   form');
  const points = [];
  const started = performance.now();
  for (const L of sizes) {
    const request = { ...make(L), check: false };
    const { ms, result } = timeMedian(() => derivative(request), { repeats: 3 });
    if (!result.ok) throw new Error(`${name} L=${L}: ${result.diagnostics[0].message}`);
    const report = result.value;
    const block = report.blocks[0];
    const nodes = dagSize(report.blocks.flatMap((b) => [b.linear, ...(b.matrix ? [b.matrix] : [])]));
    const form = block.matrix ? 'matrix' : block.kron ? 'Kronecker' : 'linear map';
    points.push([L, ms]);
    console.log(`${String(L).padStart(7)}   ${ms.toFixed(2).padStart(13)}   ${String(nodes).padStart(12)}   ${form}`);
    if (performance.now() - started > budgetMs) break;
  }
  const fit = exponentLine(points);
  if (fit) console.log(fit);

}
