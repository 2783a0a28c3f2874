import { Precedence } from '../../grammar/precedence.js';
import { InternalError } from '../diagnostics/diagnostic.js';
import { isScalar, type Shape, type Term, type TermOf } from '../term/term.js';
import { chainItems, chainOrder, type ChainItem } from './chain-order.js';
import { DISPLAY_MIN_SIZE, planSharing } from './sharing.js';
import { EDGE, atom, compose, parenthesise, wrap, type Piece, type Printed } from './printed.js';

/**
 * The layout every printer shares (text.ts, ascii.ts, latex.ts; numpy.ts reads sums and products
 * the same way): the notations differ in spelling, not in structure.
 *
 * Printing is one pass over the DAG in post-order (children first, iterative, so a 100,000-deep term
 * cannot overflow the stack): each distinct node is printed once into a record holding its text and
 * its precedence level (grammar/precedence.ts), and a parent composes its children's records,
 * parenthesising a child whose level is lower than the slot needs. Texts are composed by
 * concatenation, which V8 keeps as ropes, so the cost is linear in the output. Nodes the sharing plan
 * names (sharing.ts) print as their name and are defined in the `where` list.
 */
export interface EmitOptions {
  /** Names for nodes (user definitions such as Y = σ(WX)); they print as the name and are defined in `where`. */
  readonly names?: ReadonlyMap<Term, string>;
  /** false: print every root as a tree, with no definitions (not even for `names`). Default true. */
  readonly share?: boolean | 'names';
  /**
   * Direction variables of a differential: their name → the variable they are the differential of
   * (dX → X). They print as `dX` (`\mathrm{d}X`), set off by spaces in products: `A dX B`.
   */
  readonly differentials?: ReadonlyMap<string, string>;
  /** Variables printed verbatim: name → text in this notation (a derivation's `d(Xb)` placeholders). */
  readonly verbatim?: ReadonlyMap<string, string>;
  /**
   * The expression as read, for a reader to check the grouping: a number is joined to what it
   * multiplies by an explicit product sign (`0.5·(xᵀx)`, never `0.5(xᵀx)`, which reads like a call
   * or like 0.5 times a product of unknown extent). Quotients are unambiguous anyway: a denominator
   * is one atom or bracketed, and a quotient inside a product is bracketed (`(a / b)c`).
   */
  readonly explicit?: boolean;
  /**
   * ASCII only: variables (the input's) that a dimension printed as a number may be read off when
   * its argument has none of its own: n𝟙 prints as nrows(X)*vector(1), which reads back with the
   * right n, rather than nrows(vector(1))*vector(1).
   */
  readonly witnesses?: readonly Term[];
}

export interface Emitted {
  /** One string per root. */
  readonly main: string[];
  /** Definitions of the shared nodes, children first: each refers only to earlier ones. */
  readonly where: readonly { readonly name: string; readonly text: string }[];
}

const { sum: SUM, product: PRODUCT, negate: NEGATE, juxtapose: JUXTAPOSE, postfix: POSTFIX } = Precedence;

export { abstractPrint, atom, call, callOf, compose, formatNumber, infix, isPi, parenthesise, postfix, printOp, wrap, wrapPostfix, type OpPrint, type Piece, type Printed } from './printed.js';

export interface PrintContext {
  /** The record to use for a child: its name when the child is defined, else its printed form. */
  ref(term: Term): Printed;
  /** Whether a node prints as a name. */
  named(term: Term): boolean;
}

/** The spelling of one notation; products and sums are laid out by the shared code below. */
export interface Notation {
  /** A variable or definition name (`W1` → `W₁` in text, `W_{1}` in LaTeX). */
  name(name: string): string;
  /** A number literal; a negative one has the negate level. */
  number(value: number): Printed;
  /** Binary `+` and `−` of a sum, and the unary minus, with their spacing. */
  readonly plus: string;
  readonly minus: string;
  readonly negate: string;
  /** The precedence of a product of several factors (juxtaposition, or an explicit `*`). */
  readonly productPrec: number;
  /** What goes between two adjacent factors of a product. */
  joinFactors(left: Printed, right: Printed): string;
  /** numerator / denominator, the numerator without its sign; `negative` puts a minus in front. */
  divide(numerator: Printed, denominator: Printed, negative: boolean): Printed;
  /** base^exponent, element-wise; `value` is the exponent when it is a number literal. */
  power(base: Printed, exponent: Printed, value: number | undefined, scalarBase: boolean): Printed;
  /** Every kind except add and mul. */
  node(term: Term, context: PrintContext): Printed;
  /** The differential of a variable (`dX`, `\mathrm{d}X`); default d + name. */
  differential?(base: string): string;
  /** What separates a differential from its neighbours in a product (text: a space); default joinFactors. */
  readonly productSpace?: string;
  /** The explicit product sign (text `·`, LaTeX `\cdot`), for EmitOptions.explicit. */
  readonly times?: string;
}

