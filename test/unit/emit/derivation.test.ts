import { describe, expect, test } from 'vitest';
import { gradient } from '../../../src/pipeline.js';

/**
 * The derivation is recorded by the sweep's stage (terms only) and tidied and printed by the emitter;
 * these pin what the split must keep: the gathering step, the rule ids, and the cut after 400 steps.
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
    const expression = Array.from({ length: 300 }, (_, i) => `exp(sin(x${i}'*x))`).join(' + ');
    const s = steps(expression, 'x');
    expect(s).toHaveLength(401);
    expect(s.at(-1)!.rule).toBe('elided');
    expect(s.at(-1)!.text).toMatch(/^… \d+ more steps not shown$/);
  });
});
