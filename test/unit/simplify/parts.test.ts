import { describe, expect, test } from 'vitest';
import { emitText } from '../../../src/emit/text.js';
import { present, simplifyWithSteps, type SimplifyContext } from '../../../src/simplify/simplify.js';
import type { Term } from '../../../src/term/term.js';
import { difference, termOf, type ShapeClass } from '../../helpers/simplify-terms.js';

/**
 * Each part of the simplifier (src/simplify/*.ts) on the identities it owns: the normal form as
 * printed, the rule id it records (simplifyWithSteps), and the value unchanged at random inputs. A
 * part's table names the identities its module's comment lists; the golden examples cover how they
 * combine.
 */
interface Case {
  readonly input: string;
  readonly shapes: Record<string, ShapeClass>;
  readonly output: string;
  readonly rule?: string;
  readonly assume?: { readonly symmetric?: readonly string[]; readonly positive?: readonly string[] };
}

const V = 'vector' as const;
const M = 'square' as const;
const S = 'scalar' as const;

const PARTS: Record<string, readonly Case[]> = {
  'products.ts': [
    { input: '?A * ?A * ?A', shapes: { A: M }, output: 'A³', rule: 'simp.power-merge' },
    { input: 'inv(?A) * ?A', shapes: { A: M }, output: 'I', rule: 'simp.inverse-cancel' },
    { input: '2 * (3 * ?x)', shapes: { x: V }, output: '6x', rule: 'simp.scalar-front' },
    { input: '?a * ?b * inv(?a)', shapes: { a: S, b: S }, output: 'b', rule: 'simp.scalar-monomial' },
    { input: '(?A * ?B)^2 * (?A * ?B)', shapes: { A: M, B: M }, output: '(AB)³', rule: 'simp.repeat-to-power' },
  ],
  'sums.ts': [
    { input: '?x + ?y + ?x', shapes: { x: V, y: V }, output: '2x + y', rule: 'simp.collect-like' },
    { input: '?x - ?x', shapes: { x: V }, output: '0', rule: 'simp.collect-like' },
  ],
  'factoring.ts': [
    { input: '?A * ?x + ?A * ?y', shapes: { A: M, x: V, y: V }, output: 'A(x + y)', rule: 'simp.factor-left' },
    { input: '?A * ?X + ?B * ?X', shapes: { A: M, B: M, X: M }, output: '(A + B)X', rule: 'simp.factor-right' },
    { input: '?x * ?a + ?y * ?a', shapes: { x: V, y: V, a: S }, output: 'a(x + y)', rule: 'simp.factor-scalar' },
    { input: "?A' * ?x - ?A' * ?y", shapes: { A: M, x: V, y: V }, output: 'Aᵀ(x − y)', rule: 'simp.factor-left' },
  ],
  'elementwise.ts': [
    { input: '?x .* ?x', shapes: { x: V }, output: 'x.^2', rule: 'simp.hadamard-square' },
    { input: '(2 * ?x) .* ?y', shapes: { x: V, y: V }, output: '2(x ⊙ y)', rule: 'simp.hadamard-scale' },
    { input: '?x .* ?y ./ ?x', shapes: { x: V, y: V }, output: 'y', rule: 'simp.hadamard-cancel' },
    { input: 'abs(?x)', shapes: { x: V }, output: 'x', rule: 'simp.abs-positive', assume: { positive: ['x'] } },
  ],
  'named-quotients.ts': [
    { input: 'sinh(?x) ./ cosh(?x)', shapes: { x: V }, output: 'tanh(x)', rule: 'simp.sinh-over-cosh' },
    { input: 'exp(?x) ./ (1 + exp(?x))', shapes: { x: V }, output: 'σ(x)', rule: 'simp.exp-over-one-plus-exp' },
  ],
  'transposes.ts': [
    { input: "(?A * ?B)'", shapes: { A: M, B: M }, output: 'BᵀAᵀ', rule: 'simp.transpose-product' },
    { input: "(?x' * ?y)'", shapes: { x: V, y: V }, output: 'xᵀy', rule: 'simp.transpose-scalar' },
  ],
  'properties.ts': [
    { input: "?S'", shapes: { S: M }, output: 'S', rule: 'simp.transpose-symmetric', assume: { symmetric: ['S'] } },
    { input: "(?S * ?S)'", shapes: { S: M }, output: 'S²', rule: 'simp.transpose-symmetric', assume: { symmetric: ['S'] } },
  ],
  'reductions.ts': [
    { input: 'tr(?B * ?A)', shapes: { A: M, B: M }, output: 'tr(AB)', rule: 'simp.trace-cyclic' },
    { input: "tr(?x * ?y')", shapes: { x: V, y: V }, output: 'yᵀx', rule: 'simp.trace-outer' },
    { input: 'sum(?x .* ?y)', shapes: { x: V, y: V }, output: 'xᵀy', rule: 'simp.sum-hadamard' },
  ],
  'local.ts (rules/simplify.rules)': [
    { input: "det(?A')", shapes: { A: M }, output: 'det(A)', rule: 'simp.det-transpose' },
    { input: 'logdet(inv(?A))', shapes: { A: M }, output: '−logdet(A)', rule: 'simp.logdet-inverse' },
    { input: 'log(exp(?x))', shapes: { x: V }, output: 'x', rule: 'simp.log-exp' },
  ],
  'presentation.ts (display only)': [
    { input: "?x' - ?y'", shapes: { x: V, y: V }, output: '(x − y)ᵀ' },
    { input: "exp(?x')", shapes: { x: V }, output: 'exp(x)ᵀ' },
    { input: "(?x - ?y)' * ?A", shapes: { x: V, y: V, A: M }, output: '(x − y)ᵀA' },
  ],
};

const text = (t: Term) => emitText([t], {}).main[0]!;

describe.each(Object.entries(PARTS))('%s', (_part, cases) => {
  test.each(cases.map((c) => [c.input, c] as const))('%s', (_input, c) => {
    const context: SimplifyContext = { symmetric: new Set(c.assume?.symmetric ?? []), positive: new Set(c.assume?.positive ?? []) };
    const term = termOf(c.input, c.shapes);
    const { result, steps } = simplifyWithSteps(term, context);
    const shown = present([result], context)[0]!;
    expect(text(shown)).toBe(c.output);
    if (c.rule) expect(steps.map((s) => s.rule)).toContain(c.rule);
    // The value is unchanged (only without assumptions: the draws do not make S symmetric or x positive).
    if (c.assume === undefined) expect(difference(term, shown)).toBeLessThan(1e-12);
  });
});
