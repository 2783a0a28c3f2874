import { diag, fail, ok, type Diagnostic, type Result, DiagnosticError } from './diagnostics/diagnostic.js';
import type { Source } from './diagnostics/span.js';
import { buildDerivation } from './differentiate/derivation.js';
import { forwardSweep, type ForwardResult } from './differentiate/forward-sweep.js';
import { asMatrixTerm, kronTerms, kronTreeSize, mapKronTerms, normalizeKron, vecJacobian, type Kron } from './differentiate/linear-map.js';
import { reverseSweep } from './differentiate/reverse-sweep.js';
import { emitLatex, latexName } from './emit/latex.js';
import { emitText, textName } from './emit/text.js';
import { checkDifferential, combineChecks, READ_OFF_TOLERANCE, readOffError } from './verify/linear-map.js';
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
import type {
  CommandRequest,
  DerivativeBlock,
  DerivativeCommand,
  DerivativeReport,
  DerivativeRequest,
  DerivativeStep,
  GradientReport,
  GradientRequest,
  Layout,
  Report,
  VariableGradient,
} from './report.js';
import { validateRequest } from './request.js';
import { present, simplify, type SimplifyContext } from './simplify/simplify.js';
import { parseProgram } from './syntax/parse.js';
import * as T from './term/factory.js';
import { childrenOf, isScalar, shapeText, type Dim, type Shape, type Term } from './term/term.js';
import { maybeNewGeneration } from './term/generations.js';
import { dagSize, postOrder } from './term/traverse.js';
import { budgetedCheck, fitCheck, skippedCheck } from './verify/budget.js';
import { type CheckReport } from './verify/finite-difference.js';
import { chooseDimSizes, collectFreeDims, sampleInputs } from './verify/sample.js';

/**
 * The only place the stages meet: parse → shapes → reverse sweep → simplify → verify.
 * Emitting (text, JSON, code) is the caller's choice of view on the report.
 */

