import { describe, expect, it } from 'vitest';
import { emitText } from '../../../src/emit/text.js';
import * as F from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';
import { compareTerms, compareWords, warmOrderCaches } from '../../../src/simplify/order.js';
import { postOrder } from '../../../src/term/traverse.js';

/**
 * The canonical order is structural: the same terms sort the same way whatever order the process
 * created them in (term ids are creation order), and it is a total order.
 */

/** A fixed family of terms with many ties on leading name and height, built in the order given. */
function family(order: 'forward' | 'backward'): Term[] {
  const names = ['a', 'b', 'c', 'd'];
  const leaves = (order === 'forward' ? names : [...names].reverse()).map((name) => F.variable(name, [3, 1]));
  const byName = (name: string) => leaves.find((v) => v.kind === 'var' && v.name === name)!;
  const build: (() => Term)[] = [];
  for (const p of names) {
    for (const q of names) {
      build.push(() => F.hmul([byName(p), byName(q)]));
      build.push(() => F.fn('exp', F.hmul([byName(p), byName(q)])));
      build.push(() => F.add([byName(p), byName(q)]));
      build.push(() => F.mul([F.transpose(byName(p)), byName(q)]));
      build.push(() => F.hmul([F.fn('exp', F.hmul([byName(p), byName(q)])), byName(q)]));
    }
    build.push(() => F.fn('tanh', byName(p)));
    build.push(() => F.fn('exp', byName(p)));
    build.push(() => F.mul([F.num(2), byName(p)]));
    build.push(() => F.mul([F.num(3), byName(p)]));
  }
  return (order === 'forward' ? build : [...build].reverse()).map((f) => f());
}

const text = (terms: readonly Term[]) => terms.map((t) => emitText([t], { share: false }).main[0]!);

describe('compareTerms', () => {
  it('sorts the same terms the same way whatever order they were created in', () => {
    F.resetTerms();
    const forward = text([...family('forward')].sort(compareTerms));
    F.resetTerms();
    const backward = text([...family('backward')].sort(compareTerms));
    expect(backward).toEqual(forward);
    // Ties on the leading name and height are broken by structure: b before c.
    expect(forward.indexOf('exp(a ⊙ b) ⊙ b')).toBeLessThan(forward.indexOf('exp(a ⊙ c) ⊙ c'));
    expect(forward.indexOf('2a')).toBeLessThan(forward.indexOf('3a'));
  });

  it('is a total order: antisymmetric, transitive, zero only on the same term', () => {
    F.resetTerms();
    const terms = family('backward');
    for (const p of terms) {
      for (const q of terms) {
        const c = compareTerms(p, q);
        expect(Math.sign(c), 'antisymmetric').toBe(-Math.sign(compareTerms(q, p)) || 0);
        expect(c === 0, 'zero only for the same term').toBe(p === q);
      }
    }
    const sorted = [...terms].sort(compareTerms);
    for (let i = 0; i + 2 < sorted.length; i++) {
      expect(compareTerms(sorted[i]!, sorted[i + 2]!), 'transitive').toBeLessThan(0);
    }
  });

  it('orders trace words by their factors, not by creation', () => {
    F.resetTerms();
    const [c, b, a] = ['C', 'B', 'A'].map((name) => F.variable(name, [3, 3]));
    expect(compareWords([a!, b!, c!], [b!, c!, a!])).toBeLessThan(0);
    expect(compareWords([c!, a!, b!], [b!, c!, a!])).toBeGreaterThan(0);
  });

  it('compares deep terms without recursion', () => {
    F.resetTerms();
    const x = F.variable('x', [3, 1]);
    let p: Term = x;
    let q: Term = x;
    for (let i = 0; i < 50_000; i++) {
      p = F.fn('tanh', p);
      q = F.fn('tanh', q);
      if (i === 0) q = F.fn('sin', x);
    }
    // As the simplifier does: the memoised leading names and heights are filled children first.
    warmOrderCaches(postOrder([p, q]));
    expect(compareTerms(p, q)).not.toBe(0);
    expect(Math.sign(compareTerms(p, q))).toBe(-Math.sign(compareTerms(q, p)));
  });
});
