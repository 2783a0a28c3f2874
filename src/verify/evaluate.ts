import { InternalError } from '../diagnostics/diagnostic.js';
import { childrenOf, isScalarShape, shapeText, type Dim, type ElementwiseFn, type Term, type TermOf } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import * as dense from './dense.js';
import { Dense, Lu } from './dense.js';
import { erf } from './special.js';

/**
 * The numeric evaluator: a term's value at given inputs, with the semantics of term.ts, plus the
 * reasons a value is unfit for checking a derivative (outside a domain, near a kink, ill-conditioned,
 * not finite). It walks a post-order of the DAG with one memo, so a shared node is computed once and
 * a 100,000-deep term does not touch the call stack.
 */

export interface EvalContext {
  values: ReadonlyMap<string, Dense>;
  dimSizes: ReadonlyMap<string, number>;
}

export interface EvalIssue {
  kind: 'domain' | 'kink' | 'ill-conditioned' | 'non-finite' | 'underflow';
  message: string;
  term: Term;
}

export interface EvalOptions {
  /** An argument of abs/relu/sign/step/norm1 within kinkMargin·(1 + max|arg|) of 0 is a kink. Default 1e-3. */
  kinkMargin?: number;
  /** inv/det/logdet of a matrix whose ‖A‖_F‖A⁻¹‖_F exceeds this is ill-conditioned. Default 1e8. */
  conditionLimit?: number;
  /** Default true. When false no check runs (kinkSigns included), and det/logdet skip the inverse the condition estimate needs. */
  collectIssues?: boolean;
  /**
   * Values taken as given instead of computed (their subterms are not visited). The gradient checker
   * passes the base-point values of the nodes that do not depend on the perturbed variable.
   */
  known?: KnownValues;
  /** When given, receives the value of every node computed (then no intermediate value is freed). */
  memoOut?: Map<Term, Dense>;
  /**
   * Sign patterns of kink arguments: a node absent from the map has its argument's signs recorded; a
   * node present is compared, and a changed sign is a 'kink' issue. This is how the checker notices a
   * step X ± hV that jumps across a kink without landing near it.
   */
  kinkSigns?: Map<Term, Int8Array>;
}

const DEFAULT_KINK_MARGIN = 1e-3;
const DEFAULT_CONDITION_LIMIT = 1e8;

/** Evaluates several terms with one shared memo (a DAG node is computed once). Iterative. Collects issues instead of throwing. */
export function evaluateTerms(
  terms: readonly Term[],
  ctx: EvalContext,
  options: EvalOptions = {},
): { values: Dense[]; issues: EvalIssue[] } {
  const known = options.known;
  const order = known === undefined ? postOrder(terms) : postOrder(terms, (t) => !known.has(t));
  const evaluator = new Evaluator(ctx, options);

  // Remaining uses of each node, so a value can be dropped after its last parent has read it: a deep
  // chain of matrices then holds a few values at a time instead of all of them.
  const keepAll = options.memoOut !== undefined;
  const uses = new Map<Term, number>();
  if (!keepAll) {
    for (const node of order) for (const child of childrenOf(node)) uses.set(child, (uses.get(child) ?? 0) + 1);
    for (const root of terms) uses.set(root, Infinity);
  }
  const memo = options.memoOut ?? new Map<Term, Dense>();
  const valueOf = (t: Term): Dense => {
    const v = memo.get(t) ?? known?.get(t);
    if (v === undefined) throw new InternalError(`evaluate: no value for child #${t.id} (${t.kind})`);
    return v;
  };

  for (const node of order) {
    memo.set(node, evaluator.compute(node, valueOf));
    if (!keepAll) {
      for (const child of childrenOf(node)) {
        const left = uses.get(child)! - 1;
        uses.set(child, left);
        if (left === 0) memo.delete(child);
      }
    }
  }
  return { values: terms.map(valueOf), issues: evaluator.issues };
}

/**
 * A precomputed evaluation order, for evaluating the same terms at many points (the gradient check
 * evaluates f dozens of times along lines): the post-order and each node's slot are computed once.
 * Nodes in `known` are not entered (their values are taken as given at every point).
 */
