import { describe, expect, it } from 'vitest';
import {
  add,
  diag,
  diagm,
  epow,
  eye,
  fn,
  hdiv,
  hmul,
  inner,
  inv,
  mpow,
  mul,
  num,
  ones,
  reduce,
  transpose,
  variable,
  zero,
} from '../../../src/term/factory.js';
import type { Term } from '../../../src/term/term.js';
import { Dense } from '../../../src/verify/dense.js';
import { evaluatePlan, evaluateTerm, evaluateTerms, planEvaluation, type EvalContext } from '../../../src/verify/evaluate.js';

const A = variable('A', ['n', 'n']);
const B = variable('B', ['n', 'n']);
const M = variable('M', ['n', 'n']);
const x = variable('x', ['k', 1]);
const v = variable('v', ['n', 1]);
const s = variable('s', [1, 1]);

const ctx: EvalContext = {
  dimSizes: new Map([
    ['n', 2],
    ['k', 3],
  ]),
  values: new Map([
    ['A', Dense.from([[1, 2], [3, 4]])],
    ['B', Dense.from([[0, 1], [1, 1]])],
    ['M', Dense.from([[2, 1], [1, 3]])],
    ['x', Dense.from([[-2], [0], [3]])],
    ['v', Dense.from([[3], [4]])],
    ['s', Dense.from([[3]])],
  ]),
};

const value = (t: Term): number[][] => evaluateTerm(t, ctx).toArray();
const scalar = (t: Term): number => evaluateTerm(t, ctx).scalarValue();
const issuesOf = (t: Term, options = {}) => evaluateTerms([t], ctx, options).issues;

