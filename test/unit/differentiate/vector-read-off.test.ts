import { describe, expect, test } from 'vitest';
import { scalarDerivative, vectorJacobian } from '../../../src/differentiate/vector-read-off.js';
import * as T from '../../../src/term/factory.js';
import type { Shape, Term } from '../../../src/term/term.js';
import { readOffError } from '../../../src/verify/linear-map.js';

/**
 * The term-by-term read-off of a vector differential (vector-read-off.ts), one case per way a part
 * can pass through an operator: every canonical part (L·v·R, L·vᵀ·R, (r·v)·M, L·Diag(Av)·R) under a
 * transpose, a Hadamard product, ⊘, tr, diag, Diag, sum and ⟨·,·⟩, for a column, a row and a scalar
 * direction. Each matrix J is compared with the differential by numbers: J·vec(V) = vec(D[V]).
 */
const n = 'n';
const shapes = new Map<string, Shape>([
  ['A', [n, n]],
  ['B', [n, n]],
  ['H', [n, n]],
  ['a', [n, 1]],
  ['b', [n, 1]],
  ['c', [1, 1]],
]);
const [A, B, H, a, b, c] = ['A', 'B', 'H', 'a', 'b', 'c'].map((name) => T.variable(name, shapes.get(name)!)) as [Term, Term, Term, Term, Term, Term];
const v = T.variable('v', [n, 1]);
const w = T.variable('w', [1, n]);
const s = T.variable('s', [1, 1]);
const tr = (t: Term) => T.reduce('trace', t);
const sum = (t: Term) => T.reduce('sum', t);
const t = T.transpose;

const CASES: [string, Term, Term][] = [
  ['(A v bᵀ)ᵀ a', T.mul([t(T.mul([A, v, t(b)])), a]), v],
  ['(H ⊙ (A v bᵀ)) a', T.mul([T.hmul([H, T.mul([A, v, t(b)])]), a]), v],
  ['(H ⊙ (a vᵀ B)) b', T.mul([T.hmul([H, T.mul([a, t(v), B])]), b]), v],
  ['(H ⊙ ((aᵀv) B)) b', T.mul([T.hmul([H, T.mul([T.mul([t(a), v]), B])]), b]), v],
  ['(H ⊙ (Diag(Av) B)) b', T.mul([T.hmul([H, T.mul([T.diagm(T.mul([A, v])), B])]), b]), v],
  ['(H ⊙ (B Diag(Av))) b', T.mul([T.hmul([H, T.mul([B, T.diagm(T.mul([A, v]))])]), b]), v],
  ['(H ⊙ Diag(v)) a', T.mul([T.hmul([H, T.diagm(v)]), a]), v],
  ['(A v bᵀ ⊘ H) a', T.mul([T.hdiv(T.mul([A, v, t(b)]), H), a]), v],
  ['a ⊙ (A v)', T.hmul([a, T.mul([A, v])]), v],
  ['tr(A v bᵀ)', tr(T.mul([A, v, t(b)])), v],
  ['tr(a vᵀ B)', tr(T.mul([a, t(v), B])), v],
  ['tr((aᵀv) B)', tr(T.mul([T.mul([t(a), v]), B])), v],
  ['tr(A Diag(v) B)', tr(T.mul([A, T.diagm(v), B])), v],
  ['diag(A v bᵀ)', T.diag(T.mul([A, v, t(b)])), v],
  ['diag(a vᵀ B)', T.diag(T.mul([a, t(v), B])), v],
  ['diag((aᵀv) B)', T.diag(T.mul([T.mul([t(a), v]), B])), v],
  ['diag(A Diag(v) B)', T.diag(T.mul([A, T.diagm(v), B])), v],
  ['diag(Diag(v) B)', T.diag(T.mul([T.diagm(v), B])), v],
  ['diag(B Diag(v))', T.diag(T.mul([B, T.diagm(v)])), v],
  ['sum(A v bᵀ)', sum(T.mul([A, v, t(b)])), v],
  ['sum(H ⊙ (v aᵀ))', sum(T.hmul([H, T.mul([v, t(a)])])), v],
  ['⟨B, a vᵀ⟩', T.inner(B, T.mul([a, t(v)])), v],
  ['⟨v aᵀ, B⟩', T.inner(T.mul([v, t(a)]), B), v],
  ['Diag(A v) b', T.mul([T.diagm(T.mul([A, v])), b]), v],
  ['c·(aᵀv)·b', T.mul([c, T.mul([t(a), v]), b]), v],
  ['vᵀ A (a row)', T.mul([t(v), A]), v],
  ['B(A v bᵀ + b vᵀ A)a', T.mul([B, T.add([T.mul([A, v, t(b)]), T.mul([b, t(v), A])]), a]), v],
  // A row direction w (1×n): vec(w) = wᵀ.
  ['A wᵀ', T.mul([A, t(w)]), w],
  ['w A', T.mul([w, A]), w],
  ['(H ⊙ (wᵀ aᵀ)) b', T.mul([T.hmul([H, T.mul([t(w), t(a)])]), b]), w],
  // An op with the direction inside (expm's Fréchet derivative): that part read column by column,
  // columns(S, v), the closed parts beside it kept; for a row direction too.
  ['expm_frechet(A, v bᵀ) a + B v', T.add([T.mul([T.op('expm_frechet', [A, T.mul([v, t(b)])]), a]), T.mul([B, v])]), v],
  ['tr(expm_frechet(A, v bᵀ)) (a scalar)', tr(T.op('expm_frechet', [A, T.mul([v, t(b)])])), v],
  ['aᵀ expm_frechet(A, Diag(v)) (a row)', T.mul([t(a), T.op('expm_frechet', [A, T.diagm(v)])]), v],
  ['expm_frechet(A, wᵀ bᵀ) a', T.mul([T.op('expm_frechet', [A, T.mul([t(w), t(b)])]), a]), w],
  // A scalar direction s: the Jacobian of a vector is a column.
  ['s a', T.mul([s, a]), s],
  ['(s A) b', T.mul([T.mul([s, A]), b]), s],
  ['tr(s A)', tr(T.mul([s, A])), s],
];

