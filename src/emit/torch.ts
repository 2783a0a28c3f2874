import type { Term } from '../term/term.js';
import { call, emitPython, PRIMARY, py, type NumpyOptions, type Py, type PythonDialect } from './numpy.js';

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
