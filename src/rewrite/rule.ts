import type { Source, Span } from '../diagnostics/span.js';
import type { Ast } from '../syntax/ast.js';
import type { TermKind } from '../term/term.js';
import type { Guard, TermPattern } from './pattern.js';

export type RuleId = `${string}.${string}`;

export type { Guard };

/** What every rule carries, data or native: listed by `matcalc rules`, recorded in derivations, tested. */
export interface RuleInfo {
  readonly id: RuleId;
  readonly doc: string;
  readonly reference?: string;
  /** The rule file and the stanza's span (native rules: their defining module). */
  readonly source: Source;
  readonly origin: Span;
  /** `pullback`: ⟨G, d(op(…))⟩ ⇒ Σ ⟨Cᵢ, d(childᵢ)⟩ (the reverse sweep); `simplify`: lhs ⇒ rhs (an identity). */
  readonly family: 'pullback' | 'simplify';
  readonly native: boolean;
  /** The rule as written (for listings). */
  readonly text: string;
}

/** The head a pullback rule applies to: a term kind (and for element-wise functions, the function). */
export interface PullbackHead {
  readonly kind: TermKind;
  readonly fn?: string;
}

export interface PullbackRule extends RuleInfo {
  readonly family: 'pullback';
  readonly head: PullbackHead;
  /** Pattern variable bound to the adjoint (G for ?G: names are stored without the "?"). */
  readonly adjoint: string;
  /** Pattern variables bound to the node's operands, in order (binary view for n-ary nodes). */
  readonly operands: readonly string[];
  readonly guards: readonly Guard[];
  /** The parsed left side ⟨?G, d(op(…))⟩ (for soundness tests). */
  readonly lhs: Ast;
  /** One contribution per operand that receives one: ⟨coefficient, d(?operand)⟩. Empty: the derivative is 0. */
  readonly contributions: readonly { readonly operand: string; readonly coefficient: Ast }[];
}

export interface SimplifyRule extends RuleInfo {
  readonly family: 'simplify';
  readonly lhs: Ast;
  readonly rhs: Ast;
  readonly guards: readonly Guard[];
  /**
   * `file`: a local identity (`local` in the rule file), which the simplifier matches at each node it
   * builds and replaces by the instantiated right side (src/simplify/local.ts); `code`: applied by
   * the simplifier's code (a normal form, a search, a property), which cites the id where it applies it.
   */
  readonly applied: 'file' | 'code';
  /** The left side as a pattern over term kinds, for a rule applied from the file. */
  readonly pattern?: TermPattern;
}

export type Rule = PullbackRule | SimplifyRule;
