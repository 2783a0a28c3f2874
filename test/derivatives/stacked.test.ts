import { describe, expect, test } from 'vitest';
import { textAnswer } from '../../src/emit/text-answer.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { expectClose, numericJacobian } from '../helpers/central-differences.js';
import { drawInDomain } from '../helpers/draws.js';
import { derivativeBlocks } from '../../src/emit/blocks.js';

/**
 * Stacked vector functions [f; g; …] (grammar/README.md, "Stacks"): the Jacobian matcalc reads off
 * (rows = components) against central differences of F, entry by entry, with the evaluator alone
 * (test/helpers/central-differences.ts) — not the pipeline's own check — at inputs drawn inside the
 * domain (test/helpers/draws.ts). Where the textbook writes the Jacobian, the text is
 * asserted too. References: the lecture notes' Jacobian example; polar coordinates (any calculus
 * text); the Rosenbrock gradient (Nocedal & Wright, ex. 2.1); Magnus & Neudecker ch. 9 for aᵀx rows.
 */

interface Case {
  readonly expression: string;
  readonly wrt: string;
  readonly dims?: string;
  /** The Jacobian (of the first --wrt variable) as printed, where a textbook form exists. */
  readonly text?: string;
  /** `jac --wrt x,y` of scalars: the assembled matrix as printed. */
  readonly matrix?: string;
}

const CASES: readonly Case[] = [
  // The notes' example: F(x, y) = [3x²y; 2x + y⁸], J = [[6xy, 3x²], [2, 8y⁷]].
  { expression: '[3x^2y; 2x + y^8]', wrt: 'x,y', text: '[6xy; 2]', matrix: '[6xy, 3x²; 2, 8y⁷]' },
  { expression: '[3x^2y, 2x + y^8]ᵀ', wrt: 'x,y', matrix: '[6xy, 3x²; 2, 8y⁷]' },
  { expression: "[3*x^2*y, 2*x + y^8]'", wrt: 'y,x', matrix: '[3x², 6xy; 8y⁷, 2]' },
  // Polar → Cartesian: ∂(x, y)/∂(r, θ) = [cos θ, −r sin θ; sin θ, r cos θ].
  { expression: '[r cos(t); r sin(t)]'.replace(/r /g, 'r*'), wrt: 'r,t', matrix: '[cos(t), −r·sin(t); sin(t), r·cos(t)]' },
  // Spherical → Cartesian.
  { expression: '[r*sin(p)*cos(t); r*sin(p)*sin(t); r*cos(p)]', wrt: 'r,p,t' },
  // The Rosenbrock gradient as a stack; its Jacobian is the Hessian.
  { expression: '[-2(1 - x) - 400x(y - x^2); 200(y - x^2)]', wrt: 'x,y', matrix: '[2 + 1200x² − 400y, −400x; −400x, 200]' },
  { expression: '[x*y; x + y; x - y; x/y]', wrt: 'x,y' },
  { expression: '[exp(x); log(y); exp(x*y)]', wrt: 'x,y', matrix: '[exp(x), 0; 0, y⁻¹; exp(xy)y, x·exp(xy)]' },
  { expression: '[sin(x)*cos(y); tanh(x + y)]', wrt: 'x,y' },
  { expression: '[sigmoid(x); x^3; sqrt(x)]', wrt: 'x' },
  { expression: '[x^2 + y^2 + z^2; x*y*z]', wrt: 'x,y,z', matrix: '[2x, 2y, 2z; yz, xz, xy]' },
  // Components linear in a vector: the Jacobian's rows are aᵀ, bᵀ.
  { expression: '[aᵀx; bᵀx]', wrt: 'x', text: '[aᵀ; bᵀ]' },
  { expression: '[aᵀx; xᵀx; 1ᵀx]', wrt: 'x', text: '[aᵀ; 2xᵀ; 𝟙ᵀ]' },
  { expression: '[aᵀx; exp(bᵀx)]', wrt: 'x' },
  { expression: '[xᵀAx; log(1 + exp(aᵀx))]', wrt: 'x', dims: 'x=3,A=3x3' },
  { expression: '[sum(exp(x)); norm2(x)^2; aᵀx * bᵀx]', wrt: 'x' },
  { expression: '[aᵀx, bᵀx]ᵀ', wrt: 'x', text: '[aᵀ; bᵀ]' },
  // Rows stacked, times a vector: a matrix of rows.
  { expression: '[aᵀ; bᵀ]x', wrt: 'x', text: '[aᵀ; bᵀ]' },
  { expression: '[aᵀ; bᵀ](x ⊙ x)', wrt: 'x' },
  { expression: 'exp([aᵀx; bᵀx])', wrt: 'x' },
  { expression: '[aᵀx; bᵀx] ⊙ [cᵀx; 2]', wrt: 'x' },
  // A stack mixed with vectors and scalars around it.
  { expression: 'W[x; y] + c', wrt: 'x,y', dims: 'W=3x2' },
  { expression: '[x^2; y]/u + [y; x]', wrt: 'x,y,u' },
  { expression: '[x; y]*s', wrt: 's', dims: 'x=1,y=1' },
  { expression: '[x*y*z; x + y + z; x*y + y*z]', wrt: 'x,y,z', matrix: '[yz, xz, xy; 1, 1, 1; y, x + z, y]' },
  { expression: '[aᵀx + 1; (aᵀx)^2]', wrt: 'x' },
  // A stack inside a scalar function (grad), and a row times a stack.
  { expression: '[x, y][y; x]', wrt: 'x,y', matrix: '[2y, 2x]' },
  // A matrix of entries of one scalar: dF/dx has F's shape.
  { expression: '[x, x^2; x^3, 1]', wrt: 'x', text: '[1, 2x; 3x², 0]' },
];

