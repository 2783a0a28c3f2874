import type { Term } from '../term/term.js';
import type { Dense } from './dense.js';
import type { EvalPlan } from './evaluate.js';

/**
 * The point every line of the gradient check passes through: the inputs, every node's value there
 * (by the evaluation plan) and the side of each kink. Shared by the probes along lines
 * (line-probe.ts) and directions (claims.ts), which read it and never change it.
 */

/** `base` with one entry answered by `value()`: the evaluator reads inputs with get only. */
export function overlay(base: ReadonlyMap<string, Dense>, name: string, value: () => Dense): ReadonlyMap<string, Dense> {
  const view = Object.create(base) as Map<string, Dense>;
  view.get = (key: string) => (key === name ? value() : base.get(key));
  view.has = (key: string) => key === name || base.has(key);
  return view;
}

/** The values of every node of f and the gradients at the base point, by the evaluation plan. */
export class PlanValues {
  constructor(
    private readonly plan: EvalPlan,
    private readonly all: readonly Dense[],
  ) {}

  get(t: Term): Dense | undefined {
    const i = this.plan.slot.of(t);
    return i === 0 ? undefined : this.all[i - 1];
  }

  /** [node, value] in evaluation order (children first). */
  *entries(): IterableIterator<[Term, Dense]> {
    for (let i = 0; i < this.plan.order.length; i++) yield [this.plan.order[i]!, this.all[i]!];
  }
}

export interface BasePoint {
  values: Map<string, Dense>;
  memo: PlanValues;
  kinkSigns: Map<Term, Int8Array>;
}
