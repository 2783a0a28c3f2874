import { InternalError } from '../diagnostics/diagnostic.js';
import { dependencyTest } from '../term/factory.js';
import { childrenOf, isScalarShape, opDeclaration, type Term } from '../term/term.js';
import { postOrder } from '../term/traverse.js';
import { PlanValues, type BasePoint } from './base-point.js';
import { DirectionProbe, gradientAlong } from './claims.js';
import * as dense from './dense.js';
import { Dense } from './dense.js';
import { randomDirections, unitDirections } from './directions.js';
import { evaluatePlan, planEvaluation, type EvalIssue } from './evaluate.js';
import type { CheckReport, CheckRequest, DirectionalClaim } from './gradient-check-types.js';
import { fmt, LineProbe, type Comparison } from './line-probe.js';
import { atDimSizes } from './dim-sizes.js';
import { createRng, deriveSeed } from './random.js';
import { drawInputs, type Property } from './sample.js';

/**
 * The gradient check: a claimed gradient G of a scalar f is right when ⟨G, V⟩ matches the
 * directional derivative of f along V, measured by central differences with one Richardson step, for
 * random directions V (and every unit direction when the variable is small). Inputs are drawn until
 * f and G are well defined at the base point; a disagreement that coincides with a badly behaved
 * line (a kink crossed, a domain left, a non-finite value) is inconclusive, never a pass.
 */

export type { CheckReport, CheckRequest, DirectionalClaim } from './gradient-check-types.js';

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
 * The check, and once more with the dimensions' sizes handed out in reverse when no draw gave a point
 * where f is defined (verify/dim-sizes.ts atDimSizes: XᵀX of n×m is singular whenever n < m); the
 * report states the sizes it used.
 */
export function checkGradient(request: CheckRequest): CheckReport {
  return atDimSizes(request.dimSizes, (dimSizes) => checkGradientAtSizes({ ...request, dimSizes }), foundNoPoint);
}

/** A check that drew inputs and found none inside the domain: the one case another choice of sizes can change. */
export function foundNoPoint(report: CheckReport): boolean {
  return report.status === 'inconclusive' && report.comparisons === 0 && report.attempts > 0;
}

/** The check at the request's sizes, with no retry (a derivative block retries its checks together). */
export function checkGradientAtSizes(request: CheckRequest): CheckReport {
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
      // A draw with an issue is only ever reported by its first one (summarizeDrawIssues).
      stopAtIssue: true,
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

/**
 * The largest magnitude among f's intermediate values at the base point: the scale of its rounding.
 * An abstract function's name travels as a number in its first argument (term/abstract-functions.ts):
 * a label, never a value f computes with, so it does not count (`inputs` is about 10¹³, which made
 * every derivative look below the rounding of f).
 */
function roundingScale(f: Term, memo: PlanValues): number {
  const nodes = postOrder([f]);
  const labels = new Set<Term>();
  for (const node of nodes) if (node.kind === 'op' && opDeclaration(node.op).abstract !== undefined) labels.add(node.args[0]!);
  let scale = 0;
  for (const node of nodes) {
    if (labels.has(node)) continue;
    const value = memo.get(node);
    if (value && dense.allFinite(value)) scale = Math.max(scale, dense.maxAbs(value));
  }
  return scale;
}

function pickWorst(list: readonly Comparison[]): Comparison | undefined {
  let worst: Comparison | undefined;
  for (const c of list) if (worst === undefined || !(c.error <= worst.error)) worst = c;
  return worst;
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
