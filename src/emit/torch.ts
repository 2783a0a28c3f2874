import type { Term } from '../term/term.js';
import { call, emitPython, PRIMARY, py, type NumpyOptions, type PythonDialect } from './numpy.js';

/**
 * The PyTorch twin of numpy.ts: the same layout and sharing (walrus temporaries), calling `torch`.
 * Inputs are float64 tensors — vectors (n, 1), scalars 0-d tensors (torch functions refuse Python
 * floats) — and a scalar result is a Python float.
 */
const F64 = 'dtype=torch.float64';

export const TORCH_DIALECT: PythonDialect = {
  functions: {
    exp: (x) => call('torch.exp', x.text),
    log: (x) => call('torch.log', x.text),
    sin: (x) => call('torch.sin', x.text),
    cos: (x) => call('torch.cos', x.text),
    tan: (x) => call('torch.tan', x.text),
    tanh: (x) => call('torch.tanh', x.text),
    sigmoid: (x) => call('torch.sigmoid', x.text),
    relu: (x) => call('torch.relu', x.text),
    softplus: (x) => call('torch.nn.functional.softplus', x.text),
    sqrt: (x) => call('torch.sqrt', x.text),
    abs: (x) => call('torch.abs', x.text),
    sign: (x) => call('torch.sign', x.text),
    step: (x) => call('torch.heaviside', x.text, `torch.tensor(0.5, ${F64})`),
  },
  zeros: (r, c) => call('torch.zeros', `(${r}, ${c})`, F64),
  ones: (r, c) => call('torch.ones', `(${r}, ${c})`, F64),
  eye: (n) => call('torch.eye', n, F64),
  sum: (x) => call('torch.sum', x),
  abs: (x) => call('torch.abs', x),
  log: (x) => call('torch.log', x),
  inv: (x) => call('torch.linalg.inv', x),
  matrixPower: (x, k) => call('torch.linalg.matrix_power', x, k),
  trace: (x) => call('torch.trace', x),
  det: (x) => call('torch.linalg.det', x),
  logdet: (x) => py(`torch.linalg.slogdet(${x})[1]`, PRIMARY),
  norm: (x) => call('torch.linalg.norm', x),
  diag: (x) => py(`torch.diag(${x}).reshape(-1, 1)`, PRIMARY),
  diagm: (x) => call('torch.diagflat', x),
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
