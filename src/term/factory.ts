import { diag as diagnostic, DiagnosticError, InternalError } from '../diagnostics/diagnostic.js';
import { intern, internList, pairKey } from './tables.js';
import { dimProduct, dimQuotient, dimSum } from './dim-product.js';
import { acceptsArity, argumentSignatures, ARITY_LETTER } from './op-arity.js';
import { opDeclaration, signatureFactors, type OpName, type SignatureDim } from './ops.js';
import { isScalarShape, type Dim, type ElementwiseFn, type ReductionKind, type Shape, type Term, type TermKind, type TermOf } from './term.js';

export { dependencyTest, dependsOn } from './dependencies.js';
export { internedCount, onTermsReset, resetTerms } from './tables.js';

/**
 * The hash-consing factory: equal structure ⇒ the same frozen object, so equality is === and a
 * term can key a Map or index a per-term table by its id (memo.ts). The tables and ids it interns
 * with live in tables.ts, with everything else the term layer keeps for the process and its one
 * reset. The factory only interns and checks shapes; it never simplifies (that is simplify/'s job,
 * with rule ids), so what you build is what you get.
 */

function dimKey(d: Dim): string {
  return typeof d === 'number' ? String(d) : `'${d}`;
}

function shapeKey(s: Shape): string {
  return `${dimKey(s[0])}x${dimKey(s[1])}`;
}

