import type { OpName } from '../term/term.js';
import * as dense from './dense.js';
import { Dense } from './dense.js';
import { Lu } from './dense-lu.js';
import type { EvalIssue } from './eval-types.js';

/**
 * The value of each op of term/ops.ts, from its arguments' values: the evaluator's one table per op
 * (typed `Record<OpName, …>`, so an op without its arithmetic does not compile). Each entry computes
 * the function the numerically careful way (a log-sum-exp is shifted by its maximum: the check draws
 * moderate inputs, but a Hessian's check differentiates the value at large ones too) and may report
 * why a point is unfit for checking a derivative (outside the domain, near a kink), as the evaluator
 * does for its own kinds.
 */
export interface OpArguments {
  readonly args: readonly Dense[];
  /** Records why the value is unfit for a derivative check (when the evaluator collects issues). */
  readonly issue: (kind: EvalIssue['kind'], message: string) => void;
}

export const OP_VALUES: Record<OpName, (a: OpArguments) => Dense> = {
  logsumexp: ({ args }) => Dense.scalar(logSumExp(args[0]!.data)),
  pinv: ({ args, issue }) => pseudoInverse(args[0]!, issue),
};

/**
 * Where the condition of XᵀX (or XXᵀ), ‖G‖_F‖G⁻¹‖_F, exceeds this, X is too close to losing rank for
 * its pseudo-inverse to be checked: X⁺ jumps where the rank drops (its derivative holds at full rank).
 */
const GRAM_CONDITION_LIMIT = 1e8;

/**
 * X⁺ of a full-rank X by its Gram matrix: (XᵀX)⁻¹Xᵀ for a tall or square X (full column rank),
 * Xᵀ(XXᵀ)⁻¹ for a wide one (full row rank). A Gram matrix that is singular or ill-conditioned is
 * outside the domain the rule holds on: reported, so the sampler draws again.
 */
function pseudoInverse(x: Dense, issue: OpArguments['issue']): Dense {
  const xt = dense.transpose(x);
  const tall = x.rows >= x.cols;
  const gram = tall ? dense.matmul(xt, x) : dense.matmul(x, xt);
  const lu = new Lu(gram);
  const gramInverse = lu.inverse();
  const condition = dense.normFrobenius(gram) * dense.normFrobenius(gramInverse);
  if (lu.singular || !(condition <= GRAM_CONDITION_LIMIT)) {
    issue('ill-conditioned', `pinv of a matrix that is (nearly) rank-deficient (condition of its Gram matrix ≈ ${condition.toPrecision(2)})`);
  }
  return tall ? dense.matmul(gramInverse, xt) : dense.matmul(xt, gramInverse);
}

/** log Σ exp(xᵢ) = m + log Σ exp(xᵢ − m) with m = max xᵢ: no term overflows, the largest is exp(0) = 1. */
export function logSumExp(x: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > m) m = v;
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  return m + Math.log(s);
}
