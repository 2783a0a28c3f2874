import { describe, expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { functionText } from '../../src/emit/command-json.js';
import { gradient } from '../../src/pipeline.js';
import { GRADIENT_MODULES, gradientModuleRuns, MODULE_BATCH_TIMEOUT_MS } from '../helpers/gradient-modules.js';

/**
 * Row- and column-wise forms on matrices (attention heads, batches): softmax_rows/cols,
 * log_softmax_rows/cols, logsumexp_rows/cols (ops of term/ops.ts) and the sums along an axis
 * (sum_rows(X) = X𝟙, sum_cols(X) = 𝟙ᵀX, sum(X, 2), np.sum(X, axis=1)). Each gradient must pass the
 * numeric check, print as the reference writes it where a textbook form exists (the `textbook`
 * column, in matcalc's notation: P = softmax_rows(·), Diag printed diag), and the emitted NumPy and
 * PyTorch modules must pass their own finite-difference self-check when run.
 */
interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly dims?: string;
  /** The gradient as printed (text), where a textbook form exists. */
  readonly textbook?: string;
  readonly ref: string;
}

const BISHOP = 'Bishop, PRML (2006) eq. 4.106, ∂yₖ/∂aⱼ = yₖ(Iₖⱼ − yⱼ), row by row';
const BOYD = 'Boyd & Vandenberghe (2004) §3.1.5: ∇ logsumexp = softmax, row by row';
const VASWANI = 'Vaswani et al. (2017) eq. 1, attention softmax(QKᵀ/√d)V';