export interface EvalPlan {
  readonly roots: readonly Term[];
  readonly order: readonly Term[];
  /** The node's index in `order` + 1, or 0 for a node not in it. */
  readonly slot: Slots;
  readonly known: KnownValues | undefined;
  /** By position in `order`: the position of the last node that reads it (roots: order.length). */
  readonly lastUse: Int32Array;
  /**
   * Sums with several known terms: the known part is added once (on first use) and only the moving
   * terms at each point — a sum over 2,000 variables' terms, moved one variable at a time, would
   * otherwise cost 2,000 additions per point and make the check quadratic in the variables.
   */
  readonly sums: Map<Term, { readonly moving: readonly Term[]; readonly fixed: readonly Term[]; total?: Dense }>;
}

/** Positions in a plan's order, by term. */
export interface Slots {
  of(t: Term): number;
}

/**
 * By term id in an array when the order covers a good part of the ids, else in a map: a plan of the
 * few nodes that move with one of 2,000 variables must not allocate an array as long as all of f.
 */
function makeSlots(order: readonly Term[]): Slots {
  // From the lowest id: ids grow across generations of terms (term/factory.ts, resetTerms).
  let top = 0;
  let low = Infinity;
  for (const t of order) {
    top = Math.max(top, t.id);
    low = Math.min(low, t.id);
  }
  if (order.length === 0) return { of: () => 0 };
  if (order.length * 8 >= top - low) {
    const slot = new Int32Array(top - low + 1);
    order.forEach((t, i) => (slot[t.id - low] = i + 1));
    return { of: (t) => (t.id >= low && t.id <= top ? slot[t.id - low]! : 0) };
  }
  const slot = new Map<number, number>();
  order.forEach((t, i) => slot.set(t.id, i + 1));
  return { of: (t) => slot.get(t.id) ?? 0 };
}

/**
 * Values taken as given (a Map works): only `has` and `get` are used, so a view over another table
 * (the base point's values of the nodes that do not move) costs nothing to make.
 */
export interface KnownValues {
  has(t: Term): boolean;
  get(t: Term): Dense | undefined;
}

export function planEvaluation(terms: readonly Term[], known?: KnownValues): EvalPlan {
  const order = known === undefined ? postOrder(terms) : postOrder(terms, (t) => !known.has(t));
  const slot = makeSlots(order);
  const lastUse = new Int32Array(order.length);
  order.forEach((t, i) => {
    for (const c of childrenOf(t)) {
      const s = slot.of(c);
      if (s !== 0) lastUse[s - 1] = i;
    }
  });
  for (const t of terms) {
    const s = slot.of(t);
    if (s !== 0) lastUse[s - 1] = order.length;
  }
  const sums: EvalPlan['sums'] = new Map();
  if (known !== undefined) {
    for (const t of order) {
      if (t.kind !== 'add') continue;
      const fixed = t.terms.filter((c) => slot.of(c) === 0);
      if (fixed.length >= 2) sums.set(t, { moving: t.terms.filter((c) => slot.of(c) !== 0), fixed });
    }
  }
  return { roots: terms, order, slot, known, lastUse, sums };
}

/**
 * Evaluates a plan: the same values and issues as evaluateTerms(plan.roots, ctx, { known, … }), but
 * without walking the DAG again. Every intermediate value is kept until the end and returned in
 * `all`, unless `dropIntermediate` is set: then each is dropped after its last reader has run (the
 * values are the same; on a big f the garbage collector then finds the dead values dead while they
 * are young instead of copying them), and `all` holds only the roots. `memoOut` is not supported.
 */
