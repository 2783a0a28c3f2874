import type { Term } from '../term/term.js';
import { overlay, type BasePoint } from './base-point.js';
import type { Claimed } from './claims.js';
import * as dense from './dense.js';
import { Dense } from './dense.js';
import { evaluatePlan, planEvaluation, type EvalPlan, type KnownValues } from './evaluate.js';
import type { Property } from './sample.js';

/**
 * The measuring half of the gradient check: f's directional derivative along lines X + tV through
 * the base point, by central differences with one Richardson step, and its comparison with what the
 * claim says (claims.ts). The step, tolerance and noise policy live here with the one class using them.
 */

/** A comparison within this relative error passes. */
const TOLERANCE = 1e-6;
/** Between TOLERANCE and this, the disagreement may be finite-difference noise: try other steps. */
const RETRY_BELOW = 1e-3;

/**
 * Relative step. Central differences with one Richardson step err by O(h⁴) (truncation) plus
 * O(ε/h) (rounding); h ≈ ε^(1/5) ≈ 1e-3 balances them near 1e-12 relative for smooth f.
 */
const RELATIVE_STEP = 1e-3;
/** The rounding error of R is about ε·max|f|/h; a difference this many times larger is a real one. */
const ROUNDING_FACTOR = 1e6;
/** A derivative this many times the rounding level ε·max|f|/h is resolved by the quotients. */
const RESOLUTION_FACTOR = 1e4;

export interface Comparison {
  variable: string;
  direction: string;
  symbolic: number;
  numeric: number;
  error: number;
  verdict: 'ok' | 'failed' | 'inconclusive';
  /**
   * Whether the derivative along this direction stands clearly above the rounding noise of the
   * difference quotients (or both sides are exactly 0). An agreement below that level says nothing.
   */
  resolved?: boolean;
  reason?: string;
}

interface Estimate {
  h: number;
  /** The central quotients D(h) and D(h/2). */
  d1: number;
  d2: number;
  /** The Richardson extrapolation (4·D(h/2) − D(h)) / 3. */
  numeric: number;
  error: number;
  /** The rounding level ε·max|f|/h of the quotients. */
  noise: number;
}

/**
 * Whether the quotients agree with each other much better than with the gradient: then R is a
 * converged derivative and a gap to ⟨G, V⟩ is the gradient's fault. The spread |D(h/2) − D(h)| bounds
 * R's own error generously (R removes the h² term that makes up most of the spread).
 */
function settled(estimate: Estimate, symbolic: number): boolean {
  const spread = Math.abs(estimate.d2 - estimate.d1);
  return Number.isFinite(spread) && Math.abs(symbolic - estimate.numeric) > 10 * spread;
}

/** Directional derivatives of f along lines X + tV through the base point, for one variable. */
export class LineProbe {
  constructor(
    f: Term,
    private readonly name: string,
    private readonly x: Dense,
    private readonly properties: ReadonlySet<Property>,
    private readonly base: BasePoint,
    private readonly dimSizes: ReadonlyMap<string, number>,
    /** The largest magnitude among f's intermediate values at the base point: the scale of its rounding. */
    private readonly scale: number,
    moving: (name: string) => { has(t: Term): boolean },
  ) {
    // The base values of the nodes that do not depend on the variable are constant along every
    // line: a view over the base point's table, not a copy of it (a copy per variable made the check
    // quadratic in the number of variables).
    const dependent = moving(name);
    const known: KnownValues = {
      has: (t) => !dependent.has(t) && base.memo.get(t) !== undefined,
      get: (t) => (dependent.has(t) ? undefined : base.memo.get(t)),
    };
    this.plan = planEvaluation([f], known);
  }

  /** f's nodes that depend on the variable, in evaluation order: walked once, evaluated at every point. */
  private readonly plan: EvalPlan;

  /** How many nodes of f are evaluated at each point. */
  get size(): number {
    return this.plan.order.length;
  }

