import { InternalError } from '../diagnostics/diagnostic.js';
import type { OpName } from '../term/term.js';
import { abstractDerivative, abstractElementwise, abstractGradient, abstractScalar } from './abstract-values.js';
import { Dense, sum, transpose } from './dense.js';
import { Lu } from './dense-lu.js';
import * as dense from './dense.js';
import type { EvalIssue } from './eval-types.js';
import * as K from './kronecker.js';
import { expm, expmFrechet, expmFrechet2 } from './matrix-functions.js';
import * as spectral from './spectral.js';
import * as principal from './principal-functions.js';

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
  expm: ({ args }) => expm(args[0]!),
  expm_frechet: ({ args }) => expmFrechet(args[0]!, args[1]!),
  expm_frechet2: ({ args }) => expmFrechet2(args[0]!, args[1]!, args[2]!),
  specnorm: (a) => Dense.scalar(spectral.specnorm(simpleTopSingular(a))),
  specnorm_grad: (a) => spectral.specnormGrad(simpleTopSingular(a)),
  specnorm_hess: (a) => spectral.specnormHess(simpleTopSingular(a), a.args[1]!),
  eigmax: (a) => Dense.scalar(spectral.eigmax(simpleTopEigen(a))),
  eigmax_grad: (a) => spectral.eigmaxGrad(simpleTopEigen(a)),
  eigmax_hess: (a) => spectral.eigmaxHess(simpleTopEigen(a), a.args[1]!),
  nucnorm: (a) => Dense.scalar(spectral.nuclearNorm(fullRank(a))),
  polar: (a) => spectral.polar(fullRank(a)),
  polar_frechet: (a) => spectral.polarFrechet(fullRank(a), a.args[1]!),
  softmax_rows: ({ args }) => alongRows(args[0]!, softmaxOf),
  softmax_cols: ({ args }) => transpose(alongRows(transpose(args[0]!), softmaxOf)),
  log_softmax_rows: ({ args }) => alongRows(args[0]!, logSoftmaxOf),
  log_softmax_cols: ({ args }) => transpose(alongRows(transpose(args[0]!), logSoftmaxOf)),
  logsumexp_rows: ({ args }) => alongRows(args[0]!, (row) => Float64Array.of(logSumExp(row))),
  logsumexp_cols: ({ args }) => transpose(alongRows(transpose(args[0]!), (row) => Float64Array.of(logSumExp(row)))),
  // Abstract functions: the smooth functions the check substitutes for them, chosen by the name's code.
  absfn: ({ args }) => abstractScalar(args[0]!.scalarValue(), args[1]!),
  absgrad: ({ args }) => abstractGradient(args[0]!.scalarValue(), args[1]!),
  absew: ({ args }) => abstractElementwise(args[0]!.scalarValue(), args[1]!),
  absewd: ({ args }) => abstractDerivative(args[0]!.scalarValue(), args[1]!),
  pinv: ({ args, issue }) => pseudoInverse(args[0]!, issue),
  sqrtm: (a) => principal.sqrtm(principalBranch(a)),
  sqrtm_frechet: (a) => principal.sqrtmFrechet(principalBranch(a), a.args[1]!),
  logm: (a) => principal.logm(principalBranch(a)),
  logm_frechet: (a) => principal.logmFrechet(principalBranch(a), a.args[1]!),
  kron: ({ args }) => K.kron(args[0]!, args[1]!),
  kron_contract_left: ({ args }) => K.kronContractLeft(args[0]!, args[1]!),
  kron_contract_right: ({ args }) => K.kronContractRight(args[0]!, args[1]!),
  vec: ({ args }) => K.vec(args[0]!),
  unvec: ({ args }) => K.unvec(args[0]!, args[1]!),
  // Rows of one length, top to bottom: row-major data concatenated.
  // Blocks of one width, row-major: their data one after another is the stack's.
  vstack: ({ args }) => new Dense(args.reduce((n, a) => n + a.rows, 0), args[0]!.cols, Float64Array.from(args.flatMap((a) => [...a.data]))),
  matpow: (a) => dense.matrixPower(a.args[0]!, integerExponent(a)),
  // Its first argument is read at V = eⱼ, not at V's value: evaluate.ts expands it before any value is computed.
  columns: () => {
    throw new InternalError('columns(B, V) reached the evaluator unexpanded');
  },
  powsum: (a) => powerSum(a.args[0]!, integerExponent(a), a.args[2]!),
};

