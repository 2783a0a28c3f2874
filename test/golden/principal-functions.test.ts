import { describe, expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import { GRADIENT_MODULES, gradientModuleRuns } from '../helpers/gradient-modules.js';

/**
 * The principal square root and logarithm (issue 12 §1): each problem with its reference. Every
 * gradient passes matcalc's check (which samples matrices with no eigenvalue on (−∞, 0]); where a
 * textbook form exists the printed gradient is asserted; every answer states the domain; the emitted
 * NumPy (scipy.linalg.sqrtm/logm, solve_sylvester, the block logm) and PyTorch (eigendecomposition)
 * modules pass their own finite-difference checks, all run in one python3 per format.
 */
interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly dims?: string;
  readonly ref: string;
  /** The printed gradient, where the reference gives a form. */
  readonly printed?: string;
  /**
   * Its NumPy and PyTorch modules are run too: one problem per kind of code (scipy's logm is a Schur
   * form per call, ~0.1 s on a loaded machine, and a module's self-check calls it some 40 times).
   */
  readonly module?: true;
}

const PROBLEMS: readonly Problem[] = [
  // ── sqrtm: SZ + ZS = E (Higham 2008, (6.5)); L(A, I) = ½A^(−1/2) ──
  { expr: 'tr(sqrtm(X))', wrt: 'X', ref: 'd tr X^(1/2) = ½tr(X^(−1/2)dX) (Higham (3.16), (6.5))', printed: '0.5sqrtm(Xᵀ)⁻¹', module: true },
  { expr: "a'*sqrtm(X)*b", wrt: 'X', ref: 'Higham (6.5) and problem 3.2: L(Xᵀ, abᵀ)', printed: 'sqrtm_frechet(Xᵀ, abᵀ)', module: true },
  { expr: 'tr(A*sqrtm(X))', wrt: 'X', ref: 'weighted trace: L(Xᵀ, Aᵀ)', printed: 'sqrtm_frechet(Xᵀ, Aᵀ)' },
  { expr: 'sum(sqrtm(X))', wrt: 'X', ref: 'L(Xᵀ, 𝟙𝟙ᵀ)', printed: 'sqrtm_frechet(Xᵀ, 𝟙𝟙ᵀ)' },
  { expr: "tr(sqrtm(X*X'))", wrt: 'X', dims: 'X=3x4', ref: 'tr (XXᵀ)^(1/2) = ‖X‖_* at full row rank: (XXᵀ)^(−1/2)X = UVᵀ', printed: 'sqrtm(XXᵀ)⁻¹X' },
  { expr: 'logdet(sqrtm(X))', wrt: 'X', ref: 'log det X^(1/2) = ½ log det X: ∇ = ½X⁻ᵀ' },
  { expr: 'norm2(sqrtm(X))^2', wrt: 'X', ref: '‖X^(1/2)‖_F² = tr(SᵀS)' },
  { expr: 'norm2(sqrtm(X) - B)^2', wrt: 'X', ref: 'a least-squares fit of a square root', module: true },
  { expr: "x'*sqrtm(A)*x", wrt: 'x', ref: 'quadratic form (Cookbook (81))', printed: '(sqrtm(A) + sqrtm(A)ᵀ)x' },
  { expr: "x'*sqrtm(A)*x", wrt: 'A', ref: 'Higham problem 3.2', printed: 'sqrtm_frechet(Aᵀ, xxᵀ)' },
  { expr: 'tr(sqrtm(X)*sqrtm(X))', wrt: 'X', ref: 'S² = X, so ∇ = I (printed as 2L(Xᵀ, Sᵀ) = I)' },
  { expr: 'tr(sqrtm(A + t*B))', wrt: 't', dims: 'A=3x3,t=1', ref: 'd/dt tr (A + tB)^(1/2) = ½tr((A + tB)^(−1/2)B)' },
  { expr: "a'*sqrtm(X)*sqrtm(X)*b", wrt: 'X', ref: 'product of square roots' },
  // ── logm: L(A, E) inverts L_exp(logm A, ·) (Higham 2008, §11.2); L(A, I) = A⁻¹ ──
  { expr: 'tr(logm(X))', wrt: 'X', ref: 'tr log X = log det X: ∇ = X⁻ᵀ (Cookbook (57), Higham (3.16))', printed: 'X⁻ᵀ', module: true },
  { expr: "a'*logm(X)*b", wrt: 'X', ref: 'Higham §11.2 and problem 3.2', printed: 'logm_frechet(Xᵀ, abᵀ)', module: true },
  { expr: 'tr(A*logm(X))', wrt: 'X', ref: 'weighted trace: L(Xᵀ, Aᵀ)', printed: 'logm_frechet(Xᵀ, Aᵀ)' },
  { expr: 'sum(logm(X))', wrt: 'X', ref: 'L(Xᵀ, 𝟙𝟙ᵀ)', printed: 'logm_frechet(Xᵀ, 𝟙𝟙ᵀ)' },
  { expr: 'tr(logm(A*X))', wrt: 'X', dims: 'A=3x4', ref: 'tr log(AX) = log det(AX): ∇ = Aᵀ(AX)⁻ᵀ', printed: 'Aᵀ(XᵀAᵀ)⁻¹' },
  { expr: 'norm2(logm(X))^2', wrt: 'X', ref: 'the squared log-Euclidean distance to I: 2L(Xᵀ, logm X)', printed: 'logm_frechet(Xᵀ, 2logm(X))', module: true },
  { expr: 'norm2(logm(X) - logm(B))^2', wrt: 'X', ref: 'the log-Euclidean distance (Arsigny et al. 2006)' },
  { expr: "tr(logm(X'*X))", wrt: 'X', dims: 'X=3x3', ref: 'tr log(XᵀX) = 2 log|det X|: ∇ = 2X⁻ᵀ' },
  { expr: "x'*logm(A)*x", wrt: 'A', ref: 'Higham problem 3.2', printed: 'logm_frechet(Aᵀ, xxᵀ)' },
  { expr: 'tr(logm(A + t*B))', wrt: 't', dims: 'A=3x3,t=1', ref: 'd/dt tr log(A + tB) = tr((A + tB)⁻¹B)' },
  { expr: 'tr(logm(sqrtm(X)))', wrt: 'X', ref: 'log X^(1/2) = ½ log X: ∇ = ½X⁻ᵀ', module: true },
  { expr: 'tr(expm(X) * logm(Y))', wrt: 'Y', ref: 'expm and logm together' },
];

