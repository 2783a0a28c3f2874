import { writeFileSync } from 'node:fs';
import path from 'node:path';
import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { isFShaped } from '../../src/differentiate/read-off.js';
import { derivativeViews } from '../../src/emit/derivative.js';
import { FORMATS } from '../../src/emit/formats.js';
import { derivative } from '../../src/pipeline.js';
import type { DerivativeCommand, Report } from '../../src/report.js';
import { Dense } from '../../src/verify/dense.js';
import { chooseDimSizes, collectFreeDims, drawInDomain } from '../../src/verify/sample.js';
import { blockDifferences } from '../helpers/central-differences.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { scratchFolders } from '../helpers/scratch.js';
import { derivativeBlocks } from '../../src/emit/blocks.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('vector-read-off');

/**
 * For a vector variable the Jacobian and the Hessian are always an ordinary matrix (issue 12 §2):
 * textbook problems whose differential passes through a matrix linear in the direction (x xᵀ inside
 * an inverse or a log-determinant, Diag(x), quotients of quadratic forms, element-wise functions).
 * Each case must print a matrix (no Kronecker form, no "no matrix read off"), pass the pipeline's own
 * check, and match a Jacobian or Hessian computed here by central differences of F, entry by entry.
 *
 * A matrix F of a scalar t gets dF/dt of F's shape.
 *
 * References: [MC] the Matrix Cookbook (Petersen & Pedersen, 2012), by section and equation;
 * [MML] Mathematics for Machine Learning (Deisenroth, Faisal, Ong, 2020), chapter 5;
 * [BV] Boyd & Vandenberghe, Convex Optimization, appendix A.4 (and the examples in §3.1.5).
 */
interface Case {
  readonly command: DerivativeCommand;
  readonly expression: string;
  readonly wrt: string;
  readonly ref: string;
  readonly assume?: string;
  readonly dims?: string;
}

const hess = (expression: string, wrt: string, ref: string, extra: { assume?: string; dims?: string } = {}): Case => ({ command: 'hess', expression, wrt, ref, ...extra });
const jac = (expression: string, wrt: string, ref: string, extra: { assume?: string; dims?: string } = {}): Case => ({ command: 'jac', expression, wrt, ref, ...extra });

