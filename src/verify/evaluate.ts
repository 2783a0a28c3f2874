import { InternalError } from '../diagnostics/diagnostic.js';
import { childrenOf, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import * as dense from './dense.js';
import { Dense } from './dense.js';
import type { EvalContext, EvalIssue, EvalOptions, KnownValues } from './eval-types.js';
import { Evaluator } from './evaluator.js';
import { boundVariables, columnsValue, isColumns, withBound } from './columns-value.js';

/**
 * The numeric evaluator: a term's value at given inputs, with the semantics of term.ts, plus the
 * reasons a value is unfit for checking a derivative (outside a domain, near a kink, ill-conditioned,
 * not finite). It walks a post-order of the DAG with one memo, so a shared node is computed once and
 * a 100,000-deep term does not touch the call stack. This module holds those walks and the plan;
 * one node's arithmetic and checks are in evaluator.ts, the types in eval-types.ts.
 */

export type { EvalContext, EvalIssue, EvalOptions, KnownValues } from './eval-types.js';

/** Evaluates several terms with one shared memo (a DAG node is computed once). Iterative. Collects issues instead of throwing. */
export function evaluateTerms(
  terms: readonly Term[],
  ctx: EvalContext,
  options: EvalOptions = {},
): { values: Dense[]; issues: EvalIssue[] } {
  const known = options.known;
  const order = known === undefined ? postOrder(terms) : postOrder(terms, (t) => !known.has(t));
  const bound = boundVariables(order);
  const evaluator = new Evaluator(bound.length > 0 ? withBound(ctx, bound) : ctx, options);
  const compute = (node: Term): Dense =>
    bound.length > 0 && isColumns(node) ? columnsValue(node, ctx, (t, at) => evaluateTerms(t, at, options.collectIssues === false ? { collectIssues: false } : {}), evaluator.issues) : evaluator.compute(node, childrenOf(node).map(valueOf));

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
    memo.set(node, compute(node));
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
   * Each node's children by position, so that an evaluation reads them without looking a term up:
   * node i's children (childrenOf's order) are at childSlot[childStart[i] … childStart[i + 1] − 1],
   * each its slot (index in `order` + 1), or 0 for a known one.
   */
  readonly childStart: Int32Array;
  readonly childSlot: Int32Array;
  /**
   * The values of the known children, by the same index as childSlot, read from `known` at their
   * first use: a plan's known values are the same at every evaluation (the base point's, for the
   * check's lines), so each is looked up once, not at every point.
   */
  readonly knownChild: (Dense | undefined)[];
  /**
   * Sums with several known terms: the known part is added once (on first use) and only the moving
   * terms at each point — a sum over 2,000 variables' terms, moved one variable at a time, would
   * otherwise cost 2,000 additions per point and make the check quadratic in the variables.
   */
  readonly sums: Map<Term, { readonly moving: readonly Term[]; readonly fixed: readonly Term[]; total?: Dense }>;
  /** The variables columns(B, V) nodes bind (verify/columns-value.ts); usually none. */
  readonly bound: ReturnType<typeof boundVariables>;
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

export function planEvaluation(terms: readonly Term[], known?: KnownValues): EvalPlan {
  const order = known === undefined ? postOrder(terms) : postOrder(terms, (t) => !known.has(t));
  const slot = makeSlots(order);
  const lastUse = new Int32Array(order.length);
  const childStart = new Int32Array(order.length + 1);
  const slots: number[] = [];
  order.forEach((t, i) => {
    for (const c of childrenOf(t)) {
      const s = slot.of(c);
      if (s !== 0) lastUse[s - 1] = i;
      slots.push(s);
    }
    childStart[i + 1] = slots.length;
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
  const childSlot = Int32Array.from(slots);
  return { roots: terms, order, slot, known, lastUse, childStart, childSlot, knownChild: new Array(slots.length), sums, bound: boundVariables(order) };
}

/**
 * Evaluates a plan: the same values and issues as evaluateTerms(plan.roots, ctx, { known, … }), but
 * without walking the DAG again. Every intermediate value is kept until the end and returned in
 * `all`, unless `dropIntermediate` is set: then each is dropped after its last reader has run (the
 * values are the same; on a big f the garbage collector then finds the dead values dead while they
 * are young instead of copying them), and `all` holds only the roots. With `stopAtIssue`, the first
 * node that raises an issue ends the evaluation: its issues are returned, with no values. `memoOut`
 * is not supported.
 */
export function evaluatePlan(
  plan: EvalPlan,
  ctx: EvalContext,
  options: Omit<EvalOptions, 'known' | 'memoOut'> & { dropIntermediate?: boolean; stopAtIssue?: boolean } = {},
): { values: Dense[]; issues: EvalIssue[]; all: Dense[] } {
  const { order, slot, known, lastUse, childStart, childSlot, knownChild } = plan;
  const drop = options.dropIntermediate ?? false;
  const evaluator = new Evaluator(plan.bound.length > 0 ? withBound(ctx, plan.bound) : ctx, options);
  const values = new Array<Dense | undefined>(order.length);
  const valueOf = (t: Term): Dense => {
    const i = slot.of(t);
    const v = i === 0 ? known?.get(t) : values[i - 1];
    if (v === undefined) throw new InternalError(`evaluate: no value for child #${t.id} (${t.kind})`);
    return v;
  };
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    const from = childStart[i]!;
    const to = childStart[i + 1]!;
    const args = new Array<Dense>(to - from);
    for (let k = from; k < to; k++) {
      const s = childSlot[k]!;
      const v = s !== 0 ? values[s - 1] : (knownChild[k] ??= known?.get(childrenOf(node)[k - from]!));
      if (v === undefined) throw new InternalError(`evaluate: no value for child ${k - from} of #${node.id} (${node.kind})`);
      args[k - from] = v;
    }
    const sum = plan.sums.size > 0 ? plan.sums.get(node) : undefined;
    if (sum !== undefined) {
      sum.total ??= sum.fixed.map(valueOf).reduce((a, b) => dense.add(a, b));
      const total = sum.total;
      values[i] = evaluator.compute(node, args, () => {
        const acc = dense.add(total, valueOf(sum.moving[0]!));
        for (let k = 1; k < sum.moving.length; k++) dense.addInto(acc, valueOf(sum.moving[k]!));
        return acc;
      });
    } else if (plan.bound.length > 0 && isColumns(node)) {
      values[i] = columnsValue(node, ctx, (t, at) => evaluateTerms(t, at, options.collectIssues === false ? { collectIssues: false } : {}), evaluator.issues);
    } else values[i] = evaluator.compute(node, args);
    // A caller that only asks whether the point is clean, and which issue came first, stops here:
    // the search for a base point tries 8 draws, each a whole evaluation of f and its gradients,
    // and on a 1 MB f an issue raised in the first terms would otherwise cost seconds per draw.
    if (options.stopAtIssue && evaluator.issues.length > 0) return { values: [], issues: evaluator.issues, all: [] };
    if (drop) {
      // Known children (a sum's fixed terms among them) are not in the plan: nothing to drop.
      for (let k = from; k < to; k++) {
        const s = childSlot[k]!;
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
