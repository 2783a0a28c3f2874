import { dimText } from '../term/dim-product.js';
import { Precedence } from '../../grammar/precedence.js';
import { InternalError } from '../diagnostics/diagnostic.js';
import { isScalar, type ElementwiseFn, type OpName, type Term } from '../term/term.js';
import {
  abstractPrint,
  atom,
  call,
  compose,
  emitWith,
  formatNumber,
  isPi,
  infix,
  isVectorShaped,
  numberValue,
  onesPrinted,
  callOf,
  printOp,
  variablePower,
  wrapPostfix,
  type EmitOptions,
  type Emitted,
  type Notation,
  type OpPrint,
  type Printed,
} from './layout.js';
import { rowPrinted, stackPrinted, type StackStyle } from './stacked.js';
import { isAscii } from './ascii-first.js';

/**
 * LaTeX for KaTeX: `2A^\top(Ax - y)`, `(\exp(Xb) \odot a)b^\top`, `X^{-\top}`, `\lVert x \rVert`,
 * `\frac{2Ax}{\lVert x \rVert}`. Plain (not bold) symbols; names get subscripts (`W1` → `W_{1}`) and
 * Greek letters their macros (`α` and `alpha` → `\alpha`). The layout is the text printer's, so the
 * parentheses are the same; superscripts are braced, and a superscript on a superscript is
 * parenthesised, which TeX requires anyway.
 */

const { product: PRODUCT, juxtapose: JUXTAPOSE, postfix: POSTFIX, atom: ATOM } = Precedence;

const GREEK_LETTERS = [
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu',
  'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
  'varepsilon', 'vartheta', 'varphi', 'varrho', 'varsigma', 'varpi',
];
const GREEK_NAMES = new Set(GREEK_LETTERS);

/**
 * Greek letters as TeX writes them in math. The capitals that look like Latin ones have no macro
 * (TeX sets them as upright Latin letters), and pdflatex cannot typeset the raw code points: an
 * upright Latin letter is what they print as, and still distinct from the italic variable A.
 */
export const GREEK_CHARS: Readonly<Record<string, string>> = {
  Α: '\\mathrm{A}', Β: '\\mathrm{B}', Ε: '\\mathrm{E}', Ζ: '\\mathrm{Z}', Η: '\\mathrm{H}', Ι: '\\mathrm{I}',
  Κ: '\\mathrm{K}', Μ: '\\mathrm{M}', Ν: '\\mathrm{N}', Ο: '\\mathrm{O}', Ρ: '\\mathrm{P}', Τ: '\\mathrm{T}',
  Χ: '\\mathrm{X}',
  α: '\\alpha', β: '\\beta', γ: '\\gamma', δ: '\\delta', ε: '\\varepsilon', ϵ: '\\epsilon', ζ: '\\zeta',
  η: '\\eta', θ: '\\theta', ϑ: '\\vartheta', ι: '\\iota', κ: '\\kappa', λ: '\\lambda', μ: '\\mu', ν: '\\nu',
  ξ: '\\xi', ο: 'o', π: '\\pi', ϖ: '\\varpi', ρ: '\\rho', ϱ: '\\varrho', σ: '\\sigma', ς: '\\varsigma',
  τ: '\\tau', υ: '\\upsilon', φ: '\\varphi', ϕ: '\\phi', χ: '\\chi', ψ: '\\psi', ω: '\\omega',
  Γ: '\\Gamma', Δ: '\\Delta', Θ: '\\Theta', Λ: '\\Lambda', Ξ: '\\Xi', Π: '\\Pi', Σ: '\\Sigma',
  Υ: '\\Upsilon', Φ: '\\Phi', Ψ: '\\Psi', Ω: '\\Omega',
};

/** Joins LaTeX fragments, with a space where a control word would otherwise run into a letter. */
function joinTex(fragments: readonly string[]): string {
  let out = '';
  for (const f of fragments) {
    if (/\\[A-Za-z]+$/.test(out) && /^[A-Za-z]/.test(f)) out += ' ';
    out += f;
  }
  return out;
}

/** Combining accents (after NFD) as the math accents of TeX and KaTeX: Ŷ → \hat{Y}. */
const MATH_ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': '\\grave', '\u0301': '\\acute', '\u0302': '\\hat', '\u0303': '\\tilde', '\u0304': '\\bar', '\u0305': '\\bar',
  '\u0306': '\\breve', '\u0307': '\\dot', '\u0308': '\\ddot', '\u030c': '\\check', '\u20d7': '\\vec',
};

