import { describe, expect, test } from 'vitest';
import { textAnswer } from '../../src/emit/text-answer.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { DerivativeReport, GradientReport } from '../../src/report.js';
import { dimSize } from '../../src/term/dim-product.js';
import type { Dim, Shape, Term } from '../../src/term/term.js';
import { Dense } from '../../src/verify/dense-matrix.js';
import { evaluateTerm } from '../../src/verify/evaluate.js';

/**
 * Block vectors [x; y] and block matrices [A, B; C, D] as ML code writes them (issue 12): the bias
 * trick wᵀ[x; 1], ‖[x; y]‖², [A, B][x; y], Jacobians of stacked vector functions [Ax; sin(x)], and
 * Jacobians w.r.t. a matrix of a stack of scalars. Every answer is compared here with central
 * differences of f computed by the evaluator alone (not the pipeline's own check), at two seeds;
 * where a textbook writes the answer, its text is asserted too. References: the bias trick and
 * block products (Goodfellow, Bengio & Courville, Deep Learning §5.1.4, §2.1); block matrices and
 * their traces/determinants (Matrix Cookbook §9.1, eq. 396–404); Jacobians of stacked functions
 * (Magnus & Neudecker ch. 9, the Jacobian of [f; g] is [Df; Dg]).
 */

interface Case {
  readonly command: 'grad' | 'jac' | 'hess' | 'diff';
  readonly expression: string;
  readonly wrt: string;
  readonly dims?: string;
  /** The first answer line as printed, where the textbook form is known. */
  readonly text?: string;
}

const g = (expression: string, wrt: string, dims?: string, text?: string): Case => ({ command: 'grad', expression, wrt, ...(dims ? { dims } : {}), ...(text ? { text } : {}) });
const j = (expression: string, wrt: string, dims?: string, text?: string): Case => ({ command: 'jac', expression, wrt, ...(dims ? { dims } : {}), ...(text ? { text } : {}) });
const h = (expression: string, wrt: string, dims?: string, text?: string): Case => ({ command: 'hess', expression, wrt, ...(dims ? { dims } : {}), ...(text ? { text } : {}) });

