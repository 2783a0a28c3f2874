import { blockDims } from './kronecker-code.js';
import { eyeColumns } from './columns-code.js';
import * as K from './kronecker-code.js';
import { abstractFunctionName } from '../term/abstract-functions.js';
import type { Dim, ElementwiseFn, OpName, TermOf } from '../term/term.js';
import * as S from './spectral-code.js';
import * as PW from './power-code.js';
import { abstractParameter, call, POWER, PRIMARY, py, UNARY, wrap, type Py } from './python-text.js';

/**
 * How each term is spelled in a Python array library: NumPy's table here, PyTorch's (torch.ts) and
 * JAX's (jax.ts, NumPy's respelled) beside it; numpy.ts prints a term with any of them.
 */

export interface PythonDialect {
  readonly functions: Record<ElementwiseFn, (x: Py) => Py>;
  readonly zeros: (rows: string, cols: string) => Py;
  readonly ones: (rows: string, cols: string) => Py;
  readonly eye: (n: string) => Py;
  readonly sum: (x: string) => Py;
  readonly abs: (x: string) => Py;
  readonly log: (x: string) => Py;
  readonly inv: (x: string) => Py;
  /** A⁻¹B without forming A⁻¹ (python-solve.ts); without it an inverse is printed as inv(A) @ B. */
  readonly solve?: (a: string, b: string) => Py;
  readonly matrixPower: (x: string, k: string) => Py;
  readonly trace: (x: string) => Py;
  readonly det: (x: string) => Py;
  readonly logdet: (x: string) => Py;
  readonly norm: (x: string) => Py;
  readonly diag: (x: string) => Py;
  readonly diagm: (x: string) => Py;
  /**
   * Blocks of one height side by side, left to right: [A, B] (matrices or columns, never scalars).
   * Without it a row of blocks is printed as the term spells it, (vstack(Aᵀ, Bᵀ))ᵀ.
   */
  readonly hstack?: (blocks: readonly Py[]) => Py;
  /**
   * Each op of term/ops.ts, from its printed arguments (vectors are (n, 1) arrays, a [1, 1] argument
   * may be a Python float). Numerically stable where the textbook says so: a log-sum-exp shifts by
   * the maximum (scipy.special.logsumexp, torch.logsumexp), never exp then log.
   */
  readonly ops: Record<OpName, (args: readonly Py[], at: OpContext) => Py>;
  /** A scalar ([1, 1]) result as a Python float. */
  readonly scalarResult: (text: string) => string;
}

const FUNCTIONS: Record<ElementwiseFn, (x: Py) => Py> = {
  exp: (x) => call('np.exp', x.text),
  log: (x) => call('np.log', x.text),
  sin: (x) => call('np.sin', x.text),
  cos: (x) => call('np.cos', x.text),
  tan: (x) => call('np.tan', x.text),
  tanh: (x) => call('np.tanh', x.text),
  // σ(x) = exp(−log(1 + e⁻ˣ)): no overflow at x = −800, where 1 / (1 + np.exp(-x)) overflows (with a warning) before it reaches 0.
  sigmoid: (x) => call('np.exp', `-np.logaddexp(0, -${wrap(x, POWER).text})`),
  relu: (x) => call('np.maximum', x.text, '0'),
  softplus: (x) => call('np.logaddexp', '0', x.text),
  sqrt: (x) => call('np.sqrt', x.text),
  abs: (x) => call('np.abs', x.text),
  sign: (x) => call('np.sign', x.text),
  step: (x) => call('np.heaviside', x.text, '0.5'),
  log1p: (x) => call('np.log1p', x.text),
  expm1: (x) => call('np.expm1', x.text),
  log2: (x) => call('np.log2', x.text),
  log10: (x) => call('np.log10', x.text),
  // log σ(x) = −log(1 + e⁻ˣ), with logaddexp's stable evaluation (no overflow for large −x).
  logsigmoid: (x) => py(`-np.logaddexp(0, -${wrap(x, POWER).text})`, UNARY, true),
  sinh: (x) => call('np.sinh', x.text),
  cosh: (x) => call('np.cosh', x.text),
  arctan: (x) => call('np.arctan', x.text),
  erf: (x) => call('scipy.special.erf', x.text), // the module imports scipy.special where it is used
};