const CASES: readonly Case[] = [
  // Quadratic forms and least squares.
  hess("x'*A*x", 'x', '[MC] §2.4.2 eq. 81; [BV] A.4.3 (quadratic function)'),
  hess("x'*A*x + b'*x + c", 'x', '[BV] A.4.3: ∇²f = P for f = ½xᵀPx + qᵀx + r'),
  hess("(A*x - b)'*(A*x - b)", 'x', '[MC] §2.4.2 eq. 84; [MML] §5.5 (least squares)'),
  hess("norm2(A*x - b)^2 + l*norm2(x)^2", 'x', '[MML] §5.5 / §9.2.1 (ridge regression)'),
  hess("x'*inv(A)*x", 'x', '[MC] §2.4.2 eq. 81 with B = A⁻¹'),
  hess("(a'*x)*(b'*x)", 'x', '[MC] §2.4.2 eq. 81 with B = abᵀ'),
  hess("(x'*x)^2", 'x', '[MC] §2.4.2 eq. 81 and the chain rule (quartic)'),
  hess("x'*diag(a)*x", 'x', '[MC] §2.4.2 eq. 81 with B = Diag(a)'),
  hess("a'*(x .* x)", 'x', '[MC] §2.4.2 eq. 81 (Hadamard square)'),
  // Rayleigh and generalised Rayleigh quotients.
  hess("x'*A*x/(x'*x)", 'x', '[MML] §4.2 / §10.2 (Rayleigh quotient); [MC] §2.4 quotient rule'),
  hess("x'*A*x/(x'*B*x)", 'x', '[MC] §2.4 quotient rule (generalised Rayleigh quotient)', { assume: 'B:spd' }),
  hess("x'*A*x/(x'*B*x)", 'x', 'generalised Rayleigh quotient at fixed sizes', { assume: 'B:spd', dims: 'x=3,A=3x3,B=3x3' }),
  hess("(x'*A*x)/(1 + x'*x)", 'x', '[MC] §2.4 quotient rule'),
  hess('log(x\'*A*x)', 'x', '[BV] A.4.2 (composition with a scalar function)', { assume: 'A:spd' }),
  // log det, det, inverses with x xᵀ and Diag(x) inside.
  hess("logdet(A + x*x')", 'x', '[MC] §1.1 eq. 24 (determinant lemma) and §2.1.4 eq. 57', { assume: 'A:spd' }),
  hess("logdet(A + x*x')", 'x', 'log det with a rank-one update at fixed sizes', { assume: 'A:spd', dims: 'x=4,A=4x4' }),
  hess("det(A + x*x')", 'x', '[MC] §2.1.1 eq. 46 (derivative of a determinant)', { assume: 'A:spd' }),
  hess("b'*inv(A + x*x')*b", 'x', '[MC] §3.2.2 eq. 160 (Sherman–Morrison) and §2.2 eq. 59', { assume: 'A:spd' }),
  hess("tr(inv(A + x*x'))", 'x', '[MC] §2.2 eq. 59 and §2.5 eq. 113', { assume: 'A:spd' }),
  hess("a'*inv(A + diag(x))*a", 'x', '[MC] §2.2 eq. 59 (inverse with Diag(x) inside)', { assume: 'A:spd,x:positive' }),
  hess("logdet(A + diag(x))", 'x', '[MC] §2.1.4 eq. 57; [BV] A.4.1 (log det)', { assume: 'A:spd,x:positive' }),
  hess('logdet(diag(x))', 'x', '[BV] A.4.1 (log det of a diagonal matrix)', { assume: 'x:positive' }),
  hess("x'*inv(A + diag(x))*x", 'x', '[MC] §2.2 eq. 59 and §2.4.2 eq. 81', { assume: 'A:spd,x:positive' }),
  // Element-wise functions, norms.
  hess('sum(log(x))', 'x', '[BV] §3.1.5 (negative entropy / log barrier)', { assume: 'x:positive' }),
  hess('log(sum(exp(x)))', 'x', '[BV] §3.1.5 and A.4.1 (log-sum-exp): diag(z)/𝟙ᵀz − zzᵀ/(𝟙ᵀz)²'),
  hess("exp(a'*x)", 'x', '[MML] §5.2 chain rule'),
  hess('sum(exp(A*x))', 'x', '[MML] §5.3 (gradients of vector-valued functions)'),
  hess('norm2(x)', 'x', '[MC] §2.6 eq. 129 (the 2-norm)'),
  hess('sqrt(1 + x\'*x)', 'x', '[MC] §2.6 and the chain rule'),
  hess('sum(x.^4)', 'x', '[MML] §5.2 (element-wise power)'),
  hess('sum(sigmoid(A*x))', 'x', '[MML] §5.6 (sigmoid)'),
  // ML losses (no softmax needed).
  hess("-y'*log(sigmoid(X*w)) - (1 - y)'*log(1 - sigmoid(X*w))", 'w', '[MML] §8.2 / Bishop §4.3.3 (logistic regression, Xᵀ Diag(σ(1−σ)) X)'),
  hess("sum(log(1 + exp(X*w))) - y'*X*w", 'w', '[BV] §7.1.1 (logistic regression log-likelihood)'),
  hess("sum(log(1 + exp(-y .* (X*w))))", 'w', 'logistic loss with ±1 labels (Bishop §4.3.2)'),
  hess("norm2(X*w - y)^2/2 + l*w'*w/2", 'w', '[MML] §9.2.1 (regularised least squares)'),
  // Two vector variables: every block a matrix.
  hess("x'*A*y", 'x,y', '[MC] §2.4.2 eq. 80 (bilinear form)'),
  hess("(x'*y)^2", 'x,y', '[MC] §2.4 (product rule)'),
  hess("norm2(x - y)^2", 'x,y', '[MC] §2.6 eq. 130'),
  hess("x'*diag(y)*x", 'x,y', '[MC] §2.4.2 with B = Diag(y)'),
  hess("x'*(A + y*y')*x", 'x,y', '[MC] §2.4.2 eq. 81 with B = A + yyᵀ'),
  hess("logdet(A + x*y' + y*x')", 'x,y', '[MC] §2.1.4 eq. 57 (symmetric rank-two update)', { assume: 'A:spd' }),
  hess("x'*A*x*t^2", 'x,t', 'a vector and a scalar variable'),
  // Jacobians of vector-valued functions.
  jac("inv(A + x*x')*b", 'x', '[MC] §2.2 eq. 59: −T(xᵀTb I + x bᵀTᵀ)… read term by term', { assume: 'A:spd' }),
  jac("inv(A + x*x')*b", 'x', 'the same at fixed sizes', { assume: 'A:spd', dims: 'x=3,A=3x3,b=3' }),
  jac("inv(A + diag(x))*b", 'x', '[MC] §2.2 eq. 59 with Diag(x) inside', { assume: 'A:spd,x:positive' }),
  jac("x*(x'*x)", 'x', '[MML] §5.3 (product rule)'),
  jac('x/norm2(x)', 'x', '[MC] §2.6 (normalisation: (I − xxᵀ/‖x‖²)/‖x‖)'),
  jac('sigmoid(A*x)', 'x', '[MML] §5.3 / §5.6 (a layer: Diag(σ′)A)'),
  jac('tanh(W*x + b)', 'x', '[MML] §5.6 (a neural-network layer)'),
  jac('diag(x)*A*x', 'x', '[MC] §2.4 (product rule with Diag(x))'),
  jac('(A*x) .* (B*x)', 'x', '[MML] §5.3 (Hadamard product of two maps)'),
  jac("x*x'*a", 'x', '[MC] §2.4 (outer product applied: (xᵀa)I + xaᵀ)'),
  jac("(x'*A*x)*b", 'x', '[MC] §2.4.2 eq. 81 times a constant vector'),
  jac('exp(x)/sum(exp(x))', 'x', '[BV] A.4.1 / Bishop §4.3.4 (softmax spelled out: Diag(p) − ppᵀ)'),
  jac("diag(x*x')", 'x', '[MC] §2.4 (diag of an outer product: 2Diag(x))'),
  jac("inv(diag(x))*a", 'x', '[MC] §2.2 eq. 59 with A = Diag(x)', { assume: 'x:positive' }),
  jac("(A + x*x')*x", 'x', '[MC] §2.4 (product rule)'),
  jac("x'*(A + x*x')", 'x', 'a row-valued F of a vector'),
  jac("inv(A + t*B)*b", 't', '[MC] §2.2 eq. 59: a vector F of a scalar, a column', { assume: 'A:spd,B:spd', dims: 't=1' }),
  jac('exp(t*a)', 't', '[MML] §5.2: a vector F of a scalar', { dims: 't=1' }),
  // A matrix F of a scalar: dF/dt of F's shape.
  jac('inv(A + t*B)', 't', '[MC] §2.2 eq. 59: ∂Y⁻¹/∂x = −Y⁻¹(∂Y/∂x)Y⁻¹', { assume: 'A:spd,B:spd', dims: 't=1' }),
  jac('t*A + t^2*B', 't', '[MC] §2.2 (∂Y/∂x of a scalar x)', { dims: 't=1' }),
  jac('exp(t*A)*B', 't', '[MML] §5.2 (element-wise exp, chain rule)', { dims: 't=1' }),
];

