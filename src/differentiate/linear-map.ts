import { unreachable } from '../diagnostics/diagnostic.js';
import { dimProduct } from '../term/dim-product.js';
import * as T from '../term/factory.js';
import { isScalar, isScalarShape, type Dim, type Term } from '../term/term.js';

/**
 * Reading a matrix off a differential (ENGINE.md §5, Magnus–Neudecker): dF is linear in the
 * direction dX, and vec(dF) = J·vec(dX) for one matrix J, the Jacobian in numerator layout. The
 * identities used, one per way dX can sit in a term:
 *   vec(L·dX·R) = (Rᵀ ⊗ L) vec(dX)          vec(dXᵀ) = K vec(dX)   (K the commutation matrix)
 *   vec(H ⊙ dX) = Diag(vec H) vec(dX)        vec(M·s) = vec(M)·s    (s a scalar linear in dX)
 *   tr(dX) = vec(I)ᵀvec(dX)                  ⟨A, dX⟩ = vec(A)ᵀvec(dX)
 * The result is a small algebra of its own (Kronecker products, vec, K are not matrix terms of the
 * core: they exist only here, for display and for the numeric check). When F and X are vectors
 * (or scalars) every Kronecker product collapses to an ordinary product and J is a core term:
 * aᵀ(bᵀ ⊗ …) becomes abᵀ, Diag(vec h) becomes Diag(h) — see `asMatrixTerm`.
 */
export type Kron =
  /** The identity on vec of a matrix of the given shape (size rows·cols). */
  | { readonly k: 'identity'; readonly rows: Dim; readonly cols: Dim }
  /** An ordinary matrix. */
  | { readonly k: 'matrix'; readonly t: Term }
  /** vec(T) as a column, or vec(T)ᵀ as a row. */
  | { readonly k: 'vec'; readonly t: Term; readonly row: boolean }
  /** A ⊗ B. */
  | { readonly k: 'kron'; readonly a: Term; readonly b: Term }
  /** K: vec(A) ↦ vec(Aᵀ) for A of shape rows×cols. */
  | { readonly k: 'commutation'; readonly rows: Dim; readonly cols: Dim }
  /** Diag(vec(H)). */
  | { readonly k: 'diagvec'; readonly t: Term }
  /** Applied right to left: factors[0]·factors[1]⋯. */
  | { readonly k: 'product'; readonly factors: readonly Kron[] }
  | { readonly k: 'sum'; readonly terms: readonly Kron[] }
  /** A scalar (a 1×1 term that does not depend on the direction) times a map. */
  | { readonly k: 'scale'; readonly c: Term; readonly e: Kron };

/** How a reason names the operator the direction is caught in. */
const OPERATOR_WORDS: Partial<Record<Term['kind'], string>> = {
  diag: 'diag(·), the diagonal of a matrix',
  diagm: 'Diag(·), a vector put on a diagonal',
  fn: 'an element-wise function',
  inv: 'an inverse',
  det: 'a determinant',
  logdet: 'log det',
  mpow: 'a matrix power',
  epow: 'an element-wise power',
  norm1: 'a 1-norm',
  norm2: 'a norm',
};

/** Why no matrix could be read off (the linear map dX ↦ dF is shown instead). */
export type Unreadable = { readonly unreadable: string };

const product = (factors: Kron[]): Kron => {
  const flat = factors.flatMap((f) => (f.k === 'product' ? f.factors : [f])).filter((f) => !isIdentity(f));
  if (flat.length === 0) return factors[factors.length - 1]!;
  return flat.length === 1 ? flat[0]! : { k: 'product', factors: flat };
};

function isIdentity(e: Kron): boolean {
  return e.k === 'identity' || (e.k === 'commutation' && (e.rows === 1 || e.cols === 1)) || (e.k === 'matrix' && e.t.kind === 'num' && e.t.value === 1);
}

/**
 * J with vec(D) = J vec(dX), for D linear in the variable `direction`; undefined when D is 0.
 * Iterative over sums and products would be nicer; D is a simplified term whose depth is that of
 * the input's nesting of operators around dX, and the depth guard below refuses the rest.
 */
