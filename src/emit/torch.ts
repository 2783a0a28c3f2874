import { blockDims } from './kronecker-code.js';
import { eyeColumns } from './columns-code.js';
import * as K from './kronecker-code.js';
import type { Term } from '../term/term.js';
import * as S from './spectral-code.js';
import * as P from './principal-code.js';
import * as PW from './power-code.js';
import { ABSTRACT_CALLS, call, emitPython, PRIMARY, py, type NumpyOptions, type Py, type PythonDialect } from './numpy.js';
import { wrap } from './python-text.js';

/**
 * The PyTorch twin of numpy.ts: the same layout and sharing (walrus temporaries), calling `torch`.
 * Inputs are float64 tensors — vectors (n, 1), scalars 0-d tensors (torch functions refuse Python
 * floats) — and a scalar result is a Python float.
 */
const F64 = 'dtype=torch.float64';

/** torch functions refuse a Python number (`torch.log(2)`), so a literal argument becomes a float64 tensor. */
const arg = (x: Py): string => (/^-?(\d|\.\d)[\d.e+-]*$/.test(x.text) ? `torch.tensor(${x.text}, ${F64})` : x.text);

/** All entries of an argument as a 1-d tensor (a reduction over every entry is one over dim 0 of it). */
const flat = (x: Py): string => call('torch.reshape', arg(x), '(-1,)').text;

/** A block matrix of equal square blocks (null: a zero block like the first), as torch.cat of rows. */
function blockUpper(grid: readonly (readonly (string | null)[])[]): string {
  const first = grid[0]![0]!;
  const rows = grid.map((row) => `torch.cat((${row.map((b) => b ?? `torch.zeros_like(${first})`).join(', ')}), 1)`);
  return `torch.cat((${rows.join(', ')}), 0)`;
}

