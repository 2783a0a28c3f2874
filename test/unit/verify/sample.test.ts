import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../../src/term/term.js';
import * as dense from '../../../src/verify/dense.js';
import type { Dense } from '../../../src/verify/dense.js';
import { createRng } from '../../../src/verify/random.js';
import * as T from '../../../src/term/factory.js';
import { chooseDimSizes, drawInDomain, drawInputs, EMBED_MAX_ENTRIES, sampleInputs, withLazySample, type Property } from '../../../src/verify/sample.js';

const variables = new Map<string, Shape>([
  ['X', ['n', 'n']],
  ['S', ['n', 'n']],
  ['P', ['n', 'n']],
  ['D', ['n', 'n']],
  ['Q', ['n', 'm']],
  ['a', ['m', 1]],
  ['c', [1, 1]],
]);
const assumptions = new Map<string, ReadonlySet<Property>>([
  ['S', new Set(['symmetric'])],
  ['P', new Set(['spd'])],
  ['D', new Set(['diagonal'])],
  ['Q', new Set(['positive'])],
]);
const sizes = chooseDimSizes(['n', 'm']);

function isSpd(a: Dense): boolean {
  return new CholeskyDecomposition(new Matrix(a.toArray())).isPositiveDefinite();
}

function isSymmetric(a: Dense): boolean {
  return a.toArray().every((row, i) => row.every((x, j) => x === a.get(j, i)));
}

describe('chooseDimSizes', () => {
  it('hands out small sizes in order, distinct for the first six', () => {
    expect([...chooseDimSizes(['n', 'm', 'k', 'p', 'q']).entries()]).toEqual([
      ['n', 3],
      ['m', 4],
      ['k', 2],
      ['p', 5],
      ['q', 6],
    ]);
    expect([...chooseDimSizes(['n', 'n', 'm']).values()]).toEqual([3, 4]);
    // Past six dimensions the sizes cycle, so deep networks are checked on small matrices.
    const many = chooseDimSizes(Array.from({ length: 20 }, (_, i) => `d${i}`));
    expect(new Set([...many.values()].slice(0, 6)).size).toBe(6);
    expect(Math.max(...many.values())).toBeLessThanOrEqual(7);
  });
});

describe('drawInputs', () => {
  it('is deterministic for a seed and shapes every value', () => {
    const one = drawInputs(variables, assumptions, sizes, createRng(5), 0);
    const two = drawInputs(variables, assumptions, sizes, createRng(5), 0);
    for (const [name, value] of one) expect(Array.from(value.data)).toEqual(Array.from(two.get(name)!.data));
    expect([one.get('X')!.rows, one.get('X')!.cols]).toEqual([3, 3]);
    expect([one.get('Q')!.rows, one.get('Q')!.cols]).toEqual([3, 4]);
    expect([one.get('c')!.rows, one.get('c')!.cols]).toEqual([1, 1]);
    const other = drawInputs(variables, assumptions, sizes, createRng(6), 0);
    expect(Array.from(other.get('X')!.data)).not.toEqual(Array.from(one.get('X')!.data));
  });

  it('respects the assumptions under every strategy', () => {
    for (let strategy = 0; strategy < 8; strategy++) {
      const values = drawInputs(variables, assumptions, sizes, createRng(100 + strategy), strategy);
      expect(isSymmetric(values.get('S')!)).toBe(true);
      expect(isSymmetric(values.get('P')!)).toBe(true);
      expect(isSpd(values.get('P')!)).toBe(true);
      const D = values.get('D')!;
      D.toArray().forEach((row, i) => row.forEach((x, j) => (i === j ? expect(x).not.toBe(0) : expect(x).toBe(0))));
      expect(Math.min(...values.get('Q')!.data)).toBeGreaterThan(0);
    }
  });

  it('widens the domain strategy by strategy', () => {
    const plain = new Map<string, ReadonlySet<Property>>();
    for (let seed = 0; seed < 20; seed++) {
      const positive = drawInputs(variables, plain, sizes, createRng(seed), 1);
      for (const value of positive.values()) expect(Math.min(...value.data)).toBeGreaterThan(0);
      const conditioned = drawInputs(variables, plain, sizes, createRng(seed), 2);
      expect(dense.det(conditioned.get('X')!)).toBeGreaterThan(0);
      expect(Math.min(...conditioned.get('Q')!.data)).toBeGreaterThan(0);
      const spd = drawInputs(variables, plain, sizes, createRng(seed), 3);
      expect(isSpd(spd.get('X')!)).toBe(true);
      expect(Math.min(...spd.get('c')!.data)).toBeGreaterThan(0);
    }
  });
});

