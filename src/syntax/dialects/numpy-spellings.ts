import type { IToken, TokenType } from '../../../grammar/chevrotain.js';
import { DotSlash, DotStar, FunctionName, LParen, NumberLiteral, RParen, Star, Transpose, DotCaret, Caret, Minus, Plus } from '../../../grammar/tokens.js';
import type { FunctionWord as Fn } from '../ast.js';

/**
 * The NumPy, PyTorch and JAX vocabulary the reader (numpy.ts) translates, as data: module prefixes,
 * calls and what each becomes (a function, a template over its arguments, a refusal with advice),
 * calls with a constant argument, and methods. Separate: the policy, apart from the reading.
 */

/** Module prefixes and what they stand for: `jnp.` is `np.`, `F.` is `torch.nn.functional.`. */
export const PYTHON_MODULES: Readonly<Record<string, string>> = {
  np: 'np', numpy: 'np', jnp: 'np', 'jax.numpy': 'np', onp: 'np',
  torch: 'torch', 'torch.nn.functional': 'F', F: 'F', 'jax.nn': 'F', 'torch.special': 'torch', 'torch.linalg': 'torch.linalg',
  'scipy.special': 'special', special: 'special', 'scipy.linalg': 'scipy.linalg', math: 'np', 'jax.scipy.special': 'special',
};

/** The first word of a dotted module name. */
export const PYTHON_ROOTS: ReadonlySet<string> = new Set(['np', 'numpy', 'jnp', 'onp', 'torch', 'F', 'scipy', 'jax', 'math', 'special']);

/** How a call is rewritten: a function, a template over its arguments, a constant, or a refusal. */
export type Translation =
  | { readonly kind: 'fn'; readonly fn: Fn }
  | { readonly kind: 'template'; readonly template: Template; readonly arity: number }
  | { readonly kind: 'identity' }
  | { readonly kind: 'fill'; readonly fill: 'ones' | 'zeros' | 'eye' }
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'refuse'; readonly advice: string };

/**
 * Templates over the arguments a, b: each is a list of pieces, a piece an argument in parentheses
 * or a canonical token. `outer` is (a)(b)ᵀ, `solve` is inv(a)(b).
 */
type Piece = 0 | 1 | { readonly type: TokenType; readonly payload?: unknown; readonly image?: string };
export type Template = readonly Piece[];

const op = (type: TokenType, payload?: unknown): Piece => ({ type, payload });
const T = {
  matmul: [0, op(Star), 1],
  multiply: [0, op(DotStar), 1],
  divide: [0, op(DotSlash), 1],
  add: [0, op(Plus), 1],
  subtract: [0, op(Minus), 1],
  power: [0, op(DotCaret), 1],
  outer: [0, op(Star), 1, op(Transpose)],
  inner: [0, op(Transpose), op(Star), 1],
  transpose: [0, op(Transpose)],
  square: [0, op(DotCaret), op(NumberLiteral, 2)],
  solve: [op(FunctionName, 'inv'), 0, op(Star), 1],
  matrixPower: [0, op(Caret), 1],
} satisfies Record<string, Template>;

/** A CONSTANT_ARGUMENT call: rewritten when its closing parenthesis is read. */
export const CONSTANT_CALL: Translation = { kind: 'template', template: [], arity: 2 };

const fn = (name: Fn): Translation => ({ kind: 'fn', fn: name });
const template = (t: Template, arity = 2): Translation => ({ kind: 'template', template: t, arity });
const refuse = (advice: string): Translation => ({ kind: 'refuse', advice });

/**
 * Calls by their module-normalised name. Two-argument calls whose second argument must be a given
 * constant (`np.maximum(x, 0)` is relu) are in CONSTANT_ARGUMENT below.
 */
