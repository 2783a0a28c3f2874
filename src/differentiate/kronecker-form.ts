import { unreachable } from '../diagnostics/diagnostic.js';
import * as T from '../term/factory.js';
import { isScalarShape, type Dim, type Term } from '../term/term.js';

/**
 * The algebra a Jacobian is written in when F or X is a matrix (ENGINE.md §5, Magnus–Neudecker):
 * vec(dF) = J·vec(dX) with J built from Kronecker products, vec, the commutation matrix K and
 * Diag(vec H). These are not matrix terms of the core: they exist only here, for display and for the
 * numeric check. linear-map.ts reads such a map off a differential; this file holds the maps
 * themselves: their type, their size, their collapse to a core term when F and X are vectors or
 * scalars (aᵀ(bᵀ ⊗ …) becomes abᵀ, Diag(vec h) becomes Diag(h): `asMatrixTerm`), and the traversals
 * the read-off's simplification uses.
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

/** A product of maps, flattened, identities dropped (the last factor when all were identities). */
export const kronProduct = (factors: Kron[]): Kron => {
  const flat = factors.flatMap((f) => (f.k === 'product' ? f.factors : [f])).filter((f) => !isIdentity(f));
  if (flat.length === 0) return factors[factors.length - 1]!;
  return flat.length === 1 ? flat[0]! : { k: 'product', factors: flat };
};

/** Whether a map is the identity: I, K of a vector (vec(aᵀ) = vec(a)), or the matrix 1. */
export function isIdentity(e: Kron): boolean {
  return e.k === 'identity' || (e.k === 'commutation' && (e.rows === 1 || e.cols === 1)) || (e.k === 'matrix' && e.t.kind === 'num' && e.t.value === 1);
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
