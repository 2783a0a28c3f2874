import { diag, fail, ok, type Diagnostic, type Result, DiagnosticError } from './diagnostics/diagnostic.js';
import type { Source } from './diagnostics/span.js';
import { buildDerivation, type DerivationStep } from './differentiate/derivation.js';
import { reverseSweep } from './differentiate/reverse-sweep.js';
import { loadRulebook, type Rulebook } from './rewrite/load-rules.js';
import {
  canonicalName,
  impliesSquare,
  impliesSymmetric,
  parseAssume,
  parseDims,
  parseWrt,
  type Declarations,
  type Property,
} from './shape/declarations.js';
import { inferShapes, type TypedProgram } from './shape/infer.js';
import { present, simplify } from './simplify/simplify.js';
import { parseProgram } from './syntax/parse.js';
import * as T from './term/factory.js';
import { childrenOf, shapeText, type Shape, type Term } from './term/term.js';
import { dagSize } from './term/traverse.js';
import { checkGradient, type CheckReport } from './verify/finite-difference.js';
import { chooseDimSizes } from './verify/sample.js';

/**
 * The only place the stages meet: parse → shapes → reverse sweep → simplify → verify.
 * Emitting (text, JSON, code) is the caller's choice of view on the report.
 */

export interface GradientRequest {
  /** The expression, e.g. "aᵀexp(Xb)" or "Y = σ(WX); ⟨Y, MY⟩". */
  readonly expression: string;
  /** Variables to differentiate with respect to: "X" or "W1,W2" or a list. */
  readonly wrt: string | readonly string[];
  /** --dims "X=3x4,a=3" or a parsed map. */
  readonly dims?: string | ReadonlyMap<string, readonly [number, number]>;
  /** --assume "S:spd,x:positive" or a parsed map. */
  readonly assume?: string | ReadonlyMap<string, ReadonlySet<Property>>;
  /** Verify numerically (default true). */
  readonly check?: boolean;
  /** Seed for the numeric check (default 1). */
  readonly seed?: number;
  /** Record the derivation (default false: it costs a simplification per step). */
  readonly steps?: boolean;
  /** Name shown in messages (default "<input>"). */
  readonly sourceName?: string;
  /** Refuse an expression graph larger than this many nodes (default 1,000,000). */
  readonly maxNodes?: number;
}

export interface VariableGradient {
  readonly name: string;
  readonly shape: Shape;
  /** As the sweep produced it (for tests comparing simplified and unsimplified values). */
  readonly raw: Term;
  /** In textbook form. */
  readonly gradient: Term;
}

export interface GradientReport {
  readonly source: Source;
  readonly typed: TypedProgram;
  /** The function, as a core term. */
  readonly f: Term;
  readonly wrt: readonly string[];
  readonly gradients: readonly VariableGradient[];
  readonly declarations: Declarations;
  readonly steps?: readonly DerivationStep[];
  readonly check?: CheckReport;
  /** Remarks for the user (variables that do not occur, conventions used). */
  readonly notes: readonly string[];
  /** Names to print nodes by: the user's definitions, before and after simplification. */
  readonly names: ReadonlyMap<Term, string>;
}

function resolveDeclarations(request: GradientRequest): Result<Declarations> {
  let dims: ReadonlyMap<string, readonly [number, number]> = new Map();
  let assumptions: ReadonlyMap<string, ReadonlySet<Property>> = new Map();
  if (typeof request.dims === 'string') {
    const parsed = parseDims(request.dims);
    if (!parsed.ok) return parsed;
    dims = parsed.value;
  } else if (request.dims) dims = request.dims;
  if (typeof request.assume === 'string') {
    const parsed = parseAssume(request.assume);
    if (!parsed.ok) return parsed;
    assumptions = parsed.value;
  } else if (request.assume) assumptions = request.assume;
  for (const [name, props] of assumptions) {
    const d = dims.get(name);
    if (d && impliesSquare(props) && d[0] !== d[1]) {
      // Point at the entry in --assume when it was given as text.
      let at = {};
      if (typeof request.assume === 'string') {
        const m = new RegExp(`(^|,)\\s*(${name.replace(/[^\w]/g, '\\$&')}\\s*:[^,]*)`).exec(request.assume);
        if (m) {
          const start = m.index + m[0].length - m[2]!.length;
          at = { source: { name: '--assume', text: request.assume }, span: { start, end: start + m[2]!.trimEnd().length } };
        }
      }
      const square = [...props].filter((p) => p !== 'positive').join(', ');
      return fail(diag('shape/assume-conflict', at, name, square, `${d[0]}×${d[1]}`));
    }
  }
  return ok({ dims, assumptions });
}

export function gradient(request: GradientRequest): Result<GradientReport> {
  try {
    return gradientUnchecked(request);
  } catch (error) {
    if (error instanceof DiagnosticError) return fail(error.diagnostic);
    throw error;
  }
}