/**
 * The exponent of Xⁿ: the check draws n as a small integer ≥ 0 (sample.ts); any other value (n − 1 at
 * n = 0, a value the user passes) is outside the domain, reported, and evaluated at 0 so the point is dropped.
 */
function integerExponent({ args, issue }: OpArguments): number {
  const n = args[1]!.data[0]!;
  if (Number.isInteger(n) && n >= 0 && n <= 10_000) return n;
  issue('domain', `the exponent of a matrix power is ${n}, not an integer in 0…10,000 (the largest matrix power, as for a constant exponent)`);
  return 0;
}

/** Σₖ₌₀ⁿ⁻¹ (Xᵀ)ᵏ G (Xᵀ)ⁿ⁻¹⁻ᵏ, by the powers of Xᵀ computed once. */
function powerSum(x: Dense, n: number, g: Dense): Dense {
  const a = transpose(x);
  const powers = [dense.matrixPower(a, 0)];
  for (let k = 1; k < n; k++) powers.push(dense.matmul(powers[k - 1]!, a));
  const out = new Dense(g.rows, g.cols);
  for (let k = 0; k < n; k++) dense.addInto(out, dense.matmul(dense.matmul(powers[k]!, g), powers[n - 1 - k]!));
  return out;
}

/** The first argument, after reporting a point outside the principal branch's domain or near its boundary. */
function principalBranch({ args, issue }: OpArguments): Dense {
  const why = principal.principalIssue(args[0]!);
  if (why !== undefined) issue('domain', why);
  return args[0]!;
}

/** Each entry from itself and the log-sum-exp of all: exp(xᵢ − lse) never overflows (xᵢ ≤ lse). */
function shifted(x: Dense, f: (v: number, lse: number) => number): Dense {
  const lse = logSumExp(x.data);
  const out = new Dense(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i]!, lse);
  return out;
}

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

/**
 * The least relative gap between the top two singular values or eigenvalues, and the least relative
 * smallest singular value, at which a point is fit for checking: nearer a repeated top value (a kink
 * of σ₁ and λ_max) or a rank drop (a kink of ‖X‖_*), finite differences straddle the kink.
 */
const SPECTRAL_MARGIN = 1e-2;

/** The first argument, after reporting a point where its top singular value is (nearly) repeated. */
function simpleTopSingular({ args, issue }: OpArguments): Dense {
  const s = spectral.singularValues(args[0]!);
  const gap = s.length < 2 ? Number.POSITIVE_INFINITY : (s[0]! - s[1]!) / Math.max(s[0]!, 1e-300);
  if (!(gap > SPECTRAL_MARGIN)) issue('kink', `the top two singular values are (nearly) equal (${fmt(s[0])}, ${fmt(s[1])})`);
  return args[0]!;
}

/** The first argument, after reporting a point where the top eigenvalue of its symmetric part is (nearly) repeated. */
function simpleTopEigen({ args, issue }: OpArguments): Dense {
  const values = spectral.symmetricEigen(args[0]!).values;
  if (!(spectral.topGap(values) > SPECTRAL_MARGIN)) issue('kink', `the top two eigenvalues are (nearly) equal (${fmt(values[0])}, ${fmt(values[1])})`);
  return args[0]!;
}

/** The first argument, after reporting a point where it is (nearly) rank-deficient. */
function fullRank({ args, issue }: OpArguments): Dense {
  const s = spectral.singularValues(args[0]!);
  const smallest = s[s.length - 1]!;
  if (!(smallest > SPECTRAL_MARGIN * Math.max(s[0]!, 1e-300))) issue('domain', `the matrix is (nearly) rank-deficient (σ_min = ${fmt(smallest)})`);
  return args[0]!;
}

const fmt = (v: number | undefined): string => (v === undefined ? '—' : v.toPrecision(3));
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

/** The population variance, as np.var: the mean of the squared deviations from the mean (two passes, stable). */
function variance(data: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < data.length; i++) total += data[i]!;
  const mean = total / data.length;
  let squares = 0;
  for (let i = 0; i < data.length; i++) squares += (data[i]! - mean) ** 2;
  return squares / data.length;
}