describe('every part through every operator reads off to a matrix that reproduces D', () => {
  test.each(CASES)('%s', (_, d, direction) => {
    const j = vectorJacobian(d, direction);
    if (j === undefined || 'unreadable' in j) throw new Error(`no matrix: ${JSON.stringify(j)}`);
    const variables = new Map([...shapes, [(direction as { name: string }).name, direction.shape]]);
    const error = readOffError({ differential: d, direction, matrix: j, transposed: false, variables, assumptions: new Map(), dimSizes: new Map([[n, 4]]), seed: 3 });
    expect(error).toBeDefined();
    expect(error!).toBeLessThan(1e-10);
  });
});

describe('a shared differential is read in linear time', () => {
  test('a residual chain dYₖ₊₁ = W·dYₖ + dYₖ of 60 layers with matrix states (2⁶⁰ paths)', () => {
    const W = T.variable('W', [n, n]);
    let y: Term = T.mul([v, t(a)]);
    for (let k = 0; k < 60; k++) y = T.add([T.mul([W, y]), y]);
    const d = T.mul([y, b]);
    // 2⁶⁰ paths read one by one would never finish: finishing is the test (no clock on a shared machine).
    const j = vectorJacobian(d, v);
    if (j === undefined || 'unreadable' in j) throw new Error('no matrix');
    const variables = new Map([...shapes, ['W', W.shape], ['v', v.shape]]);
    // Scaled down so that (I + W)⁶⁰ stays finite: W's entries are drawn standard normal, n = 2.
    const error = readOffError({ differential: T.mul([T.num(1e-30), d]), direction: v, matrix: T.mul([T.num(1e-30), j]), transposed: false, variables, assumptions: new Map(), dimSizes: new Map([[n, 2]]), seed: 5 });
    expect(error).toBeDefined();
    expect(error!).toBeLessThan(1e-8);
  });
});

describe('a matrix F of a scalar s: dF/ds of F\'s shape', () => {
  const d = T.add([T.mul([s, A]), T.mul([B, T.mul([s, H]), A])]);
  const variables = new Map([...shapes, ['s', s.shape]]);
  const check = (matrix: Term) => readOffError({ differential: d, direction: s, matrix, transposed: false, variables, assumptions: new Map(), dimSizes: new Map([[n, 3]]), seed: 2 });
  test('s·A + B(s·H)A → A + BHA, and the check compares it by its vec (in either layout)', () => {
    const m = scalarDerivative(d, s)!;
    expect(m.shape).toEqual([n, n]);
    expect(check(m)!).toBeLessThan(1e-12);
    expect(readOffError({ differential: d, direction: s, matrix: m, transposed: true, variables, assumptions: new Map(), dimSizes: new Map([[n, 3]]), seed: 2 })!).toBeLessThan(1e-12);
  });
  test('a wrong matrix of F\'s shape fails the check', () => {
    expect(check(T.add([A, T.mul([B, H, T.transpose(A)])]))!).toBeGreaterThan(1e-3);
  });
  test('no dependence: undefined', () => {
    expect(scalarDerivative(A, s)).toBeUndefined();
  });
});

describe('what has no ordinary matrix', () => {
  test('D not depending on the direction: J = 0 (undefined)', () => {
    expect(vectorJacobian(T.mul([A, a]), v)).toBeUndefined();
  });
  test('H ⊙ (A Diag(v) B), neither side the identity, has no closed form without a Khatri–Rao product: read column by column', () => {
    const d = T.mul([T.hmul([H, T.mul([A, T.diagm(v), B])]), b]);
    const j = vectorJacobian(d, v);
    if (j === undefined || 'unreadable' in j) throw new Error(`no matrix: ${JSON.stringify(j)}`);
    expect(j).toBe(T.op('columns', [d, v]));
    const variables = new Map([...shapes, ['v', v.shape]]);
    expect(readOffError({ differential: d, direction: v, matrix: j, transposed: false, variables, assumptions: new Map(), dimSizes: new Map([[n, 4]]), seed: 3 })!).toBeLessThan(1e-10);
  });
  test('a matrix differential is not read here (the Kronecker form is linear-map.ts\'s)', () => {
    expect(vectorJacobian(T.mul([v, t(a)]), v)).toEqual({ unreadable: expect.stringMatching(/matrix/) });
  });
});
