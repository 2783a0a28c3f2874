import { describe, expect, test } from 'vitest';
import { textAnswer } from '../../src/emit/text-answer.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { asGradient, expectClose, numericJacobian } from '../helpers/central-differences.js';
import { drawInDomain } from '../helpers/draws.js';
import { derivativeBlocks } from '../../src/emit/blocks.js';

/**
 * Block vectors [x; y] and block matrices [A, B; C, D] as ML code writes them (issue 12): the bias
 * trick wᵀ[x; 1], ‖[x; y]‖², [A, B][x; y], Jacobians of stacked vector functions [Ax; sin(x)], and
 * Jacobians w.r.t. a matrix of a stack of scalars. Every answer is compared here with central
 * differences of f computed by the evaluator alone (test/helpers/central-differences.ts, not the
 * pipeline's own check), at inputs drawn inside the domain at two seeds (test/helpers/draws.ts);
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

/** Central differences at step 1e-6 are good to about 1e-8 here; a wrong entry is off by O(1). */
const TOLERANCE = 1e-5;

function run(c: Case): Report {
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
      if (report.command === 'grad') {
        const { values, evaluated, dimSizes } = drawInDomain(report, seed, [report.f, ...report.gradients.map((gr) => gr.gradient)]);
        report.gradients.forEach((gr, i) => {
          const v = values.get(gr.name)!;
          expectClose(evaluated[i + 1]!, asGradient(numericJacobian(report.f, gr.name, values, dimSizes), v.rows, v.cols), `∇${gr.name} at seed ${seed}`, TOLERANCE);
        });
        continue;
      }
      for (const block of derivativeBlocks(report)) expect(block.matrix, `${block.wrt}: a matrix is read off (${block.unreadable ?? ''})`).toBeDefined();
      const { values, evaluated, dimSizes } = drawInDomain(report, seed, [report.f, ...derivativeBlocks(report).map((block) => block.matrix!)]);
      derivativeBlocks(report).forEach((block, i) => {
        // jac: the Jacobian of F; hess of a vector variable: the Jacobian of the gradient, an ordinary matrix.
        const of = report.command === 'jac' ? report.f : report.gradients![0]!.gradient;
        expectClose(evaluated[i + 1]!, numericJacobian(of, block.wrt, values, dimSizes), `${report.command === 'jac' ? `∂F/∂${block.wrt}` : '∇²f'} at seed ${seed}`, TOLERANCE);
      });
    }
    if (c.text) {
      const lines = textAnswer(report).lines;
      const line = c.command === 'grad' ? lines[0] : lines.find((l) => l.label.startsWith(c.command === 'jac' ? '∂' : '∇²'));
      expect(line?.text, 'the textbook form').toBe(c.text);
    }
  });
});