export const PYTHON_FUNCTIONS: ReadonlyMap<string, Translation> = new Map<string, Translation>([
  ['np.trace', fn('tr')], ['torch.trace', fn('tr')],
  ['np.linalg.det', fn('det')], ['torch.det', fn('det')], ['torch.linalg.det', fn('det')], ['scipy.linalg.det', fn('det')],
  ['np.linalg.inv', fn('inv')], ['torch.inverse', fn('inv')], ['torch.linalg.inv', fn('inv')], ['scipy.linalg.inv', fn('inv')],
  ['torch.logdet', fn('logdet')],
  ['np.log', fn('log')], ['torch.log', fn('log')], ['np.exp', fn('exp')], ['torch.exp', fn('exp')],
  ['np.sin', fn('sin')], ['torch.sin', fn('sin')], ['np.cos', fn('cos')], ['torch.cos', fn('cos')],
  ['np.tan', fn('tan')], ['torch.tan', fn('tan')], ['np.tanh', fn('tanh')], ['torch.tanh', fn('tanh')], ['F.tanh', fn('tanh')],
  ['np.sqrt', fn('sqrt')], ['torch.sqrt', fn('sqrt')],
  ['np.abs', fn('abs')], ['np.absolute', fn('abs')], ['torch.abs', fn('abs')],
  ['np.sign', fn('sign')], ['torch.sign', fn('sign')],
  ['np.sum', fn('sum')], ['torch.sum', fn('sum')],
  ['np.linalg.norm', fn('norm2')], ['torch.norm', fn('norm2')], ['torch.linalg.norm', fn('norm2')], ['torch.linalg.matrix_norm', fn('norm2')],
  ['torch.linalg.vector_norm', fn('norm2')],
  ['np.diag', fn('diag')], ['torch.diag', fn('diag')], ['np.diagflat', fn('diag')], ['torch.diag_embed', fn('diag')],
  ['torch.sigmoid', fn('sigmoid')], ['F.sigmoid', fn('sigmoid')], ['special.expit', fn('sigmoid')],
  ['torch.relu', fn('relu')], ['F.relu', fn('relu')], ['F.softplus', fn('softplus')],
  ['torch.expit', fn('sigmoid')], // torch.special.expit
  ['np.log1p', fn('log1p')], ['torch.log1p', fn('log1p')], ['np.expm1', fn('expm1')], ['torch.expm1', fn('expm1')],
  ['np.log2', fn('log2')], ['torch.log2', fn('log2')], ['np.log10', fn('log10')], ['torch.log10', fn('log10')],
  ['F.logsigmoid', fn('logsigmoid')], ['F.log_sigmoid', fn('logsigmoid')], // jax.nn.log_sigmoid
  ['np.sinh', fn('sinh')], ['torch.sinh', fn('sinh')], ['np.cosh', fn('cosh')], ['torch.cosh', fn('cosh')],
  ['np.arctan', fn('arctan')], ['torch.arctan', fn('arctan')], ['torch.atan', fn('arctan')], ['np.atan', fn('arctan')], // math.atan
  ['special.erf', fn('erf')], ['torch.erf', fn('erf')], ['np.erf', fn('erf')], // math.erf
  ['np.matmul', template(T.matmul)], ['torch.matmul', template(T.matmul)], ['torch.mm', template(T.matmul)], ['torch.mv', template(T.matmul)],
  ['np.multiply', template(T.multiply)], ['torch.mul', template(T.multiply)], ['np.divide', template(T.divide)], ['torch.div', template(T.divide)],
  ['np.add', template(T.add)], ['np.subtract', template(T.subtract)],
  ['np.power', template(T.power)], ['torch.pow', template(T.power)], ['np.square', template(T.square, 1)], ['torch.square', template(T.square, 1)],
  ['np.outer', template(T.outer)], ['torch.outer', template(T.outer)], ['torch.ger', template(T.outer)],
  ['np.inner', template(T.inner)], ['np.vdot', template(T.inner)], ['torch.dot', template(T.inner)], ['torch.inner', template(T.inner)],
  ['np.transpose', template(T.transpose, 1)], ['torch.t', template(T.transpose, 1)],
  ['np.linalg.solve', template(T.solve)], ['torch.linalg.solve', template(T.solve)], ['scipy.linalg.solve', template(T.solve)],
  ['np.linalg.matrix_power', template(T.matrixPower)], ['torch.matrix_power', template(T.matrixPower)], ['torch.linalg.matrix_power', template(T.matrixPower)],
  ['np.asarray', { kind: 'identity' }], ['np.array', { kind: 'identity' }], ['float', { kind: 'identity' }], ['torch.as_tensor', { kind: 'identity' }],
  ['np.ones', { kind: 'fill', fill: 'ones' }], ['torch.ones', { kind: 'fill', fill: 'ones' }], ['np.ones_like', { kind: 'fill', fill: 'ones' }],
  ['np.zeros', { kind: 'fill', fill: 'zeros' }], ['torch.zeros', { kind: 'fill', fill: 'zeros' }], ['np.zeros_like', { kind: 'fill', fill: 'zeros' }],
  ['np.eye', { kind: 'fill', fill: 'eye' }], ['torch.eye', { kind: 'fill', fill: 'eye' }], ['np.identity', { kind: 'fill', fill: 'eye' }],
  ['np.pi', { kind: 'name', text: 'π' }], ['torch.pi', { kind: 'name', text: 'π' }],
  ['np.linalg.pinv', fn('pinv')], ['scipy.linalg.pinv', fn('pinv')],
  ['torch.linalg.pinv', fn('pinv')], ['torch.pinverse', fn('pinv')],
  ['np.kron', fn('kron')], ['torch.kron', fn('kron')],
  ['np.reshape', refuse(": write vec(X) for the columns of X stacked (order='F'), vec(Xᵀ) for its rows stacked (NumPy's default order)")],
  ['torch.reshape', refuse(': write vec(Xᵀ) for the rows of X stacked (torch.reshape(X, (-1, 1))), vec(X) for its columns')],
  ['np.ravel', refuse(": write vec(X) for the columns of X stacked (order='F'), vec(Xᵀ) for its rows stacked (NumPy's default order)")],
  ['torch.flatten', refuse(': write vec(Xᵀ) for the rows of X stacked, vec(X) for its columns')],
  ['scipy.linalg.expm', fn('expm')], ['torch.matrix_exp', fn('expm')], ['torch.linalg.matrix_exp', fn('expm')],
  ['scipy.linalg.expm_frechet', fn('expm_frechet')], // with compute_expm=False (the reader drops it): L alone
  // The principal square root and logarithm; torch has neither.
  ['scipy.linalg.sqrtm', fn('sqrtm')], ['scipy.linalg.logm', fn('logm')],
  // The mean of all entries, as np.mean without axis (matcalc's mean of a matrix is that too).
  ['np.mean', fn('mean')], ['torch.mean', fn('mean')],
  // The population variance of all entries, as np.var without axis; torch.var divides by n − 1 by default.
  ['np.var', fn('var')],
  // A list of scalars (or rows) stacked: np.vstack([f, g]), as matcalc prints a stack, and np.stack/torch.stack
  // of scalars, a 1-D array (a column here). The list itself is read by numpy.ts (#openList).
  ['np.vstack', { kind: 'identity' }], ['torch.vstack', { kind: 'identity' }], ['np.stack', { kind: 'identity' }], ['torch.stack', { kind: 'identity' }],
  ['torch.tensor', { kind: 'identity' }],
  // Blocks concatenated along the first axis, the block vector [x; y] (the default axis 0 / dim 0), and
  // np.block's nested lists, the block matrix [A, B; C, D] (its inner lists are rows, as above).
  ['np.concatenate', { kind: 'identity' }], ['torch.cat', { kind: 'identity' }], ['torch.concatenate', { kind: 'identity' }],
  ['np.block', { kind: 'identity' }],
  ['np.hstack', refuse(': np.hstack concatenates 1-D vectors but puts 2-D arrays side by side; write np.concatenate([x, y]) for the block vector [x; y], np.block([[A, B]]) for [A, B]')],
  ['torch.hstack', refuse(': torch.hstack concatenates 1-D vectors but puts 2-D tensors side by side; write torch.cat([x, y]) for the block vector [x; y], or [A, B]')],
  ['torch.var', refuse(': torch.var divides by n − 1 by default; for the population variance (np.var) write var(x) or np.var(x)')],
  ['np.dot', refuse(': np.dot is the inner product for vectors but the matrix product for matrices; write a.T @ b or A @ B')],
  // SciPy's reduce over all entries, matcalc's of a column vector; PyTorch's need a dim (CONSTANT_ARGUMENT).
  ['special.logsumexp', fn('logsumexp')], ['special.softmax', fn('softmax')], ['special.log_softmax', fn('log_softmax')],
  ['F.mse_loss', refuse(': write torch.sum((a - b)**2) / n')],
  ['np.linalg.slogdet', fn('logdet')], ['torch.linalg.slogdet', fn('logdet')], // only as slogdet(X)[1], checked when the '[' is read
  ['torch.diagflat', fn('diag')],
  ['torch.tensor', { kind: 'identity' }], ['np.float64', { kind: 'identity' }],
  ['np.e', refuse(': write np.exp(1), or np.exp(x) for e**x')],
  ['np.inf', refuse(': infinity is not a value matcalc can differentiate at')],
]);