function run(c: Case): Report {
  const result = derivative({ command: c.command, expression: c.expression, wrt: c.wrt, ...(c.assume ? { assume: c.assume } : {}), ...(c.dims ? { dims: c.dims } : {}) });
  if (!result.ok) throw new Error(`${c.command} ${c.expression}: ${result.diagnostics[0]!.message}`);
  return result.value;
}

const dimSizesOf = (report: Report) => {
  const sizes = chooseDimSizes(collectFreeDims(report.variables));
  return sizes;
};

describe.each(CASES.map((c) => [`${c.command} ${c.expression} --wrt ${c.wrt}${c.dims ? ` --dims ${c.dims}` : ''}`, c] as const))('%s', (_, c) => {
  test(`an ordinary matrix that matches finite differences (${c.ref})`, () => {
    const report = run(c);
    const views = derivativeViews(report).lines;
    const matrices = views.filter((l) => l.role === 'jacobian' || l.role === 'hessian');
    expect(matrices.length, JSON.stringify(views.map((l) => l.label))).toBe(derivativeBlocks(report).length);
    for (const line of matrices) {
      expect(line.label).not.toMatch(/vec/);
      expect(line.text).not.toMatch(/⊗|K\[/);
      expect(line.caption ?? '').not.toMatch(/no matrix/);
    }
    expect(report.check?.status, report.check?.reason).toBe('passed');
    const dimSizes = dimSizesOf(report);
    const blocks = derivativeBlocks(report).map((b) => b.matrix!);
    const drawn = drawInDomain(report.variables, report.declarations.assumptions, dimSizes, 7, [report.f, ...blocks]);
    expect(drawn, 'no input inside the domain').toBeDefined();
    const { values, evaluated } = drawn!;
    derivativeBlocks(report).forEach((block, k) => {
      const got = evaluated[k + 1]!;
      const fd = blockDifferences(report, block.of, block.wrt, values, dimSizes);
      // dF/dt of F's shape for a matrix F of a scalar: the same entries, F's rows and columns.
      const fShaped = report.command === 'jac' && isFShaped(report.f.shape, block.shape);
      const expected = fShaped ? new Dense(got.rows, got.cols, fd.data) : fd;
      expect([got.rows, got.cols]).toEqual([expected.rows, expected.cols]);
      const scale = Math.max(1, ...Array.from(expected.data, Math.abs));
      const worst = Math.max(...Array.from(got.data, (g, i) => Math.abs(g - expected.data[i]!)));
      expect(worst / scale, `${block.of ?? ''}/${block.wrt}: ${got.data} vs ${expected.data}`).toBeLessThan(1e-4);
    });
  });
});

describe('every output format carries the matrix', () => {
  test('the LaTeX of every case renders', () => {
    for (const c of CASES) {
      const latex = FORMATS.latex!(run(c), { steps: false, standalone: false });
      for (const block of latex.trim().split('\n\n')) expect(() => katex.renderToString(block, { throwOnError: true, displayMode: true }), c.expression).not.toThrow();
    }
  });

  const hasNumpy = hasPython('numpy');
  test.skipIf(!hasNumpy)('every NumPy module defines the matrix and re-checks it against its differential (one python3)', () => {
    const dir = scratch();
    const paths = CASES.map((c, i) => {
      const file = path.join(dir, `module_${i}.py`);
      writeFileSync(file, FORMATS.numpy!(run(c), { steps: false, standalone: false }));
      return file;
    });
    runPythonModules(paths).forEach((r, i) => {
      const c = CASES[i]!;
      expect(r.status, `${c.command} ${c.expression}: ${r.output}`).toBe(0);
      expect(r.output, c.expression).toMatch(c.command === 'jac' ? /jacobian_\w+ applied to the direction/ : /hessian_\w+ applied to the direction/);
    });
  });
});