  compare({ symbolic, floor }: Claimed, v: Dense, label: string): Comparison {
    const hMax = this.maxStep(v);
    const h = Math.min((RELATIVE_STEP * (1 + dense.maxAbs(this.x))) / Math.max(1, dense.maxAbs(v)), hMax);

    const first = this.richardson(v, h, symbolic, floor);
    const estimates: Estimate[] = [first];
    let best = first;
    if (best.error > TOLERANCE) {
      // Near the tolerance the difference may be step-size noise: try both sides. Far from it, the
      // difference is real only if the quotients have settled; if they have not, f varies on a scale
      // below h (a high frequency, a nearby singularity), so look closer.
      // Before any verdict against the gradient, look much closer too: a fast-varying f
      // (sin(exp(4c)), sin(X⁻¹)) can fool two quotients into agreeing with each other at a step that
      // is far too coarse for it.
      const retries = new Set<number>([h / 10, h / 100, h / 1000]);
      if (best.error <= RETRY_BELOW) retries.add(Math.min(h * 10, hMax));
      retries.delete(h);
      for (const other of retries) {
        const r = this.richardson(v, other, symbolic, floor);
        estimates.push(r);
        if (r.error < best.error) best = r;
      }
    }
    // A gradient that is exactly 0 along V is confirmed when f does not move beyond its rounding.
    const exact = symbolic === 0 && Math.abs(best.numeric) <= 100 * best.noise;
    const resolved = exact || Math.max(Math.abs(symbolic), Math.abs(best.numeric)) > RESOLUTION_FACTOR * best.noise;
    const result = { variable: this.name, direction: label, symbolic, numeric: best.numeric, error: best.error, resolved };
    if (best.error <= TOLERANCE) return { ...result, verdict: 'ok' };

    const what = `∂f/∂${this.name} along ${label}`;
    const numbers = `symbolic ${fmt(symbolic)}, numeric ${fmt(best.numeric)}, relative error ${fmt(best.error)}`;
    const trouble = this.lineTrouble(v, first.h) ?? (best.h !== first.h ? this.lineTrouble(v, best.h) : undefined);
    if (trouble !== undefined || !Number.isFinite(best.numeric)) {
      return {
        ...result,
        verdict: 'inconclusive',
        reason: `${what}: finite differences are unreliable (${trouble ?? 'non-finite difference quotient'}); ${numbers}`,
      };
    }
    // A verdict against the gradient needs differences that converge as the step shrinks: where
    // f oscillates faster than any step we can take (cos of a huge argument), the estimates at
    // h/10, h/100 and h/1000 scatter, and the honest answer is "inconclusive", not "failed".
    const fine = estimates.filter((e) => e.h < h && Number.isFinite(e.numeric));
    const scale = Math.max(...fine.map((e) => Math.abs(e.numeric)), 1e-300);
    const scatter = fine.length >= 2 ? (Math.max(...fine.map((e) => e.numeric)) - Math.min(...fine.map((e) => e.numeric))) / scale : 0;
    if (scatter > 1e-3) {
      return {
        ...result,
        verdict: 'inconclusive',
        reason: `${what}: finite differences do not converge as the step shrinks (from ${fmt(Math.min(...fine.map((e) => e.numeric)))} to ${fmt(Math.max(...fine.map((e) => e.numeric)))} for steps ${fmt(h / 10)} to ${fmt(h / 1000)}); ${numbers}`,
      };
    }
    if (!settled(best, symbolic)) {
      return {
        ...result,
        verdict: 'inconclusive',
        reason:
          `${what}: finite differences do not settle (D(h) = ${fmt(best.d1)}, D(h/2) = ${fmt(best.d2)} at h = ${fmt(best.h)}, ` +
          `down to h = ${fmt(h / 100)}); ${numbers}`,
      };
    }
    return {
      ...result,
      verdict: 'failed',
      reason: `${what}: the gradient gives ${fmt(symbolic)} but finite differences give ${fmt(best.numeric)} (relative error ${fmt(best.error)})`,
    };
  }

