import { dependencyTest } from '../term/factory.js';
import { overlay, type BasePoint } from './base-point.js';
import * as dense from './dense.js';
import type { Dense } from './dense.js';
import { evaluatePlan, planEvaluation, type EvalPlan, type KnownValues } from './evaluate.js';
import type { DirectionalClaim } from './gradient-check-types.js';

/**
 * What a claim says f's derivative along a direction V is: ⟨G, V⟩ for a claimed gradient, or the
 * claim's own term evaluated at V for a directional claim. Separate from the measuring
 * (line-probe.ts): the two sides of each comparison are computed apart.
 */

/** What a claim says f's derivative along V is, with the floor below which a difference is not measured. */
export interface Claimed {
  symbolic: number;
  floor: number;
}

/** ⟨G, V⟩ for a claimed gradient G, measured against ‖G‖‖V‖ (Cauchy–Schwarz bounds it by that). */
export function gradientAlong(g: Dense): (v: Dense) => Claimed {
  return (v) => ({
    symbolic: dense.frobeniusInner(g, v),
    floor: Math.max(1e-8 * dense.normFrobenius(g) * dense.normFrobenius(v), 1e-12),
  });
}

/**
 * A directional claim evaluated along V: only its nodes that move with the direction are computed
 * again, the rest are read from the base point. The floor is relative to the largest of those nodes
 * (the size of the derivative before its parts cancel), as ‖G‖‖V‖ is for a gradient.
 */
export class DirectionProbe {
  private readonly plan: EvalPlan;

  constructor(
    private readonly claim: DirectionalClaim,
    private readonly base: BasePoint,
    private readonly dimSizes: ReadonlyMap<string, number>,
  ) {
    const moving = dependencyTest([claim.direction]);
    const known: KnownValues = {
      has: (t) => !moving(t) && base.memo.get(t) !== undefined,
      get: (t) => (moving(t) ? undefined : base.memo.get(t)),
    };
    this.plan = planEvaluation([claim.along], known);
  }

  readonly along = (v: Dense): Claimed => {
    const values = overlay(this.base.values, this.claim.direction, () => v);
    const { values: [value], all } = evaluatePlan(this.plan, { values, dimSizes: this.dimSizes }, { collectIssues: false });
    let parts = 0;
    this.plan.order.forEach((node, i) => {
      // The direction itself has the size of V, not of the derivative.
      if (node.kind === 'var' || (node.kind === 'transpose' && node.operand.kind === 'var')) return;
      const m = dense.maxAbs(all[i]!);
      if (Number.isFinite(m)) parts = Math.max(parts, m);
    });
    return { symbolic: value!.scalarValue(), floor: Math.max(1e-8 * parts, 1e-12) };
  };
}
