/**
 * Function words as data: other spellings of the functions matcalc knows, and the functions people
 * ask for that matcalc does not have, each with what to write instead. identifiers.ts consults both
 * for a whole identifier run; the LaTeX and NumPy passes consult them for `\operatorname{…}` and
 * `np.…` names. A refusal never suggests a function that computes something else: `expm` is the
 * matrix exponential, so the advice says that, not "did you mean exp" (element-wise).
 */
import type { FunctionName } from '../ast.js';

/** Other spellings of known functions: the notes' `Tr` and `ln`, MATLAB's `trace`, and so on. */
export const FUNCTION_ALIASES: ReadonlyMap<string, FunctionName> = new Map<string, FunctionName>([
  ['ln', 'log'],
  ['Tr', 'tr'],
  ['trace', 'tr'],
  ['Trace', 'tr'],
  ['logistic', 'sigmoid'],
  ['expit', 'sigmoid'],
  ['ReLU', 'relu'],
  ['logdeterminant', 'logdet'],
  ['inverse', 'inv'],
  ['heaviside', 'step'],
  ['signum', 'sign'],
]);

const MATRIX_EXP = ': the matrix exponential is not supported yet (exp(X) is the element-wise exponential, a different function)';

/**
 * Functions matcalc does not have, by the words people use for them, with the advice that follows
 * "… is not supported". The word is refused as a whole: `mean(x)` is never m·e·a·n·x.
 */
export const UNSUPPORTED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['mean', ': write sum(x)/n for the mean of the n entries of x'],
  ['avg', ': write sum(x)/n for the mean of the n entries of x'],
  ['average', ': write sum(x)/n for the mean of the n entries of x'],
  ['norm', ': write norm2(x) or ‖x‖ for the Euclidean norm (for a matrix: the Frobenius norm), norm1(x) for the 1-norm; the spectral norm is not supported'],
  ['expm', MATRIX_EXP],
  ['matrix_exp', MATRIX_EXP],
  ['logm', ': the matrix logarithm is not supported (log(X) is element-wise; for log det X write logdet(X))'],
  ['sqrtm', ': the matrix square root is not supported (sqrt(X) is element-wise)'],
  ['pinv', ': the pseudo-inverse is not supported; for a square invertible X write inv(X) or X⁻¹'],
  ['log1p', ': write log(1 + x)'],
  ['log2', ': write log(x)/log(2)'],
  ['log10', ': write log(x)/log(10)'],
  ['logsumexp', ': write log(sum(exp(x)))'],
  ['softmax', ': write exp(x)/sum(exp(x)) for one vector'],
  ['logsigmoid', ': write -softplus(-x)'],
  ['square', ': write x.^2 (element-wise) or x² '],
  ['max', ': max and min are not differentiable everywhere; for max(x, 0) write relu(x)'],
  ['min', ': max and min are not differentiable everywhere'],
  ['maximum', ': for maximum(x, 0) write relu(x)'],
  ['eig', ': eigenvalues are not supported'],
  ['eigh', ': eigenvalues are not supported'],
  ['svd', ': the singular value decomposition is not supported'],
  ['kron', ': the Kronecker product is not supported'],
  ['vec', ': vec(X) is not supported; write tr(AᵀX) or ⟨A, X⟩ for a linear function of X'],
  ['rank', ': rank is not differentiable'],
  ['cosh', ': write (exp(x) + exp(-x))/2'],
  ['sinh', ': write (exp(x) - exp(-x))/2'],
  ['softsign', ': write x./(1 + abs(x))'],
  ['dot', ': write aᵀb, a\'*b or ⟨a, b⟩'],
  ['outer', ': write abᵀ or a*b\''],
  ['transpose', ': write Xᵀ, X\' or X.T'],
  ['chol', ': the Cholesky factor is not supported'],
  ['ones', ': write vector(1) or 𝟙 for the ones vector (its size comes from the context)'],
  ['zeros', ': write vector(0) or matrix(0) (the size comes from the context)'],
  ['cholesky', ': the Cholesky factor is not supported'],
]);

export function functionAlias(word: string): FunctionName | undefined {
  return FUNCTION_ALIASES.get(word);
}

export function unsupportedFunction(word: string): string | undefined {
  return UNSUPPORTED_FUNCTIONS.get(word);
}
