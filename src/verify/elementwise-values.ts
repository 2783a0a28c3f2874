import type { ElementwiseFn } from '../term/term.js';
import { erf } from './special.js';

/**
 * The numeric element-wise functions (stable where the naive formula overflows) and the policy
 * about them: each one's domain, the kinks to stay away from, the underflow floor. Data the
 * evaluator (evaluator.ts) reads; separate so the table reads on its own.
 */

/** Element-wise functions, numerically stable where the naive formula overflows. */
export const ELEMENTWISE: Record<ElementwiseFn, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  // exp of a negative argument only: no overflow for large |x|.
  sigmoid: (x) => {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  },
  relu: (x) => (x > 0 ? x : x <= 0 ? 0 : x), // NaN stays NaN
  // log(1 + eˣ) = log1p(e^−|x|) + max(x, 0): no overflow, and no loss of precision for large −x.
  softplus: (x) => Math.log1p(Math.exp(-Math.abs(x))) + (x > 0 ? x : 0),
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  step: (x) => (x > 0 ? 1 : x < 0 ? 0 : x === 0 ? 0.5 : NaN),
  log1p: Math.log1p,
  expm1: Math.expm1,
  log2: Math.log2,
  log10: Math.log10,
  // log σ(x) = −softplus(−x) = min(x, 0) − log1p(e^−|x|): no overflow, and exact for large −x.
  logsigmoid: (x) => (x < 0 ? x : x >= 0 ? 0 : x) - Math.log1p(Math.exp(-Math.abs(x))),
  sinh: Math.sinh,
  cosh: Math.cosh,
  arctan: Math.atan,
  erf,
};

/** The open lower bound of each function's domain (log needs x > 0); a function not listed takes every real. */
export const DOMAIN_LOWER_BOUND: Partial<Record<ElementwiseFn, number>> = { log: 0, log2: 0, log10: 0, log1p: -1 };

/** The smallest positive normal double: below it a value has lost precision (and soon all of it). */
export const MIN_NORMAL = 2.2250738585072014e-308;

export const KINK_FNS: ReadonlySet<ElementwiseFn> = new Set(['abs', 'relu', 'sign', 'step']);
