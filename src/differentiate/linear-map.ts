import { unreachable } from '../diagnostics/diagnostic.js';
import { dimProduct } from '../term/dim-product.js';
import * as T from '../term/factory.js';
import { isScalar, type Dim, type Term } from '../term/term.js';
import { asMatrixTerm, kronProduct, type Kron } from './kronecker-form.js';

/**
 * Reading a matrix off a differential (ENGINE.md §5, Magnus–Neudecker): dF is linear in the
 * direction dX, and vec(dF) = J·vec(dX) for one matrix J, the Jacobian in numerator layout. The
 * identities used, one per way dX can sit in a term:
 *   vec(L·dX·R) = (Rᵀ ⊗ L) vec(dX)          vec(dXᵀ) = K vec(dX)   (K the commutation matrix)
 *   vec(H ⊙ dX) = Diag(vec H) vec(dX)        vec(M·s) = vec(M)·s    (s a scalar linear in dX)
 *   tr(dX) = vec(I)ᵀvec(dX)                  ⟨A, dX⟩ = vec(A)ᵀvec(dX)
 * The result is a map of kronecker-form.ts (Kronecker products, vec, K), which collapses to a core
 * term when F and X are vectors or scalars.
 */

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
      return kronProduct([{ k: 'commutation', rows: d.operand.shape[0], cols: d.operand.shape[1] }, inner]);
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
        map = rest.length === 0 ? inner : kronProduct([{ k: 'vec', t: T.mul(rest), row: false }, inner]);
      } else {
        const l = left.length === 0 ? T.eye(middle.shape[0]) : T.mul(left);
        const r = right.length === 0 ? T.eye(middle.shape[1]) : T.transpose(T.mul(right));
        map = kronProduct([{ k: 'kron', a: r, b: l }, inner]);
      }
      return scalars.length === 0 ? map : { k: 'scale', c: T.mul(scalars), e: map };
    }
    case 'hmul': {
      const at = d.factors.findIndex((f) => dependent(f));
      if (d.factors.some((f, i) => i !== at && dependent(f))) return { unreadable: 'a Hadamard product of two factors that depend on the direction' };
      const inner = rec(d.factors[at]!);
      if (!inner || 'unreadable' in inner) return inner;
      const others = d.factors.filter((_, i) => i !== at);
      return kronProduct([{ k: 'diagvec', t: T.hmul(others) }, inner]);
    }
    case 'hdiv': {
      if (dependent(d.right)) return { unreadable: 'a division by a term that depends on the direction' };
      const inner = rec(d.left);
      if (!inner || 'unreadable' in inner) return inner;
      return kronProduct([{ k: 'diagvec', t: T.hdiv(T.ones(d.right.shape), d.right) }, inner]);
    }
    case 'trace': {
      const inner = rec(d.operand);
      if (!inner || 'unreadable' in inner) return inner;
      return kronProduct([{ k: 'vec', t: T.eye(d.operand.shape[0]), row: true }, inner]);
    }
    case 'sum': {
      const inner = rec(d.operand);
      if (!inner || 'unreadable' in inner) return inner;
      return kronProduct([{ k: 'vec', t: T.ones(d.operand.shape), row: true }, inner]);
    }
    case 'inner': {
      const leftDepends = dependent(d.left);
      if (leftDepends && dependent(d.right)) return { unreadable: 'an inner product of two terms that depend on the direction' };
      const [constant, linear] = leftDepends ? [d.right, d.left] : [d.left, d.right];
      const inner = rec(linear);
      if (!inner || 'unreadable' in inner) return inner;
      return kronProduct([{ k: 'vec', t: constant, row: true }, inner]);
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
  return kronProduct([{ k: 'matrix', t: map }, inner]);
}