/**
 * One character of a name in math: ASCII as is, Greek as its macro, an accented letter as a math
 * accent, anything else as its code point in text — never a raw code point, which pdflatex cannot
 * typeset (whatever letters the grammar admits, the document compiles).
 */
function texChar(c: string): string {
  if (/^[A-Za-z0-9]$/.test(c)) return c;
  if (c === '_') return '\\_';
  const greek = GREEK_CHARS[c];
  if (greek !== undefined) return greek;
  const [base, ...marks] = [...c.normalize('NFD')];
  if (base !== undefined && base !== c && marks.length > 0 && marks.every((m) => MATH_ACCENTS[m] !== undefined)) {
    return marks.reduce((inner, m) => `${MATH_ACCENTS[m]}{${inner}}`, texChar(base));
  }
  return `\\text{U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`;
}

/** One run of a name (a base or a subscript): Greek letters to macros, several letters upright-italic. */
function texWord(word: string, wrapLong: boolean): string {
  if (GREEK_NAMES.has(word)) return `\\${word}`;
  // One character (x, λ) is itself; ASCII words (most others) skip compiling the Unicode patterns
  // (ascii-first.ts says why).
  if (word.length === 1 || (word.length === 2 && word.codePointAt(0)! > 0xffff)) return texChar(word);
  const ascii = isAscii(word);
  // A letter with its combining marks is one character here (x̂ has no precomposed form).
  const chars = ascii ? [...word] : (word.match(/\P{M}\p{M}*|\p{M}/gu) ?? []);
  const tex = joinTex(chars.map(texChar));
  const letters = chars.filter((c) => (ascii ? /[A-Za-z]/.test(c) : /\p{L}/u.test(c) && GREEK_CHARS[c] === undefined)).length;
  return wrapLong && letters > 1 ? `\\mathit{${tex}}` : tex;
}

/** `W1` → `W_{1}`, `x_i` → `x_{i}`, `W₁` → `W_{1}`, `α` → `\alpha`, `beta2` → `\beta_{2}`, `loss` → `\mathit{loss}`. */
export function latexName(name: string): string {
  const n = name.normalize('NFKC');
  let base = n;
  let sub: string | undefined;
  const underscore = n.indexOf('_');
  const digits = !/\d$/.test(n) ? null : (isAscii(n) ? /^(.*?[A-Za-z])(\d+)$/ : /^(.*?\p{L}\p{M}*)(\d+)$/u).exec(n);
  if (underscore > 0 && underscore < n.length - 1) {
    base = n.slice(0, underscore);
    sub = n.slice(underscore + 1).replace(/^\{(.*)\}$/, '$1');
  } else if (digits !== null) {
    base = digits[1]!;
    sub = digits[2]!;
  }
  const baseTex = texWord(base, true);
  return sub === undefined ? baseTex : `${baseTex}_{${texWord(sub, false)}}`;
}

function texNumber(value: number): Printed {
  const sign = value < 0 ? '-' : '';
  const text = isPi(value) ? '\\pi' : formatNumber(Math.abs(value));
  const e = text.indexOf('e');
  if (e < 0) return value < 0 ? compose([sign, text], Precedence.negate) : atom(text);
  const mantissa = text.slice(0, e);
  const power = `10^{${text.slice(e + 1)}}`;
  if (mantissa === '1') return compose([sign, power], value < 0 ? Precedence.negate : POSTFIX, true);
  return compose([sign, mantissa, ' \\cdot ', power], value < 0 ? Precedence.negate : JUXTAPOSE);
}

function superscript(base: Printed, exponent: string): Printed {
  return compose([wrapPostfix(base), exponent], POSTFIX, true);
}

/** The braced operand of a superscript: `^{2}`, `^{p + 1}`; a single character needs no braces. */
function braced(p: Printed): string {
  return p.length === 1 ? p.text : `{${p.text}}`;
}

