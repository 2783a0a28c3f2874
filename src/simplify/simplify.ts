import * as T from '../term/factory.js';
import { NumberMemo, TermMemo } from '../term/memo.js';
import { childrenOf, isScalar, isScalarShape, type ElementwiseFn, type ReductionKind, type Shape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { compareTerms, compareWords, height, warmOrderCaches } from './order.js';

/**
 * The simplifier: from a raw adjoint to textbook form (ENGINE.md §4).
 *
 * It is a normal form computed bottom-up, once per hash-consed node (memoised, iterative over the
 * DAG): each node is rebuilt from its already simplified children by a `canon…` function that only
 * looks a bounded distance below it. The normal form:
 * - sums: flat, like terms collected by identity (c₁T + c₂T), common left/right factors and common
 *   scalar factors pulled out when a group of ≥ 2 terms shares one (MY + MᵀY → (M + Mᵀ)Y), ordered;
 * - products: flat, numeric coefficient first, then scalar factors as a monomial (det(X)⁻¹·det(X)
 *   cancels), then the matrix chain with identities dropped, runs compressed to powers (X X → X²,
 *   X⁻¹X → I) and Diag(a)v → a ⊙ v;
 * - transposes pushed through products to the leaves ((AB)ᵀ = BᵀAᵀ), gone on scalars and on
 *   symmetric terms, kept on sums and element-wise results ((Ax − y)ᵀ reads better than xᵀAᵀ − yᵀ);
 * - Hadamard products flat and ordered, with scalars pulled out and x ⊙ x → x.^2;
 * - traces rotated canonically (and to a scalar product where one exists: tr(xyᵀ) = yᵀx);
 * - constants folded only where exact.
 * It never expands a product over a sum: that is what keeps 2Aᵀ(Ax − y) from becoming 2AᵀAx − 2Aᵀy.
 * Every rewrite here is an identity; tests compare values before and after on random inputs.
 */
export interface SimplifyContext {
  /** Variables assumed symmetric (symmetric, spd or diagonal): Sᵀ = S. */
  readonly symmetric: ReadonlySet<string>;
  /**
   * The user's definitions (Y = σ(WX)): a sum they name is kept as one term where it is used, not
   * flattened into the sums around it, so Yₖ₊₁ = tanh(Yₖ) + Yₖ stays that (and stays linear).
   */
  readonly definitions?: ReadonlySet<Term>;
  /** Variables assumed positive (entrywise): |x| = x, sign(x) = 𝟙. */
  readonly positive?: ReadonlySet<string>;
}

const simplifiers = new Map<string, Simplifier>();

/** Simplifies terms, sharing one memo per set of assumptions for the life of the process. */
export function simplify(roots: readonly Term[], context: SimplifyContext = { symmetric: new Set() }): Term[] {
  const simplifier = simplifierFor(context);
  return roots.map((r) => simplifier.run(r));
}

/** The simplifier of a context object already seen: callers reuse one context for many calls. */
let byContext = new WeakMap<SimplifyContext, Simplifier>();

function simplifierFor(context: SimplifyContext): Simplifier {
  const seen = byContext.get(context);
  if (seen !== undefined) return seen;
  const simplifier = simplifierForKey(context);
  byContext.set(context, simplifier);
  return simplifier;
}

function simplifierForKey(context: SimplifyContext): Simplifier {
  const definitions = [...(context.definitions ?? [])].map((t) => t.id).join(',');
  const key = `${[...context.symmetric].sort().join(',')}|${[...(context.positive ?? [])].sort().join(',')}|${definitions}`;
  let simplifier = simplifiers.get(key);
  if (!simplifier) {
    // One memo per context; contexts with definitions are per expression, so keep few of them.
    if (definitions !== '' && simplifiers.size > 64) simplifiers.clear();
    simplifier = new Simplifier(context);
    simplifiers.set(key, simplifier);
  }
  return simplifier;
}

/**
 * The last touch for display: the normal form distributes transposes over sums so that like terms
 * meet (xᵀA/(xᵀx) and Ax/(xᵀx) collect), but a person writes (x − m)ᵀ, not xᵀ − mᵀ. This pass
 * folds a sum back under one transpose wherever that removes transposes. It changes no value and
 * is applied to results only, never inside the normal form.
 */
export function present(roots: readonly Term[], context: SimplifyContext = { symmetric: new Set() }): Term[] {
  const s = simplifierFor(context);
  // Memoised per simplifier, across calls: the pipeline presents each of a program's definitions,
  // and 5,000 definitions each walking the whole DAG below them was quadratic.
  const memo = s.presented;
  for (const node of postOrder(roots, (t) => !memo.has(t))) {
    const kids = childrenOf(node).map((c) => memo.get(c)!);
    let rebuilt = kids.every((k, i) => k === childrenOf(node)[i]) ? node : T.withChildren(node, kids);
    // Only a sum with ≥ 2 transposes can lose one (1 + after < before): the others skip building the flipped terms.
    if (rebuilt.kind === 'add' && !isScalar(rebuilt) && rebuilt.terms.reduce((n, t) => n + transposeCount(t), 0) >= 2) {
      const flipped = rebuilt.terms.map((t) => s.transpose(t));
      if (flipped.reduce((n, t) => n + transposeCount(t), 1) < rebuilt.terms.reduce((n, t) => n + transposeCount(t), 0)) {
        rebuilt = T.transpose(s.add(flipped, [rebuilt.shape[1], rebuilt.shape[0]]));
      }
    }
    // exp(x)ᵀ, not exp(xᵀ): the normal form moves transposes to the leaves, a person writes them outside.
    if (rebuilt.kind === 'fn' && rebuilt.operand.kind === 'transpose') rebuilt = T.transpose(T.fn(rebuilt.fn, rebuilt.operand.operand));
    memo.set(node, rebuilt);
  }
  return roots.map((r) => memo.get(r)!);
}

const transposeCounts = new NumberMemo();

function transposeCount(t: Term): number {
  const hit = transposeCounts.get(t);
  if (hit !== undefined) return hit;
  let n = t.kind === 'transpose' ? 1 : 0;
  for (const c of childrenOf(t)) n += transposeCount(c);
  transposeCounts.set(t, n);
  return n;
}

interface Parts {
  coef: number;
  scalars: Term[];
  chain: Term[];
}

class Simplifier {
  readonly #memo = new TermMemo();
  /** present()'s results, by node. */
  readonly presented = new TermMemo();
  /** Canonical forms of the user's definitions that are sums: not flattened into enclosing sums. */
  readonly #kept = new Set<Term>();
  readonly #symmetric = new Map<Term, boolean>();

  constructor(readonly context: SimplifyContext) {}

  run(root: Term): Term {
    const order = postOrder([root], (t) => !this.#memo.has(t));
    warmOrderCaches(order);
    for (const node of order) {
      treeSize(node);
      transposeCount(node);
    }
    for (const node of order) {
      const kids = childrenOf(node).map((c) => this.#memo.get(c)!);
      const result = this.canon(node, kids);
      // Keep the memoised measures warm bottom-up, so that they never recurse deeply later.
      treeSize(result);
      transposeCount(result);
      height(result);
      this.transposedCount(result);
      if (this.context.definitions?.has(node) && result.kind === 'add') this.#kept.add(result);
      this.#memo.set(node, result);
      if (!this.#memo.has(result)) this.#memo.set(result, result);
    }
    return this.#memo.get(root)!;
  }

  canon(t: Term, kids: readonly Term[]): Term {
    switch (t.kind) {
      case 'var':
      case 'num':
      case 'zero':
      case 'ones':
      case 'eye':
        return t;
      case 'add':
        return this.add(kids, t.shape);
      case 'mul':
        return this.mul(kids);
      case 'hmul':
        return this.hmul(kids, t.shape);
      case 'hdiv':
        return this.hdiv(kids[0]!, kids[1]!);
      case 'transpose':
        return this.transpose(kids[0]!);
      case 'inv':
        return this.inv(kids[0]!);
      case 'mpow':
        return this.mpow(kids[0]!, t.exponent);
      case 'epow':
        return this.epow(kids[0]!, kids[1]!);
      case 'fn':
        return this.fn(t.fn, kids[0]!);
      case 'trace':
      case 'det':
      case 'logdet':
      case 'sum':
      case 'norm1':
      case 'norm2':
        return this.reduce(t.kind, kids[0]!);
      case 'inner':
        return this.inner(kids[0]!, kids[1]!);
      case 'diag':
        return this.diag(kids[0]!);
      case 'diagm':
        return this.diagm(kids[0]!);
    }
  }

  // ── products ─────────────────────────────────────────────────────────────

  /** Splits a canonical term into numeric coefficient, scalar factors and matrix chain. */
  parts(t: Term): Parts {
    // Memoised: a big sum's factoring rounds split every term again. The arrays are shared: read only.
    let p = this.#parts.get(t);
    if (p === undefined) {
      p = this.partsUncached(t);
      this.#parts.set(t, p);
    }
    return p;
  }

  readonly #parts = new Map<Term, Parts>();

  partsUncached(t: Term): Parts {
    if (t.kind === 'num') return { coef: t.value, scalars: [], chain: [] };
    if (t.kind === 'mul') {
      const p: Parts = { coef: 1, scalars: [], chain: [] };
      for (const f of t.factors) {
        if (f.kind === 'num') p.coef *= f.value;
        else if (isScalar(f)) p.scalars.push(f);
        else p.chain.push(f);
      }
      // A scalar-valued chain (xᵀy) is one scalar factor.
      if (isScalar(t) && p.chain.length > 0) {
        p.scalars.push(T.mul(p.chain));
        p.chain = [];
      }
      return p;
    }
    if (isScalar(t)) return { coef: 1, scalars: [t], chain: [] };
    return { coef: 1, scalars: [], chain: [t] };
  }

  mul(factors: readonly Term[]): Term {
    const shape = T.productShape(factors);
    let coef = 1;
    const monomial = new Map<Term, number>();
    const chain: Term[] = [];
    const addScalar = (s: Term) => {
      const [base, e] = s.kind === 'epow' && s.exponent.kind === 'num' && isScalar(s.base) ? [s.base, s.exponent.value] : [s, 1];
      monomial.set(base, (monomial.get(base) ?? 0) + e);
    };
    for (const f of factors) {
      if (f.kind === 'zero' || (f.kind === 'num' && f.value === 0)) return T.zero(shape);
      if (f.kind === 'num') {
        coef *= f.value;
        continue;
      }
      if (f.kind === 'mul' && f.factors.length <= FLATTEN_MAX) {
        // A nested product: flatten. Its scalars join ours; its chain joins our chain, unless it is
        // a scalar-valued chain (xᵀy), which parts() turns into one scalar factor.
        const p = this.parts(f);
        coef *= p.coef;
        for (const s of p.scalars) addScalar(s);
        chain.push(...p.chain);
        continue;
      }
      if (isScalar(f)) {
        addScalar(f);
        continue;
      }
      chain.push(f);
    }
    if (coef === 0) return T.zero(shape);
    const scalars: Term[] = [];
    for (const [base, e] of monomial) {
      if (e === 0) continue;
      scalars.push(e === 1 ? base : T.epow(base, T.num(e)));
    }
    scalars.sort(compareTerms);
    const compressed = this.compressChain(chain, shape);
    const out: Term[] = [];
    if (coef !== 1) out.push(T.num(coef));
    out.push(...scalars, ...compressed);
    if (out.length === 0) return T.num(1);
    return T.mul(out);
  }

  /** Drops identities, merges runs of one base into powers (X X⁻¹ = I), rewrites Diag(a)·v = a ⊙ v. */
  compressChain(chain: readonly Term[], shape: Shape): Term[] {
    const stack: { base: Term; k: number; original: Term }[] = [];
    for (const f of chain) {
      if (f.kind === 'eye') continue;
      const view = powerView(f);
      const top = stack[stack.length - 1];
      if (top && top.base === view.base) {
        top.k += view.k;
        if (top.k === 0) stack.pop();
        else top.original = this.fromPower(top.base, top.k);
      } else {
        stack.push({ base: view.base, k: view.k, original: f });
      }
    }
    const out: Term[] = [];
    for (const entry of stack) {
      const f = entry.original;
      const prev = out[out.length - 1];
      if (prev && prev.kind === 'diagm' && f.shape[1] === 1 && f.kind !== 'ones') {
        out[out.length - 1] = this.hmul([prev.operand, f], f.shape);
        continue;
      }
      out.push(f);
    }
    if (out.length === 0 && !(shape[0] === 1 && shape[1] === 1)) return [T.eye(shape[0])];
    return out;
  }

  fromPower(base: Term, k: number): Term {
    if (base.kind === 'transpose') {
      const inner = plainPower(base.operand, k);
      return inner.kind === 'eye' ? inner : this.transpose(inner);
    }
    return plainPower(base, k);
  }

  scale(c: number, t: Term): Term {
    return c === 1 ? t : this.mul([T.num(c), t]);
  }

  // ── sums ─────────────────────────────────────────────────────────────────

  /**
   * A sum, in normal form. When some of its terms are element-wise products over sums, the fully
   * distributed sum is tried too and kept if strictly smaller: (1 − y) ⊙ σ − (1 − σ) ⊙ y is σ − y.
   */
  add(terms: readonly Term[], shape: Shape): Term {
    const plain = this.addPlain(terms, shape);
    if (this.#expandingSum || plain.kind !== 'add' || plain.terms.length > 16 || treeSize(plain) > DISTRIBUTE_MAX_SIZE) return plain;
    if (!plain.terms.some((t) => this.distributable(t))) return plain;
    this.#expandingSum = true;
    try {
      const monomials: Term[] = [];
      for (const t of plain.terms) {
        if (!this.distributeAll(t, monomials, 64)) return plain;
      }
      const expanded = this.addPlain(monomials, shape);
      return treeSize(expanded) < treeSize(plain) ? expanded : plain;
    } finally {
      this.#expandingSum = false;
    }
  }

  #expandingSum = false;

  /** Whether a term is (a multiple of) an element-wise product with a sum among its factors. */
  distributable(t: Term): boolean {
    const core = t.kind === 'mul' && !isScalar(t) ? this.parts(t).chain : [t];
    if (core.length !== 1) return false;
    const h = core[0]!;
    const factors = h.kind === 'hmul' ? h.factors : h.kind === 'hdiv' ? (h.left.kind === 'hmul' ? h.left.factors : [h.left]) : [];
    return factors.some((f) => f.kind === 'add');
  }

  /** Appends the fully distributed terms of t; false when there would be more than `limit`. */
  distributeAll(t: Term, out: Term[], limit: number): boolean {
    if (!this.distributable(t)) {
      out.push(t);
      return out.length <= limit;
    }
    const p = t.kind === 'mul' && !isScalar(t) ? this.parts(t) : { coef: 1, scalars: [], chain: [t] };
    const h = p.chain[0]!;
    const numerators = h.kind === 'hmul' ? h.factors : h.kind === 'hdiv' ? (h.left.kind === 'hmul' ? h.left.factors : [h.left]) : [h];
    const denominators = h.kind === 'hdiv' ? [h.right] : [];
    const index = numerators.findIndex((f) => f.kind === 'add');
    const sum = numerators[index] as Extract<Term, { kind: 'add' }>;
    const others = numerators.filter((_, i) => i !== index);
    for (const term of sum.terms) {
      const piece = this.mul([T.num(p.coef), ...p.scalars, this.elementwise([term, ...others], denominators, t.shape)]);
      if (!this.distributeAll(piece, out, limit)) return false;
    }
    return true;
  }

  addPlain(terms: readonly Term[], shape: Shape): Term {
    // G + G ⊙ a, with G itself a sum, is G ⊙ (𝟙 + a): found before G is flattened into the sum
    // (afterwards G is gone as a term). Adjoints of residual chains have exactly this shape.
    if (terms.some((t) => t.kind === 'add') && terms.some((t) => t.kind === 'hmul' || t.kind === 'mul')) {
      const whole = terms.map((t) => {
        const [c, rest] = this.splitCoefficient(t);
        return { rest, c };
      });
      const factored = this.factorOnce(whole, shape, true);
      if (factored) return this.add(factored.map((e) => this.scale(e.c, e.rest)), shape);
    }
    const collected = new Map<Term, number>();
    const visit = (t: Term) => {
      if (t.kind === 'zero') return;
      const [c, rest] = this.splitCoefficient(t);
      if (c === 0) return;
      collected.set(rest, (collected.get(rest) ?? 0) + c);
    };
    for (const t of terms) {
      if (t.kind === 'add' && !this.#kept.has(t) && t.terms.length <= 2 * FLATTEN_MAX) t.terms.forEach(visit);
      else visit(t);
    }
    let entries = [...collected].filter(([, c]) => c !== 0).map(([rest, c]) => ({ rest, c }));
    if (entries.length === 0) return T.zero(shape);
    {
      // Each round is linear in the number of terms; huge sums get a few rounds only.
      const rounds = entries.length <= 400 ? 64 : 4;
      for (let round = 0; round < rounds && entries.length > 1; round++) {
        const factored = this.factorOnce(entries, shape);
        if (!factored) break;
        entries = factored;
      }
    }
    if (entries.length === 0) return T.zero(shape);
    if (entries.length === 1) return this.scale(entries[0]!.c, entries[0]!.rest);
    entries.sort((a, b) => (a.c < 0 ? 1 : 0) - (b.c < 0 ? 1 : 0) || compareTerms(a.rest, b.rest));
    // A common numeric factor comes out: 2Ax − 2y = 2(Ax − y).
    const first = Math.abs(entries[0]!.c);
    if (first !== 1 && entries.every((e) => Math.abs(e.c) === first)) {
      const sign = entries.every((e) => e.c < 0) ? -1 : 1;
      const inner = T.add(entries.map((e) => this.scale(e.c / (first * sign), e.rest)));
      return T.mul([T.num(first * sign), inner]);
    }
    return T.add(entries.map((e) => this.scale(e.c, e.rest)));
  }

  splitCoefficient(t: Term): [number, Term] {
    if (t.kind === 'num') return [t.value, T.num(1)];
    if (t.kind === 'mul' && t.factors[0]!.kind === 'num') return [t.factors[0]!.value, T.mul(t.factors.slice(1))];
    return [1, t];
  }

  /**
   * Pulls out the factor shared by the largest group (≥ 2) of terms: a common rightmost matrix
   * factor (ΣAᵢX = (ΣAᵢ)X), leftmost factor (XA + XB = X(A + B)), or scalar factor. Only groups
   * whose remainders are non-empty, so no identity matrix is ever introduced.
   */
  factorOnce(entries: readonly { rest: Term; c: number }[], shape: Shape, sumsOnly = false): { rest: Term; c: number }[] | undefined {
    const partsOf = entries.map((e) => this.parts(e.rest));
    type Candidate = { side: 'right' | 'left' | 'scalar' | 'hadamard'; key: Term; members: number[] };
    // One map per side, keyed by the factor itself (no string per factor: a Hadamard product's
    // factors are all noted, at every level of a deep adjoint).
    const groups = { right: new Map<Term, Candidate>(), left: new Map<Term, Candidate>(), scalar: new Map<Term, Candidate>(), hadamard: new Map<Term, Candidate>() };
    const note = (side: Candidate['side'], key: Term, index: number) => {
      const bySide = groups[side];
      const g = bySide.get(key);
      if (g) {
        if (g.members[g.members.length - 1] !== index) g.members.push(index);
      } else bySide.set(key, { side, key, members: [index] });
    };
    partsOf.forEach((p, i) => {
      if (sumsOnly) {
        // Only a sum G standing alone and as a Hadamard factor elsewhere.
        const only = p.chain.length === 1 ? p.chain[0]! : undefined;
        if (only?.kind === 'hmul') for (const f of only.factors) if (f.kind === 'add') note('hadamard', f, i);
        if (only?.kind === 'add') note('hadamard', only, i);
        return;
      }
      if (p.chain.length >= 2) {
        note('right', p.chain[p.chain.length - 1]!, i);
        note('left', p.chain[0]!, i);
      }
      if (p.scalars.length >= 1 && p.scalars.length + p.chain.length >= 2) {
        for (const s of p.scalars) note('scalar', s, i);
      }
      // G ⊙ a + G ⊙ b = G ⊙ (a + b), and G ⊙ a + G = G ⊙ (a + 𝟙) for a large G: without this a
      // residual chain Yₖ₊₁ = f(Yₖ) + Yₖ would flatten its adjoints into ever longer sums.
      if (!isScalarShape(shape) && p.chain.length === 1) {
        const only = p.chain[0]!;
        if (only.kind === 'hmul') for (const f of only.factors) note('hadamard', f, i);
        else if (treeSize(only) >= 8) note('hadamard', only, i);
      }
    });
    let best: Candidate | undefined;
    const rank = { right: 0, left: 1, scalar: 2, hadamard: 3 };
    // The largest group; on equal size the side ranked first, then the group noted first.
    for (const bySide of [groups.right, groups.left, groups.scalar, groups.hadamard]) {
      for (const g of bySide.values()) {
        if (g.members.length < 2) continue;
        if (!best || g.members.length > best.members.length || (g.members.length === best.members.length && rank[g.side] < rank[best.side])) {
          best = g;
        }
      }
    }
    if (!best) return undefined;
    const chosen = best;
    const members = new Set(chosen.members);
    const remainders = chosen.members.map((i) => {
      const p = partsOf[i]!;
      const e = entries[i]!;
      let scalars = p.scalars;
      let chain = p.chain;
      if (chosen.side === 'right') chain = chain.slice(0, -1);
      else if (chosen.side === 'left') chain = chain.slice(1);
      else if (chosen.side === 'hadamard') {
        const only = chain[0]!;
        // Remove one occurrence of the key only: Y ⊙ Y (a symbolic power stays two factors) keeps one Y.
        const others = only.kind === 'hmul' ? [...only.factors] : [];
        const at = others.indexOf(chosen.key);
        if (at >= 0) others.splice(at, 1);
        chain = [others.length === 0 ? T.ones(only.shape) : others.length === 1 ? others[0]! : T.hmul(others)];
      } else {
        const at = scalars.indexOf(chosen.key);
        scalars = scalars.filter((_, j) => j !== at);
      }
      return this.mul([T.num(e.c * p.coef), ...scalars, ...chain]);
    });
    const innerShape: Shape = remainders[0]!.shape;
    const inner = this.add(remainders, innerShape);
    let factored: Term;
    if (chosen.side === 'right') factored = this.mul([inner, chosen.key]);
    else if (chosen.side === 'hadamard') factored = this.hmul([chosen.key, inner], chosen.key.shape);
    else factored = this.mul([chosen.key, inner]);
    if (factored.kind === 'zero') return entries.filter((_, i) => !members.has(i)).map((e) => ({ ...e }));
    const [c, rest] = this.splitCoefficient(factored);
    const out = entries.filter((_, i) => !members.has(i)).map((e) => ({ ...e }));
    const same = out.find((e) => e.rest === rest);
    if (same) same.c += c;
    else out.push({ rest, c });
    return out.filter((e) => e.c !== 0);
  }

  // ── element-wise ─────────────────────────────────────────────────────────

  hmul(factors: readonly Term[], shape: Shape): Term {
    return this.elementwise(factors, [], shape);
  }

  hdiv(a: Term, b: Term): Term {
    if (isScalar(a) && isScalar(b)) return this.mul([a, this.epow(b, T.num(-1))]);
    return this.elementwise([a], [b], a.shape);
  }

  /**
   * The normal form of element-wise products and quotients: Π numerators ⊘ Π denominators, flat,
   * with scalars pulled out front, 𝟙 dropped, equal bases merged into powers across the bar
   * (x ⊙ x → x.^2, a ⊙ b ⊘ a → b) and the operands in canonical order.
   */
  elementwise(numerators: readonly Term[], denominators: readonly Term[], shape: Shape): Term {
    if (numerators.length > 0 && isScalar(numerators[0]!)) {
      return this.mul([...numerators, ...denominators.map((d) => this.epow(d, T.num(-1)))]);
    }
    let coef = 1;
    const outer: Term[] = [];
    const powers = new Map<Term, number>();
    const symbolic: Term[] = [];
    let zero = false;
    const visit = (f: Term, sign: 1 | -1): void => {
      if (f.kind === 'zero') {
        if (sign === 1) zero = true;
        return;
      }
      if (f.kind === 'ones') return;
      if (f.kind === 'hmul' && f.factors.length <= FLATTEN_MAX) {
        for (const g of f.factors) visit(g, sign);
        return;
      }
      if (f.kind === 'hdiv') {
        visit(f.left, sign);
        visit(f.right, sign === 1 ? -1 : 1);
        return;
      }
      if (f.kind === 'mul') {
        const p = this.parts(f);
        if (p.scalars.length > 0 || p.coef !== 1) {
          coef *= sign === 1 ? p.coef : 1 / p.coef;
          outer.push(...(sign === 1 ? p.scalars : p.scalars.map((x) => this.epow(x, T.num(-1)))));
          if (p.chain.length > 0) visit(p.chain.length === 1 ? p.chain[0]! : T.mul(p.chain), sign);
          return;
        }
      }
      if (f.kind === 'epow') {
        if (f.exponent.kind === 'num') {
          powers.set(f.base, (powers.get(f.base) ?? 0) + sign * f.exponent.value);
          return;
        }
        if (sign === 1) {
          symbolic.push(f);
          return;
        }
      }
      powers.set(f, (powers.get(f) ?? 0) + sign);
    };
    for (const f of numerators) visit(f, 1);
    for (const f of denominators) visit(f, -1);
    if (zero) return T.zero(shape);
    const top: Term[] = [...symbolic];
    const bottom: Term[] = [];
    for (const [base, e] of powers) {
      if (e === 0) continue;
      const magnitude = Math.abs(e);
      const term = magnitude === 1 ? base : T.epow(base, T.num(magnitude));
      (e > 0 ? top : bottom).push(term);
    }
    top.sort(compareTerms);
    bottom.sort(compareTerms);
    const numerator = top.length === 0 ? T.ones(shape) : top.length === 1 ? top[0]! : T.hmul(top);
    let core = bottom.length === 0 ? numerator : T.hdiv(numerator, bottom.length === 1 ? bottom[0]! : T.hmul(bottom));
    core = this.tryDistribute(core, top, bottom, shape);
    core = this.pullOutTranspose(core);
    if (coef === 1 && outer.length === 0) return core;
    return this.mul([T.num(coef), ...outer, core]);
  }

  /**
   * The one place the simplifier expands: an element-wise product with a sum among its factors is
   * distributed over it, and the result kept only when it is strictly smaller (tree size). This is
   * what turns the logistic loss's (1 − σ) ⊙ ((1 − y) ⊘ (1 − σ) − y ⊘ σ) ⊙ σ into σ − y, while
   * (1 − Y) ⊙ GY ⊙ Y stays as it is. Only element-wise products are distributed: a matrix product
   * is never expanded (2Aᵀ(Ax − y) must not become 2AᵀAx − 2Aᵀy).
   */
  tryDistribute(core: Term, top: readonly Term[], bottom: readonly Term[], shape: Shape): Term {
    // Bounded to small terms, so the search costs O(1) per node and the simplifier stays linear
    // (a tower Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ would otherwise expand into an exponential polynomial).
    if (top.length < 2 || this.#distributing > 4 || treeSize(core) > DISTRIBUTE_MAX_SIZE) return core;
    // The search recurses (distributing one sum exposes others), so the same candidate comes up
    // again and again: memoised per candidate and depth, it costs O(1) per distinct candidate.
    const key = `${core.id}:${this.#mode()}`;
    const known = this.#distributed.get(key);
    if (known !== undefined) return known;
    let best = core;
    this.#distributing++;
    try {
      top.forEach((factor, index) => {
        if (factor.kind !== 'add' || factor.terms.length > 6) return;
        const others = top.filter((_, i) => i !== index);
        const expanded = this.add(
          factor.terms.map((t) => this.elementwise([t, ...others], bottom, shape)),
          shape,
        );
        if (treeSize(expanded) < treeSize(best)) best = expanded;
      });
    } finally {
      this.#distributing--;
    }
    this.#distributed.set(key, best);
    return best;
  }

  #distributing = 0;
  readonly #distributed = new Map<string, Term>();

  /**
   * An element-wise result over transposed operands is written as one transpose of the result over
   * plain ones when that has fewer transposes: xᵀ ⊘ σ(xᵀ) → (x ⊘ σ(x))ᵀ. Together with the rule in
   * transpose() (move inside unless that adds transposes) this makes the form unique.
   */
  pullOutTranspose(core: Term): Term {
    if (this.#pulling || transposeCount(core) < 2 || core.kind === 'transpose') return core;
    if (1 + this.transposedCount(core) >= transposeCount(core)) return core;
    this.#pulling = true;
    try {
      const inner = this.transpose(core);
      // Only an element-wise node may stand under the transpose (a sum under it is not canonical).
      if (!['fn', 'hmul', 'hdiv', 'epow'].includes(inner.kind)) return core;
      return 1 + transposeCount(inner) < transposeCount(core) ? T.transpose(inner) : core;
    } finally {
      this.#pulling = false;
    }
  }

  #pulling = false;

  epow(base: Term, exponent: Term): Term {
    if (exponent.kind === 'num') {
      const e = exponent.value;
      if (e === 1) return base;
      if (e === 0) return T.ones(base.shape);
      if (base.kind === 'num') {
        const v = base.value ** e;
        if (Number.isFinite(v) && Number.isInteger(e)) return T.num(v);
      }
      if (base.kind === 'epow' && base.exponent.kind === 'num' && Number.isInteger(e)) {
        return this.epow(base.base, T.num(base.exponent.value * e));
      }
      if (base.kind === 'mul' && Number.isInteger(e)) {
        const p = this.parts(base);
        if (isScalar(base) && (p.coef !== 1 || p.scalars.length > 1 || p.scalars[0] !== base)) {
          // (c·s·t)^e = cᵉ sᵉ tᵉ, so monomials can cancel.
          return this.mul([T.num(p.coef ** e), ...p.scalars.map((s) => this.epow(s, exponent))]);
        }
        if (!isScalar(base) && (p.coef !== 1 || p.scalars.length > 0)) {
          const rest = T.mul(p.chain);
          return this.mul([T.num(p.coef ** e), ...p.scalars.map((s) => this.epow(s, exponent)), T.epow(rest, exponent)]);
        }
      }
    }
    return isScalar(base) ? T.epow(base, exponent) : this.pullOutTranspose(T.epow(base, exponent));
  }

  fn(name: ElementwiseFn, x: Term): Term {
    if (x.kind === 'num') {
      const folded = foldFunction(name, x.value);
      if (folded !== undefined) return T.num(folded);
    }
    if (x.kind === 'zero') {
      if (name === 'exp' || name === 'cos') return T.ones(x.shape);
      if (['sin', 'tan', 'tanh', 'relu', 'abs', 'sign', 'sqrt'].includes(name)) return x;
    }
    if (name === 'log' && x.kind === 'fn' && x.fn === 'exp') return x.operand;
    if (name === 'exp' && x.kind === 'fn' && x.fn === 'log') return x.operand;
    if (name === 'log' && x.kind === 'det') return T.reduce('logdet', x.operand);
    if (name === 'abs' && x.kind === 'fn' && x.fn === 'abs') return x;
    if ((name === 'abs' || name === 'relu' || name === 'sign' || name === 'step') && this.isPositive(x)) {
      // For entrywise positive x: |x| = relu(x) = x, sign(x) = step(x) = 𝟙.
      if (name === 'abs' || name === 'relu') return x;
      if (name === 'sign' || name === 'step') return T.ones(x.shape);
    }
    return this.pullOutTranspose(T.fn(name, x));
  }

  // ── transpose, inverse, powers ───────────────────────────────────────────

  /**
   * Transposes are memoised: they recurse into products and sums, and a DAG shares those. A transpose
   * built inside a search (distributing a sum, tryDistribute, pullOutTranspose) is built under that
   * search's limits, so it is memoised apart, per search state: a memo entry must not depend on which
   * caller came first, or a request's output would depend on what the process simplified before
   * (the memo lives as long as the process).
   */
  readonly #transposed = new TermMemo();
  readonly #transposedInSearch = new Map<string, Term>();

  /** The search state that results may depend on ('' outside any search). */
  #mode(): string {
    if (!this.#pulling && !this.#expandingSum && this.#distributing === 0) return '';
    return `${this.#pulling ? 'p' : ''}${this.#expandingSum ? 'e' : ''}${this.#distributing}`;
  }

  transpose(x: Term): Term {
    if (isScalar(x)) return x;
    const mode = this.#mode();
    const key = mode === '' ? '' : `${x.id}:${mode}`;
    const hit = mode === '' ? this.#transposed.get(x) : this.#transposedInSearch.get(key);
    if (hit !== undefined) return hit;
    if (mode === '' && !this.#warmingTransposes && height(x) > DEEP_TERM) this.warmTransposes(x);
    const result = this.transposeUncached(x);
    if (mode === '') this.#transposed.set(x, result);
    else this.#transposedInSearch.set(key, result);
    return result;
  }

  #warmingTransposes = false;

  /**
   * Transposing a deep term (a 5,000-definition residual chain) would recurse once per level: the
   * transposes below it are built first, children first, so that each then finds its operands'
   * already made. Only when a deep transpose is asked for: building every node's transpose up front
   * cost a tower Yₖ₊₁ = Yₖ ⊙ Yₖ + Yₖ a 64-term sum per level that nothing used. Transposes are a
   * pure function of the term (the memo above), so when they are built changes no result.
   */
  warmTransposes(x: Term): void {
    this.#warmingTransposes = true;
    try {
      const below = postOrder([x], (n) => n === x || (!isScalar(n) && this.#transposed.get(n) === undefined));
      for (const node of below) if (node !== x) this.transpose(node);
    } finally {
      this.#warmingTransposes = false;
    }
  }

  transposeUncached(x: Term): Term {
    switch (x.kind) {
      case 'transpose':
        return x.operand;
      case 'eye':
      case 'diagm':
        return x;
      case 'zero':
        return T.zero([x.shape[1], x.shape[0]]);
      case 'ones':
        return T.ones([x.shape[1], x.shape[0]]);
      case 'mul': {
        const reversed = [...x.factors].reverse().map((f) => (isScalar(f) ? f : this.transpose(f)));
        return this.mul(reversed);
      }
      case 'add':
        // Distributed, so that like terms meet: (xᵀA)ᵀ + Aᵀx collects to 2Aᵀx.
        if (this.isSymmetric(x)) return x;
        return this.add(
          x.terms.map((t) => this.transpose(t)),
          [x.shape[1], x.shape[0]],
        );
      case 'fn':
      case 'hmul':
      case 'hdiv':
      case 'epow': {
        // Element-wise operations commute with transposition: move the transpose inside when that
        // does not add transposes (exp(xᵀ)ᵀ = exp(x), but exp(Xb)ᵀ stays rather than exp(bᵀXᵀ)).
        if (this.isSymmetric(x)) return x;
        const operands = x.kind === 'fn' ? [x.operand] : x.kind === 'hmul' ? x.factors : x.kind === 'hdiv' ? [x.left, x.right] : [x.base];
        const before = operands.reduce((n, o) => n + transposeCount(o), 0);
        // Decide from counts first (O(1) per node, memoised): building the transposed operands of a
        // large adjoint only to throw them away would make the simplifier quadratic.
        const after = operands.reduce((n, o) => n + this.transposedCount(o), 0);
        if (after > before + 1) return T.transpose(x);
        // The operands in normal form, also under pullOutTranspose (which only keeps the node it
        // transposes from being pulled out again): their transposes come from the plain memo.
        const pulling = this.#pulling;
        this.#pulling = false;
        let flipped: Term[];
        try {
          flipped = operands.map((o) => this.transpose(o));
        } finally {
          this.#pulling = pulling;
        }
        if (x.kind === 'fn') return this.fn(x.fn, flipped[0]!);
        if (x.kind === 'hmul') return this.hmul(flipped, [x.shape[1], x.shape[0]]);
        if (x.kind === 'hdiv') return this.hdiv(flipped[0]!, flipped[1]!);
        return this.epow(flipped[0]!, x.exponent);
      }
      default:
        return this.isSymmetric(x) ? x : T.transpose(x);
    }
  }

  readonly #transposedCounts = new NumberMemo();

  /**
   * How many transposes the canonical transpose of t would have, without building it (an estimate
   * that follows transpose(): through products and sums, into element-wise nodes when that does not
   * add transposes). Memoised, so O(1) per node.
   */
  transposedCount(t: Term): number {
    const hit = this.#transposedCounts.get(t);
    if (hit !== undefined) return hit;
    let n: number;
    if (isScalar(t) || this.isSymmetric(t)) n = transposeCount(t);
    else {
      switch (t.kind) {
        case 'transpose':
          n = transposeCount(t.operand);
          break;
        case 'eye':
        case 'diagm':
        case 'zero':
        case 'ones':
          n = transposeCount(t);
          break;
        case 'mul':
          n = t.factors.reduce((m, f) => m + (isScalar(f) ? transposeCount(f) : this.transposedCount(f)), 0);
          break;
        case 'add':
          n = t.terms.reduce((m, f) => m + this.transposedCount(f), 0);
          break;
        case 'fn':
        case 'hmul':
        case 'hdiv':
        case 'epow': {
          const operands = t.kind === 'fn' ? [t.operand] : t.kind === 'hmul' ? t.factors : t.kind === 'hdiv' ? [t.left, t.right] : [t.base];
          const before = operands.reduce((m, o) => m + transposeCount(o), 0);
          const after = operands.reduce((m, o) => m + this.transposedCount(o), 0);
          n = after > before + 1 ? 1 + transposeCount(t) : after + (t.kind === 'epow' ? transposeCount(t.exponent) : 0);
          break;
        }
        default:
          n = 1 + transposeCount(t);
      }
    }
    this.#transposedCounts.set(t, n);
    return n;
  }

  /** Whether every entry of a term is known to be positive (assumed, or by construction). */
  readonly #positive = new Map<Term, boolean>();

  isPositive(t: Term): boolean {
    return this.bottomUp(t, this.#positive, (node) => this.isPositiveNode(node));
  }

  /**
   * A memoised property computed children first over the DAG below `t`, iteratively: deep terms
   * (a 5,000-definition residual chain) must not recurse 5,000 frames deep.
   */
  bottomUp(t: Term, memo: Map<Term, boolean>, compute: (node: Term) => boolean): boolean {
    const hit = memo.get(t);
    if (hit !== undefined) return hit;
    // Most queries come bottom-up, with every child already known: then the walk below would visit
    // t alone, so compute it directly (the same calls in the same order, without the walk's setup).
    let ready = true;
    for (const c of childrenOf(t)) {
      if (!memo.has(c)) {
        ready = false;
        break;
      }
    }
    if (ready) {
      const value = compute(t);
      memo.set(t, value);
      return value;
    }
    for (const node of postOrder([t], (n) => !memo.has(n))) memo.set(node, compute(node));
    return memo.get(t)!;
  }

  isPositiveNode(t: Term): boolean {
    switch (t.kind) {
      case 'var':
        return this.context.positive?.has(t.name) ?? false;
      case 'num':
        return t.value > 0;
      case 'ones':
        return true;
      case 'fn':
        return t.fn === 'exp' || t.fn === 'sigmoid' || t.fn === 'softplus' || ((t.fn === 'sqrt' || t.fn === 'abs') && this.isPositive(t.operand));
      case 'epow':
        return this.isPositive(t.base);
      case 'hmul':
        return t.factors.every((f) => this.isPositive(f));
      case 'hdiv':
        return this.isPositive(t.left) && this.isPositive(t.right);
      case 'transpose':
        return this.isPositive(t.operand);
      case 'add':
        return t.terms.every((f) => this.isPositive(f));
      case 'mul':
        // A positive scalar multiple of a positive term (a matrix product of positives is positive too).
        return t.factors.every((f) => this.isPositive(f));
      default:
        return false;
    }
  }

  /** Whether a term is known to equal its transpose. */
  isSymmetric(t: Term): boolean {
    return this.bottomUp(t, this.#symmetric, (node) => this.isSymmetricNode(node));
  }

  isSymmetricNode(t: Term): boolean {
    let result = false;
    if (t.shape[0] !== t.shape[1]) result = false;
    else {
      switch (t.kind) {
        case 'var':
          result = this.context.symmetric.has(t.name);
          break;
        case 'eye':
        case 'diagm':
        case 'ones':
        case 'zero':
        case 'num':
          result = true;
          break;
        case 'inv':
        case 'mpow':
        case 'fn':
          result = this.isSymmetric(t.operand);
          break;
        case 'epow':
          result = this.isSymmetric(t.base);
          break;
        case 'hmul':
          result = t.factors.every((f) => this.isSymmetric(f));
          break;
        case 'add': {
          const members = new Set(t.terms);
          result = t.terms.every((term) => this.isSymmetric(term) || members.has(this.transposeShallow(term)));
          break;
        }
        case 'mul': {
          const chain = t.factors.filter((f) => !isScalar(f));
          result = true;
          for (let i = 0, j = chain.length - 1; i <= j; i++, j--) {
            const a = chain[i]!;
            const b = chain[j]!;
            if (i === j) result &&= this.isSymmetric(a);
            else result &&= this.transposeShallow(a) === b;
          }
          break;
        }
        default:
          result = false;
      }
    }
    return result;
  }

  /** The canonical transpose of a term that is a leaf-level factor, without recursing into sums. */
  transposeShallow(t: Term): Term {
    if (t.kind === 'transpose') return t.operand;
    if (t.kind === 'mul') {
      const reversed = [...t.factors].reverse().map((f) => (isScalar(f) ? f : this.transposeShallow(f)));
      return T.mul(reversed);
    }
    if (t.kind === 'var' && this.context.symmetric.has(t.name)) return t;
    if (t.kind === 'eye' || t.kind === 'diagm' || isScalar(t)) return t;
    return T.transpose(t);
  }

  inv(x: Term): Term {
    if (isScalar(x)) return this.epow(x, T.num(-1));
    if (x.kind === 'inv') return x.operand;
    if (x.kind === 'eye') return x;
    if (x.kind === 'transpose') return this.transpose(this.inv(x.operand));
    if (x.kind === 'mpow') return this.fromPower(x.operand, -x.exponent);
    if (x.kind === 'mul') {
      const p = this.parts(x);
      if (p.chain.length === 1 && (p.coef !== 1 || p.scalars.length > 0)) {
        return this.mul([T.num(1 / p.coef), ...p.scalars.map((s) => this.epow(s, T.num(-1))), this.inv(p.chain[0]!)]);
      }
    }
    return T.inv(x);
  }

  mpow(x: Term, k: number): Term {
    if (isScalar(x)) return this.epow(x, T.num(k));
    if (x.kind === 'eye') return x;
    const view = powerView(x);
    return this.fromPower(view.base, view.k * k);
  }

  // ── reductions ───────────────────────────────────────────────────────────

  reduce(kind: ReductionKind, x: Term): Term {
    if (isScalar(x)) {
      if (kind === 'logdet') return this.fn('log', x);
      if (kind === 'norm1' || kind === 'norm2') return this.fn('abs', x);
      return x;
    }
    if (x.kind === 'zero') return kind === 'det' ? T.num(0) : T.num(0);
    switch (kind) {
      case 'trace':
        return this.trace(x);
      case 'det':
        if (x.kind === 'transpose') return this.reduce('det', x.operand);
        if (x.kind === 'inv') return this.epow(this.reduce('det', x.operand), T.num(-1));
        if (x.kind === 'mpow') return this.epow(this.reduce('det', powerView(x).base), T.num(powerView(x).k));
        if (x.kind === 'eye') return T.num(1);
        return T.reduce('det', x);
      case 'logdet':
        if (x.kind === 'transpose') return this.reduce('logdet', x.operand);
        if (x.kind === 'inv') return this.scale(-1, this.reduce('logdet', x.operand));
        if (x.kind === 'eye') return T.num(0);
        return T.reduce('logdet', x);
      case 'sum':
      case 'norm1':
      case 'norm2': {
        if (x.kind === 'transpose') return this.reduce(kind, x.operand);
        const p = this.parts(x);
        if ((p.coef !== 1 || p.scalars.length > 0) && p.chain.length > 0) {
          const rest = p.chain.length === 1 ? p.chain[0]! : T.mul(p.chain);
          if (kind === 'sum') return this.mul([T.num(p.coef), ...p.scalars, this.reduce('sum', rest)]);
          if (p.scalars.length === 0) return this.mul([T.num(Math.abs(p.coef)), this.reduce(kind, rest)]);
        }
        if (kind === 'sum' && x.kind === 'hmul' && x.factors.length === 2 && x.shape[1] === 1) {
          return this.mul([this.transpose(x.factors[0]!), x.factors[1]!]);
        }
        if (kind === 'sum' && x.kind === 'ones' && typeof x.shape[0] === 'number' && typeof x.shape[1] === 'number') {
          return T.num(x.shape[0] * x.shape[1]);
        }
        return T.reduce(kind, x);
      }
    }
  }

  trace(x: Term): Term {
    if (x.kind === 'transpose') return this.trace(x.operand);
    if (x.kind === 'eye' && typeof x.shape[0] === 'number') return T.num(x.shape[0]);
    if (x.kind === 'diagm') return this.reduce('sum', x.operand);
    if (x.kind === 'mul') {
      const p = this.parts(x);
      const outer: Term[] = [T.num(p.coef), ...p.scalars];
      const chain = p.chain;
      let core: Term;
      if (chain.length === 1) core = this.trace(chain[0]!);
      else {
        // tr is cyclic: prefer a rotation whose product is a scalar (tr(xyᵀ) = yᵀx), else the least
        // rotation in the canonical order of its factors (tr(CAB) → tr(ABC)).
        let best: Term[] | undefined;
        let bestScalar = false;
        for (let r = 0; r < chain.length; r++) {
          const rotated = [...chain.slice(r), ...chain.slice(0, r)];
          const first = rotated[0]!;
          const last = rotated[rotated.length - 1]!;
          const scalar = first.shape[0] === 1 && last.shape[1] === 1;
          if (!best || (scalar && !bestScalar) || (scalar === bestScalar && compareWords(rotated, best) < 0)) {
            best = rotated;
            bestScalar = scalar;
          }
        }
        core = bestScalar ? this.mul(best!) : T.reduce('trace', T.mul(best!));
      }
      if (outer.length === 1 && p.coef === 1) return core;
      return this.mul([...outer, core]);
    }
    return T.reduce('trace', x);
  }

  inner(a: Term, b: Term): Term {
    if (a.kind === 'zero' || b.kind === 'zero') return T.num(0);
    if (isScalar(a)) return this.mul([a, b]);
    const pa = this.parts(a);
    const pb = this.parts(b);
    const ra = pa.chain.length === 1 ? pa.chain[0]! : T.mul(pa.chain);
    const rb = pb.chain.length === 1 ? pb.chain[0]! : T.mul(pb.chain);
    const outer = [T.num(pa.coef * pb.coef), ...pa.scalars, ...pb.scalars];
    let core: Term;
    if (ra.kind === 'ones') core = this.reduce('sum', rb);
    else if (rb.kind === 'ones') core = this.reduce('sum', ra);
    else if (ra.kind === 'eye') core = this.trace(rb);
    else if (rb.kind === 'eye') core = this.trace(ra);
    else {
      const [first, second] = compareTerms(ra, rb) <= 0 ? [ra, rb] : [rb, ra];
      // ⟨a, b⟩ = aᵀb for column vectors and abᵀ for row vectors: a textbook writes the product.
      if (first.shape[1] === 1) core = this.mul([this.transpose(first), second]);
      else if (first.shape[0] === 1) core = this.mul([first, this.transpose(second)]);
      else core = T.inner(first, second);
    }
    if (outer.length === 1 && pa.coef * pb.coef === 1) return core;
    return this.mul([...outer, core]);
  }

  diag(x: Term): Term {
    if (isScalar(x)) return x;
    if (x.kind === 'diagm') return x.operand;
    if (x.kind === 'eye') return T.ones([x.shape[0], 1]);
    if (x.kind === 'transpose') return this.diag(x.operand);
    const p = this.parts(x);
    // diag(abᵀ) = a ⊙ b for column vectors a, b.
    if (p.chain.length === 2 && p.chain[0]!.shape[1] === 1 && p.chain[1]!.shape[0] === 1) {
      const outer = [T.num(p.coef), ...p.scalars];
      return this.mul([...outer, this.hmul([p.chain[0]!, this.transpose(p.chain[1]!)], p.chain[0]!.shape)]);
    }
    if (p.chain.length === 1 && (p.coef !== 1 || p.scalars.length > 0)) {
      return this.mul([T.num(p.coef), ...p.scalars, this.diag(p.chain[0]!)]);
    }
    return T.diag(x);
  }

  diagm(x: Term): Term {
    if (isScalar(x)) return x;
    if (x.kind === 'ones') return T.eye(x.shape[0]);
    const p = this.parts(x);
    if (p.chain.length === 1 && (p.coef !== 1 || p.scalars.length > 0)) {
      return this.mul([T.num(p.coef), ...p.scalars, this.diagm(p.chain[0]!)]);
    }
    return T.diagm(x);
  }
}

/**
 * Nested products, Hadamard products and sums are flattened into their parent only up to this many
 * operands; a longer one stays one operand. Flattening a chain of k nested nodes costs O(k²) in
 * total (each level copies the one below), so this bound is what keeps deep chains — a 500-layer
 * product, a residual network's adjoints — linear.
 */
const FLATTEN_MAX = 32;

/** Terms taller than this get the transposes below them built bottom-up before their own (warmTransposes). */
const DEEP_TERM = 400;

/** The largest term (as a tree) that the simplifier tries to distribute element-wise products in. */
const DISTRIBUTE_MAX_SIZE = 60;

const treeSizes = new NumberMemo();

T.onTermsReset(() => {
  simplifiers.clear();
  byContext = new WeakMap();
  transposeCounts.clear();
  treeSizes.clear();
});

/** Size of the term written out as a tree (shared nodes counted per use), memoised per node. */
function treeSize(t: Term): number {
  const hit = treeSizes.get(t);
  if (hit !== undefined) return hit;
  let size = 1;
  for (const c of childrenOf(t)) size += treeSize(c);
  treeSizes.set(t, size);
  return size;
}

/** A chain factor as base and integer power: X⁻¹ → (X, −1), (X²)ᵀ → (Xᵀ, 2). */
function powerView(f: Term): { base: Term; k: number } {
  if (f.kind === 'transpose') {
    const inner = powerView(f.operand);
    if (inner.k !== 1) return { base: T.transpose(inner.base), k: inner.k };
    return { base: f, k: 1 };
  }
  if (f.kind === 'mpow') {
    if (f.operand.kind === 'inv') return { base: f.operand.operand, k: -f.exponent };
    return { base: f.operand, k: f.exponent };
  }
  if (f.kind === 'inv') return { base: f.operand, k: -1 };
  return { base: f, k: 1 };
}

function plainPower(b: Term, k: number): Term {
  if (k === 0) return T.eye(b.shape[0]);
  if (k === 1) return b;
  if (k === -1) return T.inv(b);
  if (k >= 2) return T.mpow(b, k);
  return T.mpow(T.inv(b), -k);
}

/** Exact constant folding only: exp(0) = 1, but exp(1) stays exp(1). */
function foldFunction(name: ElementwiseFn, v: number): number | undefined {
  switch (name) {
    case 'exp':
      return v === 0 ? 1 : undefined;
    case 'log':
      return v === 1 ? 0 : undefined;
    case 'sin':
    case 'tan':
    case 'tanh':
      return v === 0 ? 0 : undefined;
    case 'cos':
      return v === 0 ? 1 : undefined;
    case 'sigmoid':
      return v === 0 ? 0.5 : undefined;
    case 'relu':
      return Math.max(v, 0);
    case 'abs':
      return Math.abs(v);
    case 'sign':
      return Math.sign(v);
    case 'step':
      return v > 0 ? 1 : v < 0 ? 0 : 0.5;
    case 'sqrt': {
      const r = Math.sqrt(v);
      return Number.isInteger(r) ? r : undefined;
    }
    case 'softplus':
      return undefined;
  }
}
