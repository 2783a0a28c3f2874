import type { OpName } from '../term/term.js';
import { Dense, sum } from './dense.js';
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
  softmax: ({ args }) => shifted(args[0]!, (v, lse) => Math.exp(v - lse)),
  log_softmax: ({ args }) => shifted(args[0]!, (v, lse) => v - lse),
  mean: ({ args }) => Dense.scalar(sum(args[0]!) / args[0]!.data.length),
  var: ({ args }) => Dense.scalar(variance(args[0]!.data)),
  nrows: ({ args }) => Dense.scalar(args[0]!.rows),
  ncols: ({ args }) => Dense.scalar(args[0]!.cols),
};

/** Each entry from itself and the log-sum-exp of all: exp(xᵢ − lse) never overflows (xᵢ ≤ lse). */
function shifted(x: Dense, f: (v: number, lse: number) => number): Dense {
  const lse = logSumExp(x.data);
  const out = new Dense(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i]!, lse);
  return out;
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

/** The population variance, as np.var: the mean of the squared deviations from the mean (two passes, stable). */
function variance(data: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < data.length; i++) total += data[i]!;
  const mean = total / data.length;
  let squares = 0;
  for (let i = 0; i < data.length; i++) squares += (data[i]! - mean) ** 2;
  return squares / data.length;
}
