import * as T from '../term/factory.js';
import { childrenOf, isScalar, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import type { Unreadable } from './linear-map.js';

/**
 * Reading a Jacobian or Hessian off a differential when the direction v is a vector (or a scalar)
 * and the differential D is a vector or a scalar: then D = J·v for an ordinary matrix J, always.
 * linear-map.ts reads every map through vec and Kronecker products, which collapse to a matrix only
 * when every intermediate term is a vector too; a term such as −T(v xᵀ + x vᵀ)Tb passes through a
 * matrix linear in v and stays a Kronecker form there. Here every subterm of D that depends on v is
 * kept as a sum of parts in one of four canonical forms, each closed under the operators a linear
 * term can contain, and D, being a vector, collapses to J at the end (Magnus–Neudecker ch. 9;
 * Matrix Cookbook §2.4–2.8 use the same rewritings one identity at a time):
 *
 *   left    L·v·R         L p×n, R 1×q     (A v)bᵀ
 *   right   L·vᵀ·R        L p×1, R n×q     a(Bᵀv)ᵀ
 *   scalar  (r·v)·M       r 1×n, M p×q     a scalar linear in v times a constant matrix
 *   diag    L·Diag(A·v)·R L p×m, A m×n, R m×q (L, R absent: the identity)
 *
 * The identities applied: (c vᵀ)a = c(aᵀv); H ⊙ (a bᵀ) = Diag(a)·H·Diag(b); H ⊙ (Diag(u)R) =
 * Diag(u)(H ⊙ R); tr(L Diag(u) R) = diag(RL)ᵀu; diag(L Diag(u) R) = (L ⊙ Rᵀ)u; L Diag(u) r = L Diag(r) u.
 * A row direction (x 1×n) is read as v = xᵀ, so that vec(dx) = v.
 */
type Part =
  | { readonly k: 'left'; readonly l: Term; readonly r: Term }
  | { readonly k: 'right'; readonly l: Term; readonly r: Term }
  | { readonly k: 'scalar'; readonly r: Term; readonly m: Term }
  | { readonly k: 'diag'; readonly l?: Term; readonly a: Term; readonly r?: Term };

type Parts = readonly Part[];

/** Whether a matrix read-off of this direction and differential is an ordinary matrix. */
export function isVectorReadOff(differential: Term, direction: Term): boolean {
  return isVectorShape(direction) && isVectorShape(differential);
}

function isVectorShape(t: Term): boolean {
  return t.shape[0] === 1 || t.shape[1] === 1;
}

/**
 * J with vec(D) = J·vec(v) (numerator layout), for D linear in the variable `direction`; both vectors
 * or scalars. Undefined when D does not depend on the direction (J = 0).
 */
export function vectorJacobian(d: Term, direction: Term): Term | Unreadable | undefined {
  if (direction.kind !== 'var') return { unreadable: 'the direction is not a variable' };
  if (!isVectorReadOff(d, direction)) return { unreadable: 'the differential or the direction is a matrix' };
  const dependent = T.dependencyTest([direction.name]);
  const memo = new Map<Term, Parts | Unreadable>();
  // Iterative post-order: D is as deep as the input's nesting around the direction.
  const stack: Term[] = [d];
  while (stack.length > 0) {
    const t = stack[stack.length - 1]!;
    if (memo.has(t)) {
      stack.pop();
      continue;
    }
    const pending = dependent(t) && t !== direction ? childrenOfLinear(t).filter((c) => dependent(c) && !memo.has(c)) : [];
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    memo.set(t, gather(t, partsOf(t, direction, dependent, (c) => memo.get(c) ?? [])));
  }
  const parts = memo.get(d)!;
  if ('unreadable' in parts) return parts;
  if (parts.length === 0) return undefined;
  // vec of a row is its transpose; a scalar and a column are their own vec.
  const column = d.shape[1] === 1 ? parts : parts.map(transposePart);
  return T.add(column.map(columnOf));
}

/** The most parts a matrix node may keep after gathering (each is a distinct outer factor). */
const MAX_PARTS = 256;

/**
 * Past this many parts a vector node is gathered into one. Below it the parts stay apart, so that
 * each term of J keeps its textbook shape (2T − 2TxxᵀT − 2(xᵀTx)T rather than 2T(I − xxᵀT − (xᵀTx)I)).
 */
const VECTOR_PARTS_KEPT = 8;

/**
 * A node's parts gathered, so that a differential that shares subterms is read in time linear in
 * its size instead of once per path: a vector or scalar node with many parts becomes one part (its
 * K·v, a shared term), and the parts of a matrix node that have the same constant outer factor are
 * summed into one (ΣLᵢ·v·R = (ΣLᵢ)·v·R).
 */
function gather(t: Term, parts: Parts | Unreadable): Parts | Unreadable {
  if ('unreadable' in parts || parts.length <= 1) return parts;
  const [rows, cols] = t.shape;
  if ((rows === 1 || cols === 1) && parts.length <= VECTOR_PARTS_KEPT) return parts;
  if (cols === 1) return [{ k: 'left', l: T.add(parts.map(columnOf)), r: T.num(1) }];
  if (rows === 1) return [{ k: 'right', l: T.num(1), r: T.transpose(T.add(parts.map(transposePart).map(columnOf))) }];
  const groups = new Map<string, Part[]>();
  for (const p of parts) {
    const key = p.k === 'left' ? `l${p.r.id}` : p.k === 'right' ? `r${p.l.id}` : p.k === 'scalar' ? `s${p.m.id}` : `d${p.l?.id}:${p.r?.id}`;
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  if (groups.size > MAX_PARTS) return { unreadable: `the differential has more than ${MAX_PARTS} distinct parts` };
  return [...groups.values()].map(merge);
}

/** Parts with the same outer factor as one part: the inner factors summed. */
function merge(group: readonly Part[]): Part {
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
  }
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

function childrenOfLinear(t: Term): readonly Term[] {
  switch (t.kind) {
    case 'add':
      return t.terms;
    case 'mul':
    case 'hmul':
      return t.factors;
    case 'hdiv':
    case 'inner':
      return [t.left, t.right];
    case 'transpose':
    case 'trace':
    case 'sum':
    case 'diag':
    case 'diagm':
      return [t.operand];
    case 'op':
      return t.op === 'vstack' ? t.args : [];
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
      return [];
  }
}

/** The parts of one node given its children's (children that do not depend on v have none). */
function partsOf(t: Term, direction: Term, dependent: (t: Term) => boolean, of: (c: Term) => Parts | Unreadable): Parts | Unreadable {
  if (!dependent(t)) return [];
  if (t === direction) return [leaf(direction)];
  const one = (factors: readonly Term[], what: string): number | Unreadable => {
    const at = factors.findIndex(dependent);
    return factors.some((f, i) => i !== at && dependent(f)) ? { unreadable: `${what} of two factors that depend on the direction` } : at;
  };
  switch (t.kind) {
    case 'add': {
      const out: Part[] = [];
      for (const term of t.terms) {
        const p = of(term);
        if ('unreadable' in p) return p;
        out.push(...p);
      }
      return out;
    }
    case 'transpose':
      return mapParts(of(t.operand), (p) => [transposePart(p)]);
    case 'mul': {
      const at = one(t.factors, 'a product');
      if (typeof at !== 'number') return at;
      const middle = t.factors[at]!;
      const scalars = t.factors.filter((f, i) => i !== at && isScalar(f));
      const left = t.factors.slice(0, at).filter((f) => !isScalar(f));
      const right = t.factors.slice(at + 1).filter((f) => !isScalar(f));
      if (isScalar(middle)) {
        // (r·v)·M: the scalar factor collapses to a row times v, the rest is the constant M.
        return mapAll(of(middle), (parts) => [{ k: 'scalar', r: T.add(parts.map(columnOf)), m: times([...scalars, ...left, ...right]) }]);
      }
      return mapParts(of(middle), (p) => [sandwich(p, scalars, left.length > 0 ? T.mul(left) : undefined, right.length > 0 ? T.mul(right) : undefined)]);
    }
    case 'hmul': {
      const at = one(t.factors, 'a Hadamard product');
      if (typeof at !== 'number') return at;
      return hadamard(of(t.factors[at]!), T.hmul(t.factors.filter((_, i) => i !== at)), t);
    }
    case 'hdiv':
      if (dependent(t.right)) return { unreadable: 'a division by a term that depends on the direction' };
      return hadamard(of(t.left), T.hdiv(T.ones(t.right.shape), t.right), t);
    case 'trace':
      return mapParts(of(t.operand), (p) => [{ k: 'scalar', r: traceRow(p), m: T.num(1) }]);
    case 'sum': {
      // sum(S) = 𝟙ᵀ S 𝟙.
      const [rows, cols] = t.operand.shape;
      const before = rows === 1 ? undefined : T.ones([1, rows]);
      const after = cols === 1 ? undefined : T.ones([cols, 1]);
      return mapParts(of(t.operand), (p) => [sandwich(p, [], before, after)]);
    }
    case 'inner': {
      // ⟨C, S⟩ = tr(CᵀS), on either side.
      if (dependent(t.left) && dependent(t.right)) return { unreadable: 'an inner product of two terms that depend on the direction' };
      const [constant, linear] = dependent(t.left) ? [t.right, t.left] : [t.left, t.right];
      const c = isScalar(constant) ? constant : T.transpose(constant);
      return mapParts(of(linear), (p) => [{ k: 'scalar', r: traceRow(sandwich(p, isScalar(c) ? [c] : [], isScalar(c) ? undefined : c, undefined)), m: T.num(1) }]);
    }
    case 'diag':
      return mapParts(of(t.operand), (p) => [{ k: 'left', l: diagColumn(p), r: T.num(1) }]);
    case 'diagm':
      return mapAll(of(t.operand), (parts) => [{ k: 'diag', a: T.add(parts.map(columnOf)) }]);
    case 'op':
      if (t.op === 'vstack' && t.shape[1] === 1) return stackedParts(t.args, direction, of);
      return { unreadable: `the direction occurs inside ${t.op}(·)` };
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
      return { unreadable: `the direction occurs inside ${t.kind}(·)` };
  }
}

/**
 * A stack of scalars [s₁; …; s_k] linear in v: each sᵢ = Jᵢ·v with Jᵢ a row, so the stack is
 * [J₁; …; J_k]·v, one part L·v with L the stacked rows (the Jacobian's rows are the components').
 */
function stackedParts(entries: readonly Term[], direction: Term, of: (c: Term) => Parts | Unreadable): Parts | Unreadable {
  const length = direction.shape[0] === 1 ? direction.shape[1] : direction.shape[0];
  const rows: Term[] = [];
  for (const entry of entries) {
    const parts = of(entry);
    if ('unreadable' in parts) return parts;
    rows.push(parts.length === 0 ? T.zero([entry.shape[0], length]) : T.add(parts.map(columnOf)));
  }
  return [{ k: 'left', l: T.op('vstack', rows), r: T.num(1) }];
}

/** v itself: a column L·v·R with L = I, R = 1; a row (v = xᵀ) L·vᵀ·R; a scalar (1·v)·1. */
function leaf(direction: Term): Part {
  const [rows, cols] = direction.shape;
  if (rows === 1 && cols === 1) return { k: 'scalar', r: T.num(1), m: T.num(1) };
  if (cols === 1) return { k: 'left', l: T.eye(rows), r: T.num(1) };
  return { k: 'right', l: T.num(1), r: T.eye(cols) };
}

function mapParts(parts: Parts | Unreadable, f: (p: Part) => Part[] | Unreadable): Parts | Unreadable {
  if ('unreadable' in parts) return parts;
  const out: Part[] = [];
  for (const p of parts) {
    const mapped = f(p);
    if ('unreadable' in mapped) return mapped;
    out.push(...mapped);
  }
  return out;
}

function mapAll(parts: Parts | Unreadable, f: (parts: Parts) => Part[]): Parts | Unreadable {
  if ('unreadable' in parts) return parts;
  return parts.length === 0 ? [] : f(parts);
}

/** C·S·D (scalars s scaling), part by part; C, D absent: the identity. */
function sandwich(p: Part, scalars: readonly Term[], c: Term | undefined, d: Term | undefined): Part {
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
  }
}

function transposePart(p: Part): Part {
  switch (p.k) {
    case 'left':
      return { k: 'right', l: T.transpose(p.r), r: T.transpose(p.l) };
    case 'right':
      return { k: 'left', l: T.transpose(p.r), r: T.transpose(p.l) };
    case 'scalar':
      return { k: 'scalar', r: p.r, m: T.transpose(p.m) };
    case 'diag':
      return { k: 'diag', ...(p.r ? { l: T.transpose(p.r) } : {}), a: p.a, ...(p.l ? { r: T.transpose(p.l) } : {}) };
  }
}

/** H ⊙ S for S linear in v: a column or a row scales by Diag(H); a matrix goes part by part. */
function hadamard(parts: Parts | Unreadable, h: Term, node: Term): Parts | Unreadable {
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
    }
  });
}

/** The row r with tr(S) = r·v, for one part of a square S. */
function traceRow(p: Part): Term {
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
  }
}

/** The matrix K with diag(S) = K v, for one part of a square S. */
function diagColumn(p: Part): Term {
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
  }
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
  }
}

/** A product without the factors 1 and I that change nothing (an I stays when only scalars remain). */
function times(factors: readonly Term[]): Term {
  const isOne = (t: Term) => t.kind === 'num' && t.value === 1;
  const matrices = factors.filter((t) => !isScalar(t) && t.kind !== 'eye');
  const kept = factors.filter((t) => !isOne(t) && !(t.kind === 'eye' && matrices.length > 0));
  if (kept.length === 0) return factors.find((t) => t.kind === 'eye') ?? T.num(1);
  return T.mul(kept);
}
