import { InternalError } from '../diagnostics/diagnostic.js';
import { dependencyTest } from '../term/factory.js';
import { childrenOf, isScalarShape, type Shape, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import * as dense from './dense.js';
import { Dense } from './dense.js';
import { evaluatePlan, planEvaluation, type EvalIssue, type EvalPlan, type KnownValues } from './evaluate.js';
import { createRng, deriveSeed, type Rng } from './random.js';
import { drawInputs, type Property } from './sample.js';

/**
 * The gradient check: a claimed gradient G of a scalar f is right when ⟨G, V⟩ matches the
 * directional derivative of f along V, measured by central differences with one Richardson step, for
 * random directions V (and every unit direction when the variable is small). Inputs are drawn until
 * f and G are well defined at the base point; a disagreement that coincides with a badly behaved
 * line (a kink crossed, a domain left, a non-finite value) is inconclusive, never a pass.
 */

export interface CheckRequest {
  f: Term; // a scalar ([1,1]) function
  gradients: ReadonlyMap<string, Term>; // variable name → claimed gradient (same shape as the variable)
  /** Variable name → a claimed directional derivative, for a claim that is not a gradient (a differential). */
  directional?: ReadonlyMap<string, DirectionalClaim>;
  variables: ReadonlyMap<string, Shape>; // every input variable of f and of the gradients
  assumptions?: ReadonlyMap<string, ReadonlySet<Property>>;
  dimSizes: ReadonlyMap<string, number>;
  seed: number;
  directions?: number; // random directions per variable (default 4)
}

/**
 * A claim about f's derivative along any direction V of one variable, without its gradient: `along` is
 * a scalar term linear in the variable `direction` (of the variable's shape, not among `variables`),
 * and its value with the direction set to V is the claimed derivative of f along V.
 */
export interface DirectionalClaim {
  along: Term;
  direction: string;
}

export interface CheckReport {
  status: 'passed' | 'failed' | 'inconclusive';
  relativeError: number; // the worst over all comparisons (NaN if none could be made)
  seed: number;
  sizes: Record<string, number>; // dimSizes used, as a plain object (keys sorted)
  comparisons: number;
  /** True when every checked variable was also compared along each of its unit directions (≤ 36 entries). */
  entrywise: boolean;
  attempts: number; // input draws tried
  reason?: string; // why failed / inconclusive (human readable, with the numbers)
  worst?: { variable: string; direction: string; symbolic: number; numeric: number };
}

/** A comparison within this relative error passes. */
const TOLERANCE = 1e-6;
/** Between TOLERANCE and this, the disagreement may be finite-difference noise: try other steps. */
const RETRY_BELOW = 1e-3;
const MAX_ATTEMPTS = 8;
const ENTRYWISE_MAX_ENTRIES = 36;
/**
 * Above this many nodes of f that move with the variable, each variable is compared along
 * LARGE_GRAPH_DIRECTIONS random directions only (not 4 plus every unit direction): each direction
 * costs 4 evaluations of f, and a 1 MB expression would spend most of a minute in the check.
 */
const LARGE_GRAPH_NODES = 20_000;
const LARGE_GRAPH_DIRECTIONS = 2;
/** Base points closer than this (relative) to a kink are redrawn: a step must not cross one. */
const KINK_MARGIN = 1e-3;
/**
 * Base points whose inv/det/logdet arguments have ‖A‖_F‖A⁻¹‖_F above this are redrawn. Far stricter
 * than the evaluator's default: a step of relative size 1e-3 moves an ill-conditioned matrix a long
 * way relative to its smallest singular value, and the O(h⁴) error grows with the fourth power of that.
 */
const CONDITION_LIMIT = 1e4;
/**
 * Relative step. Central differences with one Richardson step err by O(h⁴) (truncation) plus
 * O(ε/h) (rounding); h ≈ ε^(1/5) ≈ 1e-3 balances them near 1e-12 relative for smooth f.
 */
const RELATIVE_STEP = 1e-3;
/** The rounding error of R is about ε·max|f|/h; a difference this many times larger is a real one. */
const ROUNDING_FACTOR = 1e6;
/** A derivative this many times the rounding level ε·max|f|/h is resolved by the quotients. */
const RESOLUTION_FACTOR = 1e4;

interface Comparison {
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

export function checkGradient(request: CheckRequest): CheckReport {
  const { f, gradients, variables, dimSizes, seed } = request;
  if (!isScalarShape(f.shape)) throw new InternalError('checkGradient: f must be a scalar');
  const assumptions = request.assumptions ?? new Map<string, ReadonlySet<Property>>();
  const directionCount = request.directions ?? 4;
  const sizes: Record<string, number> = {};
  for (const key of [...dimSizes.keys()].sort()) sizes[key] = dimSizes.get(key)!;
  const directional = request.directional ?? new Map<string, DirectionalClaim>();
  const names = [...new Set([...gradients.keys(), ...directional.keys()])].sort();
  for (const name of names) {
    if (gradients.has(name) && directional.has(name)) throw new InternalError(`checkGradient: two claims for ${name}`);
    if (!variables.has(name)) throw new InternalError(`checkGradient: gradient for unknown variable ${name}`);
  }
  // Keys in the interface's order, so that a report printed as JSON reads the same way every time.
  const report = (rest: Omit<CheckReport, 'seed' | 'sizes'>): CheckReport => {
    const { status, relativeError, comparisons, entrywise, attempts, reason, worst } = rest;
    return {
      status,
      relativeError,
      seed,
      sizes,
      comparisons,
      entrywise,
      attempts,
      ...(reason !== undefined ? { reason } : {}),
      ...(worst !== undefined ? { worst } : {}),
    };
  };

  if (names.length === 0) {
    return report({
      status: 'inconclusive',
      relativeError: NaN,
      comparisons: 0,
      entrywise: false,
      attempts: 0,
      reason: 'no gradient to check',
    });
  }

  // 1. A base point where f and every gradient are well defined, widening the domain strategy by strategy.
  const roots = [f, ...names.map((n) => gradients.get(n) ?? directional.get(n)!.along)];
  const attemptIssues: EvalIssue[][] = [];
  let base: BasePoint | undefined;
  const plan = planEvaluation(roots);
  for (let attempt = 0; attempt < MAX_ATTEMPTS && base === undefined; attempt++) {
    const values = drawInputs(variables, assumptions, dimSizes, createRng(deriveSeed(seed, attempt)), attempt);
    // A directional claim is linear in its direction: at V = 0 it is defined wherever it is at all.
    for (const [name, claim] of directional) values.set(claim.direction, zeroLike(values.get(name)!));
    const kinkSigns = new Map<Term, Int8Array>();
    const { issues, all } = evaluatePlan(plan, { values, dimSizes }, {
      kinkMargin: KINK_MARGIN,
      conditionLimit: CONDITION_LIMIT,
      kinkSigns,
    });
    if (issues.length === 0) base = { values, memo: new PlanValues(plan, all), kinkSigns };
    else attemptIssues.push(issues);
  }
  const attempts = attemptIssues.length + (base === undefined ? 0 : 1);
  if (base === undefined) {
    return report({
      status: 'inconclusive',
      relativeError: NaN,
      comparisons: 0,
      entrywise: false,
      attempts,
      reason: summarizeDrawIssues(attemptIssues),
    });
  }

  // 2. Compare each gradient with finite differences of f.
  const scale = roundingScale(f, base.memo);
  // Few variables: a dependency walk per variable is cheapest. Many: walk up from each variable
  // (a walk of all of f per variable made the check quadratic in the number of variables).
  const moving = names.length <= FEW_VARIABLES ? dependentNodes : new Ancestors(f).of;
  const directionRng = createRng(deriveSeed(seed, 1000 + attempts));
  const comparisons: Comparison[] = [];
  let entrywise = true;
  for (const name of names) {
    const x = base.values.get(name)!;
    const claim = directional.get(name);
    const g = claim === undefined ? base.memo.get(gradients.get(name)!)! : undefined;
    if (g !== undefined && (g.rows !== x.rows || g.cols !== x.cols)) {
      comparisons.push({
        variable: name,
        direction: 'shape',
        symbolic: NaN,
        numeric: NaN,
        error: Infinity,
        verdict: 'failed',
        reason: `the gradient for ${name} is ${g.rows}×${g.cols} but ${name} is ${x.rows}×${x.cols}`,
      });
      continue;
    }
    const properties = assumptions.get(name) ?? new Set<Property>();
    const line = new LineProbe(f, name, x, properties, base, dimSizes, scale, moving);
    // A huge f (a 1 MB expression) costs seconds per direction: two random directions, no unit ones.
    const large = line.size > LARGE_GRAPH_NODES;
    const directions = randomDirections(x, properties, large ? Math.min(directionCount, LARGE_GRAPH_DIRECTIONS) : directionCount, directionRng);
    if (x.rows * x.cols <= ENTRYWISE_MAX_ENTRIES && !large) directions.push(...unitDirections(x, properties));
    else entrywise = false;
    const claimed = g !== undefined ? gradientAlong(g) : new DirectionProbe(claim!, base, dimSizes).along;
    const mine = directions.map(({ label, v }) => line.compare(claimed(v), v, label));
    comparisons.push(...mine);
    if (mine.every((c) => c.verdict === 'ok' && !c.resolved)) {
      // Every derivative is lost in rounding noise (e.g. a gradient that vanishes through 50 sigmoid
      // layers): agreement proves nothing, so the check must not pass.
      const biggest = Math.max(...mine.map((c) => Math.max(Math.abs(c.symbolic), Math.abs(c.numeric))));
      comparisons.push({
        variable: name,
        direction: 'all directions',
        symbolic: NaN,
        numeric: NaN,
        error: NaN,
        verdict: 'inconclusive',
        reason: `the derivatives along every direction of ${name} (at most ${fmt(biggest)}) are below what finite differences can resolve at this point`,
      });
    }
  }

  // 3. Verdict: one clear disagreement fails the gradient; otherwise any doubtful comparison makes it inconclusive.
  const worst = pickWorst(comparisons);
  const failed = pickWorst(comparisons.filter((c) => c.verdict === 'failed'));
  const doubtful = comparisons.find((c) => c.verdict === 'inconclusive');
  const status = failed !== undefined ? 'failed' : doubtful !== undefined ? 'inconclusive' : 'passed';
  const shown = failed ?? doubtful ?? worst;
  return report({
    status: comparisons.length === 0 ? 'inconclusive' : status,
    relativeError: worst?.error ?? NaN,
    comparisons: comparisons.length,
    entrywise,
    attempts,
    ...(shown?.reason !== undefined && status !== 'passed' ? { reason: shown.reason } : {}),
    ...(shown !== undefined
      ? { worst: { variable: shown.variable, direction: shown.direction, symbolic: shown.symbolic, numeric: shown.numeric } }
      : {}),
  });
}

/**
 * The nodes of f that move with each variable: found by walking up from the variable's node along
 * parent edges, so each variable costs its own ancestors, not a walk of all of f.
 */
class Ancestors {
  private readonly parents = new Map<Term, Term[]>();
  private readonly leaves = new Map<string, Term[]>();

  constructor(f: Term) {
    for (const node of postOrder([f])) {
      if (node.kind === 'var') this.leaves.set(node.name, [...(this.leaves.get(node.name) ?? []), node]);
      for (const c of childrenOf(node)) {
        const list = this.parents.get(c);
        if (list === undefined) this.parents.set(c, [node]);
        else if (list[list.length - 1] !== node) list.push(node);
      }
    }
  }

  readonly of = (name: string): ReadonlySet<Term> => {
    const found = new Set<Term>(this.leaves.get(name) ?? []);
    const stack = [...found];
    while (stack.length > 0) {
      for (const p of this.parents.get(stack.pop()!) ?? []) {
        if (found.has(p)) continue;
        found.add(p);
        stack.push(p);
      }
    }
    return found;
  };
}

/** What a claim says f's derivative along V is, with the floor below which a difference is not measured. */
interface Claimed {
  symbolic: number;
  floor: number;
}

/** ⟨G, V⟩ for a claimed gradient G, measured against ‖G‖‖V‖ (Cauchy–Schwarz bounds it by that). */
function gradientAlong(g: Dense): (v: Dense) => Claimed {
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
class DirectionProbe {
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

function zeroLike(x: Dense): Dense {
  return new Dense(x.rows, x.cols);
}

/** The variables up to which each line finds its moving nodes by a dependency walk. */
const FEW_VARIABLES = 8;

/** The nodes that move with one variable, by the factory's memoised dependency walk. */
function dependentNodes(name: string): { has(t: Term): boolean } {
  const test = dependencyTest([name]);
  return { has: test };
}

/** `base` with one entry answered by `value()`: the evaluator reads inputs with get only. */
function overlay(base: ReadonlyMap<string, Dense>, name: string, value: () => Dense): ReadonlyMap<string, Dense> {
  const view = Object.create(base) as Map<string, Dense>;
  view.get = (key: string) => (key === name ? value() : base.get(key));
  view.has = (key: string) => key === name || base.has(key);
  return view;
}

/** The largest magnitude among f's intermediate values at the base point: the scale of its rounding. */
function roundingScale(f: Term, memo: PlanValues): number {
  let scale = 0;
  for (const node of postOrder([f])) {
    const value = memo.get(node);
    if (value && dense.allFinite(value)) scale = Math.max(scale, dense.maxAbs(value));
  }
  return scale;
}

/** The values of every node of f and the gradients at the base point, by the evaluation plan. */
class PlanValues {
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

interface BasePoint {
  values: Map<string, Dense>;
  memo: PlanValues;
  kinkSigns: Map<Term, Int8Array>;
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

function pickWorst(list: readonly Comparison[]): Comparison | undefined {
  let worst: Comparison | undefined;
  for (const c of list) if (worst === undefined || !(c.error <= worst.error)) worst = c;
  return worst;
}

/** Directional derivatives of f along lines X + tV through the base point, for one variable. */
class LineProbe {
  constructor(
    private readonly f: Term,
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
   * positive-definite) matrix stays positive, and an SPD one, drawn with eigenvalues ≥ 1, moves
   * by at most 0.25 in norm.
   */
  private maxStep(v: Dense): number {
    let hMax = Infinity;
    if (this.properties.has('positive') || (this.properties.has('diagonal') && this.properties.has('spd'))) {
      for (let i = 0; i < v.data.length; i++) {
        const dv = Math.abs(v.data[i]!);
        if (dv > 0) hMax = Math.min(hMax, (0.5 * this.x.data[i]!) / dv);
      }
    }
    if (this.properties.has('spd')) hMax = Math.min(hMax, 0.25 / dense.normFrobenius(v));
    return hMax;
  }
}

function randomDirections(x: Dense, properties: ReadonlySet<Property>, count: number, rng: Rng): { label: string; v: Dense }[] {
  const out: { label: string; v: Dense }[] = [];
  const n = x.rows;
  for (let k = 0; k < count; k++) {
    const v = new Dense(x.rows, x.cols);
    if (properties.has('diagonal')) {
      for (let i = 0; i < n; i++) v.data[i * n + i] = rng.normal();
    } else if (properties.has('symmetric') || properties.has('spd')) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const e = rng.normal();
          v.data[i * n + j] = e;
          v.data[j * n + i] = e;
        }
      }
    } else {
      for (let i = 0; i < v.data.length; i++) v.data[i] = rng.normal();
    }
    out.push({ label: `random direction #${k + 1}`, v });
  }
  return out;
}

/** Unit directions E_ij; a symmetric variable moves by E_ij + E_ji, a diagonal one along E_ii only. */
function unitDirections(x: Dense, properties: ReadonlySet<Property>): { label: string; v: Dense }[] {
  const out: { label: string; v: Dense }[] = [];
  const symmetric = properties.has('symmetric') || properties.has('spd');
  const diagonal = properties.has('diagonal');
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      if (diagonal && i !== j) continue;
      if (symmetric && j > i) continue;
      const v = new Dense(x.rows, x.cols);
      v.set(i, j, 1);
      if (symmetric && i !== j) v.set(j, i, 1);
      const label = symmetric && i !== j ? `E[${i + 1},${j + 1}] + E[${j + 1},${i + 1}]` : `E[${i + 1},${j + 1}]`;
      out.push({ label, v });
    }
  }
  return out;
}

/** One sentence for "no draw worked": the recurring problem when there is one, else each draw's first. */
function summarizeDrawIssues(attempts: readonly EvalIssue[][]): string {
  const firsts = attempts.map((issues) => issues[0]!);
  const general = firsts.map((i) => i.message.replace(/ \([^()]*\)$/, ''));
  if (general.every((g) => g === general[0])) {
    return `${general[0]} at every draw (${attempts.length} draws; first: ${firsts[0]!.message})`;
  }
  const distinct = [...new Set(firsts.map((i) => i.message.replace(/ \([^()]*\)$/, '')))];
  return `no input draw was free of problems in ${attempts.length} draws: ${distinct.join('; ')}`;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(8))) : x.toExponential(4);
}
