import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { gradient } from '../../src/pipeline.js';
import { Dense, frobeniusInner } from '../../src/verify/dense.js';
import { evaluateTerm } from '../../src/verify/evaluate.js';
import { createRng } from '../../src/verify/random.js';
import { drawInDomain } from '../helpers/draws.js';

/**
 * log1p, expm1, log2, log10, logsigmoid, sinh, cosh, arctan/atan, erf and square inside random
 * compositions (fast-check, fixed seed): the gradient matcalc prints, evaluated at inputs inside the
 * domain, matches Richardson-extrapolated central differences of f computed here along random
 * directions — an oracle independent of the pipeline's own check, which must pass too.
 */
const FUNCTIONS = ['log1p', 'expm1', 'log2', 'log10', 'logsigmoid', 'sinh', 'cosh', 'arctan', 'atan', 'erf', 'square'] as const;

/** Compositions with matrices, vectors and scalars on each side of F; `F` is replaced by the function. */
const TEMPLATES: readonly { expr: string; wrt: string }[] = [
  { expr: 'sum(F(W*x))', wrt: 'W' },
  { expr: "a'*F(X*b)", wrt: 'X' },
  { expr: '‖F(A*x − b)‖²', wrt: 'x' },
  { expr: "F(x'*A*x)", wrt: 'x' },
  { expr: 'sum(F(x) .* F(y .* x))', wrt: 'x,y' },
  { expr: "tr(W'*F(W*S))", wrt: 'W' },
  { expr: "c*sum(F(c*x)) + F(c)", wrt: 'c,x' },
  { expr: 'sum(F(F(x).^2 + 2))', wrt: 'x' }, // nested, the outer argument inside every domain
];

function directional(expr: string, wrt: string, seed: number): { symbolic: number; numeric: number; status: string | undefined } {
  const result = gradient({ expression: expr, wrt, seed });
  if (!result.ok) throw new Error(`${expr}: ${result.diagnostics[0]!.message}`);
  const report = result.value;
  const { values, evaluated, dimSizes } = drawInDomain(report, seed, [report.f, ...report.gradients.map((g) => g.gradient)]);
  const rng = createRng(seed + 1);
  const directions = new Map<string, Dense>();
  for (const g of report.gradients) {
    const x = values.get(g.name)!;
    const v = new Dense(x.rows, x.cols);
    for (let i = 0; i < v.data.length; i++) v.data[i] = rng.normal();
    directions.set(g.name, v);
  }
  const symbolic = report.gradients.reduce((s, g, i) => s + frobeniusInner(evaluated[i + 1]!, directions.get(g.name)!), 0);
  const f = (t: number): number => {
    const moved = new Map(values);
    for (const [name, v] of directions) {
      const x = values.get(name)!;
      const y = new Dense(x.rows, x.cols);
      for (let i = 0; i < y.data.length; i++) y.data[i] = x.data[i]! + t * v.data[i]!;
      moved.set(name, y);
    }
    return evaluateTerm(report.f, { values: moved, dimSizes }).data[0]!;
  };
  const h = 2e-4 / (1 + Math.max(...[...report.variables.keys()].map((n) => Math.max(...values.get(n)!.data.map(Math.abs)))));
  const central = (k: number) => (f(k) - f(-k)) / (2 * k);
  return { symbolic, numeric: (4 * central(h / 2) - central(h)) / 3, status: report.check?.status };
}

describe('the new element-wise functions agree with finite differences', () => {
  test('in random compositions', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FUNCTIONS), fc.integer({ min: 0, max: TEMPLATES.length - 1 }), fc.integer({ min: 1, max: 10_000 }), (fn, k, seed) => {
        const template = TEMPLATES[k]!;
        const expr = template.expr.replaceAll('F(', `${fn}(`);
        const { symbolic, numeric, status } = directional(expr, template.wrt, seed);
        expect(status, `${expr} (seed ${seed})`).toBe('passed');
        const error = Math.abs(symbolic - numeric) / Math.max(Math.abs(symbolic), Math.abs(numeric), 1e-8);
        expect(error, `${expr} (seed ${seed}): ⟨G, V⟩ = ${symbolic}, finite differences ${numeric}`).toBeLessThan(1e-6);
      }),
      { numRuns: 120, seed: 20261206 },
    );
  });

  test.each(FUNCTIONS)('%s in every template', (fn) => {
    for (const template of TEMPLATES) {
      const expr = template.expr.replaceAll('F(', `${fn}(`);
      const { symbolic, numeric, status } = directional(expr, template.wrt, 7);
      expect(status, expr).toBe('passed');
      expect(Math.abs(symbolic - numeric) / Math.max(Math.abs(symbolic), Math.abs(numeric), 1e-8), expr).toBeLessThan(1e-6);
    }
  });
});