describe('evaluateTerm: every kind on hand-computed cases', () => {
  it('leaves', () => {
    expect(value(A)).toEqual([[1, 2], [3, 4]]);
    expect(value(num(2.5))).toEqual([[2.5]]);
    expect(value(zero(['n', 'k']))).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(value(ones(['k', 1]))).toEqual([[1], [1], [1]]);
    expect(value(eye('n'))).toEqual([[1, 0], [0, 1]]);
  });

  it('add, mul (scalars scale, matrices chain), hmul, hdiv, transpose', () => {
    expect(value(add([A, B, A]))).toEqual([[2, 5], [7, 9]]);
    expect(value(mul([A, B]))).toEqual([[2, 3], [4, 7]]);
    // 2 · A · s · B with the scalar s = 3 in the middle of the chain: 6·AB.
    expect(value(mul([num(2), A, s, B]))).toEqual([[12, 18], [24, 42]]);
    expect(value(mul([num(2), s]))).toEqual([[6]]);
    // vᵀ A v = [3 4]·[[1,2],[3,4]]·[3;4] = [15 22]·[3;4] = 133
    expect(scalar(mul([transpose(v), A, v]))).toBe(133);
    // v vᵀ: an outer product through the chain.
    expect(value(mul([v, transpose(v)]))).toEqual([[9, 12], [12, 16]]);
    expect(value(hmul([A, B, A]))).toEqual([[0, 4], [9, 16]]);
    expect(value(hdiv(A, M))).toEqual([[0.5, 2], [3, 4 / 3]]);
    expect(value(transpose(A))).toEqual([[1, 3], [2, 4]]);
  });

  it('brackets long chains by cost without changing the value', () => {
    const w = variable('w', ['n', 1]);
    const chain = mul([transpose(w), A, B, A, M, w]);
    const local: EvalContext = { ...ctx, values: new Map([...ctx.values, ['w', Dense.from([[1], [-1]])]]) };
    // wᵀ A B A M w, by hand: ABA = [[11,16],[25,36]]·… computed step by step:
    // AB = [[2,3],[4,7]], ABA = [[11,16],[25,36]], ABAM = [[38,59],[86,133]], ·w = [[-21],[-47]], wᵀ· = 26
    expect(evaluateTerm(chain, local).scalarValue()).toBe(26);
  });

  it('inv, mpow, epow', () => {
    const inverse = evaluateTerm(inv(A), ctx);
    const expected = [[-2, 1], [1.5, -0.5]];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(inverse.get(i, j)).toBeCloseTo(expected[i]![j]!, 14);
    expect(value(mpow(A, 3))).toEqual([[37, 54], [81, 118]]);
    expect(value(epow(A, num(2)))).toEqual([[1, 4], [9, 16]]);
    expect(value(epow(hmul([A, A]), num(0.5)))).toEqual([[1, 2], [3, 4]]);
    expect(value(epow(A, s))).toEqual([[1, 8], [27, 64]]);
    expect(value(epow(x, num(2)))).toEqual([[4], [0], [9]]);
  });

  it('element-wise functions', () => {
    const zeroVec = zero(['k', 1]);
    expect(value(fn('exp', zeroVec))).toEqual([[1], [1], [1]]);
    expect(value(fn('log', ones(['k', 1])))).toEqual([[0], [0], [0]]);
    expect(value(fn('sin', zeroVec))).toEqual([[0], [0], [0]]);
    expect(value(fn('cos', zeroVec))).toEqual([[1], [1], [1]]);
    expect(value(fn('tan', zeroVec))).toEqual([[0], [0], [0]]);
    expect(value(fn('tanh', zeroVec))).toEqual([[0], [0], [0]]);
    expect(value(fn('sigmoid', zeroVec))).toEqual([[0.5], [0.5], [0.5]]);
    expect(value(fn('relu', x))).toEqual([[0], [0], [3]]);
    expect(value(fn('softplus', zeroVec))).toEqual([[Math.LN2], [Math.LN2], [Math.LN2]]);
    expect(value(fn('sqrt', epow(x, num(2))))).toEqual([[2], [0], [3]]);
    expect(value(fn('abs', x))).toEqual([[2], [0], [3]]);
    expect(value(fn('sign', x))).toEqual([[-1], [0], [1]]);
    expect(value(fn('step', x))).toEqual([[0], [0.5], [1]]);
  });

  it('log1p, expm1, log2, log10, logsigmoid, sinh, cosh, arctan, erf', () => {
    const zeroVec = zero(['k', 1]);
    for (const f of ['log1p', 'expm1', 'sinh', 'arctan', 'erf'] as const) expect(value(fn(f, zeroVec))).toEqual([[0], [0], [0]]);
    expect(value(fn('cosh', zeroVec))).toEqual([[1], [1], [1]]);
    expect(value(fn('logsigmoid', zeroVec))).toEqual([[-Math.LN2], [-Math.LN2], [-Math.LN2]]);
    const eight = epow(num(2), num(3));
    expect(value(fn('log2', eight))).toEqual([[3]]);
    expect(value(fn('log10', epow(num(10), num(3))))).toEqual([[3]]);
    expect(value(fn('sinh', x))).toEqual([[Math.sinh(-2)], [0], [Math.sinh(3)]]);
    expect(value(fn('arctan', x))).toEqual([[Math.atan(-2)], [0], [Math.atan(3)]]);
  });

  it('logsigmoid stays finite and accurate for large arguments, and log1p/expm1 near 0', () => {
    const big = variable('big', [4, 1]);
    const local: EvalContext = { ...ctx, values: new Map([['big', Dense.from([[800], [-800], [40], [1e-12]])]]) };
    const ls = evaluateTerm(fn('logsigmoid', big), local).data;
    expect(Math.abs(ls[0]!)).toBe(0); // log σ(800) = −log1p(e⁻⁸⁰⁰), 0 in double precision
    expect(ls[1]).toBe(-800);
    expect(ls[2]! / -Math.exp(-40)).toBeCloseTo(1, 12); // −log1p(e⁻⁴⁰) ≈ −e⁻⁴⁰, not 0
    expect(evaluateTerm(fn('log1p', big), local).data[3]! / 1e-12).toBeCloseTo(1, 10); // not 0 or 1.00009e-12 (the naive forms)
    expect(evaluateTerm(fn('expm1', big), local).data[3]! / 1e-12).toBeCloseTo(1, 10); // not 0 or 1.00009e-12 (the naive forms)
  });

  it('sigmoid and softplus stay finite and accurate for large arguments', () => {
    const big = variable('big', [3, 1]);
    const local: EvalContext = { ...ctx, values: new Map([['big', Dense.from([[800], [-800], [-40]])]]) };
    const sig = evaluateTerm(fn('sigmoid', big), local).data;
    expect(Array.from(sig.subarray(0, 2))).toEqual([1, 0]);
    expect(sig[2]).toBeCloseTo(Math.exp(-40), 30);
    const soft = evaluateTerm(fn('softplus', big), local).data;
    expect(soft[0]).toBe(800);
    expect(soft[1]).toBe(0);
    expect(soft[2]! / Math.exp(-40)).toBeCloseTo(1, 12); // log1p(e⁻⁴⁰) ≈ e⁻⁴⁰, not 0
  });

  it('reductions, inner, diag, diagm', () => {
    expect(scalar(reduce('trace', A))).toBe(5);
    expect(scalar(reduce('det', A))).toBeCloseTo(-2, 14);
    expect(scalar(reduce('det', M))).toBeCloseTo(5, 14);
    expect(scalar(reduce('logdet', M))).toBeCloseTo(Math.log(5), 14);
    expect(scalar(reduce('sum', A))).toBe(10);
    expect(scalar(reduce('norm1', x))).toBe(5);
    expect(scalar(reduce('norm2', v))).toBe(5);
    expect(scalar(reduce('norm2', A))).toBeCloseTo(Math.sqrt(30), 14);
    expect(scalar(inner(A, B))).toBe(9);
    expect(value(diag(A))).toEqual([[1], [4]]);
    expect(value(diagm(v))).toEqual([[3, 0], [0, 4]]);
  });

  it('evaluates several roots with one memo', () => {
    const shared = mul([A, B]);
    const { values, issues } = evaluateTerms([reduce('trace', shared), transpose(shared), shared], ctx);
    expect(values[0]!.scalarValue()).toBe(9);
    expect(values[1]!.toArray()).toEqual([[2, 4], [3, 7]]);
    expect(values[2]!.toArray()).toEqual([[2, 3], [4, 7]]);
    expect(issues).toEqual([]);
  });

  it('computes a shared node once: a DAG of 2⁶⁰ paths is instant', () => {
    let t: Term = s;
    for (let i = 0; i < 60; i++) t = add([t, t]);
    expect(scalar(t)).toBe(3 * 2 ** 60);
  });

  it('evaluates a 100,000-deep term without recursion', () => {
    let t: Term = s;
    for (let i = 0; i < 100_000; i++) t = fn('tanh', mul([num(1.5), t]));
    const y = scalar(t);
    // The fixed point of y = tanh(1.5 y) near 0.8586.
    expect(Math.abs(y - Math.tanh(1.5 * y))).toBeLessThan(1e-12);
  });

  it('evaluates a 1000-node term of 20×20 matrices (timing reported)', () => {
    const X = variable('X', ['p', 'p']);
    const local: EvalContext = {
      dimSizes: new Map([['p', 20]]),
      values: new Map([['X', (() => {
        const d = new Dense(20, 20);
        for (let i = 0; i < d.data.length; i++) d.data[i] = Math.sin(i) / 20;
        return d;
      })()]]),
    };
    let t: Term = X;
    let nodes = 1;
    while (nodes < 1000) {
      t = fn('tanh', add([mul([X, t]), hmul([t, X])]));
      nodes += 4;
    }
    const start = performance.now();
    const out = evaluateTerms([reduce('sum', t)], local);
    const elapsed = performance.now() - start;
    console.log(`1000-node term of 20×20 matrices: ${elapsed.toFixed(2)} ms`);
    expect(out.issues).toEqual([]);
    expect(Number.isFinite(out.values[0]!.scalarValue())).toBe(true);
  });

  it('throws on a missing variable or dimension size (a caller bug, not an input problem)', () => {
    expect(() => evaluateTerm(variable('nowhere', [2, 2]), ctx)).toThrow(/no value for variable/);
    expect(() => evaluateTerm(ones(['q', 2]), ctx)).toThrow(/no size for dimension/);
  });
});

