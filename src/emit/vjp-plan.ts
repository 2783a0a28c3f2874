import { InternalError } from '../diagnostics/diagnostic.js';
import type { Report } from '../report.js';
import * as T from '../term/factory.js';
import type { Dim, Shape, Term, TermOf } from '../term/term.js';
import { derivativeBlocks } from './blocks.js';
import { dimExpressions } from './report.js';
import { emitPython, pythonIdentifiers, pythonName, type PythonDialect } from './numpy.js';
import { kindOf, sampleOf, type Kind } from './python-flavour.js';

/**
 * What `--format torch-autograd` and `--format jax` print, for every command alike: a function
 * whose forward computes its outputs and whose backward is matcalc's vector-Jacobian product.
 *
 * - grad: the output is f; its cotangent g is a scalar, and each input's VJP is g·∇f.
 * - diff, jac: the output is F; its cotangent G has F's shape, and each input's VJP is the report's
 *   symbolic pullback (the gradient of ⟨G, F⟩, pipeline.ts pullbackOf) — never a Jacobian contracted.
 * - hess: the outputs are the gradients ∇_a f; the VJP for input b with cotangents V_a is
 *   Σ_a H_ba[V_a], the Hessian-vector products of the report's blocks (H_abᵀ = H_ba: mixed second
 *   derivatives commute), so the backward of the gradient is the Hessian applied to the cotangent.
 *
 * Forward and backward are printed with one sharing plan, so a temporary of the forward pass that
 * the backward reads is saved (a residual), not recomputed.
 */

export interface VjpInput {
  readonly name: string;
  /** Its Python identifier (VjpPlan.identifiers: distinct even where two names fold to one). */
  readonly py: string;
  readonly shape: Shape;
  readonly kind: Kind;
  /** Whether matcalc differentiated with respect to it. */
  readonly wrt: boolean;
}

export interface VjpPlan {
  readonly inputs: readonly VjpInput[];
  /** The forward pass's results: f or F, or (hess) each ∇_a f in --wrt order. */
  readonly outputs: readonly Term[];
  /** One per output: the variable standing for its upstream cotangent. */
  readonly seeds: readonly TermOf<'var'>[];
  /** One per --wrt input, in --wrt order: its VJP, linear in the seeds. */
  readonly backward: readonly { readonly input: VjpInput; readonly term: Term }[];
  /** f itself (for hess, the function whose gradient the outputs are). */
  readonly f: Term;
  /**
   * The Python identifier of every input and seed (numpy.ts pythonIdentifiers): `ſ` and `s` both fold
   * to `s`, so each name gets its own (`s`, `s_`), and the printed expressions use the same ones.
   */
  readonly identifiers: ReadonlyMap<string, string>;
}

const isZero = (t: Term): boolean => t.kind === 'zero' || (t.kind === 'num' && t.value === 0);

export function vjpPlan(report: Report): VjpPlan {
  const plan = planWithoutIdentifiers(report);
  const identifiers = pythonIdentifiers([...plan.inputs.map((i) => i.name), ...plan.seeds.map((s) => s.name)]);
  const inputs = plan.inputs.map((i) => ({ ...i, py: identifiers.get(i.name)! }));
  const byName = new Map(inputs.map((i) => [i.name, i]));
  const backward = plan.backward.map((b) => ({ input: byName.get(b.input.name)!, term: b.term }));
  return { ...plan, inputs, backward, identifiers };
}

function planWithoutIdentifiers(report: Report): Omit<VjpPlan, 'identifiers'> {
  const inputs = [...report.variables].map(([name, shape]) => ({ name, py: pythonName(name), shape, kind: kindOf(shape), wrt: report.wrt.includes(name) }));
  const input = (name: string): VjpInput => inputs.find((i) => i.name === name)!;
  const blocks = derivativeBlocks(report);
  if (blocks.length === 0) {
    // Gradients alone (grad): f's cotangent is a scalar, named so that no input folds to it (it is a parameter of the backward).
    const taken = new Set(inputs.map((i) => i.py));
    let name = 'grad_output';
    while (taken.has(name)) name += '_';
    const seed = T.variable(name, [1, 1]);
    const backward = report.gradients.map((g) => ({ input: input(g.name), term: isZero(g.gradient) ? g.gradient : T.mul([seed, g.gradient]) }));
    return { inputs, outputs: [report.f], seeds: [seed], backward, f: report.f };
  }
  if (blocks.every((b) => b.kind === 'hessian')) {
    // Block (of b, wrt a) is H_ba[V_a]: its direction V_a is the cotangent of output ∇_a f.
    const seeds = report.wrt.map((a) => {
      const direction = blocks.find((b) => b.wrt === a)?.direction;
      if (direction?.kind !== 'var') throw new InternalError(`hess report: no direction variable for ${a}`);
      return direction;
    });
    const backward = report.wrt.map((b) => {
      const parts = blocks.filter((block) => (block.of ?? block.wrt) === b).map((block) => block.linear).filter((t) => !isZero(t));
      return { input: input(b), term: parts.length === 0 ? T.zero(report.variables.get(b)!) : T.add(parts) };
    });
    return { inputs, outputs: report.gradients.map((g) => g.gradient), seeds, backward, f: report.f };
  }
  const pullback = report.pullback;
  if (!pullback) throw new InternalError(`a ${report.command} module with a backward needs the pullback: request the report with pullback: true`);
  return {
    inputs,
    outputs: [report.f],
    seeds: [pullback.seed],
    backward: pullback.gradients.map((g) => ({ input: input(g.name), term: g.gradient })),
    f: report.f,
  };
}