describe('sampleInputs', () => {
  const logOf = (name: string, shape: Shape) => T.fn('log', T.variable(name, shape));
  it('draws inputs inside the domain (log(x) needs positive x), the same ones as drawInDomain', () => {
    const x = new Map<string, Shape>([['x', ['n', 1]]]);
    const terms = [T.reduce('sum', logOf('x', ['n', 1]))];
    const sample = sampleInputs({ variables: x, assumptions: new Map(), terms, sized: terms, seed: 3 });
    expect([...sample.dimSizes]).toEqual([['n', 3]]);
    if (typeof sample.inputs === 'string') throw new Error(`expected drawn inputs, got ${sample.inputs}`);
    expect(Array.from(sample.inputs.get('x')!.data).every((v) => v > 0)).toBe(true);
    // The same draw as the one loop in verify/ gives, with the same seed.
    const again = drawInDomain(x, new Map(), sample.dimSizes, 3, terms)!;
    expect(Array.from(again.values.get('x')!.data)).toEqual(Array.from(sample.inputs.get('x')!.data));
  });

  it('draws nothing past EMBED_MAX_ENTRIES entries', () => {
    const big = new Map<string, Shape>([['X', [200, 200]]]);
    const terms = [T.variable('X', [200, 200])];
    expect(sampleInputs({ variables: big, assumptions: new Map(), terms, sized: terms, seed: 1 }).inputs).toBe('too-large');
    expect(200 * 200).toBeGreaterThan(EMBED_MAX_ENTRIES);
  });

  it("says 'none' when no draw is inside the domain (log of minus a positive input)", () => {
    const x = new Map<string, Shape>([['x', [1, 1]]]);
    const terms = [T.fn('log', T.mul([T.num(-1), T.variable('x', [1, 1])]))];
    const positive = new Map<string, ReadonlySet<Property>>([['x', new Set(['positive'])]]);
    expect(sampleInputs({ variables: x, assumptions: positive, terms, sized: terms, seed: 1 }).inputs).toBe('none');
  });
});

describe('withLazySample', () => {
  const x = new Map<string, Shape>([['x', ['n', 1]]]);
  const request = () => {
    const terms = [T.reduce('sum', T.fn('log', T.variable('x', ['n', 1])))];
    return { variables: x, assumptions: new Map(), terms, sized: terms, seed: 5 };
  };
  const data = (s: ReturnType<typeof sampleInputs>) => (typeof s.inputs === 'string' ? s.inputs : Array.from(s.inputs.get('x')!.data));

  it('draws when first read, then keeps the draw; the same inputs as sampleInputs, even after a reset', () => {
    const report = withLazySample({ command: 'grad', notes: ['a'] }, request());
    const eager = sampleInputs(request());
    T.resetTerms();
    const first = report.sample!;
    expect(report.sample).toBe(first);
    expect(data(first)).toEqual(data(eager));
    expect(data(first)).not.toBe('none');
  });

  it('keeps the fields as they were, with sample read like one of them', () => {
    const report = withLazySample({ command: 'grad', notes: ['a'] }, request());
    expect(report.command).toBe('grad');
    expect(report.notes).toEqual(['a']);
    expect(Object.keys(report)).toEqual(['command', 'notes', 'sample']);
    // A report spread into a new object keeps its sample (a library caller replacing the source).
    expect({ ...report, command: 'diff' }.sample).toBe(report.sample);
  });

  it('each object its own draw: two reports of different requests do not share one', () => {
    const one = withLazySample({}, request());
    const other = withLazySample({}, { ...request(), seed: 6 });
    expect(data(one.sample!)).not.toEqual(data(other.sample!));
  });

  it('draws nothing without a request (sample: false)', () => {
    expect(withLazySample({}, undefined).sample).toBeUndefined();
  });
});
