import { describe, expect, test } from 'vitest';
import { countFlops } from '../../../src/emit/flops.js';
import { reuseSubproducts } from '../../../src/emit/reuse-products.js';
import { emitText } from '../../../src/emit/text.js';
import { gradient } from '../../../src/pipeline.js';
import * as F from '../../../src/term/factory.js';

describe('reuseSubproducts', () => {
  const [P, Q, R] = ['P', 'Q', 'R'].map((name) => F.variable(name, ['n', 'n'])) as [ReturnType<typeof F.variable>, ReturnType<typeof F.variable>, ReturnType<typeof F.variable>];

  test('a palindrome reuses the inner one, also when that one carries a sign', () => {
    const outer = F.mul([P, Q, R, Q, P]);
    const inner = F.mul([F.num(-1), Q, R, Q]);
    const { roots } = reuseSubproducts([F.add([outer, inner])]);
    const qrq = F.mul([Q, R, Q]);
    expect(roots[0]).toBe(F.add([F.mul([P, qrq, P]), F.mul([F.num(-1), qrq])]));
    expect(emitText(roots).main[0]).toBe('PT₁P − T₁');
    expect(emitText(roots, { share: false }).main[0]).toBe('P(QRQ)P − QRQ');
  });

  test('nothing to reuse: the same terms back', () => {
    const t = F.add([F.mul([P, Q, R]), F.mul([Q, P])]);
    expect(reuseSubproducts([t]).roots[0]).toBe(t);
  });

  test('a reuse that would cost more is not taken: xᵀ(abᵀ)y stays (xᵀa)(bᵀy)', () => {
    const x = F.variable('x', [50, 1]);
    const y = F.variable('y', [50, 1]);
    const a = F.variable('a', [50, 1]);
    const b = F.variable('b', [50, 1]);
    const outerProduct = F.mul([a, F.transpose(b)]);
    const form = F.mul([F.transpose(x), a, F.transpose(b), y]);
    const t = F.add([F.reduce('trace', outerProduct), form]);
    expect(reuseSubproducts([t]).roots[0]).toBe(t);
  });

  test('the gradient of nested inverses costs O(L) products, not O(L²)', () => {
    let e = 'X';
    for (let k = 1; k < 16; k++) e = `X + inv(${e})`;
    const r = gradient({ expression: `logdet(${e})`, wrt: 'X', dims: 'X=64x64', check: false });
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    const g = [r.value.gradients[0]!.gradient];
    const flat = countFlops(g, { reuseProducts: false }).total;
    const reused = countFlops(g).total;
    const f = countFlops([r.value.f]).total;
    expect(flat / f).toBeGreaterThan(10);
    expect(reused / f).toBeLessThanOrEqual(3);
  });
});
