import { diag, fail, ok, type Diagnostic, type Result, DiagnosticError } from './diagnostics/diagnostic.js';
import type { Source } from './diagnostics/span.js';
import { secondOrderOfAbstract } from './differentiate/abstract-functions.js';
import { recordDerivation } from './differentiate/derivation.js';
import { forwardSweep } from './differentiate/forward-sweep.js';
import { directionName, readOff } from './differentiate/read-off.js';
import { reverseSweep, type TapeEntry } from './differentiate/reverse-sweep.js';
import { differentialTargets, hessianTargets, totalDifferential } from './differentiate/targets.js';
import { structuredCheckForm, structuredGradients, symmetricGradientNote, symmetricDerivativeNote } from './differentiate/structured.js';
import { renderDerivation } from './emit/derivation.js';
import { answerLabels, functionLabel, userNames } from './emit/answer-labels.js';
import { DerivationSteps } from './emit/derivation-steps.js';
import { absentNote, declarationNotes, integerNote, KRONECKER_NOTE, readingNotes } from './emit/reading-notes.js';
import { messagePrinter } from './emit/text.js';
import type {
  AtValues,
  CommandRequest,
  DerivativeRequest,
  GradientBlock,
  GradientRequest,
  Layout,
  Pullback,
  Report,
  VariableGradient,
} from './report.js';
import { checkDefinitions, checkProgramNames, integerWrt, nearMissWrt, readRequest, signWrt, validateRequest, withIntegers } from './request.js';
import { integerParameters } from './term/integer-parameters.js';
import { loadRulebook, type Rulebook } from './rewrite/load-rules.js';
import { absentShape } from './shape/absent.js';
import { impliesSquare, impliesSymmetric, type Declarations } from './shape/declarations.js';
import type { TypedProgram } from './shape/infer.js';
import { typeProgram } from './shape/letter-calls.js';
import type { Point } from './shape/point.js';
import { definitionNames, foldOntoDefinitions } from './simplify/fold-definitions.js';
import { searchLimitNote } from './simplify/limit-note.js';
import { present, simplify, simplifyContext, simplifyReport, type SearchLimit, type SimplifyContext } from './simplify/simplify.js';
import { parseProgram } from './syntax/parse.js';
import * as T from './term/factory.js';
import { maybeNewGeneration } from './term/generations.js';
import type { Shape, Term } from './term/term.js';
import { dagSize } from './term/traverse.js';
import { atTargets, nodeValuesAtPoint, valuesAtPoint, type AtTarget } from './verify/at-point.js';
import { budgetedCheck } from './verify/budget.js';
import { DerivativeChecks } from './verify/derivative-check.js';
import type { CheckReport } from './verify/finite-difference.js';
import { chooseDimSizes } from './verify/dim-sizes.js';
import { collectFreeDims, withLazySample } from './verify/sample.js';

export { maxInputLength } from './request.js';

/**
 * The only place the stages meet: parse → shapes → reverse sweep → simplify → verify.
 * Emitting (text, JSON, code) is the caller's choice of view on the report.
 */

/** Any command's report (the CLI's and batch's one path). */
export function run(request: CommandRequest): Result<Report> {
  if (request.command === 'diff' || request.command === 'jac' || request.command === 'hess') return derivative(request as DerivativeRequest);
  return gradient(request);
}

export function gradient(request: GradientRequest): Result<Report> {
  return atBoundary(request, 'gradient', gradientUnchecked);
}

export function derivative(request: DerivativeRequest): Result<Report> {
  return atBoundary(request, 'derivative', derivativeUnchecked);
}

/**
 * The library boundary of every command: the request checked field by field (request.ts), and a
 * diagnostic thrown by a stage returned as a value, never as an exception.
 */
