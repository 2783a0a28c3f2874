import type { OpName } from '../term/term.js';
import { Dense, transpose } from './dense.js';
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
  softmax_rows: ({ args }) => alongRows(args[0]!, softmaxOf),
  softmax_cols: ({ args }) => transpose(alongRows(transpose(args[0]!), softmaxOf)),
  log_softmax_rows: ({ args }) => alongRows(args[0]!, logSoftmaxOf),
  log_softmax_cols: ({ args }) => transpose(alongRows(transpose(args[0]!), logSoftmaxOf)),
  logsumexp_rows: ({ args }) => alongRows(args[0]!, (row) => Float64Array.of(logSumExp(row))),
  logsumexp_cols: ({ args }) => transpose(alongRows(transpose(args[0]!), (row) => Float64Array.of(logSumExp(row)))),
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

/** A function of a vector applied to each row of x; the rows of the result are its values (all of one length). */
function alongRows(x: Dense, f: (row: Float64Array) => Float64Array): Dense {
  const rows: Float64Array[] = [];
  for (let i = 0; i < x.rows; i++) rows.push(f(x.data.subarray(i * x.cols, (i + 1) * x.cols)));
  const width = rows[0]?.length ?? 0;
  const out = new Dense(x.rows, width);
  rows.forEach((r, i) => out.data.set(r, i * width));
  return out;
}

/** exp(xᵢ − logsumexp(x)): each entry at most 1, no overflow. */
function softmaxOf(x: Float64Array): Float64Array {
  const l = logSumExp(x);
  return x.map((v) => Math.exp(v - l));
}

function logSoftmaxOf(x: Float64Array): Float64Array {
  const l = logSumExp(x);
  return x.map((v) => v - l);
}