const PROBLEMS: readonly Problem[] = [
  // the attention head, w.r.t. each of Q, K, V
  { expr: "sum(softmax_rows(Q*K'/sqrt(d))*V)", wrt: 'Q', dims: 'd=1', ref: VASWANI },
  { expr: "sum(softmax_rows(Q*K'/sqrt(d))*V)", wrt: 'K', dims: 'd=1', ref: VASWANI },
  { expr: "sum(softmax_rows(Q*K'/sqrt(d))*V)", wrt: 'V', dims: 'd=1', textbook: 'softmax_rows(QKᵀ / sqrt(d))ᵀ(𝟙𝟙ᵀ)', ref: `${VASWANI}; ∂⟨𝟙𝟙ᵀ, PV⟩/∂V = Pᵀ𝟙𝟙ᵀ (Cookbook 69)` },
  { expr: "‖softmax_rows(Q*K')*V - Y‖²", wrt: 'V', textbook: '2T₁ᵀ(T₁V − Y)', ref: `${VASWANI}; least squares, Cookbook (84)` },
  { expr: "sum(softmax_rows(X*A*X')*X)", wrt: 'A', ref: 'self-attention with a bilinear score XAXᵀ' },
  // batch cross-entropy: rows are samples, Y one-hot (or any weights) per row
  { expr: '−sum(Y .* log_softmax_rows(X*W))', wrt: 'W', textbook: 'Xᵀ(diag(Y𝟙)softmax_rows(XW) − Y)', ref: 'Goodfellow et al., Deep Learning §6.2.2.3; (P − Y) for one-hot rows (Y𝟙 = 𝟙)' },
  { expr: '−sum(Y .* log_softmax_rows(X*W))', wrt: 'X', textbook: '(diag(Y𝟙)softmax_rows(XW) − Y)Wᵀ', ref: 'Deep Learning §6.2.2.3, backprop to the inputs' },
  { expr: '−sum(Y .* log_softmax_rows(X*W + B))', wrt: 'B', textbook: 'diag(Y𝟙)softmax_rows(B + XW) − Y', ref: 'Deep Learning §6.2.2.3' },
  { expr: '−sum(Y .* log(softmax_rows(X*W)))', wrt: 'W', textbook: 'Xᵀ(diag(Y𝟙)softmax_rows(XW) − Y)', ref: 'log ∘ softmax = log_softmax, Deep Learning §6.2.2.3' },
  { expr: 'sum(logsumexp_rows(X*W)) − sum(Y .* (X*W))', wrt: 'W', textbook: 'Xᵀ(softmax_rows(XW) − Y)', ref: `${BOYD}; one-hot cross-entropy written as logsumexp − score` },
  { expr: "sum(logsumexp_rows(X*W)) − tr(Y'*X*W)", wrt: 'W', textbook: 'Xᵀ(softmax_rows(XW) − Y)', ref: `${BOYD}; Cookbook (100)` },
  { expr: '−sum(Y .* log_softmax_cols(W*X))', wrt: 'W', textbook: '(softmax_cols(WX)diag(Yᵀ𝟙) − Y)Xᵀ', ref: 'the notes’ layout: samples are columns, Deep Learning §6.2.2.3' },
  { expr: 'sum(logsumexp_cols(W*X)) − sum(Y .* (W*X))', wrt: 'W', textbook: '(softmax_cols(WX) − Y)Xᵀ', ref: BOYD },
  // log-sum-exp per row / column
  { expr: 'sum(logsumexp_rows(X))', wrt: 'X', textbook: 'softmax_rows(X)', ref: BOYD },
  { expr: 'sum(logsumexp_cols(X))', wrt: 'X', textbook: 'softmax_cols(X)', ref: BOYD },
  { expr: 'sum(logsumexp_rows(A*X))', wrt: 'X', textbook: 'Aᵀsoftmax_rows(AX)', ref: `${BOYD}; Cookbook (69)` },
  { expr: "a'*logsumexp_rows(X)", wrt: 'X', textbook: 'diag(a)softmax_rows(X)', ref: `${BOYD}: row i weighted by aᵢ` },
  { expr: 'logsumexp_cols(X)*b', wrt: 'X', textbook: 'softmax_cols(X)diag(b)', ref: `${BOYD}: column j weighted by bⱼ` },
  { expr: '‖logsumexp_rows(X*W)‖²', wrt: 'W', textbook: '2Xᵀdiag(logsumexp_rows(XW))softmax_rows(XW)', ref: BOYD },
  { expr: 'sum(logsumexp_rows(X .* X))', wrt: 'X', textbook: '2(X ⊙ softmax_rows(X.^2))', ref: `${BOYD}, chain rule through X ⊙ X` },
  // softmax per row / column against a weight
  { expr: 'sum(softmax_rows(X) .* C)', wrt: 'X', textbook: 'T₁ − diag(T₁𝟙)softmax_rows(X)', ref: `${BISHOP}: P ⊙ C − Diag((C ⊙ P)𝟙)P` },
  { expr: 'sum(softmax_cols(X) .* C)', wrt: 'X', textbook: 'T₁ − softmax_cols(X)diag(T₁ᵀ𝟙)', ref: BISHOP },
  { expr: "u'*softmax_rows(X)*v", wrt: 'X', textbook: 'T₁ − diag(T₁𝟙)softmax_rows(X)', ref: `${BISHOP}, with G = uvᵀ (Cookbook 70)` },
  { expr: '‖softmax_rows(X) − Y‖²', wrt: 'X', ref: BISHOP },
  { expr: 'tr(softmax_rows(S)*A)', wrt: 'S', ref: `${BISHOP}; Cookbook (100)` },
  { expr: 'sum(softmax_cols(W*X) .* C)', wrt: 'W', ref: BISHOP },
  { expr: "u'*log_softmax_cols(X)*v", wrt: 'X', ref: 'Deep Learning §6.2.2.3, column by column' },
  // sums along an axis: products with 𝟙
  { expr: "sum_rows(X)'*sum_rows(X)", wrt: 'X', textbook: '2X𝟙𝟙ᵀ', ref: '‖X𝟙‖², Cookbook (84) with b = 0' },
  { expr: '‖sum_cols(X)‖²', wrt: 'X', textbook: '2𝟙𝟙ᵀX', ref: '‖Xᵀ𝟙‖², Cookbook (84)' },
  { expr: "a'*sum(X, 2)", wrt: 'X', textbook: 'a𝟙ᵀ', ref: 'MATLAB sum(X, 2) = X𝟙; Cookbook (70)' },
  { expr: 'sum(X, 0)*b', wrt: 'X', textbook: '𝟙bᵀ', ref: 'NumPy axis 0 = 𝟙ᵀX; Cookbook (70)' },
  { expr: 'np.sum(X, axis=1).T @ y', wrt: 'X', textbook: 'y𝟙ᵀ', ref: 'NumPy axis 1 = X𝟙; Cookbook (70)' },
  { expr: "a'*sum_rows(exp(X))", wrt: 'X', textbook: 'exp(X) ⊙ a𝟙ᵀ', ref: 'Cookbook (70), element-wise chain rule' },
];

const reports = PROBLEMS.map((p) => {
  const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, seed: 1 });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

/** Every emitted module, run once in one python3 per format (test/helpers/gradient-modules.ts). */
const runsOf = gradientModuleRuns('rowwise', reports);

