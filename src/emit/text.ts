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
  infix,
  isPi,
  isVectorShaped,
  numberValue,
  onesPrinted,
  postfix,
  printOp,
  slashDivide,
  wrap,
  wrapPostfix,
  type EmitOptions,
  type Emitted,
  variablePower,
  type Notation,
  type OpPrint,
  type Printed,
} from './layout.js';
import { rowPrinted, stackPrinted, type StackStyle } from './stacked.js';

const { negate: NEGATE, juxtapose: JUXTAPOSE, postfix: POSTFIX, atom: ATOM } = Precedence;

/** The textbook notation's spelling: `2Aᵀ(Ax − y)`, `(exp(Xb) ⊙ a)bᵀ`, `X⁻ᵀ`, `‖x‖`, `⟨A, B⟩`; layout.ts lays it out. */
export type { EmitOptions, Emitted } from './layout.js';

const SUPERSCRIPTS: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻',
};
const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

function superscriptInteger(k: number): string {
  return [...String(k)].map((c) => SUPERSCRIPTS[c]!).join('');
}

/** `W1` → `W₁` (trailing digits after a letter); `x_i` and other names as written. */
export function textName(name: string): string {
  // The trailing digits, found by hand: a 1 MB input has ~60,000 names a₁, a₂, ….
  let k = name.length;
  while (k > 0 && isAsciiDigit(name[k - 1])) k--;
  if (k === name.length || k === 0) return name;
  // ASCII names (most) skip compiling the Unicode pattern (ascii-first.ts says why).
  const before = name.charCodeAt(k - 1);
  const letter = before < 128 ? (before >= 65 && before <= 90) || (before >= 97 && before <= 122) : /^(.*\p{L})(\d+)$/u.test(name);
  if (!letter) return name;
  let digits = '';
  for (let i = k; i < name.length; i++) digits += SUBSCRIPTS[name.charCodeAt(i) - 48]!;
  return name.slice(0, k) + digits;
}

/** The number of code points in a run, up to 2 (only "one or several" matters). */
function runLength(run: string): number {
  if (run === '') return 0;
  const first = run.codePointAt(0)!;
  return run.length > (first > 0xffff ? 2 : 1) ? 2 : 1;
}

const isAsciiDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Juxtaposition, with `·` where the reader (or the parser) would split the tokens differently: before
 * a digit (`x·2`), between a number and an `e` (`2·e`), next to a name of several characters
 * (`β·x`, `x_i·y`, `a·exp(x)`, `beta·(x + y)`), and between two norms (`‖x‖·‖y‖`).
 */