export function evaluatePlan(
  plan: EvalPlan,
  ctx: EvalContext,
  options: Omit<EvalOptions, 'known' | 'memoOut'> & { dropIntermediate?: boolean } = {},
): { values: Dense[]; issues: EvalIssue[]; all: Dense[] } {
  const { order, slot, known, lastUse } = plan;
  const drop = options.dropIntermediate ?? false;
  const evaluator = new Evaluator(ctx, options);
  const values = new Array<Dense | undefined>(order.length);
  const valueOf = (t: Term): Dense => {
    const i = slot.of(t);
    const v = i === 0 ? known?.get(t) : values[i - 1];
    if (v === undefined) throw new InternalError(`evaluate: no value for child #${t.id} (${t.kind})`);
    return v;
  };
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    const sum = plan.sums.get(node);
    if (sum !== undefined) {
      sum.total ??= sum.fixed.map(valueOf).reduce((a, b) => dense.add(a, b));
      const total = sum.total;
      values[i] = evaluator.compute(node, valueOf, () => {
        const acc = dense.add(total, valueOf(sum.moving[0]!));
        for (let k = 1; k < sum.moving.length; k++) dense.addInto(acc, valueOf(sum.moving[k]!));
        return acc;
      });
    } else values[i] = evaluator.compute(node, valueOf);
    if (drop) {
      // A sum's known terms are not in the plan: only its moving ones can be dropped.
      for (const c of sum !== undefined ? sum.moving : childrenOf(node)) {
        const s = slot.of(c);
        if (s !== 0 && lastUse[s - 1] === i) values[s - 1] = undefined;
      }
    }
  }
  return { values: plan.roots.map(valueOf), issues: evaluator.issues, all: values as Dense[] };
}

/** The value of one term; throws InternalError if it cannot be computed at all (a missing variable or size). */
export function evaluateTerm(term: Term, ctx: EvalContext): Dense {
  return evaluateTerms([term], ctx, { collectIssues: false }).values[0]!;
}

/** Element-wise functions, numerically stable where the naive formula overflows. */
const ELEMENTWISE: Record<ElementwiseFn, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  // exp of a negative argument only: no overflow for large |x|.
  sigmoid: (x) => {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  },
  relu: (x) => (x > 0 ? x : x <= 0 ? 0 : x), // NaN stays NaN
  // log(1 + eˣ) = log1p(e^−|x|) + max(x, 0): no overflow, and no loss of precision for large −x.
  softplus: (x) => Math.log1p(Math.exp(-Math.abs(x))) + (x > 0 ? x : 0),
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  step: (x) => (x > 0 ? 1 : x < 0 ? 0 : x === 0 ? 0.5 : NaN),
  log1p: Math.log1p,
  expm1: Math.expm1,
  log2: Math.log2,
  log10: Math.log10,
  // log σ(x) = −softplus(−x) = min(x, 0) − log1p(e^−|x|): no overflow, and exact for large −x.
  logsigmoid: (x) => (x < 0 ? x : x >= 0 ? 0 : x) - Math.log1p(Math.exp(-Math.abs(x))),
  sinh: Math.sinh,
  cosh: Math.cosh,
  arctan: Math.atan,
  erf,
};

/** The open lower bound of each function's domain (log needs x > 0); a function not listed takes every real. */
const DOMAIN_LOWER_BOUND: Partial<Record<ElementwiseFn, number>> = { log: 0, log2: 0, log10: 0, log1p: -1 };

/** The smallest positive normal double: below it a value has lost precision (and soon all of it). */
const MIN_NORMAL = 2.2250738585072014e-308;

const KINK_FNS: ReadonlySet<ElementwiseFn> = new Set(['abs', 'relu', 'sign', 'step']);

class Evaluator {
  readonly issues: EvalIssue[] = [];
  private readonly collect: boolean;
  private readonly kinkMargin: number;
  private readonly conditionLimit: number;
  private readonly kinkSigns: Map<Term, Int8Array> | undefined;
  private readonly lus = new Map<Term, Lu>();

  constructor(
    private readonly ctx: EvalContext,
    options: EvalOptions,
  ) {
    this.collect = options.collectIssues ?? true;
    this.kinkMargin = options.kinkMargin ?? DEFAULT_KINK_MARGIN;
    this.conditionLimit = options.conditionLimit ?? DEFAULT_CONDITION_LIMIT;
    this.kinkSigns = options.kinkSigns;
  }

  private size(d: Dim): number {
    if (typeof d === 'number') return d;
    const n = this.ctx.dimSizes.get(d);
    if (n === undefined) throw new InternalError(`evaluate: no size for dimension '${d}'`);
    return n;
  }

  private issue(kind: EvalIssue['kind'], message: string, term: Term): void {
    this.issues.push({ kind, message, term });
  }

