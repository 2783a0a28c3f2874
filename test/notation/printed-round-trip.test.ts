import { describe, expect, test } from 'vitest';
import { emitLatex } from '../../src/emit/latex.js';
import { emitNumpy } from '../../src/emit/numpy.js';
import { emitTorch } from '../../src/emit/torch.js';
import { inferShapes } from '../../src/shape/infer.js';
import { parseProgram } from '../../src/syntax/parse.js';
import * as F from '../../src/term/factory.js';
import type { Term } from '../../src/term/term.js';
import { postOrder } from '../../src/term/traverse.js';
import { Dense, maxAbs, subtract } from '../../src/verify/dense.js';
import { evaluateTerm } from '../../src/verify/evaluate.js';

/**
 * What the LaTeX, NumPy and PyTorch printers write, for terms of every kind, parses back (through the
 * dialects) to a term of the same value. The text and ASCII printers have the same test in
 * test/unit/emit/round-trip.test.ts; the golden examples are in round-trip.test.ts beside this file.
 */
const SIZES = new Map([
  ['n', 3],
  ['m', 4],
]);
const [n, m] = ['n', 'm'];
const X = F.variable('X', [n, n]);
const S = F.variable('S', [n, n]);
const M = F.variable('M', [n, n]);
const W = F.variable('W', [n, n]);
const W1 = F.variable('W1', [n, n]);
const A = F.variable('A', [m, n]);
const x = F.variable('x', [n, 1]);
const xi = F.variable('x_i', [n, 1]);
const y = F.variable('y', [m, 1]);
const a = F.variable('a', [n, 1]);
const b = F.variable('b', [n, 1]);
const s = F.variable('s', [1, 1]);
const t = F.variable('t', [1, 1]);
const alpha = F.variable('α', [1, 1]);
const T = F.transpose;
const neg = (term: Term): Term => F.mul([F.num(-1), term]);

function inputs(): Map<string, Dense> {
  let state = 777;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const values = new Map<string, Dense>();
  for (const v of [X, S, M, W, W1, A, x, xi, y, a, b, s, t, alpha]) {
    const size = (d: string | number): number => (typeof d === 'number' ? d : SIZES.get(d)!);
    const d = new Dense(size(v.shape[0]), size(v.shape[1]));
    for (let i = 0; i < d.data.length; i++) d.data[i] = d.data.length === 1 ? 1 + next() : next();
    if (v === X) for (let i = 0; i < d.rows; i++) d.data[i * d.cols + i]! += 4;
    values.set(v.name, d);
  }
  return values;
}
const VALUES = inputs();