describe.each(PROBLEMS.map((p, i) => [`${p.expr} w.r.t. ${p.wrt}`, p, i] as const))('%s', (_name, p, i) => {
  const report = reports[i]!;

  test(`passes the numeric check${p.textbook === undefined ? '' : ` and prints ${p.textbook}`} (${p.ref})`, () => {
    expect(report.check?.status, report.check?.reason).toBe('passed');
    expect(report.check!.relativeError).toBeLessThan(1e-6);
    if (p.textbook !== undefined) expect(gradientViews(report)[0]!.text).toBe(p.textbook);
  });

  test.each(GRADIENT_MODULES)('the emitted %s module passes its own finite-difference check', (format, _emit, available) => {
    if (!available) return;
    const run = runsOf(format)[i]!;
    expect(run.status, run.output).toBe(0);
  }, MODULE_BATCH_TIMEOUT_MS);
});

/** What each spelling is read as (the printed f), and what is refused with which advice. */
describe('spellings of the row- and column-wise forms', () => {
  test.each([
    ['softmax_rows(X)', 'softmax_rows(X)'],
    ['softmax_row(X)', 'softmax_rows(X)'],
    ['softmax_columns(X)', 'softmax_cols(X)'],
    ['logsoftmax_rows(X)', 'log_softmax_rows(X)'],
    ['log_sum_exp_cols(X)', 'logsumexp_cols(X)'],
    ['\\operatorname{softmax\\_rows}(X)', 'softmax_rows(X)'],
    ['\\operatorname{logsumexp\\_cols}(X)', 'logsumexp_cols(X)'],
    ['sum_rows(X)', 'X𝟙'],
    ['sum_cols(X)', '𝟙ᵀX'],
    ['sum(X, 2)', 'X𝟙'],
    ['sum(X, 0)', '𝟙ᵀX'],
    ['np.sum(X, axis=1)', 'X𝟙'],
    ['np.sum(X, axis=-1)', 'X𝟙'],
    ['np.sum(X, 0)', '𝟙ᵀX'],
    ['torch.sum(X, dim=-2)', '𝟙ᵀX'],
    ['torch.sum(X, dim=1)', 'X𝟙'],
    ['torch.softmax(X, dim=-1)', 'softmax_rows(X)'],
    ['F.softmax(X, dim=0)', 'softmax_cols(X)'],
    ['scipy.special.softmax(X, axis=1)', 'softmax_rows(X)'],
    ['torch.nn.functional.log_softmax(X, dim=1)', 'log_softmax_rows(X)'],
    ['scipy.special.log_softmax(X, axis=-2)', 'log_softmax_cols(X)'],
    ['torch.logsumexp(X, dim=-2)', 'logsumexp_cols(X)'],
    ['scipy.special.logsumexp(X, axis=1)', 'logsumexp_rows(X)'],
    ['scipy.special.logsumexp(X, axis=-1, keepdims=True)', 'logsumexp_rows(X)'],
    ['torch.logsumexp(X, dim=0, keepdim=True)', 'logsumexp_cols(X)'],
    ['np.sum(X, axis=1, keepdims=True)', 'X𝟙'],
    ['X.sum(axis=1)', 'X𝟙'],
    ['X.sum(0)', '𝟙ᵀX'],
    ['X.softmax(dim=-1)', 'softmax_rows(X)'],
    ['X.log_softmax(dim=0)', 'log_softmax_cols(X)'],
    ['X.logsumexp(dim=1)', 'logsumexp_rows(X)'],
  ])('%s reads as %s', (input, printed) => {
    const result = gradient({ expression: `sum(${input})`, wrt: 'X', seed: 1 });
    if (!result.ok) throw new Error(`${input}: ${result.diagnostics[0]!.message}`);
    expect(functionText(result.value).text).toBe(`sum(${printed})`);
  });

  test.each([
    ['sum(X, 1)', 'MC1040', 'sum_cols(X) for the column sums or sum_rows(X) for the row sums'],
    ['sum(X, 3)', 'MC1040', 'no axis 3'],
    ['sum(X, k)', 'MC1030', 'a literal 0, 1 or 2'],
    ['np.sum(X, axis=2)', 'MC1040', 'no axis 2'],
    ['torch.sum(X, dim=-3)', 'MC1040', 'no axis -3'],
    ['torch.sum(torch.softmax(X, dim=2))', 'MC1040', 'no axis 2'],
    ['np.sum(scipy.special.softmax(X))', 'MC2030', 'a column vector'],
    ['X.sum(axis=2)', 'MC1040', 'no axis 2'],
  ])('%s is refused (%s)', (input, code, advice) => {
    const result = gradient({ expression: input, wrt: 'X', seed: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.code).toBe(code);
    expect(result.diagnostics[0]!.message).toContain(advice);
  });
});