  compute(term: Term, valueOf: (t: Term) => Dense, computed?: () => Dense): Dense {
    const before = this.issues.length;
    const value = computed ? computed() : this.computeValue(term, valueOf);
    // Report non-finite values where they arise, not again at every ancestor, and not when the
    // node already has a more precise issue (log of a negative number is a domain issue).
    if (this.collect && this.issues.length === before && !dense.allFinite(value)) {
      const children = childrenOf(term);
      if (children.every((c) => dense.allFinite(valueOf(c)))) {
        this.issue('non-finite', `${describe(term)} has a non-finite value (${firstNonFinite(value)})`, term);
      }
    }
    return value;
  }

  private computeValue(term: Term, valueOf: (t: Term) => Dense): Dense {
    switch (term.kind) {
      case 'var': {
        const v = this.ctx.values.get(term.name);
        if (v === undefined) throw new InternalError(`evaluate: no value for variable ${term.name}`);
        const rows = this.size(term.shape[0]);
        const cols = this.size(term.shape[1]);
        if (v.rows !== rows || v.cols !== cols) {
          throw new InternalError(`evaluate: ${term.name} is ${v.rows}×${v.cols}, its shape says ${rows}×${cols}`);
        }
        return v;
      }
      case 'num':
        return Dense.scalar(term.value);
      case 'zero':
        return dense.fill(this.size(term.shape[0]), this.size(term.shape[1]), 0);
      case 'ones':
        return dense.fill(this.size(term.shape[0]), this.size(term.shape[1]), 1);
      case 'eye':
        return dense.identity(this.size(term.shape[0]));
      case 'add': {
        // One result, summed into in place: a sum of 2,000 terms is not 2,000 intermediate matrices.
        const acc = dense.add(valueOf(term.terms[0]!), valueOf(term.terms[1]!));
        for (let i = 2; i < term.terms.length; i++) dense.addInto(acc, valueOf(term.terms[i]!));
        return acc;
      }
      case 'mul':
        return this.product(term, valueOf);
      case 'hmul': {
        let acc = valueOf(term.factors[0]!);
        for (let i = 1; i < term.factors.length; i++) acc = dense.hadamard(acc, valueOf(term.factors[i]!));
        return acc;
      }
      case 'hdiv':
        return dense.divide(valueOf(term.left), valueOf(term.right));
      case 'transpose':
        return dense.transpose(valueOf(term.operand));
      case 'inv': {
        const a = valueOf(term.operand);
        const lu = this.factor(term.operand, a);
        const inverse = lu.inverse();
        if (this.collect && dense.allFinite(a)) this.checkCondition(term, a, lu, inverse);
        return inverse;
      }
      case 'mpow':
        return dense.matrixPower(valueOf(term.operand), term.exponent);
      case 'epow':
        return this.elementPower(term, valueOf(term.base), valueOf(term.exponent).scalarValue());
      case 'fn':
        return this.elementwise(term, valueOf(term.operand));
      case 'trace':
        return Dense.scalar(dense.trace(valueOf(term.operand)));
      case 'det':
      case 'logdet': {
        const a = valueOf(term.operand);
        const lu = this.factor(term.operand, a);
        // A non-finite argument was reported where it arose; its determinant says nothing more.
        if (this.collect && dense.allFinite(a)) {
          if (term.kind === 'logdet' && !(lu.sign > 0)) {
            this.issue('domain', `logdet of a matrix with ${lu.sign === 0 ? 'zero' : 'negative'} determinant (det = ${fmt(lu.det)})`, term);
          }
          this.checkCondition(term, a, lu, lu.inverse());
        }
        return Dense.scalar(term.kind === 'det' ? lu.det : lu.logdet);
      }
      case 'sum':
        return Dense.scalar(dense.sum(valueOf(term.operand)));
      case 'norm1': {
        const a = valueOf(term.operand);
        if (this.collect) this.checkKink(term, a);
        return Dense.scalar(dense.norm1(a));
      }
      case 'norm2': {
        const a = valueOf(term.operand);
        const norm = dense.normFrobenius(a);
        if (this.collect && norm <= this.kinkMargin * (1 + dense.maxAbs(a))) {
          this.issue('kink', `norm2 of an almost zero argument (‖·‖ = ${fmt(norm)})`, term);
        }
        return Dense.scalar(norm);
      }
      case 'inner':
        return Dense.scalar(dense.frobeniusInner(valueOf(term.left), valueOf(term.right)));
      case 'diag':
        return dense.diag(valueOf(term.operand));
      case 'diagm':
        return dense.diagm(valueOf(term.operand));
    }
  }