function parseBack(text: string, original: Term): Term {
  const dims = new Map<string, readonly [number, number]>();
  for (const v of postOrder([original]).filter((u) => u.kind === 'var')) {
    const size = (d: string | number): number => (typeof d === 'number' ? d : SIZES.get(d)!);
    dims.set(v.name, [size(v.shape[0]), size(v.shape[1])]);
  }
  const source = { name: '<printed>', text };
  const parsed = parseProgram(source, { knownNames: new Set(dims.keys()) });
  if (!parsed.ok) throw new Error(`${text}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  const typed = inferShapes(parsed.value, source, { dims });
  if (!typed.ok) throw new Error(`${text}: ${typed.diagnostics.map((d) => d.message).join('; ')}`);
  return typed.value.term;
}

function expectSameValue(text: string, original: Term): void {
  const context = { values: VALUES, dimSizes: SIZES };
  const want = evaluateTerm(original, context);
  const got = evaluateTerm(parseBack(text, original), context);
  expect([got.rows, got.cols], text).toEqual([want.rows, want.cols]);
  expect(maxAbs(subtract(got, want)), text).toBeLessThan(1e-9 * (1 + maxAbs(want)));
}

const Y = F.fn('sigmoid', F.mul([W, X]));
const e = F.fn('exp', F.mul([X, b]));
const CASES: [string, Term][] = [
  ['(exp(Xb) ⊙ a)bᵀ', F.mul([F.hmul([e, a]), T(b)])],
  ['2Aᵀ(Ax − y)', F.mul([F.num(2), T(A), F.add([F.mul([A, x]), neg(y)])])],
  ['X⁻ᵀ and (Xᵀ)⁻¹', F.add([T(F.inv(X)), F.inv(T(X))])],
  ['3(X²)ᵀ', F.mul([F.num(3), T(F.mpow(X, 2))])],
  ['xᵀSx', F.mul([T(x), S, x])],
  ['−(xᵀSx)x + Sxxᵀa', F.add([F.mul([F.num(-1), F.mul([T(x), S, x]), x]), F.mul([S, x, T(x), a])])],
  ['(S + Sᵀ)x / (xᵀx)', F.mul([F.add([S, T(S)]), x, F.epow(F.mul([T(x), x]), F.num(-1))])],
  ['2Sx / ‖x‖', F.mul([F.num(2), S, x, F.epow(F.reduce('norm2', x), F.num(-1))])],
  ['−2sx / t²', F.mul([F.num(-2), s, F.epow(t, F.num(-2)), x])],
  ['1 − W + s𝟙', F.add([F.ones([n, n]), neg(W), F.mul([s, F.ones([n, n])])])],
  ['element-wise', F.add([F.hmul([a, b, x]), F.hdiv(a, F.hmul([b, b])), F.hmul([a, neg(b)]), F.hmul([a, F.mul([S, x])])])],
  ['powers', F.add([F.epow(x, F.num(2)), F.epow(F.hmul([x, x]), s), F.mul([F.epow(s, F.num(2)), F.epow(F.add([s, t]), F.num(3)), a])])],
  ['fractional powers', F.add([F.epow(F.hmul([x, x]), F.num(0.5)), F.mul([F.epow(s, F.num(0.5)), a])])],
  ['functions', F.add([F.fn('sigmoid', x), F.fn('tanh', a), F.fn('relu', b), F.fn('softplus', x), F.fn('sqrt', F.fn('abs', a)), F.fn('sign', b), F.fn('step', x), F.fn('log', F.fn('exp', a))])],
  ['reductions', F.add([F.reduce('trace', X), F.reduce('det', X), F.reduce('logdet', X), F.reduce('sum', S), F.reduce('norm2', X), F.reduce('norm2', x), F.reduce('norm1', a), F.inner(S, M)])],
  ['diag', F.add([F.mul([F.diagm(a), b]), F.diag(S)])],
  ['X + sI', F.add([X, F.mul([s, F.eye(n)])])],
  ['names', F.add([F.mul([W1, xi]), F.mul([alpha, x]), F.mul([s, xi, T(x), a])])],
  ['shared σ(WX)', F.mul([T(W), F.hmul([F.mul([F.add([M, T(M)]), Y]), Y, F.add([F.ones([n, n]), neg(Y)])])])],
  ['nested sharing', F.add([F.mul([S, F.hmul([e, a])]), F.mul([T(S), F.hmul([e, a])]), F.hdiv(e, F.add([F.hmul([e, a]), F.ones([n, 1])]))])],
];

/** LaTeX with its shared definitions after `\quad\text{where}`, as report.ts writes it. */
function latexProgram(term: Term): string {
  const printed = emitLatex([term]);
  if (printed.where.length === 0) return printed.main[0]!;
  return `${printed.main[0]!} \\quad\\text{where } ${printed.where.map((w) => `${w.name} = ${w.text}`).join(',\\ ')}`;
}

const dimExpr = (d: string | number): string => String(typeof d === 'number' ? d : SIZES.get(d)!);

describe('printed LaTeX, NumPy and PyTorch parse back to the same value', () => {
  test.each(CASES)('LaTeX: %s', (_name, term) => expectSameValue(latexProgram(term), term));
  test.each(CASES)('NumPy: %s', (_name, term) => expectSameValue(emitNumpy(term, { dimExpr }), term));
  test.each(CASES)('PyTorch: %s', (_name, term) => expectSameValue(emitTorch(term, { dimExpr }), term));
});