const reports = PROBLEMS.map((p) => {
  const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, seed: 3 });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

const moduleIndex = new Map(PROBLEMS.flatMap((p, i) => (p.module ? [i] : [])).map((i, k) => [i, k] as const));
const runsOf = gradientModuleRuns('principal', [...moduleIndex.keys()].map((i) => reports[i]!));

describe.each(PROBLEMS.map((p, i) => [p.expr, p, i] as const))('%s', (_expr, p, i) => {
  const report = reports[i]!;

  test(`passes the numeric check and states the domain (${p.ref})`, () => {
    expect(report.check?.status, report.check?.reason).toBe('passed');
    expect(report.notes.join('\n')).toContain('no eigenvalue on the closed negative real axis');
    if (p.printed !== undefined) expect(gradientViews(report)[0]!.text).toBe(p.printed);
  });

  if (!p.module) return;
  test.each(GRADIENT_MODULES)('the emitted %s module passes its own finite-difference check', (format, _emit, available) => {
    if (!available) return;
    const run = runsOf(format)[moduleIndex.get(i)!]!;
    expect(run.status, run.output).toBe(0);
  }, 300_000);
});

describe('Hessians through sqrtm and logm (their Fréchet derivatives have rules)', () => {
  test.each([
    ['tr(sqrtm(X))', 'X', undefined],
    ["a'*sqrtm(X)*b", 'X', undefined],
    ['tr(logm(X))', 'X', undefined],
    ["a'*logm(X)*b", 'X', undefined],
    ['norm2(logm(X))^2', 'X', undefined],
    ["x'*sqrtm(A)*x", 'A', undefined],
  ])('hess %s', (expression, wrt, dims) => {
    const result = derivative({ command: 'hess', expression, wrt, dims, seed: 3 });
    if (!result.ok) throw new Error(`${expression}: ${result.diagnostics[0]!.message}`);
    expect(result.value.check?.status, `${expression}: ${result.value.check?.reason ?? ''}`).toBe('passed');
  });
});