function textJoin(left: Printed, right: Printed): string {
  const r0 = right.head[0];
  if (isAsciiDigit(r0)) return '·';
  const l = left.lastWord;
  const leftLength = runLength(l);
  const rightLength = runLength(right.firstWord);
  const leftIsName = l !== '' && !isAsciiDigit(l[0]);
  if (l !== '' && !leftIsName && (r0 === 'e' || r0 === 'E')) return '·';
  if (leftIsName && rightLength > 0 && (leftLength > 1 || rightLength > 1)) return '·';
  if (leftIsName && leftLength > 1 && r0 === '(') return '·';
  // Names juxtaposed into a run of letters (`ab`) before `(` would read back as a call `ab(…)`.
  if (r0 === '(' && /[A-Za-z\u0391-\u03a9\u03b1-\u03c9]{2}$/.test(left.tail)) return '·';
  if (left.tail.endsWith('‖') && r0 === '‖') return '·';
  // An exponent that is a name is one atom, and a factor glued to it would read as part of it (`A.^cz`).
  if (left.tail.includes('^') && /\^[A-Za-z\u0391-\u03a9\u03b1-\u03c9][^\s^]*$/.test(left.tail) && /[A-Za-z\u0391-\u03a9\u03b1-\u03c9(]/.test(r0 ?? '')) return '·';
  return '';
}

export const TEXT_FUNCTIONS: Record<ElementwiseFn, string> = {
  exp: 'exp', log: 'log', sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh', sigmoid: 'σ',
  relu: 'relu', softplus: 'softplus', sqrt: 'sqrt', abs: 'abs', sign: 'sign', step: 'step',
  log1p: 'log1p', expm1: 'expm1', log2: 'log₂', log10: 'log₁₀', logsigmoid: 'logσ', sinh: 'sinh', cosh: 'cosh',
  arctan: 'arctan', erf: 'erf',
};

/** How the textbook notation prints each op of term/ops.ts (a name is printed `name(a, …)`). */
export const TEXT_OPS: Record<OpName, OpPrint> = {
  logsumexp: 'logsumexp',
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  mean: 'mean',
  var: 'var',
  // A dimension as a number prints as the dimension, as the shapes line names it: 𝟙/n (a product
  // m·p as mp, the factors juxtaposed).
  nrows: (_, node) => atom(dimText(node.args[0]!.shape[0], textName, '')),
  ncols: (_, node) => atom(dimText(node.args[0]!.shape[1], textName, '')),
  expm: 'expm',
  expm_frechet: 'expm_frechet',
  expm_frechet2: 'expm_frechet2',
  specnorm: ([x]) => compose(['‖', x!, '‖₂'], ATOM),
  specnorm_grad: 'specnorm_grad',
  specnorm_hess: 'specnorm_hess',
  eigmax: 'λ_max',
  eigmax_grad: 'eigmax_grad',
  eigmax_hess: 'eigmax_hess',
  nucnorm: ([x]) => compose(['‖', x!, '‖_*'], ATOM),
  polar: 'polar',
  polar_frechet: 'polar_frechet',
  softmax_rows: 'softmax_rows',
  softmax_cols: 'softmax_cols',
  log_softmax_rows: 'log_softmax_rows',
  log_softmax_cols: 'log_softmax_cols',
  logsumexp_rows: 'logsumexp_rows',
  logsumexp_cols: 'logsumexp_cols',
  absfn: abstractPrint((f) => f),
  absgrad: abstractPrint((f) => `∇${f}`),
  absew: abstractPrint((g) => g),
  absewd: abstractPrint((g) => `${g}′`),
  pinv: 'pinv',
  sqrtm: 'sqrtm',
  sqrtm_frechet: 'sqrtm_frechet',
  logm: 'logm',
  logm_frechet: 'logm_frechet',
  kron: ([a, b]) => infix([a!, b!], ' ⊗ '),
  kron_contract_left: 'kron_contract_left',
  kron_contract_right: 'kron_contract_right',
  vec: 'vec',
  unvec: 'unvec',
  vstack: 'vstack', // laid out as [a; b] by the node printer (stacked.ts)
  // X^n, as the reader reads it back (it has no superscript letters): a number exponent is the term kind mpow.
  matpow: ([x, n]) => TEXT.power(x!, n!, undefined, true),
  powsum: 'powsum',
  columns: 'columns', // the answer's caption says what it means (emit/derivative.ts)
};

/** [f; g], [a, b] and [a, b; c, d], as read back by the bracket reader. */
const TEXT_STACK: StackStyle = { open: '[', close: ']', rowSep: '; ', cellSep: ', ', transposed: (p) => postfix(p, 'ᵀ') };

export const TEXT: Notation = {
  name: textName,
  number(value) {
    const text = isPi(value) ? 'π' : formatNumber(Math.abs(value));
    return value < 0 ? compose(['−', text], NEGATE) : atom(text);
  },
  plus: ' + ',
  minus: ' − ',
  negate: '−',
  productPrec: JUXTAPOSE,
  joinFactors: textJoin,
  productSpace: ' ',
  times: '·',
  divide(numerator, denominator, negative) {
    return slashDivide(TEXT, numerator, denominator, negative);
  },
  power(base, exponent, value, scalarBase) {
    if (scalarBase && value !== undefined && Number.isInteger(value) && Math.abs(value) < 1000) {
      return postfix(base, superscriptInteger(value));
    }
    return compose([wrapPostfix(base), scalarBase ? '^' : '.^', wrap(exponent, ATOM)], POSTFIX, true);
  },
  node(term, { ref, named }) {
    switch (term.kind) {
      case 'var':
        return atom(textName(term.name));
      case 'num':
        return TEXT.number(term.value);
      case 'zero':
        return atom('0');
      case 'ones':
        return onesPrinted(term.shape, atom('𝟙'), (p) => postfix(p, 'ᵀ'), (l, r) => compose([l, r], JUXTAPOSE, false, true));
      case 'eye':
        return atom('I');
      case 'hmul':
        return infix(term.factors.map(ref), ' ⊙ ');
      case 'hdiv':
        return infix([ref(term.left), ref(term.right)], ' ⊘ ');
      case 'transpose':
        if (term.operand.kind === 'inv' && !named(term.operand)) return postfix(ref(term.operand.operand), '⁻ᵀ');
        return rowPrinted(term, TEXT_STACK, { ref, named }) ?? postfix(ref(term.operand), 'ᵀ');
      case 'inv':
        return postfix(ref(term.operand), '⁻¹');
      case 'mpow':
        return postfix(ref(term.operand), superscriptInteger(term.exponent));
      case 'epow':
        return TEXT.power(ref(term.base), ref(term.exponent), numberValue(term.exponent), isScalar(term.base));
      case 'fn': {
        const power = variablePower(term);
        if (power) return TEXT.power(ref(power.base), ref(power.exponent), undefined, false);
        return call(TEXT_FUNCTIONS[term.fn], ref(term.operand));
      }
      case 'trace':
        return call('tr', ref(term.operand));
      case 'det':
      case 'logdet':
      case 'sum':
        return call(term.kind, ref(term.operand));
      case 'diag':
      case 'diagm':
        return call('diag', ref(term.operand));
      case 'norm2':
        return compose(['‖', ref(term.operand), isVectorShaped(term.operand) ? '‖' : '‖_F'], ATOM);
      case 'norm1':
        return compose(['‖', ref(term.operand), '‖₁'], ATOM);
      case 'inner':
        return compose(['⟨', ref(term.left), ', ', ref(term.right), '⟩'], ATOM);
      case 'op':
        if (term.op === 'vstack' && term.args.length > 1) return stackPrinted(term, TEXT_STACK, { ref, named });
        return printOp(TEXT_OPS[term.op], term, term.args.map(ref));
      case 'add':
      case 'mul':
        throw new InternalError(`emit: ${term.kind} is printed by the shared layout`);
    }
  },
};


/** The textbook notation: `2Aᵀ(Ax − y)`, `(exp(Xb) ⊙ a)bᵀ`, `X⁻ᵀ`, `‖x‖`, `⟨A, B⟩`. */
export function emitText(roots: readonly Term[], options: EmitOptions = {}): Emitted {
  return emitWith(TEXT, roots, options);
}

/** A node as a message names it: in text, with the user's names, unshared. */
export function messagePrinter(names: ReadonlyMap<Term, string>): (term: Term) => string {
  return (term) => emitText([term], { names, share: 'names' }).main[0]!;
}
