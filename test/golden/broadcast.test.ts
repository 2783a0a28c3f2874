import { describe, expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { functionText } from '../../src/emit/command-json.js';
import { gradient } from '../../src/pipeline.js';
import { GRADIENT_MODULES, gradientModuleRuns, MODULE_BATCH_TIMEOUT_MS } from '../helpers/gradient-modules.js';

/**
 * Broadcasting as NumPy users write it (src/shape/broadcast.ts): a row added to every row of a
 * matrix, `X*W + b'`, `X − mu'`, read as XW + 𝟙bᵀ. Each gradient must pass the numeric check, print
 * the reference's form (the bias's gradient is Gᵀ𝟙, the upstream summed over the rows), the output
 * must say that b was broadcast, and the emitted NumPy and PyTorch modules must pass their own
 * finite-difference self-check when run. Sums NumPy would refuse, or read two ways, are refused.
 */
interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly dims?: string;
  /** The gradient as printed (text), where a textbook form exists. */
  readonly textbook?: string;
  /** The printed f: what was read. */
  readonly read: string;
  readonly ref: string;
}

const GOODFELLOW = 'Goodfellow, Bengio & Courville, Deep Learning (2016) §6.5.6, a bias gradient sums the upstream over the batch';

const PROBLEMS: readonly Problem[] = [
  { expr: "‖X*W + b' − Y‖²", wrt: 'W', read: '‖XW + 𝟙bᵀ − Y‖_F²', textbook: '2Xᵀ(𝟙bᵀ + XW − Y)', ref: 'least squares with an intercept, Cookbook (84)' },
  { expr: "‖X*W + b' − Y‖²", wrt: 'b', read: '‖XW + 𝟙bᵀ − Y‖_F²', textbook: '2(𝟙bᵀ + XW − Y)ᵀ𝟙', ref: GOODFELLOW },
  { expr: "‖b' + X*W‖²", wrt: 'b', read: '‖𝟙bᵀ + XW‖_F²', textbook: '2(WᵀXᵀ + b𝟙ᵀ)𝟙', ref: `${GOODFELLOW}; the row first` },
  { expr: "sum(relu(X*W + b'))", wrt: 'b', read: 'sum(relu(XW + 𝟙bᵀ))', textbook: 'step(WᵀXᵀ + b𝟙ᵀ)𝟙', ref: `${GOODFELLOW}; relu′ = step` },
  { expr: "sum(tanh(X*W + b'))", wrt: 'W', read: 'sum(tanh(XW + 𝟙bᵀ))', textbook: 'Xᵀ(1 − tanh(𝟙bᵀ + XW).^2)', ref: "a dense layer, tanh′ = 1 − tanh²" },
  { expr: "−sum(Y .* log_softmax_rows(X*W + b'))", wrt: 'b', read: '−sum(Y ⊙ log_softmax_rows(XW + 𝟙bᵀ))', textbook: '(diag(Y𝟙)softmax_rows(𝟙bᵀ + XW) − Y)ᵀ𝟙', ref: `${GOODFELLOW}; softmax regression, §6.2.2.3` },
  { expr: "−sum(Y .* log_softmax_rows(X*W + b'))", wrt: 'W', read: '−sum(Y ⊙ log_softmax_rows(XW + 𝟙bᵀ))', textbook: 'Xᵀ(diag(Y𝟙)softmax_rows(𝟙bᵀ + XW) − Y)', ref: 'softmax regression, Deep Learning §6.2.2.3' },
  { expr: "sum(logsumexp_rows(X*W + b')) − sum(Y .* (X*W + b'))", wrt: 'b', read: 'sum(logsumexp_rows(XW + 𝟙bᵀ)) − sum(Y ⊙ (XW + 𝟙bᵀ))', textbook: '(softmax_rows(𝟙bᵀ + XW) − Y)ᵀ𝟙', ref: `${GOODFELLOW}; ∇ logsumexp = softmax` },
  { expr: "‖X − mu'‖²", wrt: 'mu', read: '‖X − 𝟙·muᵀ‖_F²', textbook: '−2(Xᵀ − mu·𝟙ᵀ)𝟙', ref: 'centring: the mean minimises Σᵢ‖xᵢ − μ‖², Bishop PRML (2.121)' },
  { expr: "sum(exp(X − mu'))", wrt: 'mu', read: 'sum(exp(X − 𝟙·muᵀ))', textbook: '−exp(Xᵀ − mu·𝟙ᵀ)𝟙', ref: 'Cookbook (70) with the element-wise chain rule' },
  { expr: "‖(X − mu')*W‖²", wrt: 'mu', read: '‖(X − 𝟙·muᵀ)W‖_F²', textbook: '−2WWᵀ(Xᵀ − mu·𝟙ᵀ)𝟙', ref: 'PCA reconstruction of centred data, Bishop PRML §12.1' },
  { expr: "sum((X*W + b') .* (X*W + b'))", wrt: 'b', read: 'sum((XW + 𝟙bᵀ) ⊙ (XW + 𝟙bᵀ))', textbook: '2(WᵀXᵀ + b𝟙ᵀ)𝟙', ref: 'Cookbook (84)' },
  { expr: "‖tanh(X*W + b')*V + c' − Y‖²", wrt: 'c', read: '‖tanh(XW + 𝟙bᵀ)V + 𝟙cᵀ − Y‖_F²', textbook: '2(𝟙cᵀ + tanh(𝟙bᵀ + XW)V − Y)ᵀ𝟙', ref: `${GOODFELLOW}; a two-layer network's output bias` },
  { expr: "‖tanh(X*W + b')*V + c' − Y‖²", wrt: 'b', read: '‖tanh(XW + 𝟙bᵀ)V + 𝟙cᵀ − Y‖_F²', ref: `${GOODFELLOW}; the hidden bias, backprop through tanh` },
  { expr: "‖tanh(X*W + b')*V + c' − Y‖²", wrt: 'W', read: '‖tanh(XW + 𝟙bᵀ)V + 𝟙cᵀ − Y‖_F²', ref: 'two-layer network, Deep Learning §6.5' },
  { expr: "sum(log(1 + exp(X*W + b')))", wrt: 'b', read: 'sum(log(1 + exp(XW + 𝟙bᵀ)))', ref: `${GOODFELLOW}; softplus′ = σ` },
  { expr: "sum(X + b'*A)", wrt: 'b', dims: 'X=2x3,A=4x3,b=4', read: 'sum(X + 𝟙(bᵀA))', ref: 'a computed row, bᵀA, added to every row' },
  { expr: "sum(softmax_rows(X*W + b') .* C)", wrt: 'b', read: 'sum(softmax_rows(XW + 𝟙bᵀ) ⊙ C)', ref: 'Bishop PRML eq. 4.106, row by row' },
  { expr: "‖X*W + b'‖²", wrt: 'b', dims: 'X=4x3,W=3x2', read: '‖XW + 𝟙bᵀ‖_F²', textbook: '2(WᵀXᵀ + b𝟙ᵀ)𝟙', ref: `${GOODFELLOW}; with numeric sizes` },
  { expr: "x + c", wrt: 'c', read: 'x + c', textbook: '1', ref: 'scalars' },
  { expr: "sum(exp(x + c))", wrt: 'c', dims: 'x=3,c=1', read: 'sum(exp(x + c))', textbook: 'sum(exp(c + x))', ref: 'a scalar added to every entry: its gradient sums the upstream' },
];

