import { describe, expect, test } from 'vitest';
import { gradientViews } from '../../../src/emit/derivative.js';
import { gradient } from '../../../src/pipeline.js';

/**
 * Names the user defined stay names in the answer (simplify/fold-definitions.ts): each definition's
 * product, spread out by the simplifier, is found again in the answer (also transposed) and printed
 * by its name; a definition's body is folded onto the shorter ones. Every answer must still pass the
 * numeric check, which evaluates the folded term.
 */
const CASES: { expr: string; wrt: string; expected: Record<string, string>; ref: string }[] = [
  { expr: 'q = W*x; norm2(q)^2', wrt: 'x,W', expected: { x: '2Wᵀq', W: '2qxᵀ' }, ref: 'notes: L = ‖q‖², q = Wx' },
  { expr: "r = A*x - b; r'*r", wrt: 'x', expected: { x: '2Aᵀr' }, ref: 'least squares with the residual named (sum folded by name)' },
  { expr: 'h = W1*x; y = W2*h; sum(y)', wrt: 'W1,W2', expected: { W1: 'W₂ᵀ𝟙xᵀ', W2: '𝟙hᵀ' }, ref: 'two linear layers: ∇_W₂ = 𝟙hᵀ' },
  { expr: "z = X*w; norm2(z - y)^2", wrt: 'w', expected: { w: '2Xᵀ(z − y)' }, ref: 'regression with the scores named' },
  { expr: "P = A*B; tr(P'*P)", wrt: 'A', expected: { A: '2PBᵀ' }, ref: 'Frobenius norm of a product, named' },
  { expr: "u = B*x; x'*A'*u", wrt: 'A', expected: { A: 'uxᵀ' }, ref: 'bilinear form with a named factor (no fold where the run is absent)' },
];

describe.each(CASES)('$expr', ({ expr, wrt, expected }) => {
  test('prints the defined names and passes the numeric check', () => {
    const result = gradient({ expression: expr, wrt, seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.check?.status).toBe('passed');
    const texts = Object.fromEntries(gradientViews(result.value).map((v) => [v.name, v.text]));
    for (const [name, text] of Object.entries(expected)) expect(texts[name]).toBe(text);
  });
});

test('a definition absent from the answer changes nothing', () => {
  const plain = gradient({ expression: "x'*A*x", wrt: 'x', seed: 1 });
  const named = gradient({ expression: "v = B*x; x'*A*x + sum(v)", wrt: 'x', seed: 1 });
  if (!plain.ok || !named.ok) throw new Error('refused');
  expect(gradientViews(named.value)[0]!.text).toContain('(A + Aᵀ)x');
  expect(gradientViews(plain.value)[0]!.text).toBe('(A + Aᵀ)x');
});
