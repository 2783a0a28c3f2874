import { describe, test } from 'vitest';
import { emitLatex } from '../../src/emit/latex.js';
import { emitNumpy } from '../../src/emit/numpy.js';
import { emitTorch } from '../../src/emit/torch.js';
import * as F from '../../src/term/factory.js';
import type { Term } from '../../src/term/term.js';
import { A, n, SIZES, a, alpha, b, expectSameValue, M, neg, S, s, T, t, W, W1, X, x, xi, y } from '../helpers/round-trip.js';

/**
 * What the LaTeX, NumPy and PyTorch printers write, for terms of every kind, parses back (through the
 * dialects) to a term of the same value. The text and ASCII printers have the same test in
 * test/unit/emit/round-trip.test.ts; the golden examples are in round-trip.test.ts beside this file.
 */

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
  ['variable powers', F.add([F.fn('exp', F.hmul([x, F.fn('log', F.fn('sigmoid', a))])), F.fn('exp', F.mul([F.fn('log', s), b])), F.mul([W, F.fn('exp', F.hmul([F.fn('log', F.fn('exp', X)), M])), x])])],
  ['more functions', F.add([F.fn('log1p', x), F.fn('expm1', a), F.fn('log2', F.fn('sigmoid', b)), F.fn('log10', F.fn('exp', x)), F.fn('logsigmoid', a), F.fn('sinh', b), F.fn('cosh', x), F.fn('arctan', a), F.fn('erf', b), F.epow(F.fn('log2', F.fn('cosh', x)), F.num(2))])],
  ['reductions', F.add([F.reduce('trace', X), F.reduce('det', X), F.reduce('logdet', X), F.reduce('sum', S), F.reduce('norm2', X), F.reduce('norm2', x), F.reduce('norm1', a), F.inner(S, M)])],
  ['diag', F.add([F.mul([F.diagm(a), b]), F.diag(S)])],
  ['X + sI', F.add([X, F.mul([s, F.eye(n)])])],
  ['names', F.add([F.mul([W1, xi]), F.mul([alpha, x]), F.mul([s, xi, T(x), a])])],
  ['shared σ(WX)', F.mul([T(W), F.hmul([F.mul([F.add([M, T(M)]), Y]), Y, F.add([F.ones([n, n]), neg(Y)])])])],
  // Stacked vector functions (src/emit/stacked.ts): [f; g], rows [aᵀ; bᵀ], a row [s, t], a matrix of entries.
  ['[f; g; h]', F.op('vstack', [s, F.mul([s, t]), F.fn('exp', F.mul([T(a), x]))])],
  ['[aᵀ; bᵀ]x', F.mul([F.op('vstack', [T(a), T(b)]), x])],
  ['[s, t][t; s]', F.mul([T(F.op('vstack', [s, t])), F.op('vstack', [t, F.mul([s, s])])])],
  ['[s, t; t, st]', F.op('vstack', [T(F.op('vstack', [s, t])), T(F.op('vstack', [t, F.mul([s, t])]))])],
  ['[a, b]ᵀx', F.mul([T(T(F.op('vstack', [T(a), T(b)]))), x])],
  // vec and unvec print as reshapes (emit/kronecker-code.ts), which the dialects read back.
  ['vec and unvec', F.add([F.mul([T(F.op('vec', [X])), F.op('vec', [F.mul([M, X])])]), F.reduce('sum', F.hmul([F.op('unvec', [F.op('vec', [F.fn('exp', X)]), M]), M]))])],
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