describe('evaluateTerms: issues', () => {
  const kinds = (t: Term, options = {}) => issuesOf(t, options).map((i) => i.kind);

  it('domain: log, sqrt, epow, logdet', () => {
    expect(kinds(fn('log', x))).toEqual(['domain']);
    expect(issuesOf(fn('log', x))[0]!.message).toMatch(/log of a non-positive value/);
    expect(kinds(fn('log2', x))).toEqual(['domain']);
    expect(kinds(fn('log10', x))).toEqual(['domain']);
    expect(kinds(fn('log1p', x))).toEqual(['domain']); // −2 ≤ −1
    expect(issuesOf(fn('log1p', x))[0]!.message).toMatch(/log1p of a value ≤ -1 \(-2\)/);
    expect(kinds(fn('log1p', fn('abs', x)))).toEqual(['kink']); // 0 is inside log1p's domain
    expect(kinds(fn('sqrt', x))).toEqual(['domain']);
    expect(kinds(fn('sqrt', epow(x, num(2))))).toEqual([]);
    expect(kinds(epow(x, num(0.5)))).toEqual(['domain']);
    expect(kinds(epow(x, num(-1)))).toEqual(['domain']); // 0⁻¹
    expect(kinds(epow(x, num(3)))).toEqual([]);
    expect(kinds(reduce('logdet', A))).toEqual(['domain']);
    expect(kinds(reduce('logdet', M))).toEqual([]);
    const issue = issuesOf(fn('log', x))[0]!;
    expect(issue.term).toBe(fn('log', x));
  });

  it('kink: abs, relu, sign, step, norm1 near 0 and norm2 of zero', () => {
    for (const name of ['abs', 'relu', 'sign', 'step'] as const) expect(kinds(fn(name, x))).toEqual(['kink']);
    expect(kinds(reduce('norm1', x))).toEqual(['kink']);
    expect(kinds(fn('abs', v))).toEqual([]);
    expect(kinds(reduce('norm2', zero(['n', 1])))).toEqual(['kink']);
    expect(kinds(reduce('norm2', v))).toEqual([]);
    // The margin is relative to the argument's largest entry: 1e-3·(1 + 4) = 5e-3 around 0.
    const y = variable('y', ['n', 1]);
    const local: EvalContext = { ...ctx, values: new Map([['y', Dense.from([[4], [4e-3]])]]) };
    const kindsAt = (options = {}) => evaluateTerms([fn('abs', y)], local, options).issues.map((i) => i.kind);
    expect(kindsAt()).toEqual(['kink']);
    expect(kindsAt({ kinkMargin: 1e-4 })).toEqual([]);
  });

  it('records kink signs and reports a crossing', () => {
    const signs = new Map();
    const t = reduce('sum', fn('abs', v));
    expect(evaluateTerms([t], ctx, { kinkSigns: signs }).issues).toEqual([]);
    const flipped: EvalContext = { ...ctx, values: new Map([...ctx.values, ['v', Dense.from([[3], [-4]])]]) };
    const crossing = evaluateTerms([t], flipped, { kinkSigns: signs }).issues;
    expect(crossing.map((i) => i.kind)).toEqual(['kink']);
    expect(crossing[0]!.message).toMatch(/crosses/);
  });

  it('ill-conditioned: singular and nearly singular inv, det, logdet', () => {
    const singular = mul([ones(['n', 1]), transpose(v)]); // rank one
    expect(kinds(inv(singular))).toContain('ill-conditioned');
    expect(kinds(reduce('det', singular))).toEqual(['ill-conditioned']);
    expect(kinds(reduce('logdet', singular))).toEqual(['domain', 'ill-conditioned']);
    const nearly = add([singular, mul([num(1e-10), eye('n')])]);
    expect(kinds(reduce('det', nearly))).toEqual(['ill-conditioned']);
    expect(kinds(reduce('det', nearly), { conditionLimit: 1e20 })).toEqual([]);
    expect(kinds(inv(A))).toEqual([]);
  });

  it('non-finite: reported once, where it arises', () => {
    const huge = fn('exp', mul([num(1000), v]));
    const found = issuesOf(reduce('sum', huge));
    expect(found.map((i) => i.kind)).toEqual(['non-finite']);
    expect(found[0]!.term).toBe(huge);
    expect(kinds(hdiv(A, zero(['n', 'n'])))).toEqual(['non-finite']);
  });

  it('collects nothing when asked not to', () => {
    expect(kinds(fn('log', x), { collectIssues: false })).toEqual([]);
  });
});