/** Identifiers in Python text (not attributes: `.T`, `.shape`), as the emitted code spells them. */
const IDENTIFIER = /(?<![\p{L}\p{N}_.])[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/gu;
/** A shared temporary's definition in an emitted expression: `(_t1 := …`. */
const DEFINITION = /\(([\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*) := /gu;

export const identifiersIn = (text: string): Set<string> => new Set([...text.matchAll(IDENTIFIER)].map((m) => m[0]));
const definedIn = (text: string): string[] => [...text.matchAll(DEFINITION)].map((m) => m[1]!);

/** The forward and backward passes as Python text, and what the backward needs from the forward. */
export interface VjpTexts {
  /** One expression per output. Its walrus definitions are locals of the forward pass. */
  readonly outputs: readonly string[];
  /** One expression per --wrt input, in order, evaluated in the backward pass after `saved` is restored. */
  readonly backward: readonly string[];
  /** What the backward reads from the forward pass: inputs and temporaries, by Python name. */
  readonly saved: readonly string[];
  /**
   * For backward text i, the backward texts whose result needs it computed (i itself and every later
   * one that reads a temporary it defines, transitively): skip it only when none is wanted.
   */
  readonly neededBy: readonly (readonly number[])[];
  /** The free dimensions no input carries: Python name and size (module-level constants). */
  readonly freeDims: readonly (readonly [string, number])[];
  /** Every identifier the texts, inputs and seeds use: a generated name must avoid them. */
  readonly taken: ReadonlySet<string>;
  /** The Python text of a dimension (the free ones by their constants' names), for more texts. */
  readonly dimExpr: (dim: Dim) => string;
}

export function vjpTexts(report: Report, plan: VjpPlan, dialect: PythonDialect, reserved: readonly string[]): VjpTexts {
  const carried = new Set<string>();
  for (const shape of report.variables.values()) for (const d of shape) if (typeof d === 'string') carried.add(d);
  const taken = new Set<string>([...reserved, ...plan.identifiers.values()]);
  const fresh = nameAllocator(taken);
  const freeDims = new Map<string, readonly [string, number]>();
  for (const [d, size] of sampleOf(report).dimSizes) if (!carried.has(d)) freeDims.set(d, [fresh(`dim_${pythonName(d)}`), size]);
  const dimExpr = dimExpressions(report.variables, undefined, new Map([...freeDims].map(([d, [name]]) => [d, name])));

  const texts = emitPython([...plan.outputs, ...plan.backward.map((b) => b.term)], { dimExpr, names: report.names, identifiers: plan.identifiers }, dialect);
  const outputs = texts.slice(0, plan.outputs.length);
  const backward = texts.slice(plan.outputs.length);
  for (const text of texts) for (const word of identifiersIn(text)) taken.add(word);

  const forwardDefined = new Set(outputs.flatMap(definedIn));
  const backwardDefined = backward.map(definedIn);
  const read = backward.map(identifiersIn);
  const inputNames = new Set(plan.inputs.map((i) => i.py));
  const saved = [...inputNames].filter((n) => read.some((r) => r.has(n)));
  for (const name of forwardDefined) if (read.some((r) => r.has(name))) saved.push(name);

  const neededBy: number[][] = backward.map((_, i) => [i]);
  for (let i = backward.length - 1; i >= 0; i--) {
    for (let k = i + 1; k < backward.length; k++) {
      if (backwardDefined[i]!.some((name) => read[k]!.has(name))) for (const j of neededBy[k]!) if (!neededBy[i]!.includes(j)) neededBy[i]!.push(j);
    }
    neededBy[i]!.sort((a, b) => a - b);
  }
  return { outputs, backward, saved, neededBy, freeDims: [...freeDims.values()], taken, dimExpr };
}

/** Fresh names: the wanted spelling, or it with `_` appended until no taken name is hit. */
export function nameAllocator(taken: Set<string>): (wanted: string) => string {
  return (wanted) => {
    let name = wanted;
    while (taken.has(name)) name += '_';
    taken.add(name);
    return name;
  };
}