  /** R = (4·D(h/2) − D(h)) / 3 with D(h) = (f(X + hV) − f(X − hV)) / 2h, and its relative error against ⟨G, V⟩. */
  private richardson(v: Dense, h: number, symbolic: number, floor: number): Estimate {
    const fp = this.fAt(v, h);
    const fm = this.fAt(v, -h);
    const fp2 = this.fAt(v, h / 2);
    const fm2 = this.fAt(v, -h / 2);
    const d1 = (fp - fm) / (2 * h);
    const d2 = (fp2 - fm2) / h;
    const numeric = (4 * d2 - d1) / 3;
    const noise = (Number.EPSILON * Math.max(Math.abs(fp), Math.abs(fm), Math.abs(fp2), Math.abs(fm2), this.scale)) / h;
    if (!Number.isFinite(numeric)) return { h, d1, d2, numeric, error: Infinity, noise };
    // The rounding in f shows up in R as about ε·max|f|/h: a difference at that level is not a disagreement.
    // The rounding in f is relative to the largest value computed on the way to it, not to f itself:
    // sum(R − Rᵀ) is 0 but its differences carry noise of the size of R's entries.
    const magnitude = Math.max(Math.abs(fp), Math.abs(fm), Math.abs(fp2), Math.abs(fm2), this.scale);
    const rounding = (ROUNDING_FACTOR * Number.EPSILON * magnitude) / h;
    const error = Math.abs(symbolic - numeric) / Math.max(Math.abs(symbolic), Math.abs(numeric), floor, rounding);
    return { h, d1, d2, numeric, error, noise };
  }

  /**
   * The inputs at X + tV: the base point's values with this variable moved. One map, reused: each
   * evaluation is finished before the next point is made, and copying the base point's map at every
   * point cost as much as a small evaluation with 59,000 variables.
   */
  private point(v: Dense, t: number): ReadonlyMap<string, Dense> {
    this.moved = dense.addScaled(this.x, t, v);
    // A view that answers this variable with the moved value: copying the base point's map per
    // variable made the check quadratic in the number of variables.
    this.view ??= overlay(this.base.values, this.name, () => this.moved!);
    return this.view;
  }

  private moved: Dense | undefined;
  private view: ReadonlyMap<string, Dense> | undefined;

  private fAt(v: Dense, t: number): number {
    const { values } = evaluatePlan(this.plan, { values: this.point(v, t), dimSizes: this.dimSizes }, { collectIssues: false, dropIntermediate: true });
    return values[0]!.scalarValue();
  }

  /** Why f misbehaves on the points X ± hV, X ± hV/2, if it does: the first issue found there. */
  private lineTrouble(v: Dense, h: number): string | undefined {
    for (const t of [h, -h, h / 2, -h / 2]) {
      const { values, issues } = evaluatePlan(this.plan, { values: this.point(v, t), dimSizes: this.dimSizes }, {
        kinkMargin: 0,
        kinkSigns: this.base.kinkSigns,
        dropIntermediate: true,
      });
      const at = `at X ${t < 0 ? '−' : '+'} ${fmt(Math.abs(t))}·V`;
      if (issues.length > 0) return `${issues[0]!.message} ${at}`;
      if (!Number.isFinite(values[0]!.scalarValue())) return `f is not finite ${at}`;
    }
    return undefined;
  }

  /**
   * The largest step that keeps the variable inside its assumptions: a positive (or diagonal, drawn
   * positive-definite, or on a simplex) matrix stays positive, and an SPD one, drawn with eigenvalues ≥ 1, moves
   * by at most 0.25 in norm.
   */
  private maxStep(v: Dense): number {
    let hMax = Infinity;
    const simplex = this.properties.has('probability') || this.properties.has('row-stochastic') || this.properties.has('column-stochastic');
    if (this.properties.has('positive') || simplex || (this.properties.has('diagonal') && this.properties.has('spd'))) {
      for (let i = 0; i < v.data.length; i++) {
        const dv = Math.abs(v.data[i]!);
        if (dv > 0) hMax = Math.min(hMax, (0.5 * this.x.data[i]!) / dv);
      }
    }
    if (this.properties.has('spd')) hMax = Math.min(hMax, 0.25 / dense.normFrobenius(v));
    return hMax;
  }
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(8))) : x.toExponential(4);
}