export function vecJacobian(d: Term, direction: Term): Kron | Unreadable | undefined {
  if (direction.kind !== 'var') return { unreadable: 'the direction is not a variable' };
  // Memoised per node: a shared subterm of dF gives one shared map (the result is a DAG like dF).
  const memo = new Map<Term, Kron | Unreadable | undefined>();
  const dependent = T.dependencyTest([direction.name]);
  const read = (t: Term, depth: number): Kron | Unreadable | undefined => {
    if (memo.has(t)) return memo.get(t);
    const result = readOff(t, direction, dependent, depth, read);
    memo.set(t, result);
    return result;
  };
  return read(d, 0);
}

/**
 * The number of leaves of a map written out as a tree (what printing it costs), counting up to
 * `limit` only: a map read off a large differential shares subterms that a printed Kronecker
 * formula would repeat.
 */
export function kronTreeSize(e: Kron, limit: number): number {
  let n = 0;
  const stack: Kron[] = [e];
  while (stack.length > 0 && n <= limit) {
    const x = stack.pop()!;
    if (x.k === 'product') stack.push(...x.factors);
    else if (x.k === 'sum') stack.push(...x.terms);
    else if (x.k === 'scale') stack.push(x.e);
    else n++;
  }
  return n;
}

function readOff(
  d: Term,
  direction: Term,
  dependent: (t: Term) => boolean,
  depth: number,
  read: (t: Term, depth: number) => Kron | Unreadable | undefined,
): Kron | Unreadable | undefined {
  if (depth > 2000) return { unreadable: 'the differential is nested too deeply' };
  if (!dependent(d)) return undefined;
  const rec = (t: Term) => read(t, depth + 1);
  if (d === direction) return { k: 'identity', rows: d.shape[0], cols: d.shape[1] };
  switch (d.kind) {
    case 'transpose': {
      const inner = rec(d.operand);
      if (!inner || 'unreadable' in inner) return inner;
      return product([{ k: 'commutation', rows: d.operand.shape[0], cols: d.operand.shape[1] }, inner]);
    }
    case 'add': {
      const terms: Kron[] = [];
      for (const t of d.terms) {
        const j = rec(t);
        if (j && 'unreadable' in j) return j;
        if (j) terms.push(j);
      }
      return terms.length === 0 ? undefined : terms.length === 1 ? terms[0] : { k: 'sum', terms };
    }
    case 'mul': {
      const at = d.factors.findIndex((f) => dependent(f));
      if (d.factors.some((f, i) => i !== at && dependent(f))) return { unreadable: 'a product of two factors that depend on the direction' };
      const inner = rec(d.factors[at]!);
      if (!inner || 'unreadable' in inner) return inner;
      const scalars = d.factors.filter((f, i) => i !== at && isScalar(f));
      const left = d.factors.slice(0, at).filter((f) => !isScalar(f));
      const right = d.factors.slice(at + 1).filter((f) => !isScalar(f));
      const middle = d.factors[at]!;
      let map: Kron;
      if (isScalar(middle)) {
        const rest = [...left, ...right];
        map = rest.length === 0 ? inner : product([{ k: 'vec', t: T.mul(rest), row: false }, inner]);
      } else {
        const l = left.length === 0 ? T.eye(middle.shape[0]) : T.mul(left);
        const r = right.length === 0 ? T.eye(middle.shape[1]) : T.transpose(T.mul(right));
        map = product([{ k: 'kron', a: r, b: l }, inner]);
      }
      return scalars.length === 0 ? map : { k: 'scale', c: T.mul(scalars), e: map };
    }
    case 'hmul': {
      const at = d.factors.findIndex((f) => dependent(f));
      if (d.factors.some((f, i) => i !== at && dependent(f))) return { unreadable: 'a Hadamard product of two factors that depend on the direction' };
      const inner = rec(d.factors[at]!);
      if (!inner || 'unreadable' in inner) return inner;
      const others = d.factors.filter((_, i) => i !== at);
      return product([{ k: 'diagvec', t: T.hmul(others) }, inner]);
    }
    case 'hdiv': {
      if (dependent(d.right)) return { unreadable: 'a division by a term that depends on the direction' };
      const inner = rec(d.left);
      if (!inner || 'unreadable' in inner) return inner;
      return product([{ k: 'diagvec', t: T.hdiv(T.ones(d.right.shape), d.right) }, inner]);
    }
    case 'trace': {
      const inner = rec(d.operand);
      if (!inner || 'unreadable' in inner) return inner;
      return product([{ k: 'vec', t: T.eye(d.operand.shape[0]), row: true }, inner]);
    }
    case 'sum': {
      const inner = rec(d.operand);
      if (!inner || 'unreadable' in inner) return inner;
      return product([{ k: 'vec', t: T.ones(d.operand.shape), row: true }, inner]);
    }
    case 'inner': {
      const leftDepends = dependent(d.left);
      if (leftDepends && dependent(d.right)) return { unreadable: 'an inner product of two terms that depend on the direction' };
      const [constant, linear] = leftDepends ? [d.right, d.left] : [d.left, d.right];
      const inner = rec(linear);
      if (!inner || 'unreadable' in inner) return inner;
      return product([{ k: 'vec', t: constant, row: true }, inner]);
    }
    case 'var':
    case 'num':
    case 'zero':
    case 'ones':
    case 'eye':
    case 'inv':
    case 'mpow':
    case 'epow':
    case 'fn':
    case 'det':
    case 'logdet':
    case 'norm1':
    case 'norm2':
    case 'diag':
    case 'diagm':
      return { unreadable: `the direction occurs inside ${OPERATOR_WORDS[d.kind] ?? `${d.kind}(·)`}` };
    case 'op':
      // vec(vec(D)) = vec(D) and vec(unvec(g)) = g: the map of D (of g) itself. A differential holds
      // another op only applied to what its rule wrote; a direction inside one is not read off.
      if (d.op === 'vec' || (d.op === 'unvec' && !dependent(d.args[1]!))) return rec(d.args[0]!);
      if (d.op === 'kron') return kronFactor(d.args[0]!, d.args[1]!, dependent, rec);
      if (d.op === 'vstack' && d.shape[1] === 1) return stackedMap(d.args, direction, rec);
      return { unreadable: `the direction occurs inside ${d.op}(·)` };
  }
}

