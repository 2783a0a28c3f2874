import type { OpName } from '../term/term.js';
import { abstractDerivative, abstractElementwise, abstractGradient, abstractScalar } from './abstract-values.js';
import { Dense } from './dense.js';
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
  // Abstract functions: the smooth functions the check substitutes for them, chosen by the name's code.
  absfn: ({ args }) => abstractScalar(args[0]!.scalarValue(), args[1]!),
  absgrad: ({ args }) => abstractGradient(args[0]!.scalarValue(), args[1]!),
  absew: ({ args }) => abstractElementwise(args[0]!.scalarValue(), args[1]!),
  absewd: ({ args }) => abstractDerivative(args[0]!.scalarValue(), args[1]!),
};

/** log Σ exp(xᵢ) = m + log Σ exp(xᵢ − m) with m = max xᵢ: no term overflows, the largest is exp(0) = 1. */
export function logSumExp(x: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of x) if (v > m) m = v;
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  return m + Math.log(s);
}