function reportOf(c: Case): Report {
  const result = derivative({ command: 'jac', expression: c.expression, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}) });
  if (!result.ok) throw new Error(`${c.expression}: ${result.diagnostics[0]!.message}`);
  return result.value;
}

/** Central differences at step 1e-6 are good to about 1e-8 here; a wrong entry is off by O(1). */
const TOLERANCE = 1e-6;

describe('jac of stacked vector functions, against central differences', () => {
  test('the table is broad: at least 25 problems', () => expect(CASES.length).toBeGreaterThanOrEqual(25));

  test.each(CASES.map((c) => [c.expression, c] as const))('%s', (_name, c) => {
    const report = reportOf(c);
    expect(report.check?.status).toBe('passed');
    for (const block of derivativeBlocks(report)) expect(block.matrix, `${block.wrt}: a matrix is read off (${block.unreadable ?? ''})`).toBeDefined();
    for (const seed of [3, 17]) {
      const { values, evaluated, dimSizes } = drawInDomain(report, seed, [report.f, ...derivativeBlocks(report).map((block) => block.matrix!)]);
      derivativeBlocks(report).forEach((block, i) => {
        expectClose(evaluated[i + 1]!, numericJacobian(report.f, block.wrt, values, dimSizes), `∂F/∂${block.wrt} at seed ${seed}`, TOLERANCE);
      });
    }
    const lines = textAnswer(report).lines;
    if (c.text) expect(lines[1]!.text, 'the first Jacobian').toBe(c.text);
    if (c.matrix) expect(lines.find((l) => /^∂[Ff]\/∂\(/.test(l.label))?.text).toBe(c.matrix);
  });

  test('the assembled matrix is the blocks side by side', () => {
    const report = reportOf({ expression: '[r*cos(t); r*sin(t); r*t]', wrt: 'r,t' });
    const line = textAnswer(report).lines.find((l) => l.label === '∂F/∂(r, t)');
    expect(line?.text).toBe('[cos(t), −r·sin(t); sin(t), r·cos(t); t, r]');
    expect(line?.caption).toContain('rows follow F, columns follow (r, t)');
  });
});

describe('what a stack cannot be, refused with the code, the place and what to write', () => {
  const refused = (expression: string, command: 'jac' | 'grad' = 'jac', wrt = 'x', dims?: string) => {
    const result = command === 'jac' ? derivative({ command, expression, wrt, ...(dims ? { dims } : {}) }) : gradient({ expression, wrt, ...(dims ? { dims } : {}) });
    expect(result.ok, expression).toBe(false);
    if (result.ok) throw new Error('read');
    return result.diagnostics[0]!;
  };

  test.each([
    ['[A; x]', 'A=2x3,x=3', 2041, 'the second entry of the stack is x (3×1)', 'blocks of one width, here 3 columns'],
    ['[x; X]', undefined, 2041, 'the second entry of the stack is X (n×m)', 'blocks of one width, here 1 column'],
    ['[aᵀ; bᵀ]', 'a=3,b=2', 2041, 'the second entry of the stack is bᵀ', 'blocks of one width'],
    ['[x, y; z]', undefined, 1033, 'its rows have 2, 1 entries', 'the same number of entries'],
    ['[x^2; x y]', undefined, 1033, "'x y' could be one entry", 'write x*y for the product, or x, y for two entries'],
    ['[x; ; y]', undefined, 1033, 'an empty entry', 'write an expression'],
  ])('%s', (expression, dims, code, what, advice) => {
    const d = refused(expression, 'jac', 'x', dims);
    expect(d.code).toBe(`MC${code}`);
    expect(d.message).toContain(what);
    expect(d.message).toContain(advice);
    expect(d.span).toBeDefined();
  });

  test('grad of a stack says to use jac', () => {
    const d = refused('[x^2; x*y]', 'grad', 'x');
    expect(d.code).toBe('MC2005');
    expect(d.message).toContain('matcalc jac');
  });
});