/**
 * vec[D₁; …; D_k] of column blocks is [vec D₁; …; vec D_k], so its map is the stack of the blocks'
 * maps [J₁; …; J_k] (a block that does not depend on the direction has a zero block): the Jacobian
 * w.r.t. a matrix X of [aᵀXb; cᵀXd] is [vec(abᵀ)ᵀ; vec(cdᵀ)ᵀ]. Each block's map must be a matrix term.
 */
function stackedMap(blocks: readonly Term[], direction: Term, rec: (t: Term) => Kron | Unreadable | undefined): Kron | Unreadable | undefined {
  const size = dimProduct([direction.shape[0], direction.shape[1]]);
  const rows: Term[] = [];
  let any = false;
  for (const block of blocks) {
    const map = rec(block);
    if (map && 'unreadable' in map) return map;
    if (map === undefined) {
      rows.push(T.zero([block.shape[0], size]));
      continue;
    }
    const matrix = blockMatrix(map);
    if (matrix === undefined) return { unreadable: 'a block of the stack whose Jacobian has no matrix form' };
    rows.push(matrix);
    any = true;
  }
  return any ? { k: 'matrix', t: T.op('vstack', rows) } : undefined;
}

/** A block's map as a matrix term, vec(A)ᵀ (the op vec) included: a stack has no other place for it. */
function blockMatrix(map: Kron): Term | undefined {
  const direct = asMatrixTerm(map);
  if (direct !== undefined) return direct;
  switch (map.k) {
    case 'vec':
      return map.row ? T.transpose(T.op('vec', [map.t])) : T.op('vec', [map.t]);
    case 'scale': {
      const inner = blockMatrix(map.e);
      return inner && T.mul([map.c, inner]);
    }
    case 'sum': {
      const terms = map.terms.map(blockMatrix);
      return terms.every((t) => t !== undefined) ? T.add(terms as Term[]) : undefined;
    }
    case 'product': {
      const factors = map.factors.map(blockMatrix);
      return factors.every((t) => t !== undefined) ? T.mul(factors as Term[]) : undefined;
    }
    case 'kron':
      return T.op('kron', [map.a, map.b]);
    case 'identity':
      return T.eye(dimProduct([map.rows, map.cols]));
    // What asMatrixTerm did not read has no core term: K and Diag(vec H) exist only in this algebra.
    case 'matrix':
    case 'commutation':
    case 'diagvec':
      return undefined;
  }
  return unreachable(map, 'linear map');
}

