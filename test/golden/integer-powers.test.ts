import { describe, expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import { Dense } from '../../src/verify/dense.js';
import { drawInputs } from '../../src/verify/sample.js';
import { createRng } from '../../src/verify/random.js';
import { matcalc } from '../json/helpers.js';
import { GRADIENT_MODULES, gradientModuleRuns } from '../helpers/gradient-modules.js';

/**
 * Xⁿ with a symbolic integer n (issue 12 §1): the op matpow, whose gradient is
 * powsum(X, n, G) = Σₖ₌₀ⁿ⁻¹ (Xᵀ)ᵏ G (Xᵀ)ⁿ⁻¹⁻ᵏ (Magnus & Neudecker, ch. 8 §5: d Xⁿ = Σₖ Xᵏ dX Xⁿ⁻¹⁻ᵏ).
 * Every problem passes matcalc's check at several seeds (n drawn as an integer 0…4, never
 * finite-differenced); the textbook forms are asserted; a few NumPy and PyTorch modules are run.
 */
interface Problem {
  readonly expr: string;
  readonly wrt: string;
  readonly assume?: string;
  readonly ref: string;
  readonly printed?: string;
  readonly module?: true;
}

const PROBLEMS: readonly Problem[] = [
  { expr: 'tr(X^n)', wrt: 'X', ref: 'The Matrix Cookbook (2012), eq. (91): ∂ tr(Xᵏ)/∂X = k(Xᵏ⁻¹)ᵀ', printed: 'n(X^(n − 1))ᵀ', module: true },
  { expr: 'tr(X^(n+1))', wrt: 'X', ref: 'Cookbook (91) with k = n + 1', printed: '(1 + n)(X^n)ᵀ' },
  { expr: 'tr(X^(2*n))', wrt: 'X', ref: 'Cookbook (91) with k = 2n', printed: '2n(X^(2n − 1))ᵀ' },
  { expr: "a'*X^n*b", wrt: 'X', ref: 'Magnus & Neudecker ch. 8 §5: Σₖ (Xᵀ)ᵏabᵀ(Xᵀ)ⁿ⁻¹⁻ᵏ', printed: 'powsum(X, n, abᵀ)', module: true },
  { expr: "a'*X^n*b", wrt: 'a', ref: '∂aᵀMb/∂a = Mb (Cookbook (70))', printed: 'X^n·b' },
  { expr: "a'*X^n*b", wrt: 'b', ref: '∂aᵀMb/∂b = Mᵀa (Cookbook (71))', printed: '(X^n)ᵀ·a' },
  { expr: "norm(X^n, 'fro')^2", wrt: 'X', ref: '‖Xⁿ‖_F² = ⟨Xⁿ, Xⁿ⟩: powsum(X, n, 2Xⁿ)', printed: '2powsum(X, n, X^n)', module: true },
  { expr: 'tr(A*X^n)', wrt: 'X', ref: 'Cookbook (90) generalised: Σₖ (Xᵀ)ᵏAᵀ(Xᵀ)ⁿ⁻¹⁻ᵏ', printed: 'powsum(X, n, Aᵀ)' },
  { expr: 'tr(A*X^n*B)', wrt: 'X', ref: 'tr(AXⁿB) = ⟨AᵀBᵀ, Xⁿ⟩', printed: 'powsum(X, n, AᵀBᵀ)' },
  { expr: 'sum(X^n)', wrt: 'X', ref: 'sum(M) = ⟨𝟙𝟙ᵀ, M⟩', printed: 'powsum(X, n, 𝟙𝟙ᵀ)' },
  { expr: "x'*S^n*x", wrt: 'x', assume: 'S:symmetric', ref: 'Cookbook (81): (M + Mᵀ)x with M = Sⁿ' },
  { expr: 'tr(S^n)', wrt: 'S', assume: 'S:symmetric', ref: 'Cookbook (91) for a symmetric S: nSⁿ⁻¹', printed: 'nS^(n − 1)' },
  { expr: 'tr(X^n)*tr(X)', wrt: 'X', ref: 'product rule with Cookbook (91) and (99)', printed: 'tr(X^n)·I + tr(X)n(X^(n − 1))ᵀ' },
  { expr: 'n*tr(X^n)', wrt: 'X', ref: 'a constant factor n: n²(Xⁿ⁻¹)ᵀ', printed: 'n²(X^(n − 1))ᵀ' },
  { expr: 'tr(X^n*A)', wrt: 'A', ref: '∂ tr(MA)/∂A = Mᵀ (Cookbook (100))', printed: '(X^n)ᵀ' },
  { expr: "a'*(A*X)^n*b", wrt: 'X', ref: 'chain rule through AX: Aᵀ·powsum(AX, n, abᵀ)', printed: 'Aᵀpowsum(AX, n, abᵀ)' },
  { expr: 'norm(X^n*y - z)^2', wrt: 'X', ref: 'least squares through a power: powsum(X, n, 2(Xⁿy − z)yᵀ)', module: true },
  { expr: 'tr(X^n + X^2)', wrt: 'X', ref: 'Cookbook (91) twice', printed: '(2X + nX^(n − 1))ᵀ' },
  { expr: 'tr(W^n) + tr(W^m)', wrt: 'W', ref: 'two integer exponents', printed: '(mW^(m − 1) + nW^(n − 1))ᵀ' },
  { expr: 'logdet(X) + tr(X^n)', wrt: 'X', ref: 'Cookbook (57) and (91)', printed: '(X⁻¹ + nX^(n − 1))ᵀ' },
  { expr: "tr(X^n*X')", wrt: 'X', ref: '⟨X, Xⁿ⟩: Xⁿ + powsum(X, n, X)' },
];

const SEEDS = [1, 2, 3];

const reports = PROBLEMS.map((p) =>
  SEEDS.map((seed) => {
    const result = gradient({ expression: p.expr, wrt: p.wrt, assume: p.assume, seed });
    if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
    return result.value;
  }),
);

const moduleIndex = new Map(PROBLEMS.flatMap((p, i) => (p.module ? [i] : [])).map((i, k) => [i, k] as const));
const runsOf = gradientModuleRuns('integer-powers', [...moduleIndex.keys()].map((i) => reports[i]![0]!));

describe.each(PROBLEMS.map((p, i) => [`${p.expr} wrt ${p.wrt}`, p, i] as const))('%s', (_name, p, i) => {
  test(`passes the numeric check at seeds ${SEEDS.join(', ')} and states the exponent (${p.ref})`, () => {
    for (const report of reports[i]!) {
      expect(report.check?.status, report.check?.reason).toBe('passed');
      expect(report.notes.join('\n')).toMatch(/integer exponents? \(Xⁿ for n = 0, 1, 2, …\)/);
    }
    if (p.printed !== undefined) expect(gradientViews(reports[i]![0]!)[0]!.text).toBe(p.printed);
  });

  if (!p.module) return;
  test.each(GRADIENT_MODULES)('the emitted %s module passes its own finite-difference check', (format, _emit, available) => {
    if (!available) return;
    const run = runsOf(format)[moduleIndex.get(i)!]!;
    expect(run.status, run.output).toBe(0);
  }, 300_000);
});

describe('the check draws the exponent as a small integer', () => {
  test('every draw is an integer in 0…4; 1, 2, 3 and 4 all occur, and 0 on the strategies that allow it', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      for (let strategy = 0; strategy < 4; strategy++) {
        const drawn = drawInputs(new Map([['n', [1, 1] as const]]), new Map([['n', new Set(['integer'] as const)]]), new Map(), createRng(seed), strategy);
        const n = (drawn.get('n') as Dense).data[0]!;
        expect(Number.isInteger(n) && n >= 0 && n <= 4, `n = ${n}`).toBe(true);
        seen.add(n);
      }
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('the exponent of Xⁿ is never a dimension name: tr(X^n) reads X as m×m', () => {
    const result = gradient({ expression: 'tr(X^n)', wrt: 'X' });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.variables.get('X')).toEqual(['m', 'm']);
  });
});

describe('Hessians through Xⁿ', () => {
  test('hess tr(Xⁿ): its gradient n(Xⁿ⁻¹)ᵀ is a power again, checked', () => {
    const result = derivative({ command: 'hess', expression: 'tr(X^n)', wrt: 'X', seed: 3 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.check?.status, result.value.check?.reason).toBe('passed');
  });

  test('hess aᵀXⁿb: powsum has no rule in X (a double sum), refused with MC3004, never dropped', () => {
    const result = derivative({ command: 'hess', expression: "a'*X^n*b", wrt: 'X' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.code).toBe('MC3004');
  });
});

describe.concurrent('matcalc at the command line', () => {
  test.each([
    ['NumPy', 'np.trace(np.linalg.matrix_power(X, n))'],
    ['PyTorch', 'torch.trace(torch.linalg.matrix_power(X, n))'],
    ['LaTeX', '\\operatorname{tr}(X^{n})'],
    ['MATLAB', 'trace(X^n)'],
  ])('%s reads X to the n as the same power', async (_dialect, input) => {
    const run = await matcalc(['grad', input, '--wrt', 'X']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('∇_X f = n(X^(n − 1))ᵀ\n');
    expect(run.stdout).toContain('shapes  X: m×m, n: integer\n');
  });

  test('prints X^{n} in LaTeX', async () => {
    const run = await matcalc(['grad', 'tr(X^n)', '--wrt', 'X', '--format', 'latex']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('n(X^{n - 1})^\\top');
  });

  test.each([
    ['--wrt the exponent', ['grad', 'tr(X^n)', '--wrt', 'n'], 'MC2049', 'an integer parameter'],
    ['--wrt the exponent beside X', ['grad', 'tr(X^n)', '--wrt', 'X,n'], 'MC2049', 'a derivative with respect to it is not defined'],
    ['a negative symbolic exponent', ['grad', 'tr(X^-n)', '--wrt', 'X'], 'MC2009', 'write inv(X)^n'],
    ['a fractional constant exponent', ['grad', 'tr(X^1.5)', '--wrt', 'X'], 'MC2009', 'use .^ for an element-wise power'],
    ['a Hessian through powsum', ['hess', "a'*X^n*b", '--wrt', 'X'], 'MC3004', 'powsum'],
  ])('%s is refused with exit 2', async (_what, args, code, words) => {
    const run = await matcalc(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(code);
    expect(run.stderr).toContain(words);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