export const TORCH_DIALECT: PythonDialect = {
  functions: {
    exp: (x) => call('torch.exp', arg(x)),
    log: (x) => call('torch.log', arg(x)),
    sin: (x) => call('torch.sin', arg(x)),
    cos: (x) => call('torch.cos', arg(x)),
    tan: (x) => call('torch.tan', arg(x)),
    tanh: (x) => call('torch.tanh', arg(x)),
    sigmoid: (x) => call('torch.sigmoid', arg(x)),
    relu: (x) => call('torch.relu', arg(x)),
    softplus: (x) => call('torch.nn.functional.softplus', arg(x)),
    sqrt: (x) => call('torch.sqrt', arg(x)),
    abs: (x) => call('torch.abs', arg(x)),
    sign: (x) => call('torch.sign', arg(x)),
    step: (x) => call('torch.heaviside', arg(x), `torch.tensor(0.5, ${F64})`),
    log1p: (x) => call('torch.log1p', arg(x)),
    expm1: (x) => call('torch.expm1', arg(x)),
    log2: (x) => call('torch.log2', arg(x)),
    log10: (x) => call('torch.log10', arg(x)),
    logsigmoid: (x) => call('torch.nn.functional.logsigmoid', arg(x)),
    sinh: (x) => call('torch.sinh', arg(x)),
    cosh: (x) => call('torch.cosh', arg(x)),
    arctan: (x) => call('torch.arctan', arg(x)),
    erf: (x) => call('torch.erf', arg(x)),
  },
  zeros: (r, c) => call('torch.zeros', `(${r}, ${c})`, F64),
  ones: (r, c) => call('torch.ones', `(${r}, ${c})`, F64),
  eye: (n) => call('torch.eye', n, F64),
  sum: (x) => call('torch.sum', x),
  abs: (x) => call('torch.abs', x),
  log: (x) => call('torch.log', x),
  inv: (x) => call('torch.linalg.inv', x),
  solve: (a, b) => call('torch.linalg.solve', a, b),
  matrixPower: (x, k) => call('torch.linalg.matrix_power', x, k),
  trace: (x) => call('torch.trace', x),
  det: (x) => call('torch.linalg.det', x),
  logdet: (x) => py(`torch.linalg.slogdet(${x})[1]`, PRIMARY),
  norm: (x) => call('torch.linalg.norm', x),
  diag: (x) => py(`torch.diag(${x}).reshape(-1, 1)`, PRIMARY),
  diagm: (x) => call('torch.diagflat', x),
  ops: {
    // Over all entries, as a 0-d tensor (torch reduces along a dim; a vector is an (n, 1) tensor).
    logsumexp: ([x]) => call('torch.logsumexp', flat(x!), '0'),
    // Along dim 0 of the (n, 1) column (a 1×1 argument may be a 0-d tensor, which dim 0 also fits).
    softmax: ([x]) => call('torch.softmax', arg(x!), '0'),
    log_softmax: ([x]) => call('torch.log_softmax', arg(x!), '0'),
    mean: ([x]) => call('torch.mean', arg(x!)),
    // The population variance, as np.var (torch.var divides by n − 1 unless told otherwise).
    var: ([x]) => call('torch.var', arg(x!), 'correction=0'),
    nrows: (_, { node, dim }) => py(dim(node.args[0]!.shape[0]), PRIMARY),
    ncols: (_, { node, dim }) => py(dim(node.args[0]!.shape[1]), PRIMARY),
    expm: ([a]) => call('torch.linalg.matrix_exp', a!.text),
    // torch has no Fréchet derivative: the top-right block of the exponential of the block matrices
    // [[A, E], [0, A]] (L) and of the 4×4 block form of L⁽²⁾ (Higham and Relton 2014).
    expm_frechet: ([a, e], { node, dim }) => {
      const n = dim(node.shape[0]);
      return py(`torch.linalg.matrix_exp(${blockUpper([[a!.text, e!.text], [null, a!.text]])})[:${n}, ${n}:]`, PRIMARY);
    },
    expm_frechet2: ([a, e, f], { node, dim }) => {
      const n = dim(node.shape[0]);
      const [A, E, F] = [a!.text, e!.text, f!.text];
      const grid = [[A, E, F, null], [null, A, null, F], [null, null, A, E], [null, null, null, A]];
      return py(`torch.linalg.matrix_exp(${blockUpper(grid)})[:${n}, 3 * ${n}:]`, PRIMARY);
    },
    specnorm: ([x]) => call('torch.linalg.matrix_norm', x!.text, '2'),
    specnorm_grad: ([x]) => py(S.specnormGradCode('torch', x!.text), PRIMARY),
    specnorm_hess: ([x, d]) => py(S.specnormHessCode('torch', x!.text, d!.text), PRIMARY),
    eigmax: ([s]) => py(`torch.linalg.eigvalsh((${s!.text} + (${s!.text}).T) / 2)[-1]`, PRIMARY),
    eigmax_grad: ([s]) => py(S.eigmaxGradCode('torch', s!.text), PRIMARY),
    eigmax_hess: ([s, d]) => py(S.eigmaxHessCode('torch', s!.text, d!.text), PRIMARY),
    nucnorm: ([x]) => call('torch.linalg.matrix_norm', x!.text, "'nuc'"),
    polar: ([x]) => py(S.polarCode('torch', x!.text), PRIMARY),
    polar_frechet: ([x, d]) => py(S.polarFrechetCode('torch', x!.text, d!.text), PRIMARY),
    // Rows are dim -1 and columns dim -2 (a stack of matrices works too); torch shifts by the maximum.
    softmax_rows: ([x]) => call('torch.softmax', arg(x!), 'dim=-1'),
    softmax_cols: ([x]) => call('torch.softmax', arg(x!), 'dim=-2'),
    log_softmax_rows: ([x]) => call('torch.log_softmax', arg(x!), 'dim=-1'),
    log_softmax_cols: ([x]) => call('torch.log_softmax', arg(x!), 'dim=-2'),
    logsumexp_rows: ([x]) => call('torch.logsumexp', arg(x!), 'dim=-1', 'keepdim=True'),
    logsumexp_cols: ([x]) => call('torch.logsumexp', arg(x!), 'dim=-2', 'keepdim=True'),
    ...ABSTRACT_CALLS,
    pinv: ([x]) => call('torch.linalg.pinv', arg(x!)),
    // torch has no sqrtm or logm: from the eigendecomposition (principal-code.ts; diagonalizable A).
    sqrtm: ([a]) => py(P.sqrtmCode(a!.text), PRIMARY),
    sqrtm_frechet: ([a, e]) => py(P.sqrtmFrechetCode(a!.text, e!.text), PRIMARY),
    logm: ([a]) => py(P.logmCode(a!.text), PRIMARY),
    logm_frechet: ([a, e]) => py(P.logmFrechetCode(a!.text, e!.text), PRIMARY),
    kron: ([a, b]) => py(K.kronCode('torch', arg(a!), arg(b!)), PRIMARY),
    kron_contract_left: ([g, b], { node, dim }) => py(K.contractCode('torch', 'left', arg(g!), arg(b!), blockDims(node, dim)), PRIMARY),
    kron_contract_right: ([g, a], { node, dim }) => py(K.contractCode('torch', 'right', arg(g!), arg(a!), blockDims(node, dim)), PRIMARY),
    vec: ([x]) => py(K.vecCode('torch', arg(x!)), PRIMARY),
    unvec: ([g, w]) => py(K.unvecCode('torch', arg(g!), arg(w!)), PRIMARY),
    // 0-d tensors (as (1, 1)) or (1, n) rows, top to bottom; a literal becomes a float64 tensor.
    vstack: (args) => call('torch.vstack', `[${args.map((a) => arg(a)).join(', ')}]`),
    // B at each column of the identity, as V (an (n, 1) column or a (1, n) row): column j of the result.
    columns: ([b, v], { node, dim }) =>
      py(`torch.stack([torch.reshape(${arg(b!)}, (-1,)) for ${v!.text} in ${eyeColumns('torch.eye', node, dim, F64)}], dim=1)`, PRIMARY),
    matpow: ([x, n]) => call('torch.linalg.matrix_power', x!.text, PW.integerCode('torch', n!.text)),
    powsum: ([x, n, g]) => py(PW.powerSumCode('torch', `${wrap(x!, PRIMARY).text}.T`, PW.integerCode('torch', n!.text), g!.text), PRIMARY),
  },
  scalarResult: (text) => `float(torch.as_tensor(${text}, ${F64}).reshape(()))`,
};

/** One PyTorch expression for a term (see emitNumpy for the conventions). */
export function emitTorch(term: Term, options: NumpyOptions): string {
  return emitPython([term], options, TORCH_DIALECT)[0]!;
}

/** Several roots sharing temporaries, evaluated in order in one scope (see emitPython). */
export function emitTorchMany(roots: readonly Term[], options: NumpyOptions): string[] {
  return emitPython(roots, options, TORCH_DIALECT);
}