export const BLOCK_CASES: readonly Case[] = [
  // The bias trick: an affine function as a linear one of [x; 1] (Deep Learning §5.1.4).
  g("w'*[x; 1]", 'w', 'x=3', '[x; 1]'),
  g("w'*[x; 1]", 'x', 'x=3'),
  g("log(1 + exp(w'*[x; 1]))", 'w', 'x=3'),
  g("log(1 + exp(-y*w'*[x; 1]))", 'w', 'x=3'),
  g("w'*tanh(W*[x; 1])", 'W', 'x=3,w=2'),
  g("w'*tanh(W*[x; 1])", 'x', 'x=3,w=2'),
  g("norm(W*[x; 1] - t)^2", 'W', 'x=3,t=2'),
  // Norms and sums of block vectors: ‖[x; y]‖² = ‖x‖² + ‖y‖².
  g('norm([x; y])^2', 'x', 'x=3,y=2', '2x'),
  g('norm([x; y])^2', 'y', 'x=3,y=2', '2y'),
  g('norm2([x; y])', 'x', 'x=3,y=2'),
  g('norm([x; y; z])^2', 'z', 'x=3,y=2'),
  g('sum(exp([x; y]))', 'x', 'x=3,y=2', 'exp(x)'),
  g('[x; 1]ᵀ[x; 1]', 'x', 'x=3', '2x'),
  g('[x; 2x]ᵀ[x; 2x]', 'x', 'x=3', '10x'),
  g('sum([x; y] .* [y; x])', 'x', 'x=3,y=3', '2y'),
  g("[a; b]'*[x; y]", 'x', 'a=3,b=2,x=3,y=2', 'a'),
  g("[a; b]'*[x; y]", 'y', 'a=3,b=2,x=3,y=2', 'b'),
  g("[x; y]'*M*[x; y]", 'x', 'x=3,y=2'),
  g("[x', y']*[x; y]", 'x', 'x=3,y=2', '2x'),
  // Block products [A, B][x; y] = Ax + By (Deep Learning §2.1; Cookbook §9.1).
  g("c'*[A, B]*[x; y]", 'x', 'A=2x3,B=2x4', 'Aᵀc'),
  g("c'*[A, B]*[x; y]", 'y', 'A=2x3,B=2x4', 'Bᵀc'),
  g("c'*[A, B]*[x; y]", 'A', 'A=2x3,B=2x4', 'cxᵀ'),
  g("c'*[A, B]*[x; y]", 'B', 'A=2x3,B=2x4', 'cyᵀ'),
  g('norm([A, B]*[x; y] - c)^2', 'x', 'A=2x3,B=2x4'),
  g('norm([A, B]*[x; y] - c)^2', 'B', 'A=2x3,B=2x4'),
  g('sum([A; B]*x)', 'x', 'A=2x3,B=4x3'),
  g("tr([A; B]'*[A; B])", 'A', 'A=2x3,B=4x3', '2A'),
  g('norm([A; B]*x - [a; b])^2', 'x', 'A=2x3,B=4x3'),
  g("a'*[A*x; sin(x)]", 'x', 'A=2x3'),
  g('sum([X; Y])', 'X', 'X=2x3,Y=4x3'),
  g("tr(C'*[X, Y])", 'Y', 'X=3x2,Y=3x4'),
  // Block matrices [A, B; C, D] (Cookbook §9.1).
  g('tr([A, B; C, D])', 'A', 'A=2x2,B=2x3,C=3x2,D=3x3', 'I'),
  g('tr([A, B; C, D])', 'D', 'A=2x2,B=2x3,C=3x2,D=3x3', 'I'),
  g('norm([A, B; C, D]*[x; y])^2', 'x', 'A=2x2,B=2x3,C=3x2,D=3x3'),
  g("[x; y]'*[A, B; C, D]*[x; y]", 'y', 'A=2x2,B=2x3,C=3x2,D=3x3'),
  g("det([X, b; b', 1])", 'X', 'X=3x3'),
  g("sum(exp([X, Y; Y', Z]))", 'Y', 'X=2x2,Y=2x3,Z=3x3'),
  // Without --dims: the shapes follow from the products.
  g("c'*[A, B]*[x; y]", 'x', undefined, 'Aᵀc'),
  g("w'*[A*x; B*x]", 'x'),
  // Jacobians of stacked vector functions: J[f; g] = [Jf; Jg] (Magnus & Neudecker ch. 9).
  j('[A*x; sin(x)]', 'x', 'A=2x3', '[A; diag(cos(x))]'),
  j('[x; 1]', 'x', 'x=3'),
  j('[x; y]', 'y', 'x=3,y=2'),
  j('[A*x; B*x]', 'x', 'A=2x3,B=4x3', '[A; B]'),
  j('[A, B]*[x; y]', 'x', 'A=2x3,B=2x4', 'A'),
  j('[x .* x; exp(x)]', 'x', 'x=3'),
  j('[W*x + b; x]', 'x', 'W=2x3'),
  j('exp([x; y])', 'x', 'x=3,y=2'),
  j("[x'*x; x]", 'x', 'x=3'),
  j('[A; B]*x', 'x', 'A=2x3,B=4x3', '[A; B]'),
  j('[x; y] + [y; x]', 'x', 'x=3,y=3'),
  // The Jacobian w.r.t. a matrix X of a stack of scalars: rows vec(abᵀ)ᵀ, vec(cdᵀ)ᵀ.
  j("[a'*X*b; c'*X*d]", 'X', 'X=2x3'),
  j('[tr(X); sum(X)]', 'X', 'X=2x2'),
  j('[X*a; X*b]', 'X', 'X=2x3'),
  // Hessians through a block vector.
  h('norm([x; 1])^2', 'x', 'x=3', '2I'),
  h("log(1 + exp(w'*[x; 1]))", 'x', 'x=3'),
  h("[x; y]'*M*[x; y]", 'x', 'x=3,y=2'),
  h('norm([A*x; x])^2', 'x', 'A=2x3'),
];

const SIZES = new Map([['n', 3], ['m', 2], ['k', 4], ['p', 3], ['q', 2], ['r', 3], ['s', 2], ['t', 3]]);
const sizeOf = (d: Dim): number => dimSize(d, SIZES) ?? 3;

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function inputs(variables: ReadonlyMap<string, Shape>, seed: number): Map<string, Dense> {
  const next = random(seed);
  const values = new Map<string, Dense>();
  for (const [name, [r, c]] of variables) {
    const [rows, cols] = [sizeOf(r), sizeOf(c)];
    const d = new Dense(rows, cols);
    for (let i = 0; i < d.data.length; i++) d.data[i] = 0.25 + 0.5 * next();
    // Square matrices well away from singular (det through a block matrix).
    if (rows === cols && rows > 1) for (let i = 0; i < rows; i++) d.data[i * cols + i]! += 2 * rows;
    values.set(name, d);
  }
  return values;
}