const TEX_FUNCTIONS: Record<ElementwiseFn, string> = {
  exp: '\\exp', log: '\\log', sin: '\\sin', cos: '\\cos', tan: '\\tan', tanh: '\\tanh', sigmoid: '\\sigma',
  relu: '\\operatorname{relu}', softplus: '\\operatorname{softplus}', sqrt: '\\sqrt', abs: '\\operatorname{abs}',
  sign: '\\operatorname{sign}', step: '\\operatorname{step}',
  // LaTeX's own command or the textbook's notation where there is one, \operatorname otherwise.
  log1p: '\\operatorname{log1p}', expm1: '\\operatorname{expm1}', log2: '\\log_2', log10: '\\log_{10}', logsigmoid: '\\log\\sigma',
  sinh: '\\sinh', cosh: '\\cosh', arctan: '\\arctan', erf: '\\operatorname{erf}',
};

/** How LaTeX prints each op of term/ops.ts (KaTeX-valid: an underscore in a name is `\\_`). */
export const LATEX_OPS: Record<OpName, OpPrint> = {
  logsumexp: '\\operatorname{logsumexp}',
  softmax: '\\operatorname{softmax}',
  // log(softmax(x)), which reads back as log_softmax: an escaped underscore in an operator name would not read back.
  log_softmax: (args) => call('\\log', callOf('\\operatorname{softmax}', args)),
  mean: '\\operatorname{mean}',
  var: '\\operatorname{var}',
  nrows: (_, node) => atom(latexDim(node.args[0]!.shape[0])),
  ncols: (_, node) => atom(latexDim(node.args[0]!.shape[1])),
  // expm(A) as its own word: \exp is the element-wise exponential here.
  expm: '\\operatorname{expm}',
  expm_frechet: '\\operatorname{expm\\_frechet}',
  expm_frechet2: '\\operatorname{expm\\_frechet2}',
  specnorm: ([x]) => compose(['\\lVert ', x!, ' \\rVert_2'], ATOM),
  specnorm_grad: '\\operatorname{specnorm\\_grad}',
  specnorm_hess: '\\operatorname{specnorm\\_hess}',
  eigmax: '\\operatorname{eigmax}',
  eigmax_grad: '\\operatorname{eigmax\\_grad}',
  eigmax_hess: '\\operatorname{eigmax\\_hess}',
  nucnorm: ([x]) => compose(['\\lVert ', x!, ' \\rVert_*'], ATOM),
  polar: '\\operatorname{polar}',
  polar_frechet: '\\operatorname{polar\\_frechet}',
  softmax_rows: '\\operatorname{softmax\\_rows}',
  softmax_cols: '\\operatorname{softmax\\_cols}',
  log_softmax_rows: '\\operatorname{log\\_softmax\\_rows}',
  log_softmax_cols: '\\operatorname{log\\_softmax\\_cols}',
  logsumexp_rows: '\\operatorname{logsumexp\\_rows}',
  logsumexp_cols: '\\operatorname{logsumexp\\_cols}',
  absfn: abstractPrint(texFunctionName),
  absgrad: abstractPrint((f) => `\\nabla ${texFunctionName(f)}`),
  absew: abstractPrint(texFunctionName),
  absewd: abstractPrint((g) => `${texFunctionName(g)}'`),
  // \operatorname{pinv}, not the textbook's X^{+}: the LaTeX reader reads it back as the same op.
  pinv: '\\operatorname{pinv}',
  // Words, not X^{1/2} or \\log X: those are element-wise here.
  sqrtm: '\\operatorname{sqrtm}',
  sqrtm_frechet: '\\operatorname{sqrtm\\_frechet}',
  logm: '\\operatorname{logm}',
  logm_frechet: '\\operatorname{logm\\_frechet}',
  kron: ([a, b]) => infix([a!, b!], ' \\otimes '),
  kron_contract_left: '\\operatorname{kron\\_contract\\_left}',
  kron_contract_right: '\\operatorname{kron\\_contract\\_right}',
  vec: '\\operatorname{vec}',
  unvec: '\\operatorname{unvec}',
  vstack: '\\operatorname{vstack}', // laid out as a bmatrix by the node printer (stacked.ts)
  // Always braced: X^{n}b, never X^nb (read back as X^{nb}).
  matpow: ([x, n]) => superscript(x!, `^{${n!.text}}`),
  powsum: '\\operatorname{powsum}',
  columns: '\\operatorname{columns}', // the answer's caption says what it means (emit/derivative.ts)
};

/** \begin{bmatrix} f \\ g \end{bmatrix}, rows of entries joined by &. */
const LATEX_STACK: StackStyle = {
  open: '\\begin{bmatrix} ',
  close: ' \\end{bmatrix}',
  rowSep: ' \\\\ ',
  cellSep: ' & ',
  transposed: (p) => superscript(p, '^\\top'),
};