/**
 * vec(D ⊗ b) = (I ⊗ b)vec(D) for a column b (each column of D ⊗ b is Dⱼ ⊗ b = (I ⊗ b)Dⱼ), and
 * vec(a ⊗ D) = (I ⊗ a ⊗ I)vec(D) for a column a (column j is a ⊗ Dⱼ = (a ⊗ I)Dⱼ): the maps are core
 * terms (the kron op), so a vector's Jacobian through a ⊗ b is an ordinary matrix. Other factors
 * (a matrix beside the direction) need commutation matrices inside the product: not read off.
 */
function kronFactor(a: Term, b: Term, dependent: (t: Term) => boolean, rec: (t: Term) => Kron | Unreadable | undefined): Kron | Unreadable | undefined {
  if (dependent(a) && dependent(b)) return { unreadable: 'a Kronecker product of two factors that depend on the direction' };
  const [direction, other] = dependent(a) ? [a, b] : [b, a];
  if (other.shape[1] !== 1) return { unreadable: 'the direction occurs inside a Kronecker product with a matrix' };
  const inner = rec(direction);
  if (!inner || 'unreadable' in inner) return inner;
  const identity = (n: Dim): Term[] => (n === 1 ? [] : [T.eye(n)]);
  const kron = (parts: Term[]): Term => parts.reduce((l, r) => T.op('kron', [l, r]));
  const map = dependent(a)
    ? kron([...identity(dimProduct([a.shape[0], a.shape[1]])), b])
    : kron([...identity(b.shape[1]), a, ...identity(b.shape[0])]);
  return product([{ k: 'matrix', t: map }, inner]);
}

/**
 * The map as a core term, when every Kronecker product is an outer or scalar product (F and X
 * vectors or scalars); undefined otherwise.
 */
export function asMatrixTerm(e: Kron): Term | undefined {
  // Memoised per map object: a map shared in the DAG becomes one shared term.
  if (matrixTerms.has(e)) return matrixTerms.get(e);
  const t = asMatrixTermOnce(e);
  matrixTerms.set(e, t);
  return t;
}

const matrixTerms = new WeakMap<Kron, Term | undefined>();

