import type { Term } from '../term/term.js';
import type { Dense } from './dense.js';

/**
 * What the numeric evaluator is given (EvalContext, EvalOptions, KnownValues) and what it reports
 * (EvalIssue). Separate so the evaluator (evaluator.ts) and its entry points (evaluate.ts) share
 * them without importing each other.
 */

export interface EvalContext {
  values: ReadonlyMap<string, Dense>;
  dimSizes: ReadonlyMap<string, number>;
}

export interface EvalIssue {
  kind: 'domain' | 'kink' | 'ill-conditioned' | 'non-finite' | 'underflow';
  message: string;
  term: Term;
}

export interface EvalOptions {
  /** An argument of abs/relu/sign/step/norm1 within kinkMargin·(1 + max|arg|) of 0 is a kink. Default 1e-3. */
  kinkMargin?: number;
  /** inv/det/logdet of a matrix whose ‖A‖_F‖A⁻¹‖_F exceeds this is ill-conditioned. Default 1e8. */
  conditionLimit?: number;
  /** Default true. When false no check runs (kinkSigns included), and det/logdet skip the inverse the condition estimate needs. */
  collectIssues?: boolean;
  /**
   * Values taken as given instead of computed (their subterms are not visited). The gradient checker
   * passes the base-point values of the nodes that do not depend on the perturbed variable.
   */
  known?: KnownValues;
  /** When given, receives the value of every node computed (then no intermediate value is freed). */
  memoOut?: Map<Term, Dense>;
  /**
   * Sign patterns of kink arguments: a node absent from the map has its argument's signs recorded; a
   * node present is compared, and a changed sign is a 'kink' issue. This is how the checker notices a
   * step X ± hV that jumps across a kink without landing near it.
   */
  kinkSigns?: Map<Term, Int8Array>;
}

/**
 * Values taken as given (a Map works): only `has` and `get` are used, so a view over another table
 * (the base point's values of the nodes that do not move) costs nothing to make.
 */
export interface KnownValues {
  has(t: Term): boolean;
  get(t: Term): Dense | undefined;
}
