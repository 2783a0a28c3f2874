import { integerPowerOp } from './integer-powers.js';
import { kroneckerOp } from './kronecker.js';
import type { LocalRuleIndex } from '../rewrite/local-rules.js';
import * as T from '../term/factory.js';
import { childrenOf, opDeclaration, type ElementwiseFn, type OpName, type ReductionKind, type Shape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { SIMPLIFY_BUDGET, unionOfLimits, type SearchLimit } from './budget.js';
import { ByTerm, NumberByTerm } from './by-term.js';
import { elementwise, epow, fn, hdiv, hmul, tryDistribute } from './elementwise.js';
import { factorOnce } from './factoring.js';
import { treeSize, transposeCount } from './measures.js';
import { height, leadName } from './order.js';
import { compressChain, fromPower } from './chains.js';
import { inv, mpow, mul, parts, scale } from './products.js';
import { rewriteLocal, standardLocalRules } from './local.js';
import { isPositive, isSymmetric, transposeShallow } from './properties.js';
import { diag, diagm, inner, reduce, trace } from './reductions.js';
import { add, addPlain, distributable, distributeAll } from './sums.js';
import type { Entry, LocalHeadKind, Parts, PendingStep, Simplifier, SimplifyContext } from './simplifier-types.js';
import { pullOutTranspose, transpose, transposedCount } from './transposes.js';

/**
 * The simplifier's core object: the memos and search state of one set of assumptions, and the
 * table of its operations. Each operation lives in the module of its concern (products, sums,
 * factoring, element-wise, transposes, properties, reductions) as a function of the `Simplifier`
 * interface (simplifier-types.ts, types only); the methods below only route to them, so that every
 * module calls the others through one place and none imports this file back.
 *
 * The normal form is computed bottom-up, once per hash-consed node (`run`): each node is rebuilt from
 * its already simplified children by the `canon…` function of its kind, which looks only a bounded
 * distance below it (budget.ts).
 */
export class SimplifierCore implements Simplifier {
  /** Each input node's normal form (and each normal form's own, itself). */
  readonly memo = new ByTerm<Term>();
  /** present()'s results, by node. */
  readonly presented = new ByTerm<Term>();
  /** Canonical forms of the user's definitions that are sums: not flattened into enclosing sums. */
  kept = new Set<Term>();
  /** parts() by term: a big sum's factoring rounds split every term again. Shared arrays: read only. */
  readonly partsMemo = new ByTerm<Parts>();
  /** Bottom-up properties (properties.ts). */
  readonly symmetricMemo = new ByTerm<boolean>();
  readonly positiveMemo = new ByTerm<boolean>();
  /** Transposes outside any search, by term; inside a search, per search state (transposes.ts). */
  readonly transposed = new ByTerm<Term>();
  transposedInSearch = new Map<number, Map<Term, Term>>();
  readonly transposedCounts = new NumberByTerm();
  /** tryDistribute's results, per search state. */
  distributed = new Map<number, Map<Term, Term>>();
  /**
   * The searches under way, which results built inside them depend on (their limits apply): a sum
   * tried fully distributed, the depth of tryDistribute, a transpose being pulled out of an
   * element-wise node, the deep-transpose warm-up, a sum tried over one denominator.
   */
  readonly search = { expandingSum: false, distributing: 0, pulling: false, warmingTransposes: false, commonDenominator: false };
  /** The search limits hit while simplifying each input node or below it (only nodes with some). */
  limitsHit = new Map<Term, ReadonlySet<SearchLimit>>();
  /** The limits hit by the node being simplified now (outside run(), as in present(), not kept). */
  #hitNow: Set<SearchLimit> | undefined;
  /** The identities applied from rules/simplify.rules (local.ts). */
  readonly localRules: LocalRuleIndex = standardLocalRules();
  /**
   * The steps being recorded (simplifyWithSteps), in order; undefined when not recording, which is
   * the default and costs one check per rewrite. A step without terms yet is completed by run() with
   * the node it was applied in.
   */
  readonly #steps: PendingStep[] | undefined;

  constructor(
    readonly context: SimplifyContext,
    options: { readonly recordSteps?: boolean } = {},
  ) {
    this.#steps = options.recordSteps ? [] : undefined;
  }

  /**
   * Forgets every term (after resetTerms): the memos are emptied, the rules and the context stay.
   * The same object then simplifies as a new one would. The id-indexed memos are emptied in place
   * (their slots are overwritten); the Maps and the Set are replaced, not cleared: Map.clear() on a
   * table in V8's old generation leaves the entries in the old table, garbage that only a full
   * collection finds, and every term in it survived the scavenges until then (term/tables.ts, resetTerms).
   */
  forgetTerms(): void {
    for (const memo of [this.memo, this.presented, this.transposed, this.transposedCounts]) memo.clear();
    for (const memo of [this.partsMemo, this.symmetricMemo, this.positiveMemo]) if (memo.size > 0) memo.clear();
    if (this.kept.size > 0) this.kept = new Set();
    if (this.transposedInSearch.size > 0) this.transposedInSearch = new Map();
    if (this.distributed.size > 0) this.distributed = new Map();
    if (this.limitsHit.size > 0) this.limitsHit = new Map();
    Object.assign(this.search, { expandingSum: false, distributing: 0, pulling: false, warmingTransposes: false });
    this.#hitNow = undefined;
  }

  run(root: Term): Term {
    const order = postOrder([root], (t) => !this.memo.has(t));
    for (const node of order) {
      // The leading name children first, so that ordering never recurses deeply (a deep chain that
      // is its own normal form is compared by it). The other measures are asked of normal forms
      // only, and are kept warm below as each is made: warming every input node cost a memo entry
      // per node and measure that nothing read.
      leadName(node);
      const kids = this.#simplifiedChildren(node);
      this.#hitNow = undefined;
      const mark = this.stepMark();
      const result = this.canon(node, kids);
      if (this.#steps !== undefined) this.#completeSteps(mark, node, kids, result);
      if (this.#hitNow !== undefined || this.limitsHit.size > 0) this.#noteLimits(node, result);
      this.#hitNow = undefined;
      // Keep the memoised measures warm bottom-up, so that they never recurse deeply later. The
      // transposed count (which asks whether the term is symmetric) only for a deep result: for a
      // shallow one a later question recurses no deeper than its height, and most never come.
      treeSize(result);
      transposeCount(result);
      if (height(result) > SIMPLIFY_BUDGET.deepTerm / 8) this.transposedCount(result);
      if (this.context.definitions?.has(node) && result.kind === 'add') this.kept.add(result);
      this.memo.set(node, result);
      if (!this.memo.has(result)) this.memo.set(result, result);
    }
    return this.memo.get(root)!;
  }

  /**
   * The node's children in normal form. Most are their own normal form (leaves, and every node
   * the sweep built from normal forms): then the node's own children array, not a copy per node.
   */
  #simplifiedChildren(node: Term): readonly Term[] {
    const children = childrenOf(node);
    for (let i = 0; i < children.length; i++) {
      if (this.memo.get(children[i]!) === children[i]) continue;
      const kids = children.slice(0, i);
      for (let j = i; j < children.length; j++) kids.push(this.memo.get(children[j]!)!);
      return kids;
    }
    return children;
  }

  /** Whether steps are being recorded (for the little work a step needs beyond its id). */
  get tracing(): boolean {
    return this.#steps !== undefined;
  }

  /**
   * Records that an identity of rules/simplify.rules was applied, when recording steps; returns
   * `after`. `before` is a function so that nothing is built when not recording. Without terms,
   * the step is the node being simplified: as it stood (its operands simplified) and its normal form.
   */
  applied<R extends Term | undefined>(rule: string, before?: () => Term, after?: R): R {
    if (this.#steps !== undefined) this.#steps.push({ rule, before: before?.(), after });
    return after as R;
  }

  /** Where the steps stand now, to drop those of a search branch that is not kept. */
  stepMark(): number {
    return this.#steps?.length ?? 0;
  }

  dropStepsAfter(mark: number): void {
    if (this.#steps !== undefined) this.#steps.length = mark;
  }

  stepsSince(mark: number): readonly PendingStep[] {
    return this.#steps?.slice(mark) ?? [];
  }

  restoreSteps(saved: readonly PendingStep[]): void {
    if (this.#steps !== undefined) this.#steps.push(...saved);
  }

  /** The steps recorded so far, each with its terms. */
  steps(): { rule: string; before: Term; after: Term }[] {
    return (this.#steps ?? []).map((step) => ({ rule: step.rule, before: step.before!, after: step.after! }));
  }

  #completeSteps(mark: number, node: Term, kids: readonly Term[], result: Term): void {
    const steps = this.#steps!;
    if (steps.length === mark) return;
    const before = T.withChildren(node, kids);
    for (let i = mark; i < steps.length; i++) {
      const step = steps[i]!;
      step.before ??= before;
      step.after ??= result;
    }
  }

  /** The node `kind(operands)` rewritten by a local rule of rules/simplify.rules, if one applies (local.ts). */
  rewriteLocal(kind: LocalHeadKind, a: Term, b?: Term, fn?: string): Term | undefined {
    return rewriteLocal(this, kind, a, b, fn);
  }

  /** A search limit stopped a search: recorded against the node being simplified. */
  limitHit(limit: SearchLimit): void {
    (this.#hitNow ??= new Set()).add(limit);
  }

  /**
   * The node's limits are its own and its children's, so a root's set covers the DAG below it even
   * when parts of it were simplified by an earlier call. A limit hit inside a memoised search result
   * (a transpose, a tryDistribute candidate) is recorded only against the node that first built it.
   */
  #noteLimits(node: Term, result: Term): void {
    let limits: ReadonlySet<SearchLimit> | undefined = this.#hitNow;
    for (const c of childrenOf(node)) limits = unionOfLimits(limits, this.limitsHit.get(c));
    if (limits === undefined) return;
    this.limitsHit.set(node, limits);
    if (!this.memo.has(result)) this.limitsHit.set(result, limits);
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
      case 'op':
        return this.op(t.op, kids);
    }
  }

  /**
   * The search state that results may depend on, as a number: 0 outside any search, else one
   * number per combination of the searches under way (pulling a transpose out, a sum tried fully
   * distributed, a sum tried over one denominator, the depth of tryDistribute, which its budget
   * bounds). The warm-up of deep
   * transposes is not part of it: it changes when transposes are built, not what they are.
   */
  searchState(): number {
    const s = this.search;
    return (s.distributing << 3) | (s.commonDenominator ? 4 : 0) | (s.expandingSum ? 2 : 0) | (s.pulling ? 1 : 0);
  }

  /**
   * A memo for results built in one search state: a result must not depend on which caller came
   * first (the memo lives as long as the process), so each state has its own.
   */
  memoInState(byState: Map<number, Map<Term, Term>>, state: number): Map<Term, Term> {
    let memo = byState.get(state);
    if (memo === undefined) {
      memo = new Map();
      byState.set(state, memo);
    }
    return memo;
  }

  // ── products.ts, chains.ts ───────────────────────────────────────────────
  parts(t: Term): Parts {
    return parts(this, t);
  }
  mul(factors: readonly Term[]): Term {
    return mul(this, factors);
  }
  compressChain(chain: readonly Term[], shape: Shape): Term[] {
    return compressChain(this, chain, shape);
  }
  fromPower(base: Term, k: number): Term {
    return fromPower(this, base, k);
  }
  scale(c: number, t: Term): Term {
    return scale(this, c, t);
  }
  inv(x: Term): Term {
    return inv(this, x);
  }
  mpow(x: Term, k: number): Term {
    return mpow(this, x, k);
  }

  // ── sums.ts, factoring.ts ────────────────────────────────────────────────
  add(terms: readonly Term[], shape: Shape): Term {
    return add(this, terms, shape);
  }
  addPlain(terms: readonly Term[], shape: Shape): Term {
    return addPlain(this, terms, shape);
  }
  distributable(t: Term): boolean {
    return distributable(this, t);
  }
  distributeAll(t: Term, out: Term[], limit: number): boolean {
    return distributeAll(this, t, out, limit);
  }
  factorOnce(entries: readonly Entry[], shape: Shape, sumsOnly = false): Entry[] | undefined {
    return factorOnce(this, entries, shape, sumsOnly);
  }

  // ── elementwise.ts ───────────────────────────────────────────────────────
  hmul(factors: readonly Term[], shape: Shape): Term {
    return hmul(this, factors, shape);
  }
  hdiv(a: Term, b: Term): Term {
    return hdiv(this, a, b);
  }
  elementwise(numerators: readonly Term[], denominators: readonly Term[], shape: Shape): Term {
    return elementwise(this, numerators, denominators, shape);
  }
  tryDistribute(core: Term, top: readonly Term[], bottom: readonly Term[], shape: Shape): Term {
    return tryDistribute(this, core, top, bottom, shape);
  }
  epow(base: Term, exponent: Term): Term {
    return epow(this, base, exponent);
  }
  fn(name: ElementwiseFn, x: Term): Term {
    return fn(this, name, x);
  }

  // ── transposes.ts ────────────────────────────────────────────────────────
  transpose(x: Term): Term {
    return transpose(this, x);
  }
  transposedCount(t: Term): number {
    return transposedCount(this, t);
  }
  pullOutTranspose(core: Term): Term {
    return pullOutTranspose(this, core);
  }

  // ── properties.ts ────────────────────────────────────────────────────────
  isPositive(t: Term): boolean {
    return isPositive(this, t);
  }
  isSymmetric(t: Term): boolean {
    return isSymmetric(this, t);
  }
  transposeShallow(t: Term): Term {
    return transposeShallow(this, t);
  }

  // ── reductions.ts ────────────────────────────────────────────────────────
  reduce(kind: ReductionKind, x: Term): Term {
    return reduce(this, kind, x);
  }
  trace(x: Term): Term {
    return trace(this, x);
  }
  inner(a: Term, b: Term): Term {
    return inner(this, a, b);
  }
  diag(x: Term): Term {
    return diag(this, x);
  }
  diagm(x: Term): Term {
    return diagm(this, x);
  }

  /**
   * An op of term/ops.ts with simplified arguments: its local rules (rules/simplify.rules, written
   * with the op's name) first, as for every other head; the simplifier has no code of its own per op.
   * Local rules match one or two operands, so an op of more arguments is only rebuilt.
   */
  op(name: OpName, args: readonly Term[]): Term {
    // simp.dimension: an op that is a dimension as a number (nrows) is that number when it is one.
    const value = opDeclaration(name).shapeValue?.(args.map((a) => a.shape));
    if (typeof value === 'number') return this.applied('simp.dimension', () => T.op(name, args), T.num(value));
    const rewritten = kroneckerOp(this, name, args) ?? integerPowerOp(this, name, args);
    if (rewritten !== undefined) return rewritten;
    if (args.length <= 2) {
      const local = this.rewriteLocal('op', args[0]!, args[1], name);
      if (local !== undefined) return local;
    }
    return T.op(name, args);
  }
}