  /** Scalars multiply as numbers; the matrices chain in order, bracketed by the cheapest split. */
  private product(term: TermOf<'mul'>, valueOf: (t: Term) => Dense): Dense {
    let coefficient = 1;
    const chain: Dense[] = [];
    for (const f of term.factors) {
      const v = valueOf(f);
      if (isScalarShape(f.shape)) coefficient *= v.scalarValue();
      else chain.push(v);
    }
    if (chain.length === 0) return Dense.scalar(coefficient);
    const product = multiplyChain(chain);
    return coefficient === 1 ? product : dense.scale(product, coefficient);
  }

  private factor(operand: Term, a: Dense): Lu {
    let lu = this.lus.get(operand);
    if (lu === undefined) {
      lu = new Lu(a);
      this.lus.set(operand, lu);
    }
    return lu;
  }

  private checkCondition(term: Term, a: Dense, lu: Lu, inverse: Dense): void {
    if (lu.singular) {
      this.issue('ill-conditioned', `${term.kind} of a singular matrix`, term);
      return;
    }
    const condition = dense.normFrobenius(a) * dense.normFrobenius(inverse);
    if (!(condition <= this.conditionLimit)) {
      this.issue('ill-conditioned', `${term.kind} of an ill-conditioned matrix (condition ≈ ${fmt(condition)})`, term);
    }
  }

  private elementPower(term: TermOf<'epow'>, base: Dense, e: number): Dense {
    const out = dense.map(base, (x) => Math.pow(x, e));
    if (this.collect) {
      this.checkUnderflow(term, base, out);
      const integer = Number.isInteger(e);
      for (const x of base.data) {
        if (x < 0 && !integer) {
          this.issue('domain', `power ${fmt(e)} of a negative value (${fmt(x)})`, term);
          break;
        }
        if (x === 0 && e < 0) {
          this.issue('domain', `negative power ${fmt(e)} of zero`, term);
          break;
        }
      }
    }
    return out;
  }

  private elementwise(term: TermOf<'fn'>, a: Dense): Dense {
    const out = dense.map(a, ELEMENTWISE[term.fn]);
    if (!this.collect) return out;
    if (term.fn === 'exp') this.checkUnderflow(term, a, out);
    const lower = DOMAIN_LOWER_BOUND[term.fn];
    if (lower !== undefined) {
      const bad = a.data.find((x) => x <= lower);
      if (bad !== undefined) this.issue('domain', `${term.fn} of a ${lower === 0 ? 'non-positive value' : `value ≤ ${fmt(lower)}`} (${fmt(bad)})`, term);
    } else if (term.fn === 'sqrt') {
      const bad = a.data.find((x) => x < 0);
      if (bad !== undefined) this.issue('domain', `sqrt of a negative value (${fmt(bad)})`, term);
    } else if (KINK_FNS.has(term.fn)) {
      this.checkKink(term, a);
    }
    return out;
  }

  /**
   * A power or exponential that lands below the normal floating-point range from a nonzero argument
   * (x^999999 at |x| < 1, exp(−800)) has lost its value: f and its gradient both read 0 there, and
   * their agreement proves nothing. Such a draw is refused like a non-finite one, so a check that
   * finds no other draw is inconclusive, never passed.
   */
  private checkUnderflow(term: Term, argument: Dense, out: Dense): void {
    for (let i = 0; i < out.data.length; i++) {
      const y = out.data[i]!;
      if (Math.abs(y) < MIN_NORMAL && argument.data[i] !== 0) {
        this.issue('underflow', `${describe(term)} underflows below the floating-point range (to ${fmt(y)} at an argument of ${fmt(argument.data[i]!)})`, term);
        return;
      }
    }
  }

