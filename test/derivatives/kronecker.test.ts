import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { formatNumpy as formatDerivativeNumpy, formatTorch as formatDerivativeTorch } from '../../src/emit/python-module.js';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { DerivativeCommand, Report } from '../../src/report.js';
import * as T from '../../src/term/factory.js';
import { dimFactors, dimProduct, dimQuotient, dimSize } from '../../src/term/dim-product.js';
import { runPythonModules, type ModuleRun } from '../helpers/python-batch.js';
import { matcalc } from '../json/helpers.js';
import { python3 } from '../helpers/python.js';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * The Kronecker product and vec (issue 12): problems whose dimensions are products (A ⊗ B is mp×nq,
 * vec(X) has mn entries). Every derivative must pass the numeric check and print the textbook form
 * where the `textbook` column gives one (matcalc's notation; T₁ … are shared subexpressions), and
 * the emitted NumPy and PyTorch modules must pass their own finite-difference self-check (one
 * python3 per format). References: Magnus & Neudecker, Matrix Differential Calculus (3rd ed.),
 * ch. 2 (M&N); The Matrix Cookbook (2012), §10.2 (MC, equation numbers).
 */
interface Problem {
  readonly command: 'grad' | DerivativeCommand;
  readonly expr: string;
  readonly wrt: string;
  readonly dims?: string;
  /** Printed result lines: the gradient for grad; label → text for jac and hess. */
  readonly textbook?: string | Record<string, string>;
  readonly ref: string;
}

const PROBLEMS: readonly Problem[] = [
  // Traces, norms and determinants of A ⊗ B.
  { command: 'grad', expr: 'tr(kron(A, B))', wrt: 'A', textbook: 'tr(B)I', ref: 'tr(A ⊗ B) = tr(A)tr(B), MC §10.2.1' },
  { command: 'grad', expr: 'tr(A ⊗ B)', wrt: 'B', textbook: 'tr(A)I', ref: 'MC §10.2.1' },
  { command: 'grad', expr: 'tr(kron(A, B))', wrt: 'A', dims: 'A=2x2,B=3x3', textbook: 'tr(B)I', ref: 'known sizes: a 6×6 product' },
  { command: 'grad', expr: 'norm2(kron(A, B))^2', wrt: 'A', textbook: '2⟨B, B⟩A', ref: '‖A ⊗ B‖_F² = ‖A‖_F²‖B‖_F², M&N ch. 2 §2' },
  { command: 'grad', expr: '‖A ⊗ B‖_F^2', wrt: 'B', textbook: '2⟨A, A⟩B', ref: 'M&N ch. 2 §2' },
  { command: 'grad', expr: 'logdet(kron(A, B))', wrt: 'A', textbook: 'mA⁻ᵀ', ref: 'log det(A ⊗ B) = m·log det A + n·log det B (A n×n, B m×m), MC §10.2.1' },
  { command: 'grad', expr: 'logdet(kron(A, B))', wrt: 'B', textbook: 'nB⁻ᵀ', ref: 'MC §10.2.1' },
  { command: 'grad', expr: 'det(kron(A, B))', wrt: 'A', textbook: 'det(A ⊗ B)mA⁻ᵀ', ref: 'd det = det·tr(X⁻¹dX), MC (46), with (A ⊗ B)⁻¹ = A⁻¹ ⊗ B⁻¹, MC §10.2.1' },
  { command: 'grad', expr: 'sum(kron(A, B))', wrt: 'A', textbook: 'sum(B)(𝟙𝟙ᵀ)', ref: '𝟙ᵀ(A ⊗ B)𝟙 = sum(A)sum(B)' },
  { command: 'grad', expr: 'tr(kron(A, B)*kron(C, D))', wrt: 'A', textbook: '⟨B, Dᵀ⟩Cᵀ', ref: 'mixed product (A ⊗ B)(C ⊗ D) = AC ⊗ BD, MC §10.2.1; ∂tr(AC)/∂A = Cᵀ' },
  // Quadratic forms in vectors of product length.
  { command: 'grad', expr: "x'*kron(A, B)*x", wrt: 'x', textbook: '(A ⊗ B + Aᵀ ⊗ Bᵀ)x', ref: 'MC (81) with (A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ, MC §10.2.1' },
  { command: 'grad', expr: "x'*kron(A, B)*x", wrt: 'A', ref: 'pull.kron: the block contraction of xxᵀ with B' },
  { command: 'grad', expr: "x'*kron(A, eye)*x", wrt: 'x', textbook: '(A ⊗ I + Aᵀ ⊗ I)x', ref: 'a block-diagonal-structured quadratic form, MC (81)' },
  { command: 'grad', expr: 'logsumexp(kron(A, B)*x)', wrt: 'x', textbook: '(Aᵀ ⊗ Bᵀ)softmax((A ⊗ B)x)', ref: 'Boyd & Vandenberghe §3.1.5 through a linear map' },
  { command: 'hess', expr: "x'*kron(A, B)*x", wrt: 'x', textbook: { '∇²_x f': 'T₁' }, ref: 'the Hessian of a quadratic form, A ⊗ B + (A ⊗ B)ᵀ' },
  // Kronecker products of vectors.
  { command: 'grad', expr: "kron(a, b)'*kron(c, d)", wrt: 'a', textbook: '(bᵀd)c', ref: '(a ⊗ b)ᵀ(c ⊗ d) = (aᵀc)(bᵀd), MC §10.2.1' },
  { command: 'grad', expr: "kron(a, b)'*kron(c, d)", wrt: 'b', textbook: '(aᵀc)d', ref: 'MC §10.2.1' },
  { command: 'grad', expr: 'norm2(a ⊗ b)^2', wrt: 'a', textbook: '2(bᵀb)a', ref: '‖a ⊗ b‖² = ‖a‖²‖b‖²' },
  { command: 'grad', expr: "kron(x, y)'*z", wrt: 'x', ref: 'pull.kron for columns: z read as n blocks of m' },
  // vec.
  { command: 'grad', expr: 'norm2(vec(X))^2', wrt: 'X', textbook: '2X', ref: '‖vec(X)‖² = ‖X‖_F², M&N ch. 2 §4' },
  { command: 'grad', expr: "vec(X)'*vec(Y)", wrt: 'X', textbook: 'Y', ref: 'vec(X)ᵀvec(Y) = tr(XᵀY), MC §10.2.2' },
  { command: 'grad', expr: "a'*vec(A*X*B)", wrt: 'X', textbook: 'Aᵀunvec(a, AXB)Bᵀ', ref: 'vec(AXB) = (Bᵀ ⊗ A)vec(X), MC §10.2.2; ∂aᵀ(Bᵀ ⊗ A)vec(X) read back as a matrix' },
  { command: 'grad', expr: "vec(X)'*kron(B, A)*vec(X)", wrt: 'X', textbook: 'AXBᵀ + AᵀXB', ref: 'vec(X)ᵀ(B ⊗ A)vec(X) = tr(XᵀAXBᵀ), MC §10.2.2; ∂tr(XᵀAXBᵀ)/∂X, MC §2.5.2' },
  { command: 'grad', expr: "vec(X)'*C*vec(X)", wrt: 'X', textbook: 'unvec((C + Cᵀ)vec(X), X)', ref: 'MC (81) through vec' },
  { command: 'hess', expr: "vec(X)'*C*vec(X)", wrt: 'X', textbook: { '∇²_X f': 'C + Cᵀ' }, ref: 'the Hessian in vec form is the quadratic form\'s matrix, M&N ch. 10' },
  { command: 'grad', expr: "exp(a'*vec(X))", wrt: 'X', textbook: 'unvec(exp(aᵀvec(X))a, X)', ref: 'chain rule, M&N ch. 5' },
  { command: 'grad', expr: "a'*kron(A, B)*vec(X)", wrt: 'X', textbook: 'unvec((Aᵀ ⊗ Bᵀ)a, X)', ref: 'the adjoint of vec is unvec, M&N ch. 2 §4' },
  { command: 'grad', expr: 'norm2(kron(A, B)*vec(X) - y)^2', wrt: 'X', ref: 'least squares with a Kronecker design (A ⊗ B)vec(X) = vec(BXAᵀ), MC §10.2.2' },
  { command: 'grad', expr: 'sum(vec(X))', wrt: 'X', textbook: '𝟙𝟙ᵀ', ref: 'sum(vec(X)) = sum(X)' },
  // Jacobians: the Kronecker forms of the read-off (numerator layout, vec(dF) = J vec(dX)).
  { command: 'jac', expr: 'vec(A*X*B)', wrt: 'X', textbook: { '∂vec(F)/∂vec(X)': '(Bᵀ ⊗ A)' }, ref: 'M&N ch. 9, table 9.1; MC §10.2.2' },
  { command: 'jac', expr: 'kron(A, B)*vec(X)', wrt: 'X', textbook: { 'dF': 'vec(B dX Aᵀ)', '∂vec(F)/∂vec(X)': '(A ⊗ B)' }, ref: '(A ⊗ B)vec(dX) = vec(B dX Aᵀ), MC §10.2.2' },
  { command: 'jac', expr: 'vec(X)', wrt: 'X', textbook: { '∂vec(F)/∂vec(X)': 'I' }, ref: 'vec is the identity on vec(X)' },
  { command: 'jac', expr: 'kron(A, B)*x', wrt: 'x', textbook: { '∂F/∂x': 'A ⊗ B' }, ref: 'd((A ⊗ B)x) = (A ⊗ B)dx' },
  // A vector's Jacobian through a ⊗ b is an ordinary matrix: da ⊗ b = (I ⊗ b)da, a ⊗ db = (a ⊗ I)db.
  { command: 'jac', expr: 'kron(a, b)', wrt: 'a', textbook: { '∂F/∂a': 'I ⊗ b' }, ref: 'M&N ch. 2 §2: a ⊗ b = (I ⊗ b)a = (a ⊗ I)b' },
  { command: 'jac', expr: 'kron(a, b)', wrt: 'b', textbook: { '∂F/∂b': 'a ⊗ I' }, ref: 'M&N ch. 2 §2' },
  { command: 'jac', expr: 'kron(A*x, b)', wrt: 'x', textbook: { '∂F/∂x': '(I ⊗ b)A' }, ref: 'chain rule through a ⊗ b' },
  { command: 'jac', expr: 'kron(X, b)', wrt: 'X', textbook: { '∂vec(F)/∂vec(X)': 'I ⊗ b' }, ref: 'vec(X ⊗ b) = (I ⊗ b)vec(X): each column of X ⊗ b is Xⱼ ⊗ b' },
];

const scratch = scratchFolders('kronecker');
const hasTorch = python3(['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

const reports: Report[] = PROBLEMS.map((p) => {
  const request = { expression: p.expr, wrt: p.wrt, dims: p.dims, seed: 1 };
  const result = p.command === 'grad' ? gradient(request) : derivative({ ...request, command: p.command });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

const FORMATS = [
  ['numpy', true],
  ['torch', hasTorch],
] as const;
const runs = new Map<string, ModuleRun[]>();
function runsOf(format: 'numpy' | 'torch'): ModuleRun[] {
  let found = runs.get(format);
  if (found === undefined) {
    const dir = scratch();
    const paths = reports.map((report, i) => {
      const path = join(dir, `${format}_${i}.py`);
      const text =
        report.command === 'grad'
          ? (format === 'numpy' ? formatNumpy : formatTorch)(report)
          : (format === 'numpy' ? formatDerivativeNumpy : formatDerivativeTorch)(report);
      writeFileSync(path, text);
      return path;
    });
    found = runPythonModules(paths);
    runs.set(format, found);
  }
  return found;
}

test('the table is broad: at least 25 problems', () => {
  expect(PROBLEMS.length).toBeGreaterThanOrEqual(25);
});

describe.each(PROBLEMS.map((p, i) => [`${p.command} ${p.expr} --wrt ${p.wrt}${p.dims ? ` --dims ${p.dims}` : ''}`, p, i] as const))('%s', (_title, p, i) => {
  const report = reports[i]!;

  test(`passes the numeric check${p.textbook ? ' and prints the textbook form' : ''} (${p.ref})`, () => {
    expect(report.check?.status, report.check?.reason).toBe('passed');
    if (p.textbook === undefined) return;
    if (report.command === 'grad') {
      expect(gradientViews(report)[0]!.text).toBe(p.textbook);
    } else {
      const lines = Object.fromEntries(derivativeViews(report).lines.map((l) => [l.label, l.text]));
      for (const [label, text] of Object.entries(p.textbook as Record<string, string>)) expect(lines[label], JSON.stringify(lines)).toBe(text);
    }
  });

  test.each(FORMATS)('the emitted %s module passes its own finite-difference check', (format, available) => {
    if (!available) return;
    const run = runsOf(format)[i]!;
    expect(run.status, run.output).toBe(0);
  });
});

describe('product dimensions (term/dim-product.ts)', () => {
  test('are canonical: numbers multiplied, symbols sorted, so equal products are equal strings', () => {
    expect(dimProduct(['p', 'm'])).toBe('m·p');
    expect(dimProduct(['m', 'p'])).toBe(dimProduct(['p', 'm']));
    expect(dimProduct([2, 'n', 3])).toBe('6·n');
    expect(dimProduct([2, 3])).toBe(6);
    expect(dimProduct(['n', 1])).toBe('n');
    expect(dimProduct(['m·n', 'n'])).toBe('m·n·n');
    expect(dimFactors('6·m·n')).toEqual({ coefficient: 6, symbols: ['m', 'n'] });
  });

  test('divide when the divisor is among the factors, and size from their symbols', () => {
    expect(dimQuotient('m·p', 'p')).toBe('m');
    expect(dimQuotient(6, 2)).toBe(3);
    expect(dimQuotient(6, 4)).toBeUndefined();
    expect(dimQuotient('m', 'p')).toBeUndefined();
    expect(dimSize('m·p', new Map([['m', 3], ['p', 4]]))).toBe(12);
    expect(dimSize('m·q', new Map([['m', 3]]))).toBeUndefined();
  });

  test('built terms carry them, and the factory refuses a contraction whose blocks do not divide', () => {
    const a = T.variable('A', ['m', 'n']);
    const b = T.variable('B', ['p', 'q']);
    expect(T.op('kron', [a, b]).shape).toEqual(['m·p', 'n·q']);
    expect(T.op('kron_contract_left', [T.op('kron', [a, b]), b]).shape).toEqual(['m', 'n']);
    expect(T.op('kron_contract_right', [T.op('kron', [a, b]), a]).shape).toEqual(['p', 'q']);
    expect(T.op('vec', [a]).shape).toEqual(['m·n', 1]);
    expect(() => T.op('kron_contract_left', [T.variable('G', [3, 4]), T.variable('C', [2, 2])])).toThrow(/does not fit/);
    expect(() => T.op('unvec', [T.variable('g', [5, 1]), T.variable('X', [2, 3])])).toThrow(/does not fit/);
  });

  test('the shape stage pairs products in order: (A ⊗ B)vec(X) makes X of B’s columns × A’s columns', () => {
    const result = gradient({ expression: "a'*kron(A, B)*vec(X)", wrt: 'X', seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    const shapes = result.value.variables;
    expect(shapes.get('X')).toEqual([shapes.get('B')![1], shapes.get('A')![1]]);
    expect(shapes.get('a')).toEqual([dimProduct([shapes.get('A')![0], shapes.get('B')![0]]), 1]);
  });
});

/** User errors through the built binary: exit 2, the shapes in the message, never a stack trace. */
describe('refusals', () => {
  const CASES = [
    { args: ["x'*kron(A, B)*x", '--wrt', 'x', '--dims', 'x=5x1,A=2x2,B=2x2'], says: ['(1×5)', '(4×4)'] },
    { args: ['sum(kron(A, B)*vec(X))', '--wrt', 'X', '--dims', 'A=2x3,B=2x2,X=3x3'], says: ['(4×6)', '(9×1)'] },
    { args: ['sum(unvec(g, X))', '--wrt', 'g', '--dims', 'g=5x1,X=2x3'], says: ['unvec', '(5×1)'] },
    { args: ['sum(vec(X) + y)', '--wrt', 'X', '--dims', 'X=2x3,y=5x1'], says: ['(6×1)', '(5×1)'] },
    { args: ['sum(kron_contract_left(G, B))', '--wrt', 'G', '--dims', 'G=3x4,B=2x2'], says: ['kron_contract_left', '(3×4)'] },
    { args: ['sum(kron(A))', '--wrt', 'A'], says: ['kron takes 2 arguments'] },
    { args: ["x'*(A ⊗ B)*x", '--wrt', 'x', '--dims', 'x=7x1,A=2x2,B=3x3'], says: ['(1×7)', '(6×6)'] },
  ];
  test.each(CASES.map((c) => [c.args[0]!, c] as const))('%s', async (_expr, c) => {
    const r = await matcalc(['grad', ...c.args]);
    expect(r.code, r.stderr).toBe(2);
    for (const s of c.says) expect(r.stderr).toContain(s);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+|internal error/);
  });
});