/**
 * Calls that are a known function of one argument when the other argument is a given constant:
 * `np.maximum(x, 0)` is relu(x), `np.logaddexp(0, x)` is softplus(x), `np.heaviside(x, 0.5)` is step(x)
 * (any constant: the value at 0 does not matter to a gradient).
 */
export interface ConstantArgument {
  readonly fn: Fn;
  readonly operand: 0 | 1;
  /** Which values of the other argument (a number, possibly signed or parenthesised) are allowed. */
  readonly constant: (value: number) => boolean;
}
const zero = (value: number): boolean => value === 0;
const anyValue = (): boolean => true;
export const CONSTANT_ARGUMENT: ReadonlyMap<string, ConstantArgument> = new Map<string, ConstantArgument>([
  ['np.maximum', { fn: 'relu', operand: 0, constant: zero }],
  ['torch.maximum', { fn: 'relu', operand: 0, constant: zero }],
  ['np.logaddexp', { fn: 'softplus', operand: 1, constant: zero }],
  ['torch.logaddexp', { fn: 'softplus', operand: 1, constant: zero }],
  ['np.heaviside', { fn: 'step', operand: 0, constant: anyValue }],
  ['torch.heaviside', { fn: 'step', operand: 0, constant: anyValue }],
  // Along dim 0 of a column vector, the only argument these ops take: dim 0 is all its entries.
  ['torch.logsumexp', { fn: 'logsumexp', operand: 0, constant: zero }],
  ['torch.softmax', { fn: 'softmax', operand: 0, constant: zero }],
  ['F.softmax', { fn: 'softmax', operand: 0, constant: zero }],
  ['torch.log_softmax', { fn: 'log_softmax', operand: 0, constant: zero }],
  ['F.log_softmax', { fn: 'log_softmax', operand: 0, constant: zero }],
]);

