import type { DerivationStep } from '../differentiate/derivation.js';
import type { Derivation, DerivativeBlock, DerivativeStep, GradientBlock, Report } from '../report.js';

/**
 * The two sorts of block in a report (report.ts): gradients of the scalar f, and blocks linear in
 * one direction. Emitters read the kind they print; the commands differ only in which blocks they have.
 */

export const isGradientBlock = (b: Report['blocks'][number]): b is GradientBlock => b.kind === 'gradient';

/** The blocks linear in a direction (diff, jac, hess), in order; none for grad. */
export function derivativeBlocks(report: Pick<Report, 'blocks'>): DerivativeBlock[] {
  return report.blocks.filter((b): b is DerivativeBlock => b.kind !== 'gradient');
}

/** A reverse sweep's derivation (grad): one chain df = ⟨…⟩ = …, its steps keeping their terms. */
export function isReverseDerivation(steps: Derivation): steps is readonly DerivationStep[] {
  return steps.length > 0 && 'terms' in steps[0]!;
}

/** A forward sweep's derivation (diff, jac, hess): each line with its LaTeX. */
export function isForwardDerivation(steps: Derivation): steps is readonly DerivativeStep[] {
  return steps.length > 0 && 'latex' in steps[0]!;
}