const value = (term: Term, values: ReadonlyMap<string, Dense>): Dense => evaluateTerm(term, { values, dimSizes: SIZES });

/** ∂ vec(F)ᵢ / ∂ vec(v)ⱼ by central differences (column-major vec, numerator layout). */
function numericJacobian(f: Term, wrt: string, values: ReadonlyMap<string, Dense>): Dense {
  const base = values.get(wrt)!;
  const step = 1e-6;
  const at = (jj: number, by: number): Dense => {
    const moved = new Dense(base.rows, base.cols, Float64Array.from(base.data));
    moved.data[(jj % base.rows) * base.cols + Math.floor(jj / base.rows)]! += by;
    return value(f, new Map([...values, [wrt, moved]]));
  };
  const probe = value(f, values);
  const n = base.data.length;
  const m = probe.data.length;
  const out = new Dense(m, n);
  for (let jj = 0; jj < n; jj++) {
    const [up, down] = [at(jj, step), at(jj, -step)];
    for (let i = 0; i < m; i++) {
      const k = (i % probe.rows) * probe.cols + Math.floor(i / probe.rows);
      out.data[i * n + jj] = (up.data[k]! - down.data[k]!) / (2 * step);
    }
  }
  return out;
}

/** A Jacobian of a scalar (1×n, column-major order of the variable) laid out in the variable's shape. */
function asGradient(jacobian: Dense, rows: number, cols: number): Dense {
  const out = new Dense(rows, cols);
  for (let jj = 0; jj < rows * cols; jj++) out.data[(jj % rows) * cols + Math.floor(jj / rows)] = jacobian.data[jj]!;
  return out;
}

function expectClose(actual: Dense, expected: Dense, what: string): void {
  expect([actual.rows, actual.cols], what).toEqual([expected.rows, expected.cols]);
  const scale = Math.max(1, ...expected.data.map(Math.abs));
  actual.data.forEach((v, i) => expect(Math.abs(v - expected.data[i]!) / scale, `${what}, entry ${i}`).toBeLessThan(1e-5));
}

function run(c: Case): GradientReport | DerivativeReport {
  const request = { expression: c.expression, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}) };
  const result = c.command === 'grad' ? gradient(request) : derivative({ ...request, command: c.command });
  if (!result.ok) throw new Error(`${c.command} ${c.expression}: refused: ${result.diagnostics[0]!.message}`);
  return result.value;
}

describe('block vectors and block matrices, against central differences (issue 12)', () => {
  test('the table is broad: at least 40 problems', () => expect(BLOCK_CASES.length).toBeGreaterThanOrEqual(40));

  test.each(BLOCK_CASES.map((c) => [`${c.command} ${c.expression} --wrt ${c.wrt}`, c] as const))('%s', (_name, c) => {
    const report = run(c);
    expect(report.check?.status, 'the pipeline\'s own check').toBe('passed');
    for (const seed of [5, 29]) {
      const values = inputs(report.variables, seed);
      if (report.command === 'grad') {
        for (const gr of report.gradients) {
          const v = values.get(gr.name)!;
          expectClose(value(gr.gradient, values), asGradient(numericJacobian(report.f, gr.name, values), v.rows, v.cols), `∇${gr.name} at seed ${seed}`);
        }
      } else if (report.command === 'jac') {
        for (const block of report.blocks) {
          expect(block.matrix, `${block.wrt}: a matrix is read off (${block.unreadable ?? ''})`).toBeDefined();
          expectClose(value(block.matrix!, values), numericJacobian(report.f, block.wrt, values), `∂F/∂${block.wrt} at seed ${seed}`);
        }
      } else {
        // The Hessian of a vector variable: the Jacobian of the gradient, an ordinary matrix.
        const gradientOf = report.gradients![0]!;
        for (const block of report.blocks) {
          expect(block.matrix, `${block.wrt}: the Hessian is a matrix (${block.unreadable ?? ''})`).toBeDefined();
          expectClose(value(block.matrix!, values), numericJacobian(gradientOf.gradient, block.wrt, values), `∇²f at seed ${seed}`);
        }
      }
    }
    if (c.text) {
      const lines = textAnswer(report).lines;
      const line = c.command === 'grad' ? lines[0] : lines.find((l) => l.label.startsWith(c.command === 'jac' ? '∂' : '∇²'));
      expect(line?.text, 'the textbook form').toBe(c.text);
    }
  });
});
