import { diag as diagnostic, DiagnosticError, InternalError } from '../diagnostics/diagnostic.js';
import { postOrder } from './traverse.js';
import {
  childrenOf,
  forgetChildArrays,
  generation,
  isScalarShape,
  localIndex,
  type Dim,
  type ElementwiseFn,
  type ReductionKind,
  type Shape,
  type Term,
  type TermKind,
  type TermOf,
} from './term.js';

/**
 * The hash-consing factory. One table per process: equal structure ⇒ the same frozen object, so
 * equality is === and caches are WeakMaps keyed by term. The factory only interns and checks shapes;
 * it never simplifies (that is simplify/'s job, with rule ids), so what you build is what you get.
 */
let nextId = 0;

function dimKey(d: Dim): string {
  return typeof d === 'number' ? String(d) : `'${d}`;
}

function shapeKey(s: Shape): string {
  return `${dimKey(s[0])}x${dimKey(s[1])}`;
}

/**
 * Interning tables, one per operator (and function name): keyed by the operand's id, or by both
 * operands' ids packed into one number, or (n-ary with more than 2 operands, leaves) by a string.
 * Number keys avoid building and hashing a string per node (most of a 1 MB expression's nodes).
 */
const tables = new Map<string, Map<string | number, Term>>();
let internedTerms = 0;
const PACK = 2 ** 26;

const resetHooks: (() => void)[] = [];

/** Registers what a module must forget when the terms are reset (its caches of terms or term ids). */
export function onTermsReset(hook: () => void): void {
  resetHooks.push(hook);
}

/**
 * Forgets every term: a new generation of terms starts (term.ts, `generation`). Terms built before
 * stay valid terms — ids are never handed out twice, and tables indexed by id keep earlier terms
 * aside — but they are no longer canonical: a term built now is a different object from an equal
 * earlier one. The pipeline starts a new generation on its own when the tables grow past a size
 * (term/generations.ts), and reports it handed out before still print and evaluate. Output never depends on ids
 * (every canonical order is structural, simplify/order.ts), so this is about memory only: the tables
 * never shrink otherwise, and `matcalc batch` resets before each request so that a long batch does
 * not keep every earlier request's terms.
 */
export function resetTerms(): void {
  tables.clear();
  listTables.clear();
  // Ids go on from here (a new generation), never back to 0: terms a caller still holds keep ids
  // no new term has, so nothing keyed by id can mistake one for the other.
  generation.base = nextId;
  internedTerms = 0;
  forgetChildArrays();
  for (const hook of resetHooks) hook();
}

function tableFor(tag: string): Map<string | number, Term> {
  let t = tables.get(tag);
  if (t === undefined) {
    t = new Map();
    tables.set(tag, t);
  }
  return t;
}

function pairKey(a: Term, b: Term): string | number {
  // Ids of this generation, from 0 (they go on across generations, and the tables are per generation).
  const i = localIndex(a.id);
  const j = localIndex(b.id);
  return i >= 0 && j >= 0 && i < PACK && j < PACK ? i * PACK + j : `${a.id},${b.id}`;
}

/**
 * Interns an n-ary node (sum, product, Hadamard product). Two operands: by the packed pair of ids.
 * More: by a 32-bit hash of the operands' ids, in buckets whose operand lists are compared entry by
 * entry — no string is built per node (long products are rebuilt at every level of a deep adjoint).
 */
const listTables = new Map<string, Map<number, Term[]>>();

function internList<K extends 'add' | 'mul' | 'hmul'>(tag: K, children: readonly Term[], build: (id: number) => Omit<TermOf<K>, never>): TermOf<K> {
  if (children.length === 2) return intern<K>(tag, pairKey(children[0]!, children[1]!), build);
  let table = listTables.get(tag);
  if (table === undefined) {
    table = new Map();
    listTables.set(tag, table);
  }
  let h = children.length | 0;
  for (const c of children) h = Math.imul(h ^ c.id, 0x9e3779b1) ^ (h >>> 15);
  const bucket = table.get(h);
  if (bucket !== undefined) {
    for (const t of bucket) if (sameOperands(childrenOf(t), children)) return t as TermOf<K>;
  }
  const term = Object.freeze(build(nextId++)) as unknown as TermOf<K>;
  if (bucket !== undefined) bucket.push(term);
  else table.set(h, [term]);
  internedTerms++;
  return term;
}