describe('evaluatePlan with stopAtIssue', () => {
  it('ends at the first node with an issue, reporting the same first issue as a whole evaluation', () => {
    // log(x) has an issue (x holds a negative entry); the sum of 200 exponentials after it is not evaluated.
    const later = add(Array.from({ length: 200 }, (_, i) => reduce('sum', fn('exp', mul([num(i + 1), x])))));
    const f = add([reduce('sum', fn('log', x)), later, reduce('sum', fn('sqrt', x))]);
    const plan = planEvaluation([f]);
    const whole = evaluatePlan(plan, ctx);
    const stopped = evaluatePlan(plan, ctx, { stopAtIssue: true });
    expect(whole.issues.length).toBeGreaterThan(1);
    expect(stopped.issues[0]).toEqual(whole.issues[0]);
    expect(stopped.issues.length).toBeLessThan(whole.issues.length);
    expect(stopped.values).toEqual([]);
  });

  it('evaluates everything, as without it, where no node has an issue', () => {
    const f = add([reduce('sum', fn('exp', x)), inner(v, v)]);
    const plan = planEvaluation([f]);
    expect(evaluatePlan(plan, ctx, { stopAtIssue: true }).values[0]!.scalarValue()).toBe(evaluatePlan(plan, ctx).values[0]!.scalarValue());
  });
});
