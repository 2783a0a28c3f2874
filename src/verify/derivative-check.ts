import type { Kron } from '../differentiate/kronecker-form.js';
import type { Shape, Term } from '../term/term.js';
import { budgetedCheck, fitCheck, skippedCheck, type Fit } from './budget.js';
import { atDimSizes } from './dim-sizes.js';
import { foundNoPoint, type CheckReport } from './finite-difference.js';
import { checkDifferential, combineChecks, READ_OFF_TOLERANCE, readOffError } from './linear-map.js';
import type { Property } from './sample.js';

/**
 * The check of one derivative block (diff, jac, hess): its linear map against central differences
 * of the function it differentiates, and the matrix read off (a Jacobian, a Hessian, a Kronecker
 * form) against that linear map — within the check's budget (verify/budget.ts): at the given
 * sizes, at smaller ones, or not at all.
 */
export interface BlockCheckRequest {
  /** The function the block differentiates: f, or a gradient for a Hessian. */
  readonly fn: Term;
  /** The block's linear map in its direction. */
  readonly linear: Term;
  readonly direction: Term;
  readonly variable: string;
  readonly matrix?: Term;
  readonly kron?: Kron;
  /** The matrix is in denominator layout (the transpose of what vec dF = J vec dX reads). */
  readonly denominator: boolean;
  readonly variables: ReadonlyMap<string, Shape>;
  readonly assumptions: ReadonlyMap<string, ReadonlySet<Property>>;
  readonly dimSizes: ReadonlyMap<string, number>;
  readonly seed: number;
}

/**
 * The reports of a block's checks, and a note when they ran at smaller sizes than asked. The
 * differential and the read-off run at the same sizes: the chosen ones, or both again at the reversed
 * ones when no draw was inside the domain (dim-sizes.ts atDimSizes) — a read-off compared at sizes
 * where nothing evaluates would go unchecked.
 */
export function checkBlock(request: BlockCheckRequest): { reports: CheckReport[]; note?: string } {
  const { fn, linear, direction, variables, dimSizes, seed } = request;
  const fit = fitCheck([fn, linear, direction, ...(request.matrix ? [request.matrix] : [])], variables, dimSizes, request.kron ? [request.kron] : []);
  if (fit.kind === 'skip') return { reports: [skippedCheck(fit.reason, seed)] };
  const shrunk = fit.kind === 'shrunk' ? fit : undefined;
  const reports = atDimSizes(shrunk?.dimSizes ?? dimSizes, (sizes) => checkAtSizes(request, shrunk, sizes), (r) => foundNoPoint(r[0]!));
  return { reports, ...(shrunk ? { note: shrunk.note } : {}) };
}

/** The block's differential and read-off checks at one choice of sizes (the terms shrunk when the budget asked). */
function checkAtSizes(request: BlockCheckRequest, shrunk: Extract<Fit, { kind: 'shrunk' }> | undefined, dimSizes: ReadonlyMap<string, number>): CheckReport[] {
  const { fn, linear, direction, variable, seed } = request;
  const at = (t: Term) => (shrunk ? shrunk.term(t) : t);
  const common = { variables: shrunk?.variables ?? request.variables, assumptions: request.assumptions, dimSizes, seed };
  const reports = [checkDifferential({ ...common, f: at(fn), differential: at(linear), variable, direction: at(direction) })];
  const matrix = request.matrix ? at(request.matrix) : request.kron && shrunk ? shrunk.kron(request.kron) : request.kron;
  if (matrix) {
    const transposed = request.matrix !== undefined && request.denominator;
    const error = readOffError({ ...common, differential: at(linear), direction: at(direction), matrix, transposed });
    // No draw where both sides evaluate: the read-off is unchecked, which the report must say.
    if (error === undefined) reports.push(readOffUnchecked(variable, seed, dimSizes));
    else if (!(error <= READ_OFF_TOLERANCE)) reports.push(readOffFailure(variable, error, seed, dimSizes));
  }
  return reports;
}

/** A read-off compared at no draw (each one outside its domain or too ill-conditioned): inconclusive. */
function readOffUnchecked(variable: string, seed: number, dimSizes: ReadonlyMap<string, number>): CheckReport {
  return {
    status: 'inconclusive',
    relativeError: NaN,
    seed,
    sizes: Object.fromEntries([...dimSizes].sort()),
    comparisons: 0,
    entrywise: false,
    attempts: 4,
    reason: `the matrix read off for ${variable} could not be compared with the differential: no draw evaluated both (an inverse too ill-conditioned, or outside the domain)`,
  };
}

/** A read-off that does not reproduce its differential: the check fails, with the error. */
function readOffFailure(variable: string, error: number, seed: number, dimSizes: ReadonlyMap<string, number>): CheckReport {
  return {
    status: 'failed',
    relativeError: error,
    seed,
    sizes: Object.fromEntries([...dimSizes].sort()),
    comparisons: 3,
    entrywise: false,
    attempts: 1,
    reason: `the matrix read off for ${variable} does not reproduce the differential (relative error ${error.toExponential(2)})`,
  };
}

/** What every check of one derivative command shares: the inputs, their properties, the sizes and the seed. */
export interface ChecksContext {
  readonly variables: ReadonlyMap<string, Shape>;
  readonly assumptions: ReadonlyMap<string, ReadonlySet<Property>>;
  readonly dimSizes: ReadonlyMap<string, number>;
  readonly seed: number;
}

/**
 * The checks of one diff, jac or hess, gathered as the pipeline computes what they check: the
 * gradients a Hessian differentiates, each block, the pullback's gradients; one combined report, and
 * the notes of those that ran at smaller sizes (once each). With `enabled` false (--no-check) every
 * call is a no-op.
 */
export class DerivativeChecks {
  readonly #reports: CheckReport[] = [];
  readonly #notes = new Set<string>();

  constructor(
    readonly enabled: boolean,
    private readonly context: ChecksContext,
  ) {}

  /** Gradients of a scalar f, checked as grad's are (the variables default to the command's). */
  gradients(f: Term, gradients: ReadonlyMap<string, Term>, variables: ReadonlyMap<string, Shape> = this.context.variables): void {
    if (!this.enabled) return;
    const budgeted = budgetedCheck({ ...this.context, f, gradients, variables });
    this.#reports.push(budgeted.report);
    if (budgeted.note) this.#notes.add(budgeted.note);
  }

  /** One block: its differential and the matrix read off it. */
  block(block: Omit<BlockCheckRequest, keyof ChecksContext>): void {
    if (!this.enabled) return;
    const checked = checkBlock({ ...this.context, ...block });
    if (checked.note) this.#notes.add(checked.note);
    this.#reports.push(...checked.reports);
  }

  /** The notes of checks that ran at smaller sizes than asked. */
  get notes(): readonly string[] {
    return [...this.#notes];
  }

  /** Every report folded into one (undefined without checks). */
  combined(): CheckReport | undefined {
    return this.enabled ? combineChecks(this.#reports) : undefined;
  }
}