const reports = PROBLEMS.map((p) => {
  const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, seed: 1 });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

/** Every emitted module, run once in one python3 per format (test/helpers/gradient-modules.ts). */
const runsOf = gradientModuleRuns('broadcast', reports);

describe.each(PROBLEMS.map((p, i) => [`${p.expr} w.r.t. ${p.wrt}`, p, i] as const))('%s', (_name, p, i) => {
  const report = reports[i]!;

  test(`reads as ${p.read}, passes the numeric check${p.textbook === undefined ? '' : ` and prints ${p.textbook}`} (${p.ref})`, () => {
    expect(functionText(report).text).toBe(p.read);
    expect(report.check?.status, report.check?.reason).toBe('passed');
    expect(report.check!.relativeError).toBeLessThan(1e-6);
    if (p.textbook !== undefined) expect(gradientViews(report)[0]!.text).toBe(p.textbook);
    // A row spread over the rows is stated, with what its gradient does; nothing else is.
    const spread = report.notes.filter((n) => n.startsWith('broadcast:'));
    expect(spread.length).toBe((p.read.match(/𝟙[·(]?[a-z]+ᵀ/g) ?? []).length);
    for (const n of spread) expect(n).toContain('sums over the rows (Gᵀ𝟙)');
  });

  test.each(GRADIENT_MODULES)('the emitted %s module passes its own finite-difference check', (format, _emit, available) => {
    if (!available) return;
    const run = runsOf(format)[i]!;
    expect(run.status, run.output).toBe(0);
  }, MODULE_BATCH_TIMEOUT_MS);
});

describe('sums NumPy refuses, or reads two ways, are refused with the shapes', () => {
  test.each([
    ['sum(X*W + b)', undefined, 'MC2032', 'write bᵀ to add it to every row, or b𝟙ᵀ to add it to every column'],
    ['sum(X + c)', 'X=2x3,c=2', 'MC2032', 'write c𝟙ᵀ to add it to every column'],
    ['sum(X + c)', 'X=2x3,c=3', 'MC2032', 'write cᵀ to add it to every row'],
    ['sum(X + c)', 'X=2x3,c=4', 'MC2002', 'X (2×3) and c (4×1)'],
    ["sum(X*W + b')", 'W=4x5,b=3', 'MC2002', "X*W (n×5) and b' (1×3)"],
    ["sum(X + b')", 'X=2x3,b=2', 'MC2002', "X (2×3) and b' (1×2)"],
    ["sum(X + A)", 'X=2x3,A=3x2', 'MC2002', 'X (2×3) and A (3×2)'],
    ["sum(X + b'*A)", 'X=2x3,A=4x2,b=4', 'MC2002', "X (2×3) and b'*A (1×2)"],
  ])('%s (--dims %s) is refused (%s)', (input, dims, code, message) => {
    const result = gradient({ expression: input, wrt: 'X', dims, seed: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.code).toBe(code);
    expect(result.diagnostics[0]!.message).toContain(message);
  });
});
