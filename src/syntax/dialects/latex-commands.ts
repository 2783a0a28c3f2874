import type { IToken, TokenType } from '../../../grammar/chevrotain.js';
import { Bar, DotSlash, DotStar, LAngle, LBracket, LParen, Otimes, Pipe, RAngle, RBracket, RParen, Slash, Star, Transpose } from '../../../grammar/tokens.js';
import { covering, end, type DialectContext } from './edit.js';
import type { FunctionName as Fn } from '../ast.js';
import { closestName } from '../identifiers.js';

/**
 * The LaTeX commands the reader (latex.ts) knows, as data: Greek letters, symbols, functions, what
 * is ignored, fonts, accents and the commands refused with advice, and the nearest known command for
 * an unknown one. Separate: the whole policy in one table, apart from the walk over the tokens.
 */

/** Greek letters by command; the variants read as the plain letter. */
export const LATEX_GREEK: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', varrho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ',
  psi: 'ψ', omega: 'ω', ell: 'ℓ', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π',
  Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

/** Commands that are one canonical token. `\top` right after `^` is the exponent T instead (X^T). */
export const LATEX_SYMBOLS: Readonly<Record<string, TokenType>> = {
  top: Transpose, intercal: Transpose, prime: Transpose,
  cdot: Star, times: Star, ast: Star,
  odot: DotStar, circ: DotStar, oslash: DotSlash, div: Slash, otimes: Otimes,
  langle: LAngle, rangle: RAngle,
  '|': Bar, Vert: Bar, lVert: Bar, rVert: Bar,
  vert: Pipe, lvert: Pipe, rvert: Pipe,
  '{': LParen, '}': RParen, lbrace: LParen, rbrace: RParen,
};

/** Function commands; `\ln` is log, `\Tr` is tr. */
export const LATEX_FUNCTIONS: Readonly<Record<string, Fn>> = {
  log: 'log', ln: 'log', exp: 'exp', det: 'det', sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh',
  sqrt: 'sqrt', tr: 'tr', Tr: 'tr', trace: 'tr', diag: 'diag', sinh: 'sinh', cosh: 'cosh', arctan: 'arctan',
};

/** The bases `\log_b` takes: `\log_2`, `\log_{10}`, and `\log_e`, the natural logarithm. */
export const LOG_BASES: Readonly<Record<string, Fn>> = { '2': 'log2', '10': 'log10', '₂': 'log2', '₁₀': 'log10', e: 'log' };

/** Spacing, sizing and math delimiters: no meaning here (`\left(` is `(`). */
export const LATEX_IGNORED: ReadonlySet<string> = new Set([
  'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr',
  ',', ';', ':', '!', ' ', 'quad', 'qquad', 'displaystyle', 'textstyle', 'limits', 'nolimits', '[', ']', ')', 'space',
]);

/** Commands dropped with their argument: an equation number `\tag{1}`, a `\label{…}`. */
export const LATEX_IGNORED_WITH_ARGUMENT: ReadonlySet<string> = new Set(['tag', 'label', 'nonumber']);

/** Words that, as an exponent in a text font, mean the transpose: `A^{\text{tr}}`, `A^{\mathrm{T}}`. */
export const TRANSPOSE_WORDS: ReadonlySet<string> = new Set(['T', 'tr', 't', 'top']);

/** Font and text commands: their argument is read as written (`\mathbf{x}` is x, `\operatorname{tr}` is tr). */
export const LATEX_WRAPPERS: ReadonlySet<string> = new Set([
  'mathbf', 'boldsymbol', 'bm', 'pmb', 'mathit', 'mathrm', 'mathsf', 'mathtt', 'mathbb', 'mathds', 'mathcal',
  'mathnormal', 'operatorname', 'text', 'textrm', 'textbf', 'textit', 'mathop', 'vec', 'boldsymbol',
]);

/** Accents: a name with a combining mark (`\hat{y}` is ŷ). */
export const LATEX_ACCENTS: Readonly<Record<string, string>> = {
  hat: '\u0302', widehat: '\u0302', tilde: '\u0303', widetilde: '\u0303', bar: '\u0304', overline: '\u0304', dot: '\u0307',
};

const INDEX_SUMS = ": sums over indices have no notation in matcalc; write sum(x) for the sum of all entries, or the sum as a matrix expression (Σᵢ aᵢxᵢ = aᵀx)";
const DERIVATIVES = ': write only the function; matcalc takes the derivative (grad … --wrt x)';

/** Commands refused, with what to write instead (after "… is not supported"). */
export const LATEX_UNSUPPORTED: Readonly<Record<string, string>> = {
  sum: INDEX_SUMS,
  prod: ': products over indices are not supported',
  int: ': integrals are not supported',
  partial: DERIVATIVES,
  nabla: DERIVATIVES,
  infty: ': infinity is not a value matcalc can differentiate at',
  lim: ': limits are not supported',
  sup: ': sup/inf are not supported',
  inf: ': sup/inf are not supported',
  arg: ': argmin/argmax are not supported; write the function itself',
  argmin: ': argmin/argmax are not supported; write the function itself',
  argmax: ': argmin/argmax are not supported; write the function itself',
  max: ': max and min are not differentiable everywhere; for max(x, 0) write \\operatorname{relu}(x)',
  min: ': max and min are not differentiable everywhere',
  dagger: ': write \\operatorname{pinv}(X) for the pseudo-inverse X^\\dagger',
  oplus: ': the direct sum is not supported',
  dots: ': write the whole expression; "…" cannot be read',
  cdots: ': write the whole expression; "…" cannot be read',
  ldots: ': write the whole expression; "…" cannot be read',
  binom: ': binomial coefficients are not supported',
};

const KNOWN_COMMANDS = [
  ...Object.keys(LATEX_GREEK), ...Object.keys(LATEX_SYMBOLS), ...Object.keys(LATEX_FUNCTIONS), ...LATEX_IGNORED,
  ...LATEX_WRAPPERS, ...Object.keys(LATEX_ACCENTS), ...LATEX_IGNORED_WITH_ARGUMENT, 'frac', 'dfrac', 'tfrac', 'sigma',
].filter((c) => /^[A-Za-z]+$/.test(c));

/** The nearest known command to an unknown one, for the error message. */
export function latexHint(name: string): string {
  const near = closestName(name, KNOWN_COMMANDS);
  return near === undefined ? '' : ` — did you mean '\\${near}'?`;
}

/** The environments read as a stack's brackets: `\begin{bmatrix} f \\ g \end{bmatrix}` is [f; g]. */
const STACK_ENVIRONMENTS: ReadonlySet<string> = new Set(['bmatrix', 'pmatrix', 'matrix', 'Bmatrix']);

/**
 * `\begin{env}` or `\end{env}` (its tokens, the brace group included) as the `[` or `]` of a stack;
 * undefined (reported, with what to write) for vmatrix (a determinant) and any other environment.
 */
export function stackBracket(tokens: readonly IToken[], begin: boolean, context: DialectContext): IToken | undefined {
  const env = tokens.slice(2, -1).map((t) => t.image).join('');
  const at = { start: tokens[0]!.startOffset, end: end(tokens[tokens.length - 1]!) };
  if (!STACK_ENVIRONMENTS.has(env)) {
    context.report('syntax/stacking', at, `the environment '${env || '…'}' is not a stack`, 'write a stacked vector as \\begin{bmatrix} f \\\\ g \\end{bmatrix} (or pmatrix); det(X) for a determinant');
    return undefined;
  }
  return covering(begin ? LBracket : RBracket, context.source, at.start, at.end);
}
