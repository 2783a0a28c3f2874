import { describe, expect, test } from 'vitest';
import { gradient } from '../../../src/pipeline.js';
import { dagSize } from '../../../src/term/traverse.js';

/**
 * The reverse sweep must stay linear in the size of the expression graph: coefficients of a shared
 * node are gathered before it is expanded. These tests count nodes, not seconds (timings belong in
 * bench/): the result's graph must grow linearly where the naive expansion grows quadratically or
 * exponentially.
 */
function network(layers: number): string {
  let e = 'x';
  for (let i = 1; i <= layers; i++) e = `sigmoid(W${i}*${e})`;
  return `sum(${e})`;
}

function tower(levels: number): string {
  const defs = ['Y1 = sigmoid(W*X)'];
  for (let k = 1; k < levels; k++) defs.push(`Y${k + 1} = Y${k} .* Y${k} + Y${k}`);
  return `${defs.join('; ')}; sum(Y${levels})`;
}

function size(expression: string, wrt: string): { result: number; tape: number } {
  const r = gradient({ expression, wrt, check: false, steps: false });
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return { result: dagSize(r.value.gradients.map((g) => g.gradient)), tape: dagSize(r.value.gradients.map((g) => g.raw)) };
}

describe('the reverse sweep is linear', () => {
  test('an L-layer network, all weights at once', () => {
    const wrt = (l: number) => Array.from({ length: l }, (_, i) => `W${i + 1}`).join(',');
    const a = size(network(20), wrt(20));
    const b = size(network(40), wrt(40));
    expect(b.tape).toBeLessThan(2.3 * a.tape);
    expect(b.result).toBeLessThan(2.3 * a.result);
  });

  test('a shared tower Y₍ₖ₊₁₎ = Yₖ ⊙ Yₖ + Yₖ (exponential if sharing were lost)', () => {
    const a = size(tower(16), 'W');
    const b = size(tower(32), 'W');
    expect(b.tape).toBeLessThan(2.3 * a.tape);
    expect(b.result).toBeLessThan(2.3 * a.result);
  });

  test('a chain of products ‖W_L ⋯ W_1 X‖²', () => {
    const chain = (l: number) => `norm2(${Array.from({ length: l }, (_, i) => `W${l - i}`).join('*')}*X)^2`;
    const a = size(chain(20), 'X');
    const b = size(chain(40), 'X');
    expect(b.result).toBeLessThan(2.3 * a.result);
  });

  test('a 50-layer network differentiates and its gradient is correct', () => {
    const r = gradient({ expression: network(50).replace(/sigmoid/g, 'tanh'), wrt: 'W50,W49', check: true });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    expect(r.value.check?.status, r.value.check?.reason).toBe('passed');
  });
});

describe('gradients of several variables and of absent ones', () => {
  test('a variable that does not occur has gradient 0 and a note', () => {
    const r = gradient({ expression: 'sum(x)', wrt: 'x,z', check: true });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    expect(r.value.gradients[1]!.gradient.kind).toBe('zero');
    expect(r.value.notes.join('\n')).toContain('does not depend on z');
    expect(r.value.check?.status).toBe('passed');
  });
});
