import * as T from '../term/factory.js';
import type { Term } from '../term/term.js';
import type { Source } from '../diagnostics/span.js';
import type { PullbackRule } from './rule.js';

/**
 * Rules that need code, with the same metadata as the rules in rules/*.rules, so they appear in
 * `matcalc rules`, in derivations and in the generated soundness tests. Keep this list short.
 */
export interface NativePullbackRule extends PullbackRule {
  /** The contributions for the bound operands, given the adjoint. */
  compute(bindings: ReadonlyMap<string, Term>): Map<string, Term>;
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

export const NATIVE_LHS_TEXT: ReadonlyMap<string, string> = new Map([['pull.mpower', '<?G, d(?A ^ 3)>']]);

export const NATIVE_RULES: readonly NativePullbackRule[] = [mpowRule];

export function isNative(rule: PullbackRule): rule is NativePullbackRule {
  return rule.native;
}
