import { Precedence } from '../../grammar/precedence.js';
import { InternalError } from '../diagnostics/diagnostic.js';
import { isScalar, type OpName, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import {
  abstractPrint,
  atom,
  call,
  compose,
  emitWith,
  formatNumber,
  infix,
  numberValue,
  postfix,
  printOp,
  slashDivide,
  variablePower,
  wrap,
  wrapPostfix,
  type EmitOptions,
  type Emitted,
  type Notation,
  type OpPrint,
  type Printed,
} from './layout.js';
import { rowPrinted, stackPrinted, type StackStyle } from './stacked.js';

/**
 * The ASCII notation of matrixcalculus.org: `2*A'*(A*x - y)`, `(exp(X*b) .* a)*b'`, `inv(X)'`,
 * `X^3`, `x.^2`, `sigmoid(W*X)`, `norm2(x)`, `<A, B>`. Every product is an explicit `*`, so no
 * separator guesses are needed; names print as written (`W1`, `α`).
 */

const { product: PRODUCT, negate: NEGATE, atom: ATOM, postfix: POSTFIX } = Precedence;

/** A constant-filled term of `term`'s shape: `vector(1)`, `vector(1)'` for a row, `matrix(1)`. */
function filled(term: Term, value: string): Printed {
  if (term.shape[1] === 1) return call('vector', atom(value));
  if (term.shape[0] === 1) return postfix(call('vector', atom(value)), "'");
  return call('matrix', atom(value));
}

/** How the ASCII notation prints each op of term/ops.ts: a spelling the reader reads back as the same op. */
export const ASCII_OPS: Record<OpName, OpPrint> = {
  logsumexp: 'logsumexp',
  softmax: 'softmax',
  log_softmax: 'log_softmax',
  mean: 'mean',
  var: 'var',
  // Not the dimension's name: ASCII must read back as the same term whatever the dimensions are called.
  nrows: 'nrows',
  ncols: 'ncols',
  expm: 'expm',
  expm_frechet: 'expm_frechet',
  expm_frechet2: 'expm_frechet2',
  specnorm: 'specnorm',
  specnorm_grad: 'specnorm_grad',
  specnorm_hess: 'specnorm_hess',
  eigmax: 'eigmax',
  eigmax_grad: 'eigmax_grad',
  eigmax_hess: 'eigmax_hess',
  nucnorm: 'nucnorm',
  polar: 'polar',
  polar_frechet: 'polar_frechet',
  softmax_rows: 'softmax_rows',
  softmax_cols: 'softmax_cols',
  log_softmax_rows: 'log_softmax_rows',
  log_softmax_cols: 'log_softmax_cols',
  logsumexp_rows: 'logsumexp_rows',
  logsumexp_cols: 'logsumexp_cols',
  // The derivatives as the emitted modules' parameters are named (grad_f, g_prime).
  absfn: abstractPrint((f) => f),
  absgrad: abstractPrint((f) => `grad_${f}`),
  absew: abstractPrint((g) => g),
  absewd: abstractPrint((g) => `${g}_prime`),
  pinv: 'pinv',
  sqrtm: 'sqrtm',
  sqrtm_frechet: 'sqrtm_frechet',
  logm: 'logm',
  logm_frechet: 'logm_frechet',
  kron: 'kron',
  kron_contract_left: 'kron_contract_left',
  kron_contract_right: 'kron_contract_right',
  vec: 'vec',
  unvec: 'unvec',
  vstack: 'vstack', // laid out as [a; b] by the node printer (stacked.ts)
  matpow: ([x, n]) => ASCII.power(x!, n!, undefined, true),
  powsum: 'powsum',
  columns: 'columns',
};

/** [f; g], [a, b] and [a, b; c, d]: MATLAB's brackets, which the reader reads back. */
const ASCII_STACK: StackStyle = { open: '[', close: ']', rowSep: '; ', cellSep: ', ', transposed: (p) => postfix(p, "'") };

/**
 * What nrows/ncols prints of its argument: the dimension is all that counts, and a person writes
 * it of a variable that has it (the mean's 1/n is `nrows(y)`, not `nrows((X*w - y).^2)`): the first
 * variable of the argument with that dimension, as its rows or its columns; else the argument.
 */
function dimensionWitness(arg: Term, side: 0 | 1, witnesses: readonly Term[]): { readonly term: Term; readonly side: 0 | 1 } {
  const dim = arg.shape[side];
  // The argument's own variables first, then the input's (n𝟙 is nrows(X)*vector(1), not nrows(vector(1))*…).
  for (const vars of [postOrder([arg]).filter((t) => t.kind === 'var'), witnesses]) {
    const rows = vars.find((v) => v.shape[0] === dim);
    if (rows) return { term: rows, side: 0 };
    const cols = vars.find((v) => v.shape[1] === dim);
    if (cols) return { term: cols, side: 1 };
  }
  return { term: arg, side };
}

/** nrows/ncols printed of a variable that has the dimension (dimensionWitness); undefined for other terms. */
function dimensionCall(term: Term, ref: (t: Term) => Printed, witnesses: readonly Term[]): Printed | undefined {
  if (term.kind !== 'op' || (term.op !== 'nrows' && term.op !== 'ncols')) return undefined;
  const witness = dimensionWitness(term.args[0]!, term.op === 'nrows' ? 0 : 1, witnesses);
  // A witness from outside the term is not among the nodes printed: its name is all it takes.
  const argument = witnesses.includes(witness.term) ? atom((witness.term as Extract<Term, { kind: 'var' }>).name) : ref(witness.term);
  return call(witness.side === 0 ? 'nrows' : 'ncols', argument);
}

export const ASCII: Notation = {
  name: (name) => name,
  number(value) {
    return value < 0 ? compose(['-', formatNumber(-value)], NEGATE) : atom(formatNumber(value));
  },
  plus: ' + ',
  minus: ' - ',
  negate: '-',
  productPrec: PRODUCT,
  joinFactors: () => '*',
  divide(numerator, denominator, negative) {
    return slashDivide(ASCII, numerator, denominator, negative);
  },
  power(base, exponent, _value, scalarBase) {
    return compose([wrapPostfix(base), scalarBase ? '^' : '.^', wrap(exponent, ATOM)], POSTFIX, true);
  },
  node(term, { ref, named }) {
    switch (term.kind) {
      case 'var':
        return atom(term.name);
      case 'num':
        return ASCII.number(term.value);
      case 'zero':
        return filled(term, '0');
      case 'ones':
        return filled(term, '1');
      case 'eye':
        return atom('eye');
      case 'hmul':
        return infix(term.factors.map(ref), ' .* ');
      case 'hdiv':
        return infix([ref(term.left), ref(term.right)], ' ./ ');
      case 'transpose':
        return rowPrinted(term, ASCII_STACK, { ref, named }) ?? postfix(ref(term.operand), "'");
      case 'inv':
        return call('inv', ref(term.operand));
      case 'mpow':
        return postfix(ref(term.operand), `^${term.exponent}`);
      case 'epow':
        return ASCII.power(ref(term.base), ref(term.exponent), numberValue(term.exponent), isScalar(term.base));
      case 'fn': {
        const power = variablePower(term);
        if (power) return ASCII.power(ref(power.base), ref(power.exponent), undefined, false);
        return call(term.fn, ref(term.operand));
      }
      case 'trace':
        return call('tr', ref(term.operand));
      case 'det':
      case 'logdet':
      case 'sum':
      case 'norm1':
      case 'norm2':
      case 'diag':
        return call(term.kind, ref(term.operand));
      case 'diagm':
        return call('diag', ref(term.operand));
      case 'inner':
        return compose(['<', ref(term.left), ', ', ref(term.right), '>'], ATOM);
      case 'op': {
        const dimension = dimensionCall(term, ref, []);
        if (dimension !== undefined) return dimension;
        if (term.op === 'vstack' && term.args.length > 1) return stackPrinted(term, ASCII_STACK, { ref, named });
        return printOp(ASCII_OPS[term.op], term, term.args.map(ref));
      }
      case 'add':
      case 'mul':
        throw new InternalError(`emit: ${term.kind} is printed by the shared layout`);
    }
  },
};

export function emitAscii(roots: readonly Term[], options: EmitOptions = {}): Emitted {
  const witnesses = options.witnesses ?? [];
  if (witnesses.length === 0) return emitWith(ASCII, roots, options);
  const node: Notation['node'] = (term, context) => dimensionCall(term, context.ref, witnesses) ?? ASCII.node(term, context);
  return emitWith({ ...ASCII, node }, roots, options);
}

/**
 * The ASCII output as one program our parser reads back: `T1 = …; T2 = …; main`. The definitions
 * come children first, so each refers only to earlier ones. `root` picks which of several roots is
 * the body (the definitions serve them all).
 */
export function asciiProgram(e: Emitted, root = 0): string {
  const body = e.main[root];
  if (body === undefined) throw new InternalError(`asciiProgram: no root ${root}`);
  return [...e.where.map((d) => `${d.name} = ${d.text}`), body].join('; ');
}