function sameOperands(a: readonly Term[], b: readonly Term[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function intern<K extends TermKind>(tag: string, key: string | number, build: (id: number) => Omit<TermOf<K>, never>): TermOf<K> {
  const table = tableFor(tag);
  const existing = table.get(key);
  if (existing !== undefined) return existing as TermOf<K>;
  const term = Object.freeze(build(nextId++)) as unknown as TermOf<K>;
  table.set(key, term);
  internedTerms++;
  return term;
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
 * A test "does this term depend on any of these variables?", memoised per test. Terms carry only
 * `constant` (no variable at all); which variables a term depends on is found by walking its DAG
 * once, on demand: a set per node (a bit mask over every variable name) made 20,000-variable inputs
 * slow and each node's mask as large as the number of variables. Terms built later (the sweep's
 * prefix products) are walked when first asked about, below the nodes already known.
 */
export function dependencyTest(names: Iterable<string>): (t: Term) => boolean {
  const wanted = new Set(names);
  // By term id (of the current generation; earlier ones aside): 0 not known yet, 1 independent, 2 dependent.
  let memo = new Uint8Array(Math.max(1024, nextId - generation.base + 1024));
  const earlier = new Map<Term, number>();
  const get = (n: Term) => {
    const i = localIndex(n.id);
    return i < 0 ? (earlier.get(n) ?? 0) : i < memo.length ? memo[i]! : 0;
  };
  const set = (n: Term, d: boolean) => {
    const i = localIndex(n.id);
    if (i < 0) {
      earlier.set(n, d ? 2 : 1);
      return;
    }
    if (i >= memo.length) {
      const grown = new Uint8Array(Math.max(memo.length * 2, i + 1024));
      grown.set(memo);
      memo = grown;
    }
    memo[i] = d ? 2 : 1;
  };
  return (t: Term): boolean => {
    if (t.constant || wanted.size === 0) return false;
    if (get(t) !== 0) return get(t) === 2;
    for (const node of postOrder([t], (n) => !n.constant && get(n) === 0)) {
      let d = false;
      if (node.kind === 'var') d = wanted.has(node.name);
      else {
        for (const c of childrenOf(node)) {
          if (!c.constant && get(c) === 2) {
            d = true;
            break;
          }
        }
      }
      set(node, d);
    }
    return get(t) === 2;
  };
}

/** Whether `term` depends on the variable `name` (walks the term; for many questions use dependencyTest). */
export function dependsOn(term: Term, name: string): boolean {
  return dependencyTest([name])(term);
}

export const SCALAR: Shape = Object.freeze([1, 1]) as Shape;

export function variable(name: string, shape: Shape): TermOf<'var'> {
  return intern<'var'>('var', `${name}:${shapeKey(shape)}`, (id) => ({ kind: 'var', id, shape, constant: false, name }));
}

export function num(value: number): TermOf<'num'> {
  // Every literal is finite (the reader refuses others), so a non-finite value here is a constant
  // folded past the floating-point range (1e308·10, (1e10·x)^10000): the input's fault, not a bug.
  if (!Number.isFinite(value)) throw new DiagnosticError(diagnostic('diff/constant-overflow', {}, String(value)));
  const v = Object.is(value, -0) ? 0 : value;
  return intern<'num'>('num', v, (id) => ({ kind: 'num', id, shape: SCALAR, constant: true, value: v }));
}

export function zero(shape: Shape): Term {
  if (isScalarShape(shape)) return num(0);
  return intern<'zero'>('zero', shapeKey(shape), (id) => ({ kind: 'zero', id, shape, constant: true }));
}

export function ones(shape: Shape): Term {
  if (isScalarShape(shape)) return num(1);
  return intern<'ones'>('ones', shapeKey(shape), (id) => ({ kind: 'ones', id, shape, constant: true }));
}

export function eye(n: Dim): Term {
  if (n === 1) return num(1);
  const shape: Shape = [n, n];
  return intern<'eye'>('eye', dimKey(n), (id) => ({ kind: 'eye', id, shape, constant: true }));
}

/** A sum of ≥ 2 terms of one shape; with one term returns it. Keeps the order given. */
export function add(terms: readonly Term[]): Term {
  if (terms.length === 0) throw new InternalError('add: no terms');
  if (terms.length === 1) return terms[0]!;
  const shape = terms[0]!.shape;
  for (const t of terms) requireShape('add', t.shape, shape);
  return internList('add', terms, (id) => ({
    kind: 'add',
    id,
    shape,
    constant: constantAll(terms),
    terms: Object.freeze([...terms]),
  }));
}

/** The shape of a product: the chain of its non-scalar factors, or scalar when all are scalars. */
export function productShape(factors: readonly Term[]): Shape {
  let shape: Shape | undefined;
  for (const f of factors) {
    if (isScalarShape(f.shape)) continue;
    if (shape === undefined) {
      shape = f.shape;
    } else {
      if (shape[1] !== f.shape[0]) {
        throw new InternalError(`mul: cannot chain ${shapeKey(shape)} with ${shapeKey(f.shape)}`);
      }
      shape = [shape[0], f.shape[1]];
    }
  }
  return shape ?? SCALAR;
}

/** A product of ≥ 2 factors (scalars scale, matrices chain); with one factor returns it. */
export function mul(factors: readonly Term[]): Term {
  if (factors.length === 0) throw new InternalError('mul: no factors');
  if (factors.length === 1) return factors[0]!;
  const shape = productShape(factors);
  return internList('mul', factors, (id) => ({
    kind: 'mul',
    id,
    shape,
    constant: constantAll(factors),
    factors: Object.freeze([...factors]),
  }));
}

export function hmul(factors: readonly Term[]): Term {
  if (factors.length === 0) throw new InternalError('hmul: no factors');
  if (factors.length === 1) return factors[0]!;
  const shape = factors[0]!.shape;
  for (const f of factors) requireShape('hmul', f.shape, shape);
  return internList('hmul', factors, (id) => ({
    kind: 'hmul',
    id,
    shape,
    constant: constantAll(factors),
    factors: Object.freeze([...factors]),
  }));
}

export function hdiv(left: Term, right: Term): TermOf<'hdiv'> {
  requireShape('hdiv', left.shape, right.shape);
  return intern<'hdiv'>('hdiv', pairKey(left, right), (id) => ({
    kind: 'hdiv',
    id,
    shape: left.shape,
    constant: left.constant && right.constant,
    left,
    right,
  }));
}

export function transpose(operand: Term): TermOf<'transpose'> {
  const shape: Shape = [operand.shape[1], operand.shape[0]];
  return intern<'transpose'>('T', operand.id, (id) => ({ kind: 'transpose', id, shape, constant: operand.constant, operand }));
}

function requireSquare(what: string, t: Term): void {
  if (t.shape[0] !== t.shape[1]) throw new InternalError(`${what}: ${shapeKey(t.shape)} is not square`);
}

export function inv(operand: Term): TermOf<'inv'> {
  requireSquare('inv', operand);
  return intern<'inv'>('inv', operand.id, (id) => ({ kind: 'inv', id, shape: operand.shape, constant: operand.constant, operand }));
}

export function mpow(operand: Term, exponent: number): TermOf<'mpow'> {
  requireSquare('mpow', operand);
  if (!Number.isInteger(exponent) || exponent < 2) throw new InternalError(`mpow: exponent ${exponent} must be an integer ≥ 2`);
  return intern<'mpow'>('mpow', `${operand.id}:${exponent}`, (id) => ({
    kind: 'mpow',
    id,
    shape: operand.shape,
    constant: operand.constant,
    operand,
    exponent,
  }));
}

export function epow(base: Term, exponent: Term): TermOf<'epow'> {
  if (!isScalarShape(exponent.shape)) throw new InternalError('epow: exponent must be a scalar');
  return intern<'epow'>('epow', pairKey(base, exponent), (id) => ({
    kind: 'epow',
    id,
    shape: base.shape,
    constant: base.constant && exponent.constant,
    base,
    exponent,
  }));
}

export function fn(name: ElementwiseFn, operand: Term): TermOf<'fn'> {
  return intern<'fn'>(name, operand.id, (id) => ({ kind: 'fn', id, shape: operand.shape, constant: operand.constant, fn: name, operand }));
}

export function reduce(kind: ReductionKind, operand: Term): TermOf<ReductionKind> {
  if (kind === 'trace' || kind === 'det' || kind === 'logdet') requireSquare(kind, operand);
  return intern<ReductionKind>(kind, operand.id, (id) => ({ kind, id, shape: SCALAR, constant: operand.constant, operand }) as TermOf<ReductionKind>);
}

export function inner(left: Term, right: Term): TermOf<'inner'> {
  requireShape('inner', left.shape, right.shape);
  return intern<'inner'>('inner', pairKey(left, right), (id) => ({
    kind: 'inner',
    id,
    shape: SCALAR,
    constant: left.constant && right.constant,
    left,
    right,
  }));
}

export function diag(operand: Term): TermOf<'diag'> {
  requireSquare('diag', operand);
  const shape: Shape = [operand.shape[0], 1];
  return intern<'diag'>('diag', operand.id, (id) => ({ kind: 'diag', id, shape, constant: operand.constant, operand }));
}

export function diagm(operand: Term): TermOf<'diagm'> {
  if (operand.shape[1] !== 1) throw new InternalError('diagm: operand must be a column vector');
  const shape: Shape = [operand.shape[0], operand.shape[0]];
  return intern<'diagm'>('diagm', operand.id, (id) => ({ kind: 'diagm', id, shape, constant: operand.constant, operand }));
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
  }
}

/** Number of distinct terms interned so far (for limits and benchmarks). */
export function internedCount(): number {
  return internedTerms;
}
