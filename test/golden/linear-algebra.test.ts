import { describe, expect, test } from 'vitest';
import { formatJax } from '../../src/emit/jax.js';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { gradient } from '../../src/pipeline.js';
import { GRADIENT_MODULES, gradientModuleRuns, MODULE_BATCH_TIMEOUT_MS } from '../helpers/gradient-modules.js';

/**
 * Linear-algebra problems with solve(A, B) / A\B (read as A⁻¹B, emitted as a solve, never an
 * explicit inverse) and the pseudo-inverse pinv(X) (full rank, tall and wide): each gradient must
 * pass the numeric check and print as the `textbook` column (for pinv, the Golub–Pereyra form, which
 * is the textbook's general full-rank form: the term with I − X⁺X vanishes for full column rank and
 * the one with I − XX⁺ for full row rank, but the printer cannot know which), and the emitted NumPy
 * and PyTorch modules must pass their own finite-difference self-check when run.
 */
interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly assume?: string;
  /** The gradient as printed (text), where T₁ … are shared subexpressions. */
  readonly textbook: string;
  readonly ref: string;
  /**
   * The gradient holds an inverse that is not applied to anything (A⁻ᵀ, (A⁻¹ + A⁻ᵀ)b, S⁻¹ − …): the
   * printers form that one inverse (emit/python-solve.ts); every applied one is still a solve.
   */
  readonly bareInverse?: true;
}

