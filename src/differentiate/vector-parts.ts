import * as T from '../term/factory.js';
import { childrenOf, isScalar, type Term, type TermOf } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import type { Unreadable } from './linear-map.js';

/**
 * The parts vector-read-off.ts keeps a term linear in a vector direction v as, and the identities
 * that carry them through each operator (the forms and their references: vector-read-off.ts). The
 * fifth form, opaque, is the term itself where no identity applies (v inside expm's Fréchet
 * derivative, say): it is carried through products, transposes and Hadamard products as a term, and
 * read at the end column by column, columns(S, V): S at V = e₁, …, eₙ (Magnus–Neudecker ch. 5: the
 * j-th column of a Jacobian is the derivative in the j-th unit direction).
 */
export type Part =
  | { readonly k: 'left'; readonly l: Term; readonly r: Term }
  | { readonly k: 'right'; readonly l: Term; readonly r: Term }
  | { readonly k: 'scalar'; readonly r: Term; readonly m: Term }
  | { readonly k: 'diag'; readonly l?: Term; readonly a: Term; readonly r?: Term }
  | { readonly k: 'opaque'; readonly t: Term; readonly v: TermOf<'var'> };

export type Parts = readonly Part[];

/** Parts with the same outer factor as one part: the inner factors summed. */
export function merge(group: readonly Part[]): Part {
  const first = group[0]!;
  if (group.length === 1) return first;
  const summed = (pick: (p: Part) => Term) => T.add(group.map(pick));
  switch (first.k) {
    case 'left':
      return { k: 'left', l: summed((p) => (p as typeof first).l), r: first.r };
    case 'right':
      return { k: 'right', l: first.l, r: summed((p) => (p as typeof first).r) };
    case 'scalar':
      return { k: 'scalar', r: summed((p) => (p as typeof first).r), m: first.m };
    case 'diag':
      return { ...first, a: summed((p) => (p as typeof first).a) };
    case 'opaque':
      return { k: 'opaque', t: summed((p) => (p as typeof first).t), v: first.v };
  }
}

/** The key of a part's constant outer factor: parts with equal keys merge into one (gather). */
export function outerKey(p: Part): string {
  switch (p.k) {
    case 'left':
      return `l${p.r.id}`;
    case 'right':
      return `r${p.l.id}`;
    case 'scalar':
      return `s${p.m.id}`;
    case 'diag':
      return `d${p.l?.id}:${p.r?.id}`;
    case 'opaque':
      return 'o';
  }
}

/** v itself: a column L·v·R with L = I, R = 1; a row (v = xᵀ) L·vᵀ·R; a scalar (1·v)·1. */
export function leaf(direction: Term): Part {
  const [rows, cols] = direction.shape;
  if (rows === 1 && cols === 1) return { k: 'scalar', r: T.num(1), m: T.num(1) };
  if (cols === 1) return { k: 'left', l: T.eye(rows), r: T.num(1) };
  return { k: 'right', l: T.num(1), r: T.eye(cols) };
}

export function mapParts(parts: Parts | Unreadable, f: (p: Part) => Part[] | Unreadable): Parts | Unreadable {
  if ('unreadable' in parts) return parts;
  const out: Part[] = [];
  for (const p of parts) {
    const mapped = f(p);
    if ('unreadable' in mapped) return mapped;
    out.push(...mapped);
  }
  return out;
}

export function mapAll(parts: Parts | Unreadable, f: (parts: Parts) => Part[]): Parts | Unreadable {
  if ('unreadable' in parts) return parts;
  return parts.length === 0 ? [] : f(parts);
}

