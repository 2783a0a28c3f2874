import { describe, expect, it } from 'vitest';
import * as T from '../../../src/term/factory.js';
import { generation, internedCount, localIndex, onTermsReset, resetTerms } from '../../../src/term/tables.js';
import { childrenOf } from '../../../src/term/term.js';

/**
 * src/term/tables.ts owns every table of the term layer and its one reset: after resetTerms() a
 * new generation starts, equal structure gives a new canonical object, ids go on (never reused),
 * earlier terms keep their children, and every registered cache is told.
 */
describe('the term tables', () => {
  it('intern: equal structure is the same object, until the reset', () => {
    const x = T.variable('x', ['n', 1]);
    const sum = T.add([x, T.transpose(T.transpose(x))]);
    expect(T.add([T.variable('x', ['n', 1]), T.transpose(T.transpose(x))])).toBe(sum);
    let told = 0;
    onTermsReset(() => told++);
    resetTerms();
    expect(told).toBe(1);
    expect(internedCount()).toBe(0);
    const again = T.variable('x', ['n', 1]);
    expect(again).not.toBe(x);
    expect(again.id).toBeGreaterThan(sum.id);
    expect(localIndex(again.id)).toBe(again.id - generation.base);
    expect(localIndex(sum.id)).toBeLessThan(0);
  });

  it('an earlier generation keeps its children, and new nodes get their own', () => {
    const a = T.variable('a', ['n', 'n']);
    const inv = T.inv(a);
    const pair = T.inner(a, inv);
    resetTerms();
    const b = T.variable('b', ['n', 'n']);
    const invB = T.inv(b);
    expect(childrenOf(inv)).toEqual([a]);
    expect(childrenOf(pair)).toEqual([a, inv]);
    expect(childrenOf(invB)).toEqual([b]);
    expect(childrenOf(T.inner(b, invB))).toEqual([b, invB]);
    expect(childrenOf(invB)).toBe(childrenOf(invB));
  });

  it('a list of more than two operands is interned by its operands, whatever their number', () => {
    const xs = Array.from({ length: 5 }, (_, i) => T.variable(`x${i}`, [2, 2]));
    const product = T.mul(xs);
    expect(T.mul([...xs])).toBe(product);
    expect(T.mul(xs.slice(0, 4))).not.toBe(product);
    expect(T.hmul(xs)).not.toBe(product);
  });

  it('a variadic op of one operand is never the op of a pair whose key is that operand’s id', () => {
    // The one-operand key is the operand's id, a pair's key its packed local ids: for every pair of
    // early terms, the single-operand op of each term whose id equals the pair's key must be its own.
    resetTerms();
    const leaves = Array.from({ length: 40 }, (_, i) => T.variable(`v${i}`, [1, 1]));
    for (const a of leaves.slice(0, 3)) {
      for (const b of leaves) {
        const pair = T.op('vstack', [a, b]);
        for (const t of leaves) {
          const single = T.op('vstack', [t]);
          expect(single.args).toEqual([t]);
          expect(single).not.toBe(pair);
        }
      }
    }
  });
});