function constantAll(children: readonly Term[]): boolean {
  for (const c of children) if (!c.constant) return false;
  return true;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function requireShape(what: string, a: Shape, b: Shape): void {
  if (!sameShape(a, b)) throw new InternalError(`${what}: shape ${shapeKey(a)} differs from ${shapeKey(b)}`);
}

/**
 * Every kind's own fields, which a term of another kind holds as undefined (record()).
 */
interface KindFields {
  name: string;
  value: number;
  terms: readonly Term[];
  factors: readonly Term[];
  left: Term;
  right: Term;
  operand: Term;
  exponent: number | Term;
  base: Term;
  fn: ElementwiseFn;
  op: OpName;
  args: readonly Term[];
}

/**
 * A term object. Every term has the same fields in the same order whatever its kind (those of other
 * kinds undefined), so V8 gives all terms one hidden class: each of the engine's many `t.kind`,
 * `t.id`, `t.shape` and `t.operand` reads is then a monomorphic load, where the kinds' own object
 * shapes (about ten) made every such read a megamorphic lookup. A fresh textbook gradient took ~7 %
 * less time; a term is 96 bytes larger, which the 1 MB inputs did not notice (peak memory within 5 %).
 */
function record<K extends TermKind>(kind: K, id: number, shape: Shape, constant: boolean, own: Partial<KindFields>): TermOf<K> {
  return {
    kind,
    id,
    shape,
    constant,
    name: own.name,
    value: own.value,
    terms: own.terms,
    factors: own.factors,
    left: own.left,
    right: own.right,
    operand: own.operand,
    exponent: own.exponent,
    base: own.base,
    fn: own.fn,
    op: own.op,
    args: own.args,
  } as unknown as TermOf<K>;
}

export const SCALAR: Shape = Object.freeze([1, 1]) as Shape;

export function variable(name: string, shape: Shape): TermOf<'var'> {
  return intern<'var'>('var', `${name}:${shapeKey(shape)}`, (id) => record('var', id, shape, false, { name }));
}

export function num(value: number): TermOf<'num'> {
  // Every literal is finite (the reader refuses others), so a non-finite value here is a constant
  // folded past the floating-point range (1e308·10, (1e10·x)^10000): the input's fault, not a bug.
  if (!Number.isFinite(value)) throw new DiagnosticError(diagnostic('diff/constant-overflow', {}, String(value)));
  const v = Object.is(value, -0) ? 0 : value;
  return intern<'num'>('num', v, (id) => record('num', id, SCALAR, true, { value: v }));
}

export function zero(shape: Shape): Term {
  if (isScalarShape(shape)) return num(0);
  return intern<'zero'>('zero', shapeKey(shape), (id) => record('zero', id, shape, true, {}));
}

export function ones(shape: Shape): Term {
  if (isScalarShape(shape)) return num(1);
  return intern<'ones'>('ones', shapeKey(shape), (id) => record('ones', id, shape, true, {}));
}

export function eye(n: Dim): Term {
  if (n === 1) return num(1);
  const shape: Shape = [n, n];
  return intern<'eye'>('eye', dimKey(n), (id) => record('eye', id, shape, true, {}));
}

/** A sum of ≥ 2 terms of one shape; with one term returns it. Keeps the order given. */
export function add(terms: readonly Term[]): Term {
  if (terms.length === 0) throw new InternalError('add: no terms');
  if (terms.length === 1) return terms[0]!;
  const shape = terms[0]!.shape;
  // Checked when the node is made: a node found interned was checked then, with the same operands.
  return internList('add', terms, (id) => {
    for (const t of terms) requireShape('add', t.shape, shape);
    return record('add', id, shape, constantAll(terms), { terms: Object.freeze([...terms]) });
  });
}

/** The shape of a product: the chain of its non-scalar factors, or scalar when all are scalars. */
export function productShape(factors: readonly Term[]): Shape {
  // The first and the last matrix factor: one shape array is made, and only for a chain of two or more.
  let first: Shape | undefined;
  let last: Shape | undefined;
  for (let i = 0; i < factors.length; i++) {
    const shape = factors[i]!.shape;
    if (isScalarShape(shape)) continue;
    if (last !== undefined && last[1] !== shape[0]) {
      throw new InternalError(`mul: cannot chain ${shapeKey([first![0], last[1]])} with ${shapeKey(shape)}`);
    }
    first ??= shape;
    last = shape;
  }
  if (first === undefined || last === undefined) return SCALAR;
  return first === last ? first : [first[0], last[1]];
}

/** A product of ≥ 2 factors (scalars scale, matrices chain); with one factor returns it. */
export function mul(factors: readonly Term[]): Term {
  if (factors.length === 0) throw new InternalError('mul: no factors');
  if (factors.length === 1) return factors[0]!;
  // The shape (and its check) when the node is made: a node found interned has it already.
  return internList('mul', factors, (id) => record('mul', id, productShape(factors), constantAll(factors), { factors: Object.freeze([...factors]) }));
}

export function hmul(factors: readonly Term[]): Term {
  if (factors.length === 0) throw new InternalError('hmul: no factors');
  if (factors.length === 1) return factors[0]!;
  const shape = factors[0]!.shape;
  return internList('hmul', factors, (id) => {
    for (const f of factors) requireShape('hmul', f.shape, shape);
    return record('hmul', id, shape, constantAll(factors), { factors: Object.freeze([...factors]) });
  });
}

export function hdiv(left: Term, right: Term): TermOf<'hdiv'> {
  requireShape('hdiv', left.shape, right.shape);
  return intern<'hdiv'>('hdiv', pairKey(left, right), (id) => record('hdiv', id, left.shape, left.constant && right.constant, { left, right }));
}

export function transpose(operand: Term): TermOf<'transpose'> {
  // The shape is made only for a new node (most transposes are met again).
  return intern<'transpose'>('T', operand.id, (id) => record('transpose', id, [operand.shape[1], operand.shape[0]], operand.constant, { operand }));
}

function requireSquare(what: string, t: Term): void {
  if (t.shape[0] !== t.shape[1]) throw new InternalError(`${what}: ${shapeKey(t.shape)} is not square`);
}

export function inv(operand: Term): TermOf<'inv'> {
  requireSquare('inv', operand);
  return intern<'inv'>('inv', operand.id, (id) => record('inv', id, operand.shape, operand.constant, { operand }));
}

export function mpow(operand: Term, exponent: number): TermOf<'mpow'> {
  requireSquare('mpow', operand);
  if (!Number.isInteger(exponent) || exponent < 2) throw new InternalError(`mpow: exponent ${exponent} must be an integer ≥ 2`);
  return intern<'mpow'>('mpow', `${operand.id}:${exponent}`, (id) => record('mpow', id, operand.shape, operand.constant, { operand, exponent }));
}

export function epow(base: Term, exponent: Term): TermOf<'epow'> {
  if (!isScalarShape(exponent.shape)) throw new InternalError('epow: exponent must be a scalar');
  return intern<'epow'>('epow', pairKey(base, exponent), (id) => record('epow', id, base.shape, base.constant && exponent.constant, { base, exponent }));
}

export function fn(name: ElementwiseFn, operand: Term): TermOf<'fn'> {
  return intern<'fn'>(name, operand.id, (id) => record('fn', id, operand.shape, operand.constant, { fn: name, operand }));
}

export function reduce(kind: ReductionKind, operand: Term): TermOf<ReductionKind> {
  if (kind === 'trace' || kind === 'det' || kind === 'logdet') requireSquare(kind, operand);
  return intern<ReductionKind>(kind, operand.id, (id) => record(kind, id, SCALAR, operand.constant, { operand }));
}

export function inner(left: Term, right: Term): TermOf<'inner'> {
  requireShape('inner', left.shape, right.shape);
  return intern<'inner'>('inner', pairKey(left, right), (id) => record('inner', id, SCALAR, left.constant && right.constant, { left, right }));
}

export function diag(operand: Term): TermOf<'diag'> {
  requireSquare('diag', operand);
  return intern<'diag'>('diag', operand.id, (id) => record('diag', id, [operand.shape[0], 1], operand.constant, { operand }));
}

export function diagm(operand: Term): TermOf<'diagm'> {
  if (operand.shape[1] !== 1) throw new InternalError('diagm: operand must be a column vector');
  return intern<'diagm'>('diagm', operand.id, (id) => record('diagm', id, [operand.shape[0], operand.shape[0]], operand.constant, { operand }));
}

/**
 * A named function of its arguments (term/ops.ts). The arguments' shapes must fit the op's signature —
 * the shape stage has unified them already, so a misfit here is a bug — and give the result's shape.
 */
export function op(name: OpName, args: readonly Term[]): TermOf<'op'> {
  const shape = opShape(name, args);
  const key = args.length === 1 ? args[0]!.id : args.length === 2 ? pairKey(args[0]!, args[1]!) : args.map((a) => a.id).join(',');
  // One operand's id and two operands' packed pair are both small numbers and can be equal (vstack(y)
  // met vstack(x, y) when y's id was the pair's key): a variadic op keeps its pairs in a table of
  // their own. Three or more are keyed by a string of three or more ids, which neither can be.
  return intern<'op'>(opTag(name, args.length === 2), key, (id) => record('op', id, shape, constantAll(args), { op: name, args: Object.freeze([...args]) }));
}

/** An op's table tag, `op:softmax` (`op:vstack/2` for pairs), made once per op rather than a new string per node. */
function opTag(name: OpName, pair: boolean): string {
  const tags = pair ? PAIR_TAGS : OP_TAGS;
  let tag = tags.get(name);
  if (tag === undefined) tags.set(name, (tag = pair ? `op:${name}/2` : `op:${name}`));
  return tag;
}

const OP_TAGS = new Map<OpName, string>();
const PAIR_TAGS = new Map<OpName, string>();

/**
 * The result shape of `name` applied to `args`, binding the signature's letters to the arguments'
 * dimensions. A product in the signature (`m·p`, term/ops.ts) is bound after the plain letters: it
 * checks the product of letters already bound, or binds its one unbound letter to the quotient
 * (G of mp×nq and B of p×q give m = mp / p).
 */
function opShape(name: OpName, args: readonly Term[]): Shape {
  const declaration = opDeclaration(name);
  if (!acceptsArity(name, args.length)) throw new InternalError(`${name}: ${args.length} arguments, expected ${declaration.args.length}`);
  if (name === 'vstack') return stackShape(args);
  const letters = new Map<string, Dim>();
  if (declaration.variadic !== undefined) letters.set(ARITY_LETTER, args.length);
  const bind = (want: SignatureDim, have: Dim): boolean => {
    if (want === 1) return have === 1;
    const bound = letters.get(want);
    if (bound === undefined) letters.set(want, have);
    return bound === undefined || bound === have;
  };
  const bindProduct = (want: string, have: Dim): boolean => {
    const parts = signatureFactors(want);
    const unbound = parts.filter((l) => !letters.has(l));
    const known = dimProduct(parts.filter((l) => letters.has(l)).map((l) => letters.get(l)!));
    if (unbound.length === 0) return known === have;
    if (unbound.length > 1) return false;
    const rest = dimQuotient(have, known);
    return rest !== undefined && bind(unbound[0]!, rest);
  };
  for (const products of [false, true]) {
    argumentSignatures(name, args.length).forEach((signature, i) => {
      const shape = args[i]!.shape;
      const fits = [0, 1].every((j) => {
        const want = signature[j]!;
        const isProduct = want !== 1 && signatureFactors(want).length > 1;
        if (isProduct !== products) return true;
        return isProduct ? bindProduct(want as string, shape[j]!) : bind(want, shape[j]!);
      });
      if (!fits) throw new InternalError(`${name}: argument ${i + 1} is ${shapeKey(shape)}, which does not fit ${signature.join('×')}`);
    });
  }
  const dim = (d: SignatureDim): Dim =>
    d === 1 ? 1 : dimProduct(signatureFactors(d).map((l) => letters.get(l) ?? fail(`${name}: result dimension ${d} is bound by no argument`)));
  const shape: Shape = [dim(declaration.result[0]), dim(declaration.result[1])];
  return isScalarShape(shape) ? SCALAR : shape;
}

/** [a₁; …; a_k]: blocks of one width, p₁ + … + p_k rows (k for scalars or rows). */
function stackShape(args: readonly Term[]): Shape {
  const width = args[0]!.shape[1];
  args.forEach((a, i) => {
    if (a.shape[1] !== width) throw new InternalError(`vstack: argument ${i + 1} is ${shapeKey(a.shape)}, not ${width} columns wide`);
  });
  const shape: Shape = [dimSum(args.map((a) => a.shape[0])), width];
  return isScalarShape(shape) ? SCALAR : shape;
}

function fail(message: string): never {
  throw new InternalError(message);
}

/** Rebuilds a term of the same kind with new children (same order as childrenOf). */
export function withChildren(term: Term, children: readonly Term[]): Term {
  switch (term.kind) {
    case 'var':
    case 'num':
    case 'zero':
    case 'ones':
    case 'eye':
      return term;
    case 'add':
      return add(children);
    case 'mul':
      return mul(children);
    case 'hmul':
      return hmul(children);
    case 'hdiv':
      return hdiv(children[0]!, children[1]!);
    case 'inner':
      return inner(children[0]!, children[1]!);
    case 'epow':
      return epow(children[0]!, children[1]!);
    case 'transpose':
      return transpose(children[0]!);
    case 'inv':
      return inv(children[0]!);
    case 'mpow':
      return mpow(children[0]!, term.exponent);
    case 'fn':
      return fn(term.fn, children[0]!);
    case 'trace':
    case 'det':
    case 'logdet':
    case 'sum':
    case 'norm1':
    case 'norm2':
      return reduce(term.kind, children[0]!);
    case 'diag':
      return diag(children[0]!);
    case 'diagm':
      return diagm(children[0]!);
    case 'op':
      return op(term.op, children);
  }
}