/** C·S·D (scalars s scaling), part by part; C, D absent: the identity. */
export function sandwich(p: Part, scalars: readonly Term[], c: Term | undefined, d: Term | undefined): Part {
  const on = (l: Term | undefined) => (c ? (l ? times([c, l]) : c) : l);
  const under = (r: Term | undefined) => (d ? (r ? times([r, d]) : d) : r);
  switch (p.k) {
    case 'left':
      return { k: 'left', l: times([...scalars, on(p.l)!]), r: under(p.r)! };
    case 'right':
      return { k: 'right', l: times([...scalars, on(p.l)!]), r: under(p.r)! };
    case 'scalar':
      return { k: 'scalar', r: p.r, m: times([...scalars, on(under(p.m))!]) };
    case 'diag': {
      const l = on(p.l);
      const r = under(p.r);
      return { k: 'diag', ...(l ? { l } : {}), a: times([...scalars, p.a]), ...(r ? { r } : {}) };
    }
    case 'opaque':
      return { k: 'opaque', t: times([...scalars, ...(c ? [c] : []), p.t, ...(d ? [d] : [])]), v: p.v };
  }
}

export function transposePart(p: Part): Part {
  switch (p.k) {
    case 'left':
      return { k: 'right', l: T.transpose(p.r), r: T.transpose(p.l) };
    case 'right':
      return { k: 'left', l: T.transpose(p.r), r: T.transpose(p.l) };
    case 'scalar':
      return { k: 'scalar', r: p.r, m: T.transpose(p.m) };
    case 'diag':
      return { k: 'diag', ...(p.r ? { l: T.transpose(p.r) } : {}), a: p.a, ...(p.l ? { r: T.transpose(p.l) } : {}) };
    case 'opaque':
      return { k: 'opaque', t: T.transpose(p.t), v: p.v };
  }
}

/** H ⊙ S for S linear in v: a column or a row scales by Diag(H); a matrix goes part by part. */
export function hadamard(parts: Parts | Unreadable, h: Term, node: Term): Parts | Unreadable {
  const [rows, cols] = node.shape;
  if (rows === 1 && cols === 1) return mapParts(parts, (p) => [sandwich(p, [h], undefined, undefined)]);
  if (cols === 1) return mapParts(parts, (p) => [sandwich(p, [], T.diagm(h), undefined)]);
  if (rows === 1) return mapParts(parts, (p) => [sandwich(p, [], undefined, T.diagm(T.transpose(h)))]);
  return mapParts(parts, (p): Part[] | Unreadable => {
    switch (p.k) {
      case 'left': // H ⊙ ((Lv)R) = Diag(Lv)·H·Diag(Rᵀ)
        return [{ k: 'diag', a: p.l, r: times([h, T.diagm(T.transpose(p.r))]) }];
      case 'right': // H ⊙ (L(Rᵀv)ᵀ) = Diag(L)·H·Diag(Rᵀv)
        return [{ k: 'diag', l: times([T.diagm(p.l), h]), a: T.transpose(p.r) }];
      case 'scalar':
        return [{ k: 'scalar', r: p.r, m: T.hmul([h, p.m]) }];
      case 'diag':
        if (p.l === undefined) return [{ k: 'diag', a: p.a, r: p.r ? T.hmul([h, p.r]) : T.hmul([h, T.eye(rows)]) }];
        if (p.r === undefined) return [{ k: 'diag', l: T.hmul([h, p.l]), a: p.a }];
        return { unreadable: 'a Hadamard product with L·Diag(u)·R where neither L nor R is the identity' };
      case 'opaque':
        return [{ k: 'opaque', t: T.hmul([h, p.t]), v: p.v }];
    }
  });
}

/** The row r with tr(S) = r·v, for one part of a square S. */
export function traceRow(p: Part): Term {
  switch (p.k) {
    case 'left': // tr(L v R) = R L v
      return times([p.r, p.l]);
    case 'right': // tr(L vᵀ R) = vᵀ R L
      return T.transpose(times([p.r, p.l]));
    case 'scalar':
      return times([T.reduce('trace', p.m), p.r]);
    case 'diag': {
      // tr(L Diag(u) R) = diag(R L)ᵀ u
      const rl = p.r && p.l ? T.mul([p.r, p.l]) : (p.r ?? p.l);
      return rl ? times([T.transpose(T.diag(rl)), p.a]) : times([T.ones([1, p.a.shape[0]]), p.a]);
    }
    case 'opaque':
      return columns(T.reduce('trace', p.t), p.v);
  }
}