/** Prints `roots` in `notation`, sharing repeated nodes as definitions. */
export function emitWith(notation: Notation, roots: readonly Term[], options: EmitOptions = {}): Emitted {
  if (options.differentials && options.differentials.size > 0) notation = withDifferentials(notation, options.differentials);
  if (options.explicit && notation.times !== undefined) notation = withExplicitNumbers(notation, notation.times);
  if (options.verbatim && options.verbatim.size > 0) {
    const verbatim = options.verbatim;
    const base = notation;
    notation = { ...base, node: (term, context) => (term.kind === 'var' && verbatim.has(term.name) ? atom(verbatim.get(term.name)!) : base.node(term, context)) };
  }
  const plan = planSharing(roots, { names: options.names, share: options.share, minSize: DISPLAY_MIN_SIZE });
  const { position, definitionAt } = plan;
  const names = plan.definitions.map((d) => atom(notation.name(d.name)));
  // By post-order position: the nodes printed so far.
  const printed: Printed[] = [];
  const context: PrintContext = {
    ref(term) {
      const i = position(term);
      const d = i < 0 ? -1 : definitionAt[i]!;
      if (d >= 0) return names[d]!;
      if (i < 0 || i >= printed.length) throw new InternalError(`emit: node ${term.id} used before it was printed`);
      return printed[i]!;
    },
    named(term) {
      const i = position(term);
      return i >= 0 && definitionAt[i]! >= 0;
    },
  };
  for (const term of plan.order) printed.push(printNode(notation, term, context));
  return {
    main: roots.map((root) => context.ref(root).text),
    where: plan.definitions.map((d, i) => ({ name: names[i]!.text, text: printed[position(d.term)]!.text })),
  };
}

/**
 * 𝟙 has the shape its place needs, so the printed form must say which: a column is 𝟙, a row 𝟙ᵀ
 * and a matrix of ones 𝟙𝟙ᵀ (printing all three as 𝟙 turned 𝟙𝟙ᵀ into 𝟙𝟙 and bᵀA𝟙 into b𝟙).
 */
export function onesPrinted(shape: Shape, one: Printed, transpose: (p: Printed) => Printed, times: (l: Printed, r: Printed) => Printed): Printed {
  const row = shape[0] === 1 && shape[1] !== 1;
  const matrix = shape[0] !== 1 && shape[1] !== 1;
  if (row) return transpose(one);
  return matrix ? times(one, transpose(one)) : one;
}