function asMatrixTermOnce(e: Kron): Term | undefined {
  switch (e.k) {
    case 'identity':
      return e.cols === 1 ? T.eye(e.rows) : e.rows === 1 ? T.eye(e.cols) : undefined;
    case 'matrix':
      return e.t;
    case 'vec':
      if (e.t.shape[1] === 1) return e.row ? T.transpose(e.t) : e.t;
      if (e.t.shape[0] === 1) return e.row ? e.t : T.transpose(e.t);
      return undefined;
    case 'kron': {
      const { a, b } = e;
      if (isScalarShape(a.shape)) return T.mul([a, b]);
      if (isScalarShape(b.shape)) return T.mul([b, a]);
      if (a.shape[0] === 1 && b.shape[1] === 1) return T.mul([b, a]); // bᵀ-row ⊗ column a = a·row
      if (a.shape[1] === 1 && b.shape[0] === 1) return T.mul([a, b]);
      return undefined;
    }
    case 'commutation':
      return identityTerm(e);
    case 'diagvec':
      if (isScalarShape(e.t.shape)) return e.t;
      if (e.t.shape[1] === 1) return T.diagm(e.t);
      if (e.t.shape[0] === 1) return T.diagm(T.transpose(e.t));
      return undefined;
    case 'product': {
      const parts: Term[] = [];
      for (const f of e.factors) {
        if (isIdentity(f)) continue;
        const t = asMatrixTerm(f);
        if (!t) return undefined;
        parts.push(t);
      }
      return parts.length === 0 ? identityTerm(e.factors[0]!) : T.mul(parts);
    }
    case 'sum': {
      const parts: Term[] = [];
      for (const f of e.terms) {
        const t = isIdentity(f) ? identityTerm(f) : asMatrixTerm(f);
        if (!t) return undefined;
        parts.push(t);
      }
      return T.add(parts);
    }
    case 'scale': {
      const t = isIdentity(e.e) ? identityTerm(e.e) : asMatrixTerm(e.e);
      return t ? T.mul([e.c, t]) : undefined;
    }
  }
}

function identityTerm(e: Kron): Term | undefined {
  if (e.k === 'identity' || e.k === 'commutation') {
    const n = e.rows === 1 ? e.cols : e.cols === 1 ? e.rows : undefined;
    return n === undefined ? undefined : T.eye(n);
  }
  return asMatrixTerm(e);
}

/** Every core term inside a map (to simplify them together). */
export function kronTerms(e: Kron): Term[] {
  const out: Term[] = [];
  const stack: Kron[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.k === 'matrix' || x.k === 'vec' || x.k === 'diagvec') out.push(x.t);
    else if (x.k === 'kron') out.push(x.a, x.b);
    else if (x.k === 'product') stack.push(...x.factors);
    else if (x.k === 'sum') stack.push(...x.terms);
    else if (x.k === 'scale') {
      out.push(x.c);
      stack.push(x.e);
    }
  }
  return out;
}

/** The same map with every core term replaced (after simplification). */
export function mapKronTerms(e: Kron, f: (t: Term) => Term): Kron {
  switch (e.k) {
    case 'identity':
    case 'commutation':
      return e;
    case 'matrix':
    case 'diagvec':
      return { ...e, t: f(e.t) };
    case 'vec':
      return { ...e, t: f(e.t) };
    case 'kron':
      return { k: 'kron', a: f(e.a), b: f(e.b) };
    case 'product':
      return { k: 'product', factors: e.factors.map((x) => mapKronTerms(x, f)) };
    case 'sum':
      return { k: 'sum', terms: e.terms.map((x) => mapKronTerms(x, f)) };
    case 'scale':
      return { k: 'scale', c: f(e.c), e: mapKronTerms(e.e, f) };
  }
}

/** Tidies a map after its terms were simplified: I ⊗ I = I, identities dropped from products, 1·J = J. */
export function normalizeKron(e: Kron): Kron {
  switch (e.k) {
    case 'kron':
      if (e.a.kind === 'eye' && e.b.kind === 'eye') return { k: 'identity', rows: e.b.shape[0], cols: e.a.shape[0] };
      return e;
    case 'product': {
      const factors = e.factors.map(normalizeKron).flatMap((f) => (f.k === 'product' ? f.factors : [f]));
      const kept = factors.filter((f) => !isIdentity(f));
      if (kept.length === 0) return factors[0]!;
      return kept.length === 1 ? kept[0]! : { k: 'product', factors: kept };
    }
    case 'sum':
      return { k: 'sum', terms: e.terms.map(normalizeKron) };
    case 'scale': {
      const inner = normalizeKron(e.e);
      return e.c.kind === 'num' && e.c.value === 1 ? inner : { k: 'scale', c: e.c, e: inner };
    }
    // Leaves: nothing inside them to tidy.
    case 'identity':
    case 'matrix':
    case 'vec':
    case 'commutation':
    case 'diagvec':
      return e;
  }
  return unreachable(e, 'linear map');
}