function resolveDeclarations(request: GradientRequest): Result<Declarations> {
  let dims: ReadonlyMap<string, readonly [number, number]> = new Map();
  let assumptions: ReadonlyMap<string, ReadonlySet<Property>> = new Map();
  if (typeof request.dims === 'string') {
    const parsed = parseDims(request.dims);
    if (!parsed.ok) return parsed;
    dims = parsed.value;
  } else if (request.dims) dims = new Map([...request.dims].map(([name, size]) => [canonicalName(name), size])); // W₁ as W1, as in text
  if (typeof request.assume === 'string') {
    const parsed = parseAssume(request.assume);
    if (!parsed.ok) return parsed;
    assumptions = parsed.value;
  } else if (request.assume) assumptions = new Map([...request.assume].map(([name, props]) => [canonicalName(name), props]));
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

/** Any command's report: grad's gradients, or diff|jac|hess's blocks (the CLI's and batch's one path). */
export function run(request: CommandRequest): Result<Report> {
  if (request.command === 'diff' || request.command === 'jac' || request.command === 'hess') return derivative(request as DerivativeRequest);
  return gradient(request);
}

export function gradient(request: GradientRequest): Result<GradientReport> {
  const valid = validateRequest(request, 'gradient');
  if (!valid.ok) return valid;
  try {
    // Bounded memory for a long-running caller (term/generations.ts); earlier reports stay valid.
    maybeNewGeneration();
    return gradientUnchecked(request);
  } catch (error) {
    if (error instanceof DiagnosticError) return fail(error.diagnostic);
    throw error;
  }
}

/** What every command shares: the request read, parsed, typed and bounded. */
interface Prepared {
  readonly source: Source;
  readonly declarations: Declarations;
  readonly wrt: readonly string[];
  readonly typed: TypedProgram;
  readonly f: Term;
  readonly maxNodes: number;
  readonly rulebook: Rulebook;
  /** The input variables, and the --wrt variables that do not occur (with their shapes). */
  readonly variables: Map<string, Shape>;
  readonly notes: string[];
  readonly context: SimplifyContext;
  readonly symmetric: ReadonlySet<string>;
}

function prepare(request: GradientRequest, requireScalar: boolean | string, noun = 'gradient'): Result<Prepared> {
  const source: Source = { name: request.sourceName ?? '<input>', text: request.expression };
  const declared = resolveDeclarations(request);
  if (!declared.ok) return declared;
  const declarations = declared.value;

  // A list names each variable once, as the text form does (`--wrt x,x` is x).
  const wrtParsed = typeof request.wrt === 'string' ? parseWrt(request.wrt) : ok([...new Set(request.wrt.map(canonicalName))]);
  if (!wrtParsed.ok) return wrtParsed;
  const wrt = wrtParsed.value;

  // Before any expensive stage: parsing and typing a 10 MB input took 37 s and 2.5 GB only to be
  // refused by the node limit afterwards. The input's length bounds the work of every stage.
  const maxNodes = request.maxNodes ?? 1_000_000;
  const maxLength = maxInputLength(maxNodes);
  if (typeof request.expression === 'string' && request.expression.length > maxLength) return fail(diag('syntax/input-too-long', {}, request.expression.length, maxLength));

  const knownNames = new Set<string>([...declarations.dims.keys(), ...declarations.assumptions.keys(), ...wrt]);
  const parsed = parseProgram(source, { knownNames });
  if (!parsed.ok) return parsed;

  for (const name of wrt) {
    const def = parsed.value.definitions.find((d) => d.name === name);
    if (def) return fail(diag('shape/wrt-definition', { source, span: def.nameSpan }, name));
  }
  for (const def of parsed.value.definitions) {
    if (declarations.assumptions.has(def.name)) return fail(diag('shape/defined-and-declared', { source, span: def.nameSpan }, def.name, '--assume'));
  }

  const square = new Set([...declarations.assumptions].filter(([, p]) => impliesSquare(p)).map(([n]) => n));
  const typedResult = inferShapes(parsed.value, source, { dims: declarations.dims, requireScalar, square });
  if (!typedResult.ok) return typedResult;
  const typed = typedResult.value;
  const f = typed.term;

  const size = dagSize([f]);
  if (size > maxNodes) return fail(diag('syntax/too-large', { source }, 'expression graph', size, maxNodes));

  const rulebook = loadRulebook();
  if (!rulebook.ok) return rulebook as Result<never>;

  const notes: string[] = (parsed.value.warnings ?? []).map((w) => `warning: ${w.message}`);
  const variables = new Map(typed.variables);
  for (const name of wrt) {
    if (variables.has(name)) continue;
    const nearMiss = nearMissWrt(name, wrt, [...typed.variables.keys()]);
    if (nearMiss) return fail(nearMiss);
    const shape = absentShape(name, declarations, typed.freeDims);
    variables.set(name, shape);
    notes.push(`the expression does not depend on ${name}: its ${noun} is 0 (${shapeText(shape)})`);
  }
  for (const name of declarations.assumptions.keys()) {
    if (!variables.has(name)) notes.push(`--assume names ${name}, which does not occur in the expression`);
  }
  const symmetric = new Set([...declarations.assumptions].filter(([, p]) => impliesSymmetric(p)).map(([n]) => n));
  const context: SimplifyContext = {
    symmetric,
    positive: new Set([...declarations.assumptions].filter(([, p]) => p.has('positive')).map(([n]) => n)),
    definitions: new Set(typed.definitions.values()),
  };
  return ok({ source, declarations, wrt, typed, f, maxNodes, rulebook: rulebook.value, variables, notes, context, symmetric });
}

/**
 * The longest input accepted: 1.5 characters per allowed graph node, at least 1,000,000 (1.5 MB with
 * the default node limit). An expression of n distinct nodes takes at least about n characters, so
 * this refuses only inputs that repeat themselves a lot — and it refuses them at once. 1.5, not 2:
 * a 2 MB sum of quadratic forms took 13.9 s and 1.8 GB on the 2-core machine, too near a 20 s,
 * 2 GiB budget for a call inside the documented limits; at 1.5 MB there is room.
 */
export function maxInputLength(maxNodes: number): number {
  return Math.max(Math.floor(1.5 * maxNodes), 1_000_000);
}

/**
 * `--wrt x` for `aᵀexp(Xb)`: a name that does not occur but differs only in case, subscript or
 * accent from one that does is a typo, not a request for a zero gradient (issue 11 §1).
 */
function nearMissWrt(name: string, wrt: readonly string[], occurring: readonly string[]): Diagnostic | undefined {
  const fold = (n: string): string => n.normalize('NFD').replace(/\p{M}/gu, '').replace(/(_[A-Za-z0-9]+|[0-9]+)$/, '').toLowerCase();
  const candidates = occurring.filter((v) => fold(v) === fold(name) && !wrt.includes(v)).sort();
  if (candidates.length === 0) return undefined;
  const text = wrt.join(',');
  const start = wrt.slice(0, wrt.indexOf(name)).join(',').length + (wrt.indexOf(name) > 0 ? 1 : 0);
  const where = { source: { name: '--wrt', text }, span: { start, end: start + name.length } };
  return diag('shape/bad-wrt', where, name, `${name} does not occur in the expression; did you mean ${candidates.join(' or ')}?`);
}

/** User definitions print by name wherever they appear — also in their simplified form. */
function definitionNames(typed: TypedProgram, context: SimplifyContext): Map<Term, string> {
  const names = new Map(typed.definitionNames);
  for (const [term, name] of typed.definitionNames) {
    const [canonical] = present(simplify([term], context), context);
    if (canonical && !names.has(canonical) && childrenOf(canonical).length > 0) names.set(canonical, name);
  }
  return names;
}

function gradientUnchecked(request: GradientRequest): Result<GradientReport> {
  const prepared = prepare(request, true);
  if (!prepared.ok) return prepared;
  const { source, declarations, wrt, typed, f, maxNodes, variables, notes, context, symmetric } = prepared.value;
  const rulebook = { value: prepared.value.rulebook };
  const sweep = reverseSweep(f, wrt, variables, rulebook.value, { maxSteps: maxNodes * 8, tape: !!request.steps });
  // All gradients at once: they share most of their graph (a network's backprop), and one pass
  // over the shared graph keeps the whole job linear in the number of variables.
  const raws = wrt.map((name) => sweep.gradients.get(name)!);
  const presented = present(simplify(raws, context), context);
  const structured = (name: string) => request.structured === true && symmetric.has(name);
  const structuredForms = wrt.filter(structured).map((name) => {
    // G + Gᵀ − I ⊙ G: ∂f/∂S_ij for i ≠ j moves S_ij and S_ji together, so both entries of G count.
    const g = raws[wrt.indexOf(name)]!;
    return T.add([g, T.transpose(g), T.mul([T.num(-1), T.hmul([T.eye(g.shape[0]), g])])]);
  });
  const structuredShown = structuredForms.length > 0 ? present(simplify(structuredForms, context), context) : [];
  const gradients: VariableGradient[] = wrt.map((name, i) => ({
    name,
    shape: variables.get(name)!,
    raw: raws[i]!,
    gradient: structured(name) ? structuredShown[wrt.filter(structured).indexOf(name)]! : presented[i]!,
  }));
  for (const name of symmetric) {
    if (!wrt.includes(name)) continue;
    if (structured(name)) {
      notes.push(
        `${name} is symmetric: this is the structured gradient G + Gᵀ − I ⊙ G (G the unstructured one), the derivative with respect to the free entries ${name}ᵢⱼ, i ≤ j, each off-diagonal pair counted once (Matrix Cookbook, §2.8.2)`,
      );
    } else {
      notes.push(`${name} is symmetric: this is the unstructured gradient (each entry independent); --structured gives G + Gᵀ − I ⊙ G, and on the symmetric subspace use (G + Gᵀ)/2`);
    }
  }

  const names = definitionNames(typed, context);

  const steps = request.steps ? buildDerivation(f, sweep.tape, context, names) : undefined;

  let check: CheckReport | undefined;
  if (request.check !== false) {
    const allVariables = new Map(variables);
    const dimSizes = chooseDimSizes(collectFreeDims(allVariables, [f, ...gradients.map((g) => g.gradient)]));
    const budgeted = budgetedCheck({
      f,
      // A structured gradient Gₛ is checked through ⟨(Gₛ + I ⊙ Gₛ)/2, V⟩ = Σ_{i≤j} (Gₛ)ᵢⱼVᵢⱼ, which
      // for the symmetric directions V the checker uses is the derivative along the free entries.
      gradients: new Map(
        gradients.map((g) => [g.name, structured(g.name) ? T.mul([T.num(0.5), T.add([g.gradient, T.diagm(T.diag(g.gradient))])]) : g.gradient]),
      ),
      variables: allVariables,
      assumptions: declarations.assumptions,
      dimSizes,
      seed: request.seed ?? 1,
    });
    check = budgeted.report;
    if (budgeted.note) notes.push(budgeted.note);
  }

  // The inputs a generated module embeds: drawn here, once, with the check's seed (emitters only print).
  const terms = [f, ...gradients.map((g) => g.gradient)];
  const sample =
    request.sample === false ? undefined : sampleInputs({ variables, assumptions: declarations.assumptions, terms, sized: terms, seed: check?.seed ?? 1 });

  return ok({ command: 'grad', source, typed, f, wrt, gradients, declarations, steps, check, ...(sample ? { sample } : {}), notes, names });
}

/** The shape of a --wrt variable that does not occur: declared, or by the naming convention. */
function absentShape(name: string, declarations: Declarations, used: readonly string[]): Shape {
  const d = declarations.dims.get(name);
  if (d) return [d[0], d[1]];
  const spare = spareDims(used, 2);
  const first = name[0] ?? 'x';
  const square = impliesSquare(declarations.assumptions.get(name));
  if (square) return [spare[0]!, spare[0]!];
  return first !== first.toLowerCase() ? [spare[0]!, spare[1]!] : [spare[0]!, 1];
}

/** `count` dimension names that `used` does not have: p, q, …, w, then d1, d2, … (never run out). */
function spareDims(used: readonly string[], count: number): string[] {
  const out: string[] = [];
  const taken = new Set(used);
  const candidates = function* () {
    yield* ['p', 'q', 'r', 's', 't', 'u', 'v', 'w'];
    for (let i = 1; ; i++) yield `d${i}`;
  };
  for (const name of candidates()) {
    if (out.length === count) break;
    if (!taken.has(name)) out.push(name);
  }
  return out;
}

/** The rulebook, for `matcalc rules` and tests. */
export function rulebook(): Result<Rulebook> {
  return loadRulebook();
}

export type { Diagnostic };
export { T as terms };

// ─── Differentials, Jacobians, Hessians (ENGINE.md §5) ────────────────────────────────────────────

export function derivative(request: DerivativeRequest): Result<DerivativeReport> {
  const valid = validateRequest(request, 'derivative');
  if (!valid.ok) return valid;
  try {
    maybeNewGeneration();
    return derivativeUnchecked(request);
  } catch (error) {
    if (error instanceof DiagnosticError) return fail(error.diagnostic);
    throw error;
  }
}

/** A name for a direction variable that no input uses: dX (δX if dX is taken), V (then U, Δ, …). */
function directionName(preferred: readonly string[], taken: ReadonlySet<string>): string {
  for (const name of preferred) if (!taken.has(name)) return name;
  let i = 1;
  while (taken.has(`${preferred[0]}${i}`)) i++;
  return `${preferred[0]}${i}`;
}

function derivativeUnchecked(request: DerivativeRequest): Result<DerivativeReport> {
  const command = request.command;
  const prepared = prepare(request, command === 'hess' ? 'hess' : false, command === 'jac' ? 'Jacobian' : command === 'hess' ? 'Hessian' : 'differential');
  if (!prepared.ok) return prepared;
  const { source, declarations, wrt, typed, f, maxNodes, rulebook, variables, notes, context, symmetric } = prepared.value;
  const layout: Layout = request.layout ?? 'numerator';
  const names = definitionNames(typed, context);
  const taken = new Set(variables.keys());
  const differentials = new Map<string, string>();
  const tidy = (terms: readonly Term[]) => present(simplify(terms, context), context);
  const stepsOut: DerivativeStep[] = [];
  const record = request.steps === true;
  const checks: CheckReport[] = [];
  const checkNotes = new Set<string>();
  const dimSizes = chooseDimSizes(collectFreeDims(variables, [f]));
  const seed = request.seed ?? 1;
  const checking = request.check !== false;

  let gradients: VariableGradient[] | undefined;
  /** The function each block differentiates, and the direction variables. */
  const targets: { of?: string; fn: Term; wrt: string; direction: Term; rowsShape?: Shape }[] = [];
  if (command === 'hess') {
    const sweep = reverseSweep(f, wrt, variables, rulebook, { maxSteps: maxNodes * 8 });
    const raws = wrt.map((name) => sweep.gradients.get(name)!);
    const normal = simplify(raws, context);
    const shown = present(normal, context);
    gradients = wrt.map((name, i) => ({ name, shape: variables.get(name)!, raw: raws[i]!, gradient: shown[i]! }));
    const single = wrt.length === 1;
    for (const [i, a] of wrt.entries()) {
      for (const b of wrt) {
        const name = directionName(single ? ['V', 'U', 'H'] : [`V_${b}`], taken);
        targets.push({ of: a, fn: normal[i]!, wrt: b, direction: T.variable(name, variables.get(b)!), rowsShape: variables.get(a)! });
      }
    }
    if (checking) {
      const budgeted = budgetedCheck({
        f,
        gradients: new Map(gradients.map((g) => [g.name, g.gradient])),
        variables,
        assumptions: declarations.assumptions,
        dimSizes,
        seed,
      });
      checks.push(budgeted.report);
      if (budgeted.note) checkNotes.add(budgeted.note);
    }
    if (record) {
      for (const g of gradients) {
        stepsOut.push({
          rule: 'grad',
          text: `∇_${textName(g.name)} f = ${emitText([g.gradient], { names, share: 'names' }).main[0]}`,
          latex: `\\nabla_{${latexName(g.name)}} f &= ${emitLatex([g.gradient], { names, share: 'names' }).main[0]}`,
        });
      }
    }
  } else {
    for (const b of wrt) {
      const name = directionName([`d${b}`, `δ${b}`], taken);
      differentials.set(name, b);
      targets.push({ fn: f, wrt: b, direction: T.variable(name, variables.get(b)!) });
    }
  }

  const blocks: DerivativeBlock[] = [];
  for (const target of targets) {
    const sweep = forwardSweep(target.fn, new Map([[target.wrt, target.direction]]), rulebook, { record, maxSteps: maxNodes * 8 });
    const [linear] = tidy([sweep.differential]);
    if (record) stepsOut.push(...forwardSteps(sweep, names, differentials, tidy));
    const block = readOff(command, f, target, sweep.differential, linear!, layout, tidy);
    blocks.push(block);
    if (checking) {
      // Within the check's budget (verify/budget.ts): at the given sizes, at smaller ones, or not at all.
      const fit = fitCheck([target.fn, linear!, target.direction, ...(block.matrix ? [block.matrix] : [])], variables, dimSizes, block.kron ? [block.kron] : []);
      if (fit.kind === 'skip') {
        checks.push(skippedCheck(fit.reason, seed));
        continue;
      }
      const shrunk = fit.kind === 'shrunk' ? fit : undefined;
      if (shrunk) checkNotes.add(shrunk.note);
      const at = (t: Term) => (shrunk ? shrunk.term(t) : t);
      const common = { variables: shrunk?.variables ?? variables, assumptions: declarations.assumptions, dimSizes: shrunk?.dimSizes ?? dimSizes, seed };
      checks.push(
        checkDifferential({ ...common, f: at(target.fn), differential: at(linear!), variable: target.wrt, direction: at(target.direction), rulebook }),
      );
      const matrix = block.matrix ? at(block.matrix) : block.kron && shrunk ? shrunk.kron(block.kron) : block.kron;
      if (matrix) {
        const error = readOffError({ ...common, differential: at(linear!), direction: at(target.direction), matrix, transposed: block.matrix !== undefined && layout === 'denominator' });
        if (error !== undefined && !(error <= READ_OFF_TOLERANCE)) {
          checks.push({
            status: 'failed',
            relativeError: error,
            seed,
            sizes: Object.fromEntries([...common.dimSizes].sort()),
            comparisons: 3,
            entrywise: false,
            attempts: 1,
            reason: `the matrix read off for ${target.wrt} does not reproduce the differential (relative error ${error.toExponential(2)})`,
          });
        }
      }
    }
  }

  let differential: Term | undefined;
  if (command !== 'hess') {
    const parts = blocks.map((b) => b.linear).filter((t) => !(t.kind === 'zero' || (t.kind === 'num' && t.value === 0)));
    differential = parts.length === 0 ? T.zero(f.shape) : parts.length === 1 ? parts[0]! : tidy([T.add(parts)])[0]!;
    if (record) {
      const F = isScalar(f) ? 'f' : 'F';
      stepsOut.push({
        rule: 'total',
        text: `d${F} = ${emitText([differential], { names, differentials, share: 'names' }).main[0]}`,
        latex: `\\mathrm{d}${F} &= ${emitLatex([differential], { names, differentials, share: 'names' }).main[0]}`,
      });
    }
  }

  notes.push(...checkNotes);
  for (const name of symmetric) {
    if (wrt.includes(name)) notes.push(`${name} is symmetric: the derivative treats its entries as independent (the unstructured convention)`);
  }
  if (command === 'jac' && blocks.some((b) => b.kron)) {
    notes.push('matrix arguments or values: the Jacobian is the matrix J with vec(dF) = J·vec(dX) (vec stacks columns; K[m×n] is the commutation matrix, K·vec(A) = vec(Aᵀ))');
  }

  const combined = checking ? combineChecks(checks) : undefined;
  const sample =
    request.sample === false
      ? undefined
      : sampleInputs({ variables, assumptions: declarations.assumptions, terms: [f, ...(gradients ?? []).map((g) => g.gradient)], sized: [f], seed: combined?.seed ?? 1 });

  return ok({
    command,
    source,
    typed,
    f,
    wrt,
    declarations,
    layout,
    variables,
    ...(differential ? { differential } : {}),
    ...(gradients ? { gradients } : {}),
    blocks,
    differentials,
    ...(record ? { steps: stepsOut } : {}),
    ...(checking ? { check: combined } : {}),
    ...(sample ? { sample } : {}),
    notes,
    names,
  });
}

/** The matrix of a block: a Jacobian (jac), a Hessian (hess); diff shows the linear map only. */
function readOff(
  command: DerivativeCommand,
  f: Term,
  target: { of?: string; wrt: string; direction: Term; rowsShape?: Shape },
  raw: Term,
  linear: Term,
  layout: Layout,
  tidy: (terms: readonly Term[]) => Term[],
): DerivativeBlock {
  const base = { ...(target.of ? { of: target.of } : {}), wrt: target.wrt, shape: target.direction.shape, direction: target.direction, linear, rawLinear: raw };
  if (command === 'diff') return base;
  const read = vecJacobian(linear, target.direction);
  if (read === undefined) {
    // The derivative is 0: a zero matrix of the Jacobian's shape.
    const rows = sizeOf(target.rowsShape ?? f.shape);
    const cols = sizeOf(target.direction.shape);
    if (rows !== undefined && cols !== undefined) return { ...base, matrix: T.zero(layout === 'denominator' ? [cols, rows] : [rows, cols]) };
    return base;
  }
  if ('unreadable' in read) return { ...base, unreadable: read.unreadable };
  const asTerm = asMatrixTerm(read);
  if (asTerm) {
    const [matrix] = tidy([layout === 'denominator' && command === 'jac' ? T.transpose(asTerm) : asTerm]);
    return { ...base, matrix: matrix! };
  }
  // A Kronecker formula repeats what the differential shares; past a readable size it says less
  // than H[V] or dF, which are exact and shown anyway.
  if (kronTreeSize(read, KRON_MAX_FACTORS) > KRON_MAX_FACTORS) {
    return { ...base, unreadable: `the Kronecker form would have more than ${KRON_MAX_FACTORS} factors; the linear map is shown instead` };
  }
  const terms = kronTerms(read);
  const simplified = tidy(terms);
  const lookup = new Map(terms.map((t, i) => [t, simplified[i]!]));
  return { ...base, kron: normalizeKron(mapKronTerms(read, (t) => lookup.get(t) ?? t)) };
}

/** The most factors a printed Kronecker form may have. */
const KRON_MAX_FACTORS = 60;

/** The length of vec of a shape, when it is a vector (one side 1): its other side. */
function sizeOf(shape: Shape): Dim | undefined {
  if (shape[1] === 1) return shape[0];
  if (shape[0] === 1) return shape[1];
  return undefined;
}

/** The forward derivation, one line per node: d(exp(Xb)) = exp(Xb) ⊙ d(Xb), in text and LaTeX. */
function forwardSteps(
  sweep: ForwardResult,
  names: ReadonlyMap<Term, string>,
  differentials: ReadonlyMap<string, string>,
  tidy: (terms: readonly Term[]) => Term[],
): DerivativeStep[] {
  const MAX = 400;
  const out: DerivativeStep[] = [];
  const text = new Map<string, string>();
  const latex = new Map<string, string>();
  // Nodes are shown in display form ((x − m)ᵀ rather than the normal form's xᵀ − mᵀ).
  const show = (t: Term) => {
    const shown = names.has(t) ? t : tidy([t])[0]!;
    return {
      text: names.has(t) ? `d${textName(names.get(t)!)}` : `d(${emitText([shown], { names, share: 'names' }).main[0]!})`,
      latex: names.has(t) ? `\\mathrm{d}${latexName(names.get(t)!)}` : `\\mathrm{d}(${emitLatex([shown], { names, share: 'names' }).main[0]!})`,
    };
  };
  for (const [placeholder, node] of sweep.placeholders) {
    if (placeholder.kind !== 'var') continue;
    const s = show(node);
    text.set(placeholder.name, s.text);
    latex.set(placeholder.name, s.latex);
  }
  for (const step of sweep.steps) {
    if (out.length >= MAX) {
      out.push({ rule: 'elided', text: `… ${sweep.steps.length - MAX} more steps not shown`, latex: `\\text{… ${sweep.steps.length - MAX} more steps}` });
      break;
    }
    if (!step.local) continue;
    const [local] = tidy([step.local]);
    const lhs = show(step.node);
    out.push({
      rule: step.rule,
      text: `${lhs.text} = ${emitText([local!], { names, share: 'names', differentials, verbatim: text }).main[0]}`,
      latex: `${lhs.latex} &= ${emitLatex([local!], { names, share: 'names', differentials, verbatim: latex }).main[0]}`,
    });
  }
  return out;
}
