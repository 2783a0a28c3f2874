import { describe, expect, test } from 'vitest';
import { DISPLAY_MIN_SIZE, EVALUATION_MIN_SIZE, isAtomic, planSharing } from '../../../src/emit/sharing.js';
import * as F from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';

const n = 'n';
const X = F.variable('X', [n, n]);
const W = F.variable('W', [n, n]);
const x = F.variable('x', [n, 1]);
const b = F.variable('b', [n, 1]);
const neg = (term: Term): Term => F.mul([F.num(-1), term]);

const defined = (roots: readonly Term[], options = {}): [string, number][] =>
  planSharing(roots, options).definitions.map((d) => [d.name, d.term.id]);

describe('planSharing', () => {
  test('leaves, transposes and negations of leaves are atomic', () => {
    expect(isAtomic(x)).toBe(true);
    expect(isAtomic(F.transpose(X))).toBe(true);
    expect(isAtomic(neg(x))).toBe(true);
    expect(isAtomic(neg(F.transpose(x)))).toBe(true);
    expect(isAtomic(F.mul([X, b]))).toBe(false);
  });

  test('a repeated node is defined when it is big enough for the threshold', () => {
    const xb = F.mul([X, b]); // size 3
    const e = F.fn('exp', xb); // size 4
    const root = F.hmul([F.hmul([xb, xb]), F.hmul([e, e])]);
    expect(defined([root], { minSize: DISPLAY_MIN_SIZE })).toEqual([['T1', e.id]]);
    expect(defined([root], { minSize: EVALUATION_MIN_SIZE })).toEqual([
      ['T1', xb.id],
      ['T2', e.id],
    ]);
  });

  test('a node used once is not defined unless the caller names it; a name on a leaf is ignored', () => {
    const y = F.fn('sigmoid', F.mul([W, x]));
    const root = F.mul([X, y]);
    expect(defined([root])).toEqual([]);
    expect(defined([root], { names: new Map<Term, string>([[y, 'Y'], [x, 'z']]) })).toEqual([['Y', y.id]]);
    expect(defined([root], { names: new Map([[y, 'Y']]), share: false })).toEqual([]);
  });

  test('a DAG that doubles at every level stays linear: a definition at least every other level', () => {
    let h: Term = x;
    for (let i = 0; i < 40; i++) h = F.hmul([h, h]);
    expect(planSharing([h]).definitions).toHaveLength(19); // every even level below the root
  });

  test('a root counts as a parent, so a root used inside another root is defined', () => {
    const e = F.fn('exp', F.mul([X, b]));
    const plan = planSharing([e, F.mul([X, e])]);
    expect(plan.definitions.map((d) => d.term)).toEqual([e]);
    expect(plan.order.at(-1)!.kind).toBe('mul');
  });
});