const GP = 'Golub & Pereyra (1973), Thm 4.3';
const PROBLEMS: readonly Problem[] = [
  // solve(A, B) = A⁻¹B
  { expr: "c'*solve(A,b)", wrt: 'A', textbook: '−A⁻ᵀcbᵀA⁻ᵀ', ref: 'Cookbook (61)' },
  { expr: "c'*solve(A,b)", wrt: 'b', textbook: 'A⁻ᵀc', ref: 'Cookbook (61), linear in b' },
  { expr: "c'*(A\\b)", wrt: 'A', textbook: '−A⁻ᵀcbᵀA⁻ᵀ', ref: 'MATLAB left division, Cookbook (61)' },
  { expr: "c'*solve(A,B)*d", wrt: 'B', textbook: 'A⁻ᵀcdᵀ', ref: 'Cookbook (70)' },
  { expr: "c'*solve(A,B)*d", wrt: 'A', textbook: '−A⁻ᵀcdᵀBᵀA⁻ᵀ', ref: 'Cookbook (59), (61)' },
  { expr: "c'*solve(A',b)", wrt: 'A', textbook: '−A⁻ᵀbcᵀA⁻ᵀ', ref: 'Cookbook (61) with Aᵀ' },
  { expr: "b'*solve(A,b)", wrt: 'b', bareInverse: true, textbook: '(A⁻¹ + A⁻ᵀ)b', ref: 'Cookbook (81) with A⁻¹' },
  { expr: "b'*solve(S,b)", wrt: 'b', assume: 'S:symmetric', textbook: '2S⁻¹b', ref: 'Cookbook (85)' },
  { expr: '‖solve(A,b)‖²', wrt: 'b', textbook: '2A⁻ᵀA⁻¹b', ref: 'Cookbook (84) with A⁻¹' },
  { expr: 'tr(solve(A,B))', wrt: 'B', bareInverse: true, textbook: 'A⁻ᵀ', ref: 'Cookbook (100)' },
  { expr: 'tr(solve(A,B))', wrt: 'A', textbook: '−A⁻ᵀBᵀA⁻ᵀ', ref: 'Cookbook (124)' },
  { expr: '‖A\\b − y‖²', wrt: 'A', textbook: '−2A⁻ᵀ(A⁻¹b − y)bᵀA⁻ᵀ', ref: 'Cookbook (61) and the chain rule' },
  { expr: "logdet(S) + b'*solve(S,b)", wrt: 'S', bareInverse: true, assume: 'S:spd', textbook: 'S⁻¹ − S⁻¹bbᵀS⁻¹', ref: 'Gaussian NLL, Cookbook (57), (61)' },
  { expr: "logdet(A) + c'*solve(A,b)", wrt: 'A', bareInverse: true, textbook: '(A⁻¹ − A⁻¹bcᵀA⁻¹)ᵀ', ref: 'Cookbook (57), (61)' },
  { expr: 'sum(solve(A,b))', wrt: 'b', textbook: 'A⁻ᵀ𝟙', ref: 'linear in b' },
  { expr: "r'*(K\\r)", wrt: 'r', bareInverse: true, textbook: '(K⁻¹ + K⁻ᵀ)r', ref: 'GP marginal likelihood data term, Rasmussen & Williams (5.8)' },
  { expr: "x'*solve(A'*A,x)", wrt: 'x', textbook: '2(AᵀA)⁻¹x', ref: 'Cookbook (85), AᵀA symmetric' },
  { expr: 'c.T @ np.linalg.solve(A, b)', wrt: 'A', textbook: '−A⁻ᵀcbᵀA⁻ᵀ', ref: 'NumPy spelling, Cookbook (61)' },
  { expr: "c'*mldivide(A, b)", wrt: 'b', textbook: 'A⁻ᵀc', ref: 'MATLAB spelling' },
  { expr: "c'*(A'\\b)", wrt: 'A', textbook: '−A⁻ᵀbcᵀA⁻ᵀ', ref: 'Aᵀ\\b, Cookbook (61) with Aᵀ' },
  { expr: "c'*(A'\\B)*d", wrt: 'B', textbook: 'A⁻¹cdᵀ', ref: 'Aᵀ\\B, Cookbook (70)' },
  { expr: 'sum(A\\B)', wrt: 'A', textbook: '−A⁻ᵀ(𝟙𝟙ᵀ)BᵀA⁻ᵀ', ref: 'Cookbook (59), a matrix right-hand side (𝟙𝟙ᵀ the all-ones matrix)' },
  // pinv(X) = X⁺ at full rank: tall (full column rank), wide (full row rank), square
  { expr: "a'*pinv(X)*b", wrt: 'X', dims: 'X=4x2', textbook: '((I − X·pinv(X))b(aᵀpinv(X)) − pinv(X)ᵀabᵀ)pinv(X)ᵀ + pinv(X)ᵀ(pinv(X)b)(aᵀ(I − pinv(X)X))', ref: GP },
  { expr: "a'*pinv(X)*b", wrt: 'X', dims: 'X=2x4', textbook: '((I − X·pinv(X))b(aᵀpinv(X)) − pinv(X)ᵀabᵀ)pinv(X)ᵀ + pinv(X)ᵀ(pinv(X)b)(aᵀ(I − pinv(X)X))', ref: GP },
  { expr: "a'*pinv(X)*b", wrt: 'X', dims: 'X=3x3', textbook: '((I − X·pinv(X))b(aᵀpinv(X)) − pinv(X)ᵀabᵀ)pinv(X)ᵀ + pinv(X)ᵀ(pinv(X)b)(aᵀ(I − pinv(X)X))', ref: `${GP}; X⁺ = X⁻¹ for a square X` },
  { expr: "a'*pinv(X)*b", wrt: 'a', dims: 'X=4x2', textbook: 'pinv(X)b', ref: 'linear in a' },
  { expr: '‖pinv(X)*y‖²', wrt: 'y', dims: 'X=5x3', textbook: '2pinv(X)ᵀ(pinv(X)y)', ref: 'Cookbook (84) with X⁺' },
  { expr: '‖pinv(X)*y‖²', wrt: 'X', dims: 'X=5x3', textbook: '2(((I − X·pinv(X))y(yᵀpinv(X)ᵀpinv(X)) − pinv(X)ᵀ(pinv(X)y)yᵀ)pinv(X)ᵀ + pinv(X)ᵀ(pinv(X)y)(yᵀpinv(X)ᵀ(I − pinv(X)X)))', ref: GP },
  { expr: 'tr(pinv(X))', wrt: 'X', dims: 'X=3x3', textbook: '(I − X·pinv(X))pinv(X)pinv(X)ᵀ + pinv(X)ᵀpinv(X)(I − pinv(X)X) − (pinv(X)²)ᵀ', ref: `${GP}; Cookbook (124) for X⁻¹` },
  { expr: 'tr(A*pinv(X))', wrt: 'X', dims: 'X=4x3', textbook: '((I − X·pinv(X))A·pinv(X) − pinv(X)ᵀAᵀ)pinv(X)ᵀ + pinv(X)ᵀ(pinv(X)A(I − pinv(X)X))', ref: GP },
  { expr: 'sum(pinv(X))', wrt: 'X', dims: 'X=3x5', textbook: '((I − X·pinv(X))(𝟙𝟙ᵀpinv(X)) − pinv(X)ᵀ(𝟙𝟙ᵀ))pinv(X)ᵀ + pinv(X)ᵀpinv(X)(𝟙𝟙ᵀ)(I − pinv(X)X)', ref: GP },
  { expr: "c'*pinv(A*B)*d", wrt: 'B', dims: 'A=4x3,B=3x3', textbook: 'Aᵀ(((I − ABT₁)d(cᵀT₁) − T₁ᵀcdᵀ)T₁ᵀ + T₁ᵀ(T₁d)(cᵀ(I − T₁AB)))', ref: `${GP} and the chain rule` },
  { expr: "tr(pinv(X'*X))", wrt: 'X', dims: 'X=5x3', textbook: '2X((I − XᵀXT₁)T₁² + T₁²(I − T₁(XᵀX)) − T₁²)', ref: `${GP}; (XᵀX)⁺ = (XᵀX)⁻¹ at full column rank, Cookbook (124)` },
  { expr: 'a.T @ np.linalg.pinv(X) @ b', wrt: 'b', dims: 'X=4x2', textbook: 'pinv(X)ᵀa', ref: 'NumPy spelling, linear in b' },
];

