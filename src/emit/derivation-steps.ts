import type { ForwardResult } from '../differentiate/forward-sweep.js';
import type { DerivativeStep, VariableGradient } from '../report.js';
import type { SimplifyContext } from '../simplify/simplify.js';
import type { Term } from '../term/term.js';
import { forwardSteps, forwardTidying, gradientStep, repeatsLast, tidyingLabel, totalStep } from './forward-steps.js';

/**
 * The derivation of diff, jac and hess (--steps), gathered as the pipeline computes it: for hess the
 * gradients first, then each forward sweep's lines and its tidying, then for diff and jac the total
 * differential — left out when one sweep's tidying already ended on it. forward-steps.ts prints the
 * lines; this object only keeps their order.
 */
export class DerivationSteps {
  readonly steps: DerivativeStep[] = [];
  /** The last sweep's tidying lines: a total that repeats their end is not printed again. */
  #tidying: DerivativeStep[] = [];

  constructor(
    private readonly command: 'diff' | 'jac' | 'hess',
    private readonly f: Term,
    /** The answer's label for f (answer-labels.ts). */
    private readonly label: string,
    private readonly names: ReadonlyMap<Term, string>,
    private readonly differentials: ReadonlyMap<string, string>,
    private readonly tidy: (terms: readonly Term[]) => Term[],
    private readonly context: SimplifyContext,
  ) {}

  /** hess: the gradients differentiated, as the first lines. */
  gradients(gradients: readonly VariableGradient[]): void {
    this.steps.push(...gradients.map((g) => gradientStep(g, this.names, this.label)));
  }

  /** One sweep: its lines, node by node, then the tidying of its differential. */
  sweep(sweep: ForwardResult, target: { readonly of?: string; readonly wrt: string; readonly direction: Term }, single: boolean): void {
    this.steps.push(...forwardSteps(sweep, this.names, this.differentials, this.tidy));
    const label = tidyingLabel(this.command, this.f, target, single);
    this.#tidying = forwardTidying(sweep, this.tidy, label, this.context, this.names, this.differentials);
    this.steps.push(...this.#tidying);
  }

  /** diff, jac: the total differential, unless the one sweep's tidying ended on it. */
  total(differential: Term, single: boolean): void {
    const total = totalStep(this.f, differential, this.names, this.differentials, this.label);
    if (!(single && repeatsLast(this.#tidying, total))) this.steps.push(total);
  }
}