function gradientUnchecked(request: GradientRequest): Result<GradientReport> {
  const source: Source = { name: request.sourceName ?? '<input>', text: request.expression };
  const declared = resolveDeclarations(request);
  if (!declared.ok) return declared;
  const declarations = declared.value;

  const wrtParsed = typeof request.wrt === 'string' ? parseWrt(request.wrt) : ok(request.wrt.map(canonicalName));
  if (!wrtParsed.ok) return wrtParsed;
  const wrt = wrtParsed.value;

  const knownNames = new Set<string>([...declarations.dims.keys(), ...declarations.assumptions.keys(), ...wrt]);
  const parsed = parseProgram(source, { knownNames });
  if (!parsed.ok) return parsed;

  for (const name of wrt) {
    const def = parsed.value.definitions.find((d) => d.name === name);
    if (def) return fail(diag('shape/wrt-definition', { source, span: def.nameSpan }, name));
  }

  const square = new Set([...declarations.assumptions].filter(([, p]) => impliesSquare(p)).map(([n]) => n));
  const typedResult = inferShapes(parsed.value, source, { dims: declarations.dims, requireScalar: true, square });
  if (!typedResult.ok) return typedResult;
  const typed = typedResult.value;
  const f = typed.term;

  const maxNodes = request.maxNodes ?? 1_000_000;
  const size = dagSize([f]);
  if (size > maxNodes) return fail(diag('syntax/too-large', { source }, 'expression graph', size, maxNodes));

  const rulebook = loadRulebook();
  if (!rulebook.ok) return rulebook as Result<never>;

  const notes: string[] = [];
  const variables = new Map(typed.variables);
  for (const name of wrt) {
    if (variables.has(name)) continue;
    const shape = absentShape(name, declarations, typed.freeDims);
    variables.set(name, shape);
    notes.push(`the expression does not depend on ${name}: its gradient is 0 (${shapeText(shape)})`);
  }
  for (const name of declarations.assumptions.keys()) {
    if (!variables.has(name)) notes.push(`--assume names ${name}, which does not occur in the expression`);
  }

  const sweep = reverseSweep(f, wrt, variables, rulebook.value, { maxSteps: maxNodes * 8 });
  const symmetric = new Set([...declarations.assumptions].filter(([, p]) => impliesSymmetric(p)).map(([n]) => n));
  const context = {
    symmetric,
    positive: new Set([...declarations.assumptions].filter(([, p]) => p.has('positive')).map(([n]) => n)),
    definitions: new Set(typed.definitions.values()),
  };
  // All gradients at once: they share most of their graph (a network's backprop), and one pass
  // over the shared graph keeps the whole job linear in the number of variables.
  const raws = wrt.map((name) => sweep.gradients.get(name)!);
  const presented = present(simplify(raws, context), context);
  const gradients: VariableGradient[] = wrt.map((name, i) => ({
    name,
    shape: variables.get(name)!,
    raw: raws[i]!,
    gradient: presented[i]!,
  }));
  for (const name of symmetric) {
    if (wrt.includes(name)) {
      notes.push(`${name} is symmetric: this is the unstructured gradient (each entry independent); on the symmetric subspace use (G + Gᵀ)/2`);
    }
  }

  // User definitions print by name wherever they appear — also in their simplified form.
  const names = new Map(typed.definitionNames);
  for (const [term, name] of typed.definitionNames) {
    const [canonical] = present(simplify([term], context), context);
    if (canonical && !names.has(canonical) && childrenOf(canonical).length > 0) names.set(canonical, name);
  }

  const steps = request.steps ? buildDerivation(f, sweep.tape, context, names) : undefined;

  let check: CheckReport | undefined;
  if (request.check !== false) {
    const allVariables = new Map(variables);
    const dimSizes = chooseDimSizes(collectFreeDims(allVariables));
    check = checkGradient({
      f,
      gradients: new Map(gradients.map((g) => [g.name, g.gradient])),
      variables: allVariables,
      assumptions: declarations.assumptions,
      dimSizes,
      seed: request.seed ?? 1,
    });
  }

  return ok({ source, typed, f, wrt, gradients, declarations, steps, check, notes, names });
}

/** Symbolic dimension names used by the variables, in order of first appearance. */
export function collectFreeDims(variables: ReadonlyMap<string, Shape>): string[] {
  const dims: string[] = [];
  for (const shape of variables.values()) {
    for (const d of shape) if (typeof d === 'string' && !dims.includes(d)) dims.push(d);
  }
  return dims;
}

/** The shape of a --wrt variable that does not occur: declared, or by the naming convention. */
function absentShape(name: string, declarations: Declarations, used: readonly string[]): Shape {
  const d = declarations.dims.get(name);
  if (d) return [d[0], d[1]];
  const spare = ['p', 'q', 'r', 's', 't', 'u', 'v', 'w'].filter((n) => !used.includes(n));
  const first = name[0] ?? 'x';
  const square = impliesSquare(declarations.assumptions.get(name));
  if (square) return [spare[0]!, spare[0]!];
  return first !== first.toLowerCase() ? [spare[0]!, spare[1]!] : [spare[0]!, 1];
}

/** The rulebook, for `matcalc rules` and tests. */
export function rulebook(): Result<Rulebook> {
  return loadRulebook();
}

export type { Diagnostic };
export { T as terms };