  /** abs, relu, sign, step and norm1 are not differentiable where an entry of the argument is 0. */
  private checkKink(term: Term, a: Dense): void {
    const name = term.kind === 'fn' ? term.fn : term.kind;
    const limit = this.kinkMargin * (1 + dense.maxAbs(a));
    let closest = Infinity;
    for (const x of a.data) closest = Math.min(closest, Math.abs(x));
    if (closest <= limit) {
      this.issue('kink', `${name} of a value near its kink at 0 (${fmt(closest)} ≤ ${fmt(limit)})`, term);
    }
    if (this.kinkSigns !== undefined) {
      const signs = Int8Array.from(a.data, (x) => Math.sign(x));
      const reference = this.kinkSigns.get(term);
      if (reference === undefined) {
        this.kinkSigns.set(term, signs);
      } else if (reference.some((s, i) => s !== signs[i])) {
        this.issue('kink', `${name} crosses its kink at 0 between the points compared`, term);
      }
    }
  }
}

/**
 * The product of a matrix chain. Bracketing changes the cost a lot (aᵀ(XXᵀ)b vs (aᵀX)(Xᵀb)), so
 * up to 24 factors use the classic O(k³) dynamic programme; longer chains go left to right.
 */
function multiplyChain(chain: readonly Dense[]): Dense {
  const k = chain.length;
  if (k === 1) return chain[0]!;
  if (k === 2) return dense.matmul(chain[0]!, chain[1]!);
  if (k === 3) {
    // (AB)C or A(BC): the cheaper one, exactly as the general programme below chooses (ties: A(BC)).
    const [a, b, c] = chain as [Dense, Dense, Dense];
    const left = a.rows * a.cols * b.cols + a.rows * b.cols * c.cols;
    const right = b.rows * b.cols * c.cols + a.rows * a.cols * c.cols;
    return left < right ? dense.matmul(dense.matmul(a, b), c) : dense.matmul(a, dense.matmul(b, c));
  }
  if (k > 24) {
    let acc = chain[0]!;
    for (let i = 1; i < k; i++) acc = dense.matmul(acc, chain[i]!);
    return acc;
  }
  // dims[i] × dims[i + 1] is the size of factor i.
  const dims = [chain[0]!.rows, ...chain.map((m) => m.cols)];
  const split = chainSplits(dims);
  // Multiply by the split table with an explicit stack (post-order over the bracketing tree).
  const results = new Map<number, Dense>(); // key i * k + j
  const stack: [number, number][] = [[0, k - 1]];
  while (stack.length > 0) {
    const [i, j] = stack[stack.length - 1]!;
    if (i === j) {
      results.set(i * k + j, chain[i]!);
      stack.pop();
      continue;
    }
    const s = split[i]![j]!;
    const left = results.get(i * k + s);
    const right = results.get((s + 1) * k + j);
    if (left !== undefined && right !== undefined) {
      results.set(i * k + j, dense.matmul(left, right));
      stack.pop();
    } else {
      if (left === undefined) stack.push([i, s]);
      if (right === undefined) stack.push([s + 1, j]);
    }
  }
  return results.get(k - 1)!;
}

/**
 * The optimal bracketing of a chain with these sizes (the classic O(k³) programme): split[i][j] is
 * where the product of factors i..j splits. Kept per list of sizes, since the check evaluates the
 * same products at many points.
 */
const splitTables = new Map<string, number[][]>();

function chainSplits(dims: readonly number[]): number[][] {
  const key = dims.join(',');
  const hit = splitTables.get(key);
  if (hit !== undefined) return hit;
  const k = dims.length - 1;
  const cost: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const split: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let length = 2; length <= k; length++) {
    for (let i = 0; i + length - 1 < k; i++) {
      const j = i + length - 1;
      cost[i]![j] = Infinity;
      for (let s = i; s < j; s++) {
        const c = cost[i]![s]! + cost[s + 1]![j]! + dims[i]! * dims[s + 1]! * dims[j + 1]!;
        if (c < cost[i]![j]!) {
          cost[i]![j] = c;
          split[i]![j] = s;
        }
      }
    }
  }
  if (splitTables.size > 10_000) splitTables.clear();
  splitTables.set(key, split);
  return split;
}

function describe(term: Term): string {
  const what = term.kind === 'fn' ? term.fn : term.kind === 'var' ? `variable ${term.name}` : term.kind;
  return `${what} (${shapeText(term.shape)})`;
}

function firstNonFinite(a: Dense): string {
  const x = a.data.find((v) => !Number.isFinite(v));
  return String(x);
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(3);
}
