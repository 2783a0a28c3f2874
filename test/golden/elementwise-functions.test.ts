import { describe, expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { gradient } from '../../src/pipeline.js';
import { GRADIENT_MODULES, gradientModuleRuns, MODULE_BATCH_TIMEOUT_MS } from '../helpers/gradient-modules.js';

/**
 * Textbook problems with the element-wise functions log1p, expm1, log2, log10, logsigmoid, sinh,
 * cosh, arctan, erf and square, and with a variable exponent a.^x: each gradient must pass the numeric check, print as the textbook
 * writes it (the `textbook` column: the answer in the reference, in matcalc's notation), and the
 * emitted NumPy and PyTorch modules must pass their own finite-difference self-check when run.
 */
interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  /** The gradient as printed (text), where T₁ … are shared subexpressions. */
  readonly textbook: string;
  readonly ref: string;
}

const PROBLEMS: readonly Problem[] = [
  // logistic regression with ±1 labels: −Σ log σ(y ⊙ Xw) → −Xᵀ(y ⊙ σ(−y ⊙ Xw))
  { expr: '−sum(logsigmoid(y .* (X*w)))', wrt: 'w', textbook: '−Xᵀ(σ(−(Xw ⊙ y)) ⊙ y)', ref: 'Murphy, MLaPP §8.3.1' },
  { expr: '−sum(logsigmoid(y .* (X*w))) + lambda/2*w\'*w', wrt: 'w', textbook: 'lambda·w − Xᵀ(σ(−(Xw ⊙ y)) ⊙ y)', ref: 'regularised logistic regression, Murphy §8.3.6' },
  { expr: 'sum(logsigmoid(X*w))', wrt: 'w', textbook: 'Xᵀσ(−Xw)', ref: "(log σ)' = 1 − σ = σ(−·), σ' from Bishop, PRML (4.88)" },
  { expr: 'y\'*logsigmoid(X*w) + (1 − y)\'*logsigmoid(−X*w)', wrt: 'w', textbook: 'Xᵀ(y − σ(Xw))', ref: 'Bernoulli log-likelihood, Bishop (4.91), with σ(z) + σ(−z) = 1' },
  // log1p
  { expr: "log1p(x'*x)", wrt: 'x', textbook: '2x / (1 + xᵀx)', ref: 'd log(1 + u) = du/(1 + u)' },
  { expr: "log1p(x'*A*x)", wrt: 'x', assume: 'A:symmetric', textbook: '2Ax / (1 + xᵀAx)', ref: 'Cookbook (81) and the chain rule' },
  { expr: 'sum(log1p(exp(X*w)))', wrt: 'w', textbook: 'Xᵀσ(Xw)', ref: 'softplus written out: d log(1 + eᶻ) = σ(z)dz' },
  { expr: 'sum(log1p(x.^2))', wrt: 'x', textbook: '2(x ⊘ (1 + x.^2))', ref: 'Cauchy loss' },
  // expm1, log2, log10
  { expr: 'sum(expm1(X*w))', wrt: 'w', textbook: 'Xᵀexp(Xw)', ref: "(eˣ − 1)' = eˣ" },
  { expr: "log2(x'*x)", wrt: 'x', textbook: '2x / (log(2)(xᵀx))', ref: 'log₂ u = log u / log 2' },
  { expr: 'sum(log10(x))', wrt: 'x', textbook: '𝟙 ⊘ x / log(10)', ref: 'log₁₀ u = log u / log 10' },
  { expr: "−sum(p .* log2(p))", wrt: 'p', assume: 'p:positive', textbook: '−1 / log(2) − log₂(p)', ref: 'entropy in bits, Cover & Thomas (2.1)' },
  // hyperbolic functions: ‖tanh(Wx)‖²-style
  { expr: '‖sinh(W*x)‖²', wrt: 'W', textbook: '2(cosh(Wx) ⊙ sinh(Wx))xᵀ', ref: "sinh' = cosh, DLMF §4.34" },
  { expr: '‖cosh(W*x)‖²', wrt: 'W', textbook: '2(cosh(Wx) ⊙ sinh(Wx))xᵀ', ref: "cosh' = sinh, DLMF §4.34" },
  { expr: 'sum(cosh(W*x))', wrt: 'W', textbook: 'sinh(Wx)xᵀ', ref: 'DLMF §4.34' },
  { expr: "a'*sinh(X)*b", wrt: 'X', textbook: 'cosh(X) ⊙ abᵀ', ref: 'Cookbook (70) with the element-wise chain rule' },
  { expr: 'sum(log(cosh(X*w − y)))', wrt: 'w', textbook: 'Xᵀtanh(Xw − y)', ref: 'log-cosh loss: (log cosh)′ = tanh' },
  // arctan
  { expr: 'sum(arctan(X*w − y))', wrt: 'w', textbook: 'Xᵀ(𝟙 ⊘ (1 + (Xw − y).^2))', ref: "arctan' = 1/(1 + x²), DLMF §4.24" },
  { expr: "atan(a'*x)", wrt: 'x', textbook: 'a / (1 + (aᵀx)²)', ref: 'DLMF §4.24' },
  // erf
  { expr: 'sum(erf(X*w))', wrt: 'w', textbook: '2Xᵀexp(−(Xw).^2) / sqrt(π)', ref: "erf' = 2/√π exp(−x²), DLMF 7.10.1" },
  { expr: '‖erf(X*w) − y‖²', wrt: 'w', textbook: '4Xᵀ(exp(−(Xw).^2) ⊙ (erf(Xw) − y)) / sqrt(π)', ref: 'DLMF 7.10.1' },
  { expr: "erf(a'*x)", wrt: 'x', textbook: '2·exp(−(aᵀx)²)a / sqrt(π)', ref: 'DLMF 7.10.1' },
  // a variable exponent (NumPy's a**x), read as exp(x ⊙ log a) and printed as a.^x
  { expr: 'sum(2.^(X*w))', wrt: 'w', textbook: 'log(2)Xᵀexp(log(2)Xw)', ref: "(2ᶻ)' = 2ᶻ log 2" },
  { expr: 'sum(a.^x)', wrt: 'x', dims: 'x=3', textbook: 'log(a) ⊙ a.^x', ref: '∂(aˣ)/∂x = aˣ log a' },
  { expr: 'sum(a.^x)', wrt: 'a', dims: 'x=3', textbook: 'a.^x ⊙ x ⊘ a', ref: '∂(aˣ)/∂a = x aˣ⁻¹' },
  // square is x.^2 (NumPy's np.square)
  { expr: 'sum(square(A*x − b))', wrt: 'x', textbook: '2Aᵀ(Ax − b)', ref: 'least squares, Cookbook (84)' },
  { expr: 'sum(square(tanh(W*x)))', wrt: 'W', textbook: '2(T₁ − T₁.^3)xᵀ', ref: "tanh' = 1 − tanh²" },
];

const reports = PROBLEMS.map((p) => {
  const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, assume: p.assume, seed: 1 });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

/** Every emitted module, run once in one python3 per format (test/helpers/gradient-modules.ts). */
const runsOf = gradientModuleRuns('elementwise', reports);

describe.each(PROBLEMS.map((p, i) => [p.expr, p, i] as const))('%s', (_expr, p, i) => {
  const report = reports[i]!;

  test(`passes the numeric check and prints ${p.textbook} (${p.ref})`, () => {
    expect(report.check?.status, report.check?.reason).toBe('passed');
    expect(report.check!.relativeError).toBeLessThan(1e-6);
    expect(gradientViews(report)[0]!.text).toBe(p.textbook);
  });

  test.each(GRADIENT_MODULES)('the emitted %s module passes its own finite-difference check', (format, _emit, available) => {
    if (!available) return;
    const run = runsOf(format)[i]!;
    expect(run.status, run.output).toBe(0);
  }, MODULE_BATCH_TIMEOUT_MS);
});