function atBoundary<Q, R>(request: Q, kind: 'gradient' | 'derivative', body: (request: Q) => Result<R>): Result<R> {
  const valid = validateRequest(request, kind);
  if (!valid.ok) return valid;
  try {
    // Bounded memory for a long-running caller (term/generations.ts); earlier reports stay valid.
    maybeNewGeneration();
    return body(request);
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
  /** The request's point (--at), its names checked against f's variables. */
  readonly point?: Point;
}

function prepare(request: GradientRequest, requireScalar: boolean | string, noun = 'gradient'): Result<Prepared> {
  const read = readRequest(request);
  if (!read.ok) return read;
  const { source, point, wrt, maxNodes, knownNames, functions } = read.value;
  let declarations = read.value.declarations;
  const parsed = parseProgram(source, { knownNames, functions });
  if (!parsed.ok) return parsed;
  const misplaced = checkDefinitions(parsed.value, source, wrt, declarations);
  if (misplaced) return fail(misplaced);

  const square = new Set([...declarations.assumptions].filter(([, p]) => impliesSquare(p)).map(([n]) => n));
  const declaredNames = new Set([...wrt, ...declarations.assumptions.keys()]);
  const reading = typeProgram(parsed.value, source, { knownNames, functions }, { dims: declarations.dims, requireScalar, square, declaredNames });
  if (!reading.ok) return reading;
  const { typed, program } = reading.value;
  const f = typed.term;
  const misnamed = checkProgramNames(typed, read.value);
  if (misnamed) return fail(misnamed);
  const size = dagSize([f]);
  if (size > maxNodes) return fail(diag('syntax/too-large', { source }, 'expression graph', size, maxNodes));
  const rulebook = loadRulebook();
  if (!rulebook.ok) return rulebook as Result<never>;

  const notes = readingNotes(program, typed, reading.value.note);
  const variables = new Map(typed.variables);
  const integers = integerParameters([f]);
  declarations = withIntegers(declarations, integers);
  if (integers.size > 0) notes.push(integerNote([...integers]));
  for (const name of wrt) {
    if (declarations.assumptions.get(name)?.has('sign')) return fail(signWrt(name, wrt));
    if (integers.has(name)) return fail(integerWrt(name, wrt));
    if (variables.has(name)) continue;
    const nearMiss = nearMissWrt(name, wrt, [...typed.variables.keys()]);
    if (nearMiss) return fail(nearMiss);
    const shape = absentShape(name, declarations, typed.freeDims);
    variables.set(name, shape);
    notes.push(absentNote(name, noun, shape));
  }
  notes.push(...declarationNotes(declarations, variables, f));
  const symmetric = new Set([...declarations.assumptions].filter(([, p]) => impliesSymmetric(p)).map(([n]) => n));
  const context = simplifyContext(declarations.assumptions, symmetric, typed.definitions.values());
  return ok({ source, declarations, wrt, typed, f, maxNodes, rulebook: rulebook.value, variables, notes, context, symmetric, ...(point ? { point } : {}) });
}

function gradientUnchecked(request: GradientRequest): Result<Report> {
  const prepared = prepare(request, true);
  if (!prepared.ok) return prepared;
  const { source, declarations, wrt, typed, f, variables, notes, context, symmetric } = prepared.value;
  // The tape: for the derivation, and for the graph's adjoints (with steps, or at a point).
  const recordTape = !!request.steps || prepared.value.point !== undefined;
  const limitsHit = new Set<SearchLimit>();
  const { raws, normal, tape } = simplifiedGradients(prepared.value, f, limitsHit, recordTape);
  const tidy = (terms: readonly Term[]) => present(simplify(terms, context), context);
  const names = definitionNames(typed.definitionNames, tidy);
  // Names the user defined stay names in the answer (2Wᵀq, not 2WᵀWx): simplify/fold-definitions.ts.
  const presented = foldOntoDefinitions(present(normal, context), typed.definitionNames, names, tidy);
  const limitNote = searchLimitNote(limitsHit);
  if (limitNote) notes.push(limitNote);
  const structured = (name: string) => request.structured === true && symmetric.has(name);
  const shown = structuredGradients(wrt, raws, presented, structured, tidy);
  const gradients: GradientBlock[] = wrt.map((name, i) => ({
    kind: 'gradient',
    name, shape: variables.get(name)!, raw: raws[i]!, gradient: shown[i]!, ...(structured(name) ? { structured: true as const } : {}),
  }));
  for (const name of symmetric) if (wrt.includes(name)) notes.push(symmetricGradientNote(name, structured(name)));

  const steps = request.steps ? renderDerivation(recordDerivation(f, tape), context, names) : undefined;

  let check: CheckReport | undefined;
  if (request.check !== false) {
    const dimSizes = chooseDimSizes(collectFreeDims(variables, [f, ...gradients.map((g) => g.gradient)]));
    const budgeted = budgetedCheck({
      f,
      gradients: new Map(gradients.map((g) => [g.name, g.structured ? structuredCheckForm(g.gradient) : g.gradient])),
      variables,
      assumptions: declarations.assumptions,
      dimSizes,
      seed: request.seed ?? 1,
    });
    check = budgeted.report;
    if (budgeted.note) notes.push(budgeted.note);
  }

  // The inputs a generated module embeds: drawn here, once, with the check's seed (emitters only print).
  const terms = [f, ...gradients.map((g) => g.gradient)];
  const sample = request.sample === false ? undefined : { variables, assumptions: declarations.assumptions, terms, sized: terms, seed: check?.seed ?? 1 };

  // Values at a point (--at) are labelled as the answer prints them; without one, no label is needed.
  const label = prepared.value.point ? functionLabel({ f, typed, variables }) : '';
  const targets: AtTarget[] = gradients.map((g) => ({ kind: 'gradient', name: g.name, label: `∇_${g.name} ${label}`, term: g.gradient }));
  const at = prepared.value.point ? valuesAtPoint(f, targets, prepared.value.point, messagePrinter(names)) : undefined;
  if (at && !at.ok) return at;
  if (at) notes.push(...at.value.notes);
  const nodes = at ? nodeValuesAtPoint([f, ...tape.flatMap((e) => [e.adjoint, ...e.contributions.map((c) => c.coefficient)])], prepared.value.point!) : undefined;

  const report = {
    command: 'grad' as const, source, typed, f, wrt, variables, blocks: gradients, gradients, layout: 'numerator' as const, differentials: new Map<string, string>(), declarations, steps, check, notes, names,
    ...(at ? { at: nodes ? { ...at.value.values, nodes } : at.value.values } : {}),
    ...(recordTape ? { tape } : {}),
  };
  return ok(withLazySample(report, sample));
}

/** The rulebook, for `matcalc rules` and tests. */
export function rulebook(): Result<Rulebook> {
  return loadRulebook();
}

export type { Diagnostic };
export { T as terms };

// ─── Differentials, Jacobians, Hessians (ENGINE.md §5) ────────────────────────────────────────────


function derivativeUnchecked(request: DerivativeRequest): Result<Report> {
  const command = request.command;
  const prepared = prepare(request, command === 'hess' ? 'hess' : false, command === 'jac' ? 'Jacobian' : command === 'hess' ? 'Hessian' : 'differential');
  if (!prepared.ok) return prepared;
  const { source, declarations, wrt, typed, f, maxNodes, rulebook, variables, notes, context, symmetric } = prepared.value;
  if (command === 'hess') {
    const refused = secondOrderOfAbstract(f, wrt);
    if (refused) return fail(refused);
  }
  const layout: Layout = request.layout ?? 'numerator';
  const tidy = (terms: readonly Term[]) => present(simplify(terms, context), context);
  const names = definitionNames(typed.definitionNames, tidy);
  // Generated names (dx, V, the answer's labels) are none of the user's.
  const taken = userNames({ f, typed, variables });
  const label = answerLabels({ f, typed, variables }).f;
  const checks = new DerivativeChecks(request.check !== false, {
    variables,
    assumptions: declarations.assumptions,
    dimSizes: chooseDimSizes(collectFreeDims(variables, [f])),
    seed: request.seed ?? 1,
  });
  /** The search limits that stopped the simplifier on a result printed (a note says so). */
  const limitsHit = new Set<SearchLimit>();

  // hess differentiates the gradients (their normal form, which the sweep reads best); diff and jac f.
  const hessian = command === 'hess' ? simplifiedGradients(prepared.value, f, limitsHit) : undefined;
  const gradients: GradientBlock[] | undefined =
    hessian && gradientsShown(prepared.value, hessian, foldOntoDefinitions(present(hessian.normal, context), typed.definitionNames, names, tidy)).map((g) => ({ kind: 'gradient', ...g }));
  const { targets, differentials } = hessian
    ? { targets: hessianTargets(wrt, hessian.normal, variables, taken), differentials: new Map<string, string>() }
    : differentialTargets(f, wrt, variables, taken);
  const steps = request.steps === true ? new DerivationSteps(command, f, label, names, differentials, tidy, context) : undefined;
  if (gradients) {
    checks.gradients(f, new Map(gradients.map((g) => [g.name, g.gradient])));
    steps?.gradients(gradients);
  }

  const blocks = targets.map((target) => {
    const sweep = forwardSweep(target.fn, new Map([[target.wrt, target.direction]]), rulebook, { record: steps !== undefined, maxSteps: maxNodes * 8 });
    const [linear] = tidy([sweep.differential]);
    for (const limit of simplifyReport([sweep.differential], context).limitsHit) limitsHit.add(limit);
    steps?.sweep(sweep, target, targets.length === 1);
    const block = readOff(command, f, target, sweep.differential, linear!, layout, tidy);
    const { matrix, kron } = block;
    checks.block({ fn: target.fn, linear: linear!, direction: target.direction, variable: target.wrt, ...(matrix ? { matrix } : {}), ...(kron ? { kron } : {}), denominator: layout === 'denominator' });
    return block;
  });

  const pullback = command !== 'hess' && request.pullback === true ? pullbackOf(prepared.value, new Set([...taken, ...differentials.keys()]), limitsHit) : undefined;
  // ⟨G, F⟩ is a scalar function of the inputs and G: its gradients are checked as grad's are.
  if (pullback) checks.gradients(T.inner(pullback.seed, f), new Map(pullback.gradients.map((g) => [g.name, g.gradient])), new Map([...variables, [pullback.seed.name, f.shape]]));

  const differential = command === 'hess' ? undefined : totalDifferential(blocks, f.shape, tidy);
  if (differential) steps?.total(differential, targets.length === 1);

  const limitNote = searchLimitNote(limitsHit);
  if (limitNote) notes.push(limitNote);
  notes.push(...checks.notes);
  for (const name of symmetric) if (wrt.includes(name)) notes.push(symmetricDerivativeNote(name));
  if (command === 'jac' && blocks.some((b) => b.kron)) notes.push(KRONECKER_NOTE);

  let at: AtValues | undefined;
  if (prepared.value.point) {
    const evaluated = valuesAtPoint(f, atTargets(command, blocks, wrt.length === 1, notes, label), prepared.value.point, messagePrinter(names));
    if (!evaluated.ok) return evaluated;
    at = evaluated.value.values;
    notes.push(...evaluated.value.notes);
  }

  const check = checks.combined();
  const sample =
    request.sample === false
      ? undefined
      : { variables, assumptions: declarations.assumptions, terms: [f, ...(gradients ?? []).map((g) => g.gradient)], sized: [f], seed: check?.seed ?? 1 };
  const report = {
    command,
    source,
    typed,
    f,
    wrt,
    declarations,
    layout,
    variables,
    ...(differential ? { differential } : {}),
    gradients: gradients ?? [],
    ...(pullback ? { pullback } : {}),
    blocks: [...(gradients ?? []), ...blocks],
    differentials,
    ...(steps ? { steps: steps.steps } : {}),
    ...(checks.enabled ? { check } : {}),
    notes,
    names,
    ...(at ? { at } : {}),
  };
  return ok(withLazySample(report, sample));
}

/**
 * The gradients of one reverse sweep of `of` (f, or ⟨G, F⟩ for a pullback), as the sweep gives them
 * and in the simplifier's normal form; the search limits that stopped it are added to `limitsHit`.
 * All variables in one sweep: their gradients share most of their graph (a network's backprop), and
 * one pass over the shared graph keeps the whole job linear in the number of variables.
 */
function simplifiedGradients(prepared: Prepared, of: Term, limitsHit: Set<SearchLimit>, tape = false): { raws: Term[]; normal: readonly Term[]; tape: readonly TapeEntry[] } {
  const { wrt, variables, rulebook, maxNodes, context } = prepared;
  const sweep = reverseSweep(of, wrt, variables, rulebook, { maxSteps: maxNodes * 8, tape });
  const raws = wrt.map((name) => sweep.gradients.get(name)!);
  const simplified = simplifyReport(raws, context);
  for (const limit of simplified.limitsHit) limitsHit.add(limit);
  return { raws, normal: simplified.terms, tape: sweep.tape };
}

/** One report entry per --wrt variable: its shape, the sweep's gradient and the gradient shown. */
function gradientsShown(prepared: Prepared, gradients: { raws: readonly Term[] }, shown: readonly Term[]): VariableGradient[] {
  return prepared.wrt.map((name, i) => ({ name, shape: prepared.variables.get(name)!, raw: gradients.raws[i]!, gradient: shown[i]! }));
}

/**
 * F's pullback with a symbolic upstream gradient G (a variable of F's shape no input uses): one
 * reverse sweep of the scalar ⟨G, F⟩, whose gradients are the vector-Jacobian products Σ ⟨X̄, dX⟩ =
 * ⟨G, dF⟩ — what a framework's backward computes, without building the Jacobian.
 */
function pullbackOf(prepared: Prepared, taken: ReadonlySet<string>, limitsHit: Set<SearchLimit>): Pullback {
  const seed = T.variable(directionName(['G', 'Ḡ', 'W'], taken), prepared.f.shape);
  const gradients = simplifiedGradients(prepared, T.inner(seed, prepared.f), limitsHit);
  return { seed, gradients: gradientsShown(prepared, gradients, present(gradients.normal, prepared.context)) };
}
