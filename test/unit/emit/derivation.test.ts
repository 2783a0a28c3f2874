import { describe, expect, test } from 'vitest';
import { gradient } from '../../../src/pipeline.js';

/**
 * The derivation is recorded by the sweep's stage (terms only) and tidied and printed by the emitter;
 * these pin what the split must keep: the gathering step, the rule ids, and the cuts (400 steps, 10,000 terms).
 */
function steps(expression: string, wrt: string) {
  const r = gradient({ expression, wrt, check: false, steps: true });
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return r.value.steps!;
}

describe('the derivation', () => {
  test('starts at ⟨1, df⟩, gathers a shared node, ends at the gradient', () => {
    const s = steps('Y = W*x; Y\'*M*Y', 'W');
    expect(s[0]!.rule).toBe('start');
    // The gathering step is named by the simplification rules that tidy the sum (tidy-steps.ts).
    expect(s.some((step) => step.rule === 'gather' || step.rule.startsWith('simp.'))).toBe(true);
    expect(s.at(-1)!.text).toMatch(/dW⟩$/);
    for (const step of s.slice(1)) expect(step.rule).not.toBe('');
  });

  test('a long derivation is cut after 400 steps, the rest counted', () => {
    // 500 nested functions: a frontier of one term at every step, so only the step count cuts it.
    const expression = `sum(${'exp(sin('.repeat(250)}x${'))'.repeat(250)})`;
    const s = steps(expression, 'x');
    expect(s).toHaveLength(401);
    expect(s.at(-1)!.rule).toBe('elided');
    expect(s.at(-1)!.text).toMatch(/^… \d+ more steps not shown$/);
  });

  test('a wide derivation is cut after 10,000 terms over its steps, the rest counted', () => {
    // 300 terms of three nodes each: 400 steps would hold ~100,000 terms (each step is the whole frontier).
    const expression = Array.from({ length: 300 }, (_, i) => `exp(sin(x${i}'*x))`).join(' + ');
    const s = steps(expression, 'x');
    expect(s.length).toBeGreaterThan(10);
    expect(s.length).toBeLessThan(401);
    const shown = s.slice(0, -1).reduce((n, step) => n + ('terms' in step ? step.terms.length : 0), 0);
    expect(shown).toBeLessThanOrEqual(10_000);
    expect(shown).toBeGreaterThan(9_000);
    expect(s.at(-1)!.rule).toBe('elided');
    const omitted = Number(/^… (\d+) more steps not shown$/.exec(s.at(-1)!.text)![1]);
    expect(omitted).toBeGreaterThan(300);
  });
});
