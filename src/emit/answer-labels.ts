import type { TypedProgram } from '../shape/program-types.js';
import { abstractFunctionName } from '../term/abstract-functions.js';
import { isScalar, opDeclaration, type Shape, type Term } from '../term/term.js';
import { functionOps } from './function-ops.js';
import { latexName } from './latex.js';
import { textName } from './text.js';

/**
 * The names the answer gives what it computes: f (F for a vector or matrix function) in `f = …`,
 * `∇_W f`, `∇²_x f`, `d²f`, and H in `H[V]`. They are generated names, so they must not be names the
 * user wrote: with an abstract f, `∇_W f = ∇f(WX)Xᵀ` would read as the gradient of the user's f, and
 * with a definition f = xᵀx, `f = 2·(xᵀx)` would say f is twice itself. When the body is the user's
 * own definition (`Y = WX; L = f(Y); L`) the answer uses that name (`∇_W L`); otherwise the first
 * candidate that is none of the user's names (variables, definitions, abstract functions, dimensions).
 */
export interface AnswerLabels {
  /** The function: the scalar's or the vector's/matrix's label, by f's shape. */
  readonly f: string;
  readonly fLatex: string;
  /** The Hessian as a map, H[V]. */
  readonly h: string;
  readonly hLatex: string;
}

/** ℓ and ℋ cannot be typed in an expression, so they are free whenever f or H is taken. */
const SCALAR_LABELS = ['f', 'ℓ', 'φ', 'ψ'];
const MATRIX_LABELS = ['F', 'Φ', 'Ψ'];
const HESSIAN_LABELS = ['H', 'ℋ'];
/** The labels no user name can be, in LaTeX. */
const LATEX: Readonly<Record<string, string>> = { ℓ: '\\ell', ℋ: '\\mathcal{H}' };

/** What the labels depend on: a report, or the pipeline's pieces of one before it is built. */
export interface LabelSource {
  readonly f: Term;
  readonly typed: TypedProgram;
  readonly variables: ReadonlyMap<string, Shape>;
}

export function answerLabels(report: LabelSource): AnswerLabels {
  const taken = userNames(report);
  const f = functionName(report, taken);
  const h = fresh(HESSIAN_LABELS, new Set([...taken, f]));
  return { f: textName(f), fLatex: LATEX[f] ?? latexName(f), h: textName(h), hLatex: LATEX[h] ?? latexName(h) };
}

/** answerLabels(report).f alone: the pipeline's gradient labels need no LaTeX and no H. */
export function functionLabel(report: LabelSource): string {
  return textName(functionName(report, userNames(report)));
}

function functionName(report: LabelSource, taken: ReadonlySet<string>): string {
  return report.typed.definitionNames.get(report.typed.term) ?? fresh(isScalar(report.f) ? SCALAR_LABELS : MATRIX_LABELS, taken);
}

/** Every name the user wrote: variables, definitions, abstract functions, symbolic dimensions. */
export function userNames(report: LabelSource): Set<string> {
  const names = new Set<string>([...report.variables.keys(), ...report.typed.definitions.keys(), ...report.typed.freeDims]);
  for (const t of functionOps(report.f)) if (isAbstractApplication(t)) names.add(abstractFunctionName(t.args));
  return names;
}

function isAbstractApplication(t: Term): t is Extract<Term, { kind: 'op' }> {
  return t.kind === 'op' && opDeclaration(t.op).abstract !== undefined;
}

/** The first candidate not taken, else the first with the smallest free number (f1, f2, …). */
function fresh(candidates: readonly string[], taken: ReadonlySet<string>): string {
  const free = candidates.find((c) => !taken.has(c));
  if (free !== undefined) return free;
  for (let k = 1; ; k++) if (!taken.has(`${candidates[0]!}${k}`)) return `${candidates[0]!}${k}`;
}