/** The notation with a number factor joined by `times` to the factor after it (EmitOptions.explicit). */
function withExplicitNumbers(notation: Notation, times: string): Notation {
  return { ...notation, joinFactors: (left, right) => (isDigitCode(left.head.charCodeAt(0)) ? times : notation.joinFactors(left, right)) };
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The notation with differentials spelled d·name and spaced in products (`A dX B`, `X⁻¹ dX X⁻¹`). */
function withDifferentials(notation: Notation, differentials: ReadonlyMap<string, string>): Notation {
  const spelled = [...differentials.values()].map((base) => notation.differential?.(base) ?? `d${notation.name(base)}`);
  const touches = (p: Printed, atEnd: boolean) => spelled.some((d) => (atEnd ? p.tail.endsWith(d) : p.head.startsWith(d)));
  return {
    ...notation,
    name: (name) => {
      const base = differentials.get(name);
      return base === undefined ? notation.name(name) : (notation.differential?.(base) ?? `d${notation.name(base)}`);
    },
    joinFactors: (left, right) =>
      notation.productSpace !== undefined && (touches(left, true) || touches(right, false)) ? notation.productSpace : notation.joinFactors(left, right),
    node: (term, context) =>
      term.kind === 'var' && differentials.has(term.name) ? atom(notation.differential?.(differentials.get(term.name)!) ?? `d${notation.name(differentials.get(term.name)!)}`) : notation.node(term, context),
  };
}

function printNode(notation: Notation, term: Term, context: PrintContext): Printed {
  if (term.kind === 'add') return printSum(notation, term, context);
  if (term.kind === 'mul') return printProduct(notation, term, context, false, false);
  return notation.node(term, context);
}

/** The coefficient of a product: its first number factor (the printers put it in front). */
function coefficientOf(term: TermOf<'mul'>): number | undefined {
  for (const f of term.factors) if (f.kind === 'num') return f.value;
  return undefined;
}

/** A scalar broadcast to a matrix, `mul([s, 𝟙])` or a bare 𝟙, not printed as a name. */
function isBroadcast(term: Term, named: (t: Term) => boolean): boolean {
  if (named(term)) return false;
  if (term.kind === 'ones') return true;
  if (term.kind !== 'mul') return false;
  let matrices = 0;
  let ones = 0;
  for (const f of term.factors) {
    if (isScalar(f)) continue;
    matrices++;
    if (f.kind === 'ones') ones++;
  }
  return matrices === 1 && ones === 1;
}

/**
 * How a sum writes one of its terms (every printer the same way):
 * - `negative`: a later term that is a negative number or has a negative coefficient prints as
 *   ` − term` with the sign dropped;
 * - `broadcast`: a broadcast scalar prints as the scalar (`1 − Y`), when some other term keeps the
 *   sum a matrix, so that it reads back with the same shape.
 * A term printed as a name is neither.
 */
export interface SumTerm {
  readonly term: Term;
  readonly negative: boolean;
  readonly broadcast: boolean;
}

export function sumTerms(term: TermOf<'add'>, named: (t: Term) => boolean): SumTerm[] {
  const allowBroadcast = broadcastAllowed(term, named);
  return term.terms.map((t, i) => ({ term: t, negative: isNegativeTerm(t, i, named), broadcast: allowBroadcast && isBroadcast(t, named) }));
}

/** Whether a sum may print its broadcast scalars as scalars: some other term keeps it a matrix. */
function broadcastAllowed(term: TermOf<'add'>, named: (t: Term) => boolean): boolean {
  return term.terms.some((t) => !isBroadcast(t, named));
}

/** Whether the `i`-th term of a sum prints as ` − term`, its sign dropped (SumTerm.negative). */
function isNegativeTerm(t: Term, i: number, named: (t: Term) => boolean): boolean {
  return i > 0 && !named(t) && ((t.kind === 'num' && t.value < 0) || (t.kind === 'mul' && (coefficientOf(t) ?? 0) < 0));
}

/** A sum as sumTerms reads it, without a record per term (a sum of 50,000 terms is one node). */
function printSum(notation: Notation, term: TermOf<'add'>, context: PrintContext): Printed {
  const pieces: Piece[] = [];
  const allowBroadcast = broadcastAllowed(term, context.named);
  term.terms.forEach((t, i) => {
    const negative = isNegativeTerm(t, i, context.named);
    const broadcast = allowBroadcast && isBroadcast(t, context.named);
    let p: Printed;
    if (t.kind === 'num' && negative) p = notation.number(-t.value);
    else if (t.kind === 'mul' && (negative || broadcast)) p = printProduct(notation, t, context, negative, broadcast);
    else if (t.kind === 'ones' && broadcast) p = notation.number(1);
    else p = context.ref(t);
    if (i === 0) {
      pieces.push(wrap(p, SUM));
    } else {
      pieces.push(negative ? notation.minus : notation.plus);
      pieces.push(p.prec > SUM && !p.head.startsWith(notation.negate) ? p : parenthesise(p));
    }
  });
  return compose(pieces, SUM);
}

/** Joins the factors of a product; the first may be a plain product, the others need a tighter level. */
function joinProduct(notation: Notation, factors: readonly { p: Printed; scalarProduct: boolean }[]): Printed {
  if (factors.length === 1) return factors[0]!.p;
  const pieces: Piece[] = [];
  let previous: Printed | undefined;
  // The end of the text so far, not only of the last factor: names juxtaposed into `ab` and then a
  // `(` must be told apart from a call `ab(…)`.
  let tail = '';
  factors.forEach(({ p, scalarProduct }, i) => {
    // A scalar product among other factors keeps its parentheses, (xᵀAx)x and 2(xᵀx)A, not a chain xᵀAxx.
    const slot = i === 0 && !scalarProduct && (p.chain || p.prec >= JUXTAPOSE) ? p : wrap(p, POSTFIX);
    let join = '';
    if (previous !== undefined) {
      // The previous factor stands for the text so far, with the text's own end (a new record only when they differ).
      join = notation.joinFactors(tail === previous.tail ? previous : { ...previous, tail }, slot);
      pieces.push(join);
    }
    pieces.push(slot);
    tail = slot.tail.length >= EDGE ? slot.tail : (tail + join + slot.tail).slice(-EDGE);
    previous = slot;
  });
  return compose(pieces, notation.productPrec, false, true);
}

/** The parts of a product as every printer lays it out. */
export interface ProductParts {
  /** The first number factor. */
  readonly coefficient: number | undefined;
  /** The other [1, 1] factors, in order. */
  readonly scalars: readonly Term[];
  /** The matrix chain, in order (without the 𝟙 of a broadcast). */
  readonly chain: readonly Term[];
  /** Scalar factors s^-k (not printed as names), as s and k > 0. */
  readonly denominators: readonly { readonly base: Term; readonly exponent: number }[];
}

export function splitProduct(term: TermOf<'mul'>, named: (t: Term) => boolean, broadcast: boolean): ProductParts {
  let coefficient: number | undefined;
  const scalars: Term[] = [];
  const chain: Term[] = [];
  const denominators: { base: Term; exponent: number }[] = [];
  for (const f of term.factors) {
    if (!isScalar(f)) {
      if (!(broadcast && f.kind === 'ones')) chain.push(f);
    } else if (f.kind === 'num' && coefficient === undefined) {
      coefficient = f.value;
    } else if (f.kind === 'epow' && !named(f) && f.exponent.kind === 'num' && f.exponent.value < 0) {
      denominators.push({ base: f.base, exponent: -f.exponent.value });
    } else {
      scalars.push(f);
    }
  }
  return { coefficient, scalars, chain, denominators };
}

/**
 * A product: the coefficient first, then the scalar factors, then the matrix chain; scalar factors
 * s^-k go to a denominator. `strip` drops a negative coefficient's sign (the sum prints ` − `);
 * `broadcast` drops the 𝟙 of a broadcast scalar.
 */
function printProduct(notation: Notation, term: TermOf<'mul'>, context: PrintContext, strip: boolean, broadcast: boolean): Printed {
  const { coefficient, scalars, chain, denominators } = splitProduct(term, context.named, broadcast);
  const negative = !strip && coefficient !== undefined && coefficient < 0;
  const factors: { p: Printed; scalarProduct: boolean }[] = [];
  if (coefficient !== undefined && (Math.abs(coefficient) !== 1 || scalars.length + chain.length === 0)) {
    factors.push({ p: notation.number(Math.abs(coefficient)), scalarProduct: false });
  }
  for (const f of scalars) {
    factors.push({ p: context.ref(f), scalarProduct: f.kind === 'mul' && !context.named(f) });
  }
  // With concrete sizes the chain is grouped for the fewest operations (chain-order.ts): A(Bx).
  const order = chain.length < 3 ? undefined : chainOrder(chain.map((f) => f.shape));
  if (order === undefined) {
    for (const f of chain) factors.push({ p: context.ref(f), scalarProduct: false });
  } else {
    const item = (it: ChainItem): { p: Printed; scalarProduct: boolean } =>
      typeof it === 'number'
        ? { p: context.ref(chain[it]!), scalarProduct: false }
        : { p: parenthesise(joinProduct(notation, it.map(item))), scalarProduct: false };
    for (const it of chainItems(order)) factors.push(item(it));
  }
  if (factors.length === 0) factors.push({ p: notation.number(1), scalarProduct: false });
  const numerator = joinProduct(notation, factors);
  if (denominators.length === 0) return negative ? signed(notation, numerator) : numerator;
  const denominator = joinProduct(
    notation,
    denominators.map(({ base, exponent }) => {
      const b = context.ref(base);
      const p = exponent === 1 ? b : notation.power(b, notation.number(exponent), exponent, true);
      return { p, scalarProduct: base.kind === 'mul' && !context.named(base) };
    }),
  );
  return notation.divide(numerator, denominator, negative);
}

/** −p: the sign attaches to a product's first factor, which is never itself signed. */
export function signed(notation: Notation, p: Printed): Printed {
  const operand = p.prec >= JUXTAPOSE || p.chain ? p : parenthesise(p);
  return compose([notation.negate, operand], Math.min(NEGATE, operand.prec));
}

/** text / text, parenthesised by the precedence table (the denominator to the postfix level, for readability). */
export function slashDivide(notation: Notation, numerator: Printed, denominator: Printed, negative: boolean): Printed {
  const top = negative ? signed(notation, numerator) : numerator;
  return compose([wrap(top, PRODUCT), ' / ', wrap(denominator, POSTFIX)], PRODUCT);
}

export function isVectorShaped(term: Term): boolean {
  return term.shape[0] === 1 || term.shape[1] === 1;
}

export function numberValue(term: Term): number | undefined {
  return term.kind === 'num' ? term.value : undefined;
}

/**
 * exp(X ⊙ log A), or exp(log(a)·X) for a scalar base, is how the reader builds A.^X with a vector or
 * matrix exponent (shape/infer.ts): its base and exponent, so that the printers write that power
 * back. Only a vector or matrix exponent: exp(b·log a) of scalars stays as written.
 */
export function variablePower(term: Term): { base: Term; exponent: Term } | undefined {
  if (term.kind !== 'fn' || term.fn !== 'exp') return undefined;
  const x = term.operand;
  if ((x.kind !== 'hmul' && x.kind !== 'mul') || x.factors.length !== 2) return undefined;
  const i = x.factors.findIndex((f) => f.kind === 'fn' && f.fn === 'log');
  const log = x.factors[i];
  const exponent = x.factors[1 - i];
  if (log?.kind !== 'fn' || exponent === undefined || isScalar(exponent)) return undefined;
  if (x.kind === 'mul' && !isScalar(log)) return undefined; // a matrix product, not a power
  return { base: log.operand, exponent };
}
