import * as T from '../term/factory.js';
import { isScalar, type Term, type TermOf } from '../term/term.js';
import type { Unreadable } from './linear-map.js';
export { scalarDerivative } from './vector-parts.js';
import { columnOfAll, diagColumn, hadamard, leaf, mapAll, mapParts, merge, outerKey, sandwich, times, traceRow, transposePart, type Part, type Parts } from './vector-parts.js';

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
 *   opaque  S itself      where no identity applies (v inside an op such as expm's Fréchet
 *                         derivative): read at the end column by column, columns(S, V) (vector-parts.ts)
 *
 * The identities applied: (c vᵀ)a = c(aᵀv); H ⊙ (a bᵀ) = Diag(a)·H·Diag(b); H ⊙ (Diag(u)R) =
 * Diag(u)(H ⊙ R); tr(L Diag(u) R) = diag(RL)ᵀu; diag(L Diag(u) R) = (L ⊙ Rᵀ)u; L Diag(u) r = L Diag(r) u.
 * A row direction (x 1×n) is read as v = xᵀ, so that vec(dx) = v.
 */

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
    memo.set(t, gather(t, partsOf(t, direction, dependent, (c) => memo.get(c) ?? []), direction));
  }
  const parts = memo.get(d)!;
  if ('unreadable' in parts) return parts;
  if (parts.length === 0) return undefined;
  // vec of a row is its transpose; a scalar and a column are their own vec.
  const column = d.shape[1] === 1 ? parts : parts.map(transposePart);
  return columnOfAll(column);
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
function gather(t: Term, parts: Parts | Unreadable, direction: TermOf<'var'>): Parts | Unreadable {
  if ('unreadable' in parts || parts.length <= 1) return parts;
  const [rows, cols] = t.shape;
  if ((rows === 1 || cols === 1) && parts.length <= VECTOR_PARTS_KEPT) return parts;
  if (cols === 1) return [{ k: 'left', l: columnOfAll(parts), r: T.num(1) }];
  if (rows === 1) return [{ k: 'right', l: T.num(1), r: T.transpose(columnOfAll(parts.map(transposePart))) }];
  const groups = new Map<string, Part[]>();
  for (const p of parts) {
    const key = outerKey(p);
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  // Past that many outer factors the node is read as it stands, column by column.
  if (groups.size > MAX_PARTS) return [{ k: 'opaque', t, v: direction }];
  return [...groups.values()].map(merge);
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
      return t.op === 'vstack' || t.op === 'vec' ? t.args : [];
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
function partsOf(t: Term, direction: TermOf<'var'>, dependent: (t: Term) => boolean, of: (c: Term) => Parts | Unreadable): Parts | Unreadable {
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
        return mapAll(of(middle), (parts) => [{ k: 'scalar', r: columnOfAll(parts), m: times([...scalars, ...left, ...right]) }]);
      }
      return mapParts(of(middle), (p) => [sandwich(p, scalars, left.length > 0 ? T.mul(left) : undefined, right.length > 0 ? T.mul(right) : undefined)]);
    }
    case 'hmul': {
      const at = one(t.factors, 'a Hadamard product');
      if (typeof at !== 'number') return at;
      const parts = hadamard(of(t.factors[at]!), T.hmul(t.factors.filter((_, i) => i !== at)), t);
      // H ⊙ (L·Diag(u)·R) with neither L nor R the identity has no part of its own: read as it stands.
      return 'unreadable' in parts && !('unreadable' in of(t.factors[at]!)) ? [{ k: 'opaque', t, v: direction }] : parts;
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
      return mapAll(of(t.operand), (parts) => [{ k: 'diag', a: columnOfAll(parts) }]);
    case 'op':
      if (t.op === 'vstack' && t.shape[1] === 1) return stackedParts(t.args, direction, of);
      if (t.op === 'vec') return vecParts(t, of(t.args[0]!), direction);
      // An op is linear in the direction wherever a differential has it there (expm_frechet(A, E),
      // eigmax_hess(S, D), vec(E)): no identity gives its matrix, so it is read column by column.
      return [{ k: 'opaque', t, v: direction }];
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
 * vec(S) for S linear in v, part by part, by vec(ABC) = (Cᵀ ⊗ A)·vec(B) (Magnus–Neudecker ch. 2;
 * Matrix Cookbook §10.2.2) with vec(v) = vec(vᵀ) = v: vec(L v R) = (Rᵀ ⊗ L) v, vec(L vᵀ R) =
 * (Rᵀ ⊗ L) v, vec((r v) M) = vec(M) r v. A column S is its own vec. A diagonal part would need the
 * Khatri–Rao product, which matcalc has no term for: that part is read column by column.
 */
function vecParts(t: TermOf<'op'>, parts: Parts | Unreadable, direction: TermOf<'var'>): Parts | Unreadable {
  if (t.args[0]!.shape[1] === 1 || 'unreadable' in parts) return parts;
  if (parts.some((p) => p.k === 'diag' || p.k === 'opaque')) return [{ k: 'opaque', t, v: direction }];
  return parts.map((p): Part => {
    if (p.k === 'scalar') return { k: 'left', l: times([vecOf(p.m), p.r]), r: T.num(1) };
    const [a, b] = [T.transpose((p as { r: Term }).r), (p as { l: Term }).l];
    return { k: 'left', l: isScalar(a) || isScalar(b) ? times([a, b]) : T.op('kron', [a, b]), r: T.num(1) };
  });
}

/** vec of a constant: a column is its own, a row its transpose. */
function vecOf(m: Term): Term {
  if (m.shape[1] === 1) return m;
  return m.shape[0] === 1 ? T.transpose(m) : T.op('vec', [m]);
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
    rows.push(parts.length === 0 ? T.zero([entry.shape[0], length]) : columnOfAll(parts));
  }
  return [{ k: 'left', l: T.op('vstack', rows), r: T.num(1) }];
}
