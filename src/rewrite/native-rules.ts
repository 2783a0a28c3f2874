import * as T from '../term/factory.js';
import type { Dim, Term } from '../term/term.js';
import type { Source } from '../diagnostics/span.js';
import type { PullbackRule } from './rule.js';

/**
 * Rules that need code, with the same metadata as the rules in rules/*.rules, so they appear in
 * `matcalc rules`, in derivations and in the generated soundness tests. Keep this list short.
 */
export interface NativePullbackRule extends PullbackRule {
  /** The contributions for the bound operands, given the adjoint. */
  compute(bindings: ReadonlyMap<string, Term>): Map<string, Term>;
  /**
   * For a node of any number of operands (vstack): the contribution to each operand by its index,
   * given the adjoint; `operands` then names the first two only, for the listing.
   */
  computeEach?(adjoint: Term, operands: readonly Term[]): Map<number, Term>;
}

const MPOW_TEXT = '<?G, d(?A ^ ?k)> => <Σⱼ (Aʲ)ᵀ G (Aᵏ⁻¹⁻ʲ)ᵀ, d(?A)>';
const mpowSource: Source = { name: 'src/rewrite/native-rules.ts', text: MPOW_TEXT };

/** (Aᵀ)ʲ as a canonical term: transposes outside powers. */
function transposedPower(a: Term, j: number): Term | undefined {
  if (j === 0) return undefined;
  if (j === 1) return T.transpose(a);
  return T.transpose(T.mpow(a, j));
}

/**
 * d(Aᵏ) = Σⱼ Aʲ dA Aᵏ⁻¹⁻ʲ, so the pullback of G is Σⱼ (Aʲ)ᵀ G (Aᵏ⁻¹⁻ʲ)ᵀ: k terms, which the
 * simplifier collects to k(Aᵏ⁻¹)ᵀ when G commutes with A (e.g. G = gI from a trace).
 */
const mpowRule: NativePullbackRule = {
  id: 'pull.mpower',
  doc: '⟨G, d(Aᵏ)⟩ = ⟨Σⱼ (Aʲ)ᵀ G (Aᵏ⁻¹⁻ʲ)ᵀ, dA⟩ for an integer k ≥ 2',
  source: mpowSource,
  origin: { start: 0, end: MPOW_TEXT.length },
  family: 'pullback',
  native: true,
  text: MPOW_TEXT,
  head: { kind: 'mpow' },
  adjoint: 'G',
  operands: ['A', 'k'],
  guards: [],
  // No parsed left side: the soundness tests and the listing check parse NATIVE_LHS_TEXT below instead.
  lhs: { kind: 'number', value: 0, span: { start: 0, end: 0 } },
  contributions: [],
  compute(bindings) {
    const g = bindings.get('G')!;
    const a = bindings.get('A')!;
    const k = bindings.get('k')!;
    if (k.kind !== 'num') throw new Error('pull.mpower: the exponent must be a number');
    const terms: Term[] = [];
    for (let j = 0; j < k.value; j++) {
      const left = transposedPower(a, j);
      const right = transposedPower(a, k.value - 1 - j);
      terms.push(T.mul([...(left ? [left] : []), g, ...(right ? [right] : [])]));
    }
    return new Map([['A', T.add(terms)]]);
  },
};

const VSTACK_TEXT = '<?G, d([?a₁; …; ?a_k])> => Σᵢ <Sᵢᵀ G, d(?aᵢ)>';
const vstackSource: Source = { name: 'src/rewrite/native-rules.ts', text: VSTACK_TEXT };

/**
 * Sᵢ, the selection of block i of a stack of blocks with p₁, …, p_k rows: the stack [0; …; I; …; 0]
 * of p_j × pᵢ blocks (0-based i), so SᵢᵀG reads block i of an adjoint G — [I, 0]G for x in [x; y].
 * For scalar entries it is the unit column eᵢ, the stack of numbers [0; …; 1; …; 0]. The simplifier
 * multiplies it out against a stack (simp.stack-inner, simp.block-product).
 */
export function selection(i: number, rows: readonly Dim[]): Term {
  const p = rows[i]!;
  return T.op(
    'vstack',
    rows.map((q, j) => (q === 1 && p === 1 ? T.num(j === i ? 1 : 0) : j === i ? T.eye(p) : T.zero([q, p]))),
  );
}

/**
 * The stack of k blocks a₁ … a_k (scalars, rows, columns, matrices of one width): ⟨G, d[a₁; …; a_k]⟩
 * = Σᵢ ⟨Gᵢ, daᵢ⟩ with Gᵢ = SᵢᵀG, block i of G (row i for scalars and rows). Code, not a rule of the
 * file: the rule language has no pattern for any number of operands.
 */
const vstackRule: NativePullbackRule = {
  id: 'pull.vstack',
  doc: '⟨G, d[a₁; …; a_k]⟩ = Σᵢ ⟨SᵢᵀG, daᵢ⟩: block i of G (row i for a stacked row or scalar; [I, 0]G for x in [x; y])',
  source: vstackSource,
  origin: { start: 0, end: VSTACK_TEXT.length },
  family: 'pullback',
  native: true,
  text: VSTACK_TEXT,
  head: { kind: 'op', fn: 'vstack' },
  adjoint: 'G',
  operands: ['a', 'b'],
  guards: [],
  lhs: { kind: 'number', value: 0, span: { start: 0, end: 0 } },
  contributions: [],
  compute(bindings) {
    const each = this.computeEach!(bindings.get('G')!, [bindings.get('a')!, bindings.get('b')!]);
    return new Map([...each].map(([i, c]) => [i === 0 ? 'a' : 'b', c]));
  },
  computeEach(adjoint, operands) {
    const out = new Map<number, Term>();
    const rows = operands.map((a) => a.shape[0]);
    operands.forEach((_, i) => out.set(i, T.mul([T.transpose(selection(i, rows)), adjoint])));
    return out;
  },
};

export const NATIVE_LHS_TEXT: ReadonlyMap<string, string> = new Map([
  ['pull.mpower', '<?G, d(?A ^ 3)>'],
  ['pull.vstack', '<?G, d([?a; ?b])>'],
]);

export const NATIVE_RULES: readonly NativePullbackRule[] = [mpowRule, vstackRule];

export function isNative(rule: PullbackRule): rule is NativePullbackRule {
  return rule.native;
}