const reports = PROBLEMS.map((p) => {
  const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, assume: p.assume, seed: 1 });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

/** Every emitted module, run once in one python3 per format (test/helpers/gradient-modules.ts). */
const runsOf = gradientModuleRuns('linear-algebra', reports);

describe.each(PROBLEMS.map((p, i) => [p.expr, p, i] as const))('%s', (_expr, p, i) => {
  const report = reports[i]!;

  test(`passes the numeric check and prints ${p.textbook} (${p.ref})`, () => {
    expect(report.check?.status, report.check?.reason).toBe('passed');
    expect(report.check!.relativeError).toBeLessThan(1e-6);
    expect(gradientViews(report)[0]!.text).toBe(p.textbook);
  });

  test('the emitted code solves and never forms an inverse; pinv is the library call', () => {
    const numpy = formatNumpy(report);
    const torch = formatTorch(report);
    const valueLine = (code: string): string => code.split('\n').find((l) => l.trimStart().startsWith('value ='))!;
    expect(valueLine(numpy)).not.toMatch(/linalg\.inv\(/);
    expect(valueLine(torch)).not.toMatch(/linalg\.inv\(|torch\.inverse\(/);
    if (p.bareInverse === undefined) {
      expect(numpy).not.toMatch(/linalg\.inv\(/);
      expect(torch).not.toMatch(/linalg\.inv\(|torch\.inverse\(/);
    }
    if (/solve|\\/.test(p.expr)) expect(numpy).toMatch(/np\.linalg\.solve\(/);
    if (/pinv/.test(p.expr)) {
      expect(numpy).toMatch(/np\.linalg\.pinv\(/);
      expect(torch).toMatch(/torch\.linalg\.pinv\(/);
      // JAX respells the op's library call too: NumPy's pinv of a traced array fails under jax.grad.
      const jax = formatJax(report).split('\nimport ').slice(1).join('\nimport '); // the code, after the docstring that quotes the input
      expect(jax).toMatch(/jnp\.linalg\.pinv\(/);
      expect(jax).not.toMatch(/(?<![\w.])np\.linalg\.pinv\(/);
      expect(report.notes.join('\n')).toMatch(/holds where \S+ has full rank: pinv\(\S*\) is differentiable there/);
    }
  });

  test.each(GRADIENT_MODULES)('the emitted %s module passes its own finite-difference check', (format, _emit, available) => {
    if (!available) return;
    const run = runsOf(format)[i]!;
    expect(run.status, run.output).toBe(0);
  }, MODULE_BATCH_TIMEOUT_MS);
});

describe('pinv outside its domain', () => {
  test('pinv(AB) with AB of rank 2 < 3 is never checked as passed: the check says why it is inconclusive', () => {
    const result = gradient({ expression: "c'*pinv(A*B)*d", wrt: 'B', dims: 'A=4x2,B=2x3', seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.check?.status).toBe('inconclusive');
    expect(result.value.check?.reason).toMatch(/rank-deficient/);
    expect(result.value.notes.join('\n')).toMatch(/full rank/);
  });
});