/** The value of an argument that is a number: `0`, `-1`, `(0.5)`, `torch.tensor(0.5)` (read as (0.5)). */
export function constantValue(tokens: readonly IToken[]): number | undefined {
  const inner = tokens.filter((t) => t.tokenType !== LParen && t.tokenType !== RParen);
  const sign = inner.length === 2 && inner[0]!.tokenType === Minus ? -1 : 1;
  const number = inner[inner.length - 1];
  if (number?.tokenType !== NumberLiteral || inner.length > (sign === -1 ? 2 : 1)) return undefined;
  return sign * Number(number.image);
}

/** A method: a transpose, nothing, a function of the operand, an operator with one argument (`x.pow(2)`), or a refusal. */
export type Method = 'transpose' | 'drop' | 'square' | Fn | { readonly infix: TokenType } | { readonly refuse: string };

/**
 * Methods and attributes after an operand: `.T` is a transpose, `.sum()` a call, `.item()` nothing,
 * PyTorch's `.pow(k)`, `.mm(B)`, `.mul(y)` an operator with the argument.
 */
export const PYTHON_METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['T', 'transpose'], ['mT', 'transpose'], ['t', 'transpose'], ['transpose', 'transpose'], ['square', 'square'],
  ['pow', { infix: DotCaret }], ['mm', { infix: Star }], ['matmul', { infix: Star }], ['mv', { infix: Star }],
  ['mul', { infix: DotStar }], ['multiply', { infix: DotStar }], ['div', { infix: DotSlash }], ['divide', { infix: DotSlash }],
  ['add', { infix: Plus }], ['sub', { infix: Minus }], ['subtract', { infix: Minus }],
  ['sum', 'sum'], ['trace', 'tr'], ['exp', 'exp'], ['log', 'log'], ['sigmoid', 'sigmoid'], ['tanh', 'tanh'], ['relu', 'relu'],
  ['abs', 'abs'], ['sqrt', 'sqrt'], ['det', 'det'], ['logdet', 'logdet'], ['inverse', 'inv'], ['norm', 'norm2'], ['sign', 'sign'],
  ['log1p', 'log1p'], ['expm1', 'expm1'], ['log2', 'log2'], ['log10', 'log10'], ['sinh', 'sinh'], ['cosh', 'cosh'],
  ['atan', 'arctan'], ['arctan', 'arctan'], ['erf', 'erf'],
  ['item', 'drop'], ['squeeze', 'drop'], ['reshape', 'drop'], ['ravel', 'drop'], ['flatten', 'drop'],
  ['mean', 'mean'],
  ['dot', { refuse: ': write a.T @ b or A @ B' }],
  ['shape', { refuse: ': only X.shape[0] and X.shape[1] are read (as nrows(X), ncols(X)); other sizes come from --dims' }],
]);

/** `jnp.log`, `numpy.log`, `math.log` → `np.log`; `torch.nn.functional.relu` → `F.relu`. */
export function normalise(name: string): string {
  const parts = name.split('.');
  for (let k = parts.length - 1; k >= 1; k--) {
    const module = PYTHON_MODULES[parts.slice(0, k).join('.')];
    if (module !== undefined) return [module, ...parts.slice(k)].join('.');
  }
  return name;
}

/**
 * The norm calls whose second argument is an order (`np.linalg.norm(X, 2)`, `ord=1`, `p=1`, `'fro'`):
 * with no order NumPy's norm of a matrix is Frobenius (norm2); with one, the reader applies it as
 * MATLAB's (../norm-order.ts: 2 spectral or a vector's 2-norm, 1 a vector's Σ|xᵢ|, 'fro', 'nuc').
 */
export const NORM_CALLS: ReadonlySet<string> = new Set(['np.linalg.norm', 'torch.norm', 'torch.linalg.norm', 'torch.linalg.matrix_norm', 'torch.linalg.vector_norm']);
/** torch.linalg.vector_norm of a matrix is the norm of its entries: order 2 Frobenius, order 1 Σ|Xᵢⱼ|. */
export const FLAT_NORM_ORDERS: ReadonlyMap<string, Fn> = new Map<string, Fn>([['2', 'norm2'], ['1', 'norm1']]);