/** A dimension as LaTeX: a number, or its symbol as a name (d1 → d_{1}). */
function latexDim(d: number | string): string {
  return dimText(d, latexName, ' ');
}

/** A declared function's name in LaTeX: one letter italic as a variable, a longer name upright (`\\operatorname{loss}`). */
function texFunctionName(name: string): string {
  return name.length === 1 ? name : `\\operatorname{${name.replace(/_/g, '\\_')}}`;
}

export const LATEX: Notation = {
  name: latexName,
  number: texNumber,
  plus: ' + ',
  minus: ' - ',
  negate: '-',
  productPrec: JUXTAPOSE,
  differential: (base) => `\\mathrm{d}${latexName(base)}`,
  productSpace: '\\,',
  times: ' \\cdot ',
  joinFactors(left, right) {
    if (/^[0-9]/.test(right.head)) return ' \\cdot ';
    if (/\\[A-Za-z]+$/.test(left.tail) && /^[A-Za-z]/.test(right.head)) return ' ';
    return '';
  },
  divide(numerator, denominator, negative) {
    return compose([negative ? '-' : '', '\\frac{', numerator, '}{', denominator, '}'], PRODUCT);
  },
  power(base, exponent, _value, scalarBase) {
    return scalarBase ? superscript(base, `^${braced(exponent)}`) : superscript(base, `^{\\circ ${exponent.text}}`);
  },
  node(term, { ref, named }) {
    switch (term.kind) {
      case 'var':
        return atom(latexName(term.name));
      case 'num':
        return texNumber(term.value);
      case 'zero':
        return atom('0');
      case 'ones':
        return onesPrinted(term.shape, atom('\\mathbf{1}'), (p) => superscript(p, '^\\top'), (l, r) => compose([l, r], JUXTAPOSE, false, true));
      case 'eye':
        return atom('I');
      case 'hmul':
        return infix(term.factors.map(ref), ' \\odot ');
      case 'hdiv':
        return infix([ref(term.left), ref(term.right)], ' \\oslash ');
      case 'transpose':
        if (term.operand.kind === 'inv' && !named(term.operand)) return superscript(ref(term.operand.operand), '^{-\\top}');
        return rowPrinted(term, LATEX_STACK, { ref, named }) ?? superscript(ref(term.operand), '^\\top');
      case 'inv':
        return superscript(ref(term.operand), '^{-1}');
      case 'mpow':
        return superscript(ref(term.operand), `^${braced(atom(String(term.exponent)))}`);
      case 'epow':
        return LATEX.power(ref(term.base), ref(term.exponent), numberValue(term.exponent), isScalar(term.base));
      case 'fn': {
        const power = variablePower(term);
        if (power) return LATEX.power(ref(power.base), ref(power.exponent), undefined, false);
        if (term.fn === 'sqrt') return compose(['\\sqrt{', ref(term.operand), '}'], ATOM);
        return call(TEX_FUNCTIONS[term.fn], ref(term.operand));
      }
      case 'trace':
        return call('\\operatorname{tr}', ref(term.operand));
      case 'det':
        return call('\\det', ref(term.operand));
      case 'logdet':
      case 'sum':
        return call(`\\operatorname{${term.kind}}`, ref(term.operand));
      case 'diag':
      case 'diagm':
        return call('\\operatorname{diag}', ref(term.operand));
      case 'norm2':
        return compose(['\\lVert ', ref(term.operand), isVectorShaped(term.operand) ? ' \\rVert' : ' \\rVert_F'], ATOM);
      case 'norm1':
        return compose(['\\lVert ', ref(term.operand), ' \\rVert_1'], ATOM);
      case 'inner':
        return compose(['\\langle ', ref(term.left), ', ', ref(term.right), ' \\rangle'], ATOM);
      case 'op':
        if (term.op === 'vstack' && term.args.length > 1) return stackPrinted(term, LATEX_STACK, { ref, named });
        return printOp(LATEX_OPS[term.op], term, term.args.map(ref));
      case 'add':
      case 'mul':
        throw new InternalError(`emit: ${term.kind} is printed by the shared layout`);
    }
  },
};

export function emitLatex(roots: readonly Term[], options: EmitOptions = {}): Emitted {
  return emitWith(LATEX, roots, options);
}