/** The matrix K with diag(S) = K v, for one part of a square S. */
export function diagColumn(p: Part): Term {
  switch (p.k) {
    case 'left': // diag(L v R) = Diag(Rᵀ) L v
      return times([T.diagm(T.transpose(p.r)), p.l]);
    case 'right': // diag(L vᵀ R) = Diag(L) Rᵀ v
      return times([T.diagm(p.l), T.transpose(p.r)]);
    case 'scalar':
      return times([T.diag(p.m), p.r]);
    case 'diag': {
      // diag(L Diag(u) R) = (L ⊙ Rᵀ) u
      if (p.l === undefined && p.r === undefined) return p.a;
      const w = p.l === undefined ? T.diagm(T.diag(p.r!)) : p.r === undefined ? T.diagm(T.diag(p.l)) : T.hmul([p.l, T.transpose(p.r)]);
      return times([w, p.a]);
    }
    case 'opaque':
      return columns(T.diag(p.t), p.v);
  }
}

/**
 * The matrix K with S = K v for a column (or scalar) S given as parts: their columns summed, the
 * opaque parts first summed into one columns(Σ tᵢ, V) (one column-by-column read of their sum).
 */
export function columnOfAll(parts: Parts): Term {
  const opaque = parts.filter((p) => p.k === 'opaque');
  const closed = parts.filter((p) => p.k !== 'opaque');
  return T.add([...closed.map(columnOf), ...(opaque.length > 0 ? [columnOf(merge(opaque))] : [])]);
}

/** The matrix K with S = K v, for one part of a column (or scalar) S. */
function columnOf(p: Part): Term {
  switch (p.k) {
    case 'left': // L v r, r a scalar
      return times([p.r, p.l]);
    case 'right': // L vᵀ R = L (Rᵀ v), R a column
      return times([p.l, T.transpose(p.r)]);
    case 'scalar':
      return times([p.m, p.r]);
    case 'diag': // L Diag(A v) R = L Diag(R) A v, R a column
      if (p.r === undefined || isScalar(p.r)) return times([...(p.l ? [p.l] : []), ...(p.r ? [p.r] : []), p.a]);
      return times([...(p.l ? [p.l] : []), T.diagm(p.r), p.a]);
    case 'opaque':
      return columns(p.t, p.v);
  }
}

/**
 * The fallback where no closed form is read off: the matrix whose column j is S (a column or a
 * scalar, linear in the direction V) at V = eⱼ, the op columns(S, V) (term/ops.ts).
 */
function columns(s: Term, v: TermOf<'var'>): Term {
  // A scalar direction has one column: S at v = 1.
  return isScalar(v) ? scalarDerivative(s, v) ?? T.zero(s.shape) : T.op('columns', [s, v]);
}

/**
 * dF/ds for a scalar direction s and a matrix F: the matrix M of F's shape with dF = M·ds (Matrix
 * Cookbook §2.2: ∂Y/∂x for a scalar x has Y's shape). dF is linear in s, so M is dF at s = 1.
 */
export function scalarDerivative(d: Term, direction: Term): Term | undefined {
  if (direction.kind !== 'var' || !isScalar(direction)) return undefined;
  const dependent = T.dependencyTest([direction.name]);
  if (!dependent(d)) return undefined;
  const rebuilt = new Map<Term, Term>([[direction, T.num(1)]]);
  for (const t of postOrder([d], dependent)) {
    if (t === direction) continue;
    rebuilt.set(t, T.withChildren(t, childrenOf(t).map((c) => rebuilt.get(c) ?? c)));
  }
  return rebuilt.get(d);
}

/** A product without the factors 1 and I that change nothing (an I stays when only scalars remain). */
export function times(factors: readonly Term[]): Term {
  const isOne = (t: Term) => t.kind === 'num' && t.value === 1;
  const matrices = factors.filter((t) => !isScalar(t) && t.kind !== 'eye');
  const kept = factors.filter((t) => !isOne(t) && !(t.kind === 'eye' && matrices.length > 0));
  if (kept.length === 0) return factors.find((t) => t.kind === 'eye') ?? T.num(1);
  return T.mul(kept);
}