/** What an op's code may need besides its printed arguments: the node, and how a dimension is written. */
export interface OpContext {
  readonly node: TermOf<'op'>;
  readonly dim: (d: Dim) => string;
}

/**
 * Abstract functions call what the caller passes the module (docs/abstract-functions.md): f(Y) and
 * grad_f(Y) for a scalar f, g(Y) and g_prime(Y) entry by entry for an element-wise g. The same in
 * every dialect: the callables take and return the dialect's arrays.
 */
export const ABSTRACT_CALLS: Record<'absfn' | 'absgrad' | 'absew' | 'absewd', (args: readonly Py[], at: OpContext) => Py> = {
  absfn: ([, y], { node }) => call(abstractParameter('absfn', abstractFunctionName(node.args)), y!.text),
  absgrad: ([, y], { node }) => call(abstractParameter('absgrad', abstractFunctionName(node.args)), y!.text),
  absew: ([, y], { node }) => call(abstractParameter('absew', abstractFunctionName(node.args)), y!.text),
  absewd: ([, y], { node }) => call(abstractParameter('absewd', abstractFunctionName(node.args)), y!.text),
};

export const NUMPY_DIALECT: PythonDialect = {
  functions: FUNCTIONS,
  zeros: (r, c) => call('np.zeros', `(${r}, ${c})`),
  ones: (r, c) => call('np.ones', `(${r}, ${c})`),
  eye: (n) => call('np.eye', n),
  sum: (x) => call('np.sum', x),
  abs: (x) => call('np.abs', x),
  log: (x) => call('np.log', x),
  inv: (x) => call('np.linalg.inv', x),
  solve: (a, b) => call('np.linalg.solve', a, b),
  matrixPower: (x, k) => call('np.linalg.matrix_power', x, k),
  trace: (x) => call('np.trace', x),
  det: (x) => call('np.linalg.det', x),
  logdet: (x) => py(`np.linalg.slogdet(${x})[1]`, PRIMARY),
  norm: (x) => call('np.linalg.norm', x),
  diag: (x) => py(`np.diag(${x}).reshape(-1, 1)`, PRIMARY),
  diagm: (x) => call('np.diagflat', x),
  // np.block, not np.hstack: its reading does not depend on 1-D or 2-D (matcalc's reader refuses np.hstack).
  hstack: (blocks) => call('np.block', `[[${blocks.map((b) => b.text).join(', ')}]]`),
  // scipy.special is imported where it is used, as for erf; its softmax and log_softmax shift by the max.
  ops: {
    logsumexp: ([x]) => call('scipy.special.logsumexp', x!.text),
    softmax: ([x]) => call('scipy.special.softmax', x!.text),
    log_softmax: ([x]) => call('scipy.special.log_softmax', x!.text),
    mean: ([x]) => call('np.mean', x!.text),
    var: ([x]) => call('np.var', x!.text),
    nrows: (_, { node, dim }) => py(dim(node.args[0]!.shape[0]), PRIMARY),
    ncols: (_, { node, dim }) => py(dim(node.args[0]!.shape[1]), PRIMARY),
    // scipy.linalg is imported where used, as scipy.special.
    expm: ([a]) => call('scipy.linalg.expm', a!.text),
    expm_frechet: ([a, e]) => call('scipy.linalg.expm_frechet', a!.text, e!.text, 'compute_expm=False'),
    // L⁽²⁾(A; E, F) = L([[A, E], [0, A]], I₂ ⊗ F), top-right block: the derivative of the block form of L.
    expm_frechet2: ([a, e, f], { node, dim }) => {
      const n = dim(node.shape[0]);
      const big = `np.block([[${a!.text}, ${e!.text}], [np.zeros_like(${a!.text}), ${a!.text}]])`;
      return py(`scipy.linalg.expm_frechet(${big}, np.kron(np.eye(2), ${f!.text}), compute_expm=False)[:${n}, ${n}:]`, PRIMARY);
    },
    specnorm: ([x]) => call('np.linalg.norm', x!.text, '2'),
    specnorm_grad: ([x]) => py(S.specnormGradCode('np', x!.text), PRIMARY),
    specnorm_hess: ([x, d]) => py(S.specnormHessCode('np', x!.text, d!.text), PRIMARY),
    eigmax: ([s]) => py(`np.linalg.eigvalsh((${s!.text} + ${wrap(s!, PRIMARY).text}.T) / 2)[-1]`, PRIMARY),
    eigmax_grad: ([s]) => py(S.eigmaxGradCode('np', s!.text), PRIMARY),
    eigmax_hess: ([s, d]) => py(S.eigmaxHessCode('np', s!.text, d!.text), PRIMARY),
    nucnorm: ([x]) => call('np.linalg.norm', x!.text, "'nuc'"),
    polar: ([x]) => py(S.polarCode('np', x!.text), PRIMARY),
    polar_frechet: ([x, d]) => py(S.polarFrechetCode('np', x!.text, d!.text), PRIMARY),
    // Rows are the last axis and columns the one before, so the code also runs on a stack of matrices.
    // scipy's softmax, log_softmax and logsumexp shift by the maximum along the axis.
    softmax_rows: ([x]) => call('scipy.special.softmax', x!.text, 'axis=-1'),
    softmax_cols: ([x]) => call('scipy.special.softmax', x!.text, 'axis=-2'),
    log_softmax_rows: ([x]) => call('scipy.special.log_softmax', x!.text, 'axis=-1'),
    log_softmax_cols: ([x]) => call('scipy.special.log_softmax', x!.text, 'axis=-2'),
    logsumexp_rows: ([x]) => call('scipy.special.logsumexp', x!.text, 'axis=-1', 'keepdims=True'),
    logsumexp_cols: ([x]) => call('scipy.special.logsumexp', x!.text, 'axis=-2', 'keepdims=True'),
    ...ABSTRACT_CALLS,
    pinv: ([x]) => call('np.linalg.pinv', x!.text),
    // scipy returns a real array for a real argument inside the domain (no eigenvalue on (−∞, 0]).
    sqrtm: ([a]) => call('scipy.linalg.sqrtm', a!.text),
    // The Z with SZ + ZS = E, S = A^(1/2) (Higham 2008, (6.5)); S bound once (both arguments evaluated outside the lambda).
    sqrtm_frechet: ([a, e]) => py(`(lambda S, E: scipy.linalg.solve_sylvester(S, S, E))(scipy.linalg.sqrtm(${a!.text}), ${e!.text})`, PRIMARY),
    logm: ([a]) => call('scipy.linalg.logm', a!.text),
    // The top-right block of logm([[A, E], [0, A]]) (Higham 2008, theorem 3.6), as L of expm_frechet2.
    logm_frechet: ([a, e]) =>
      py(`(lambda A, E: scipy.linalg.logm(np.block([[A, E], [np.zeros_like(A), A]]))[:A.shape[0], A.shape[0]:])(${a!.text}, ${e!.text})`, PRIMARY),
    kron: ([a, b]) => py(K.kronCode('np', a!.text, b!.text), PRIMARY),
    kron_contract_left: ([g, b], { node, dim }) => py(K.contractCode('np', 'left', g!.text, b!.text, blockDims(node, dim)), PRIMARY),
    kron_contract_right: ([g, a], { node, dim }) => py(K.contractCode('np', 'right', g!.text, a!.text, blockDims(node, dim)), PRIMARY),
    vec: ([x]) => py(K.vecCode('np', x!.text), PRIMARY),
    unvec: ([g, w]) => py(K.unvecCode('np', g!.text, w!.text), PRIMARY),
    // Scalars (floats or (1, 1) arrays) or (1, n) rows, top to bottom: (k, 1) or (k, n).
    vstack: (args) => call('np.vstack', `[${args.map((a) => a.text).join(', ')}]`),
    // B at each column of the identity, as V (an (n, 1) column or a (1, n) row): column j of the result.
    columns: ([b, v], { node, dim }) => py(`np.stack([np.reshape(${b!.text}, -1) for ${v!.text} in ${eyeColumns('np.eye', node, dim)}], axis=1)`, PRIMARY),
    matpow: ([x, n]) => call('np.linalg.matrix_power', x!.text, PW.integerCode('np', n!.text)),
    powsum: ([x, n, g]) => py(PW.powerSumCode('np', `${wrap(x!, PRIMARY).text}.T`, PW.integerCode('np', n!.text), g!.text), PRIMARY),
  },
  scalarResult: (text) => `float(np.asarray(${text}).reshape(()))`,
};
