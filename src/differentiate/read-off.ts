import * as T from '../term/factory.js';
import { isScalarShape, type Dim, type Shape, type Term } from '../term/term.js';
import { asMatrixTerm, kronTerms, kronTreeSize, mapKronTerms, normalizeKron, type Kron } from './kronecker-form.js';
import { vecJacobian } from './linear-map.js';
import { isVectorReadOff, scalarDerivative, vectorJacobian } from './vector-read-off.js';

/**
 * Reading a derivative off a differential: the block of one variable's direction, with the matrix
 * (a Jacobian, a Hessian) when F and X are vectors or scalars, a Kronecker form otherwise, or the
 * reason there is none. The maths is linear-map.ts's; this file is the policy of what is shown.
 */

/** Which derivative a block is: diff shows the linear map only, jac and hess read a matrix off. */
export type ReadOffKind = 'diff' | 'jac' | 'hess';
export type Layout = 'numerator' | 'denominator';

/** What a block of each command is (a report's gradients are blocks of their own kind, report.ts). */
const BLOCK_KIND = { diff: 'differential', jac: 'jacobian', hess: 'hessian' } as const satisfies Record<ReadOffKind, string>;

/** One derivative read off a differential: the part of dF in one variable's direction. */
export interface DerivativeBlock {
  /** diff's part of dF, jac's Jacobian, hess's Hessian block. */
  readonly kind: (typeof BLOCK_KIND)[ReadOffKind];
  /** hess: the variable of the gradient differentiated (the block's rows). */
  readonly of?: string;
  /** The variable whose direction this block is linear in. */
  readonly wrt: string;
  readonly shape: Shape;
  /** The direction: dX (diff, jac) or V (hess). */
  readonly direction: Term;
  /** The linear map in textbook form: the part of dF in dX, or H[V]. */
  readonly linear: Term;
  readonly rawLinear: Term;
  /**
   * The Jacobian (or Hessian) as a matrix term, when F and X are vectors or scalars, in `layout`; for
   * a matrix F of a scalar x (jac), dF/dx of F's shape (see `isFShaped`).
   */
  readonly matrix?: Term;
  /** Otherwise the vec-Jacobian with Kronecker products (numerator layout: vec dF = J vec dX). */
  readonly kron?: Kron;
  /** Why no matrix could be read off (then only the linear map is shown). */
  readonly unreadable?: string;
}

/** A name for a direction variable that no input uses: dX (δX if dX is taken), V (then U, Δ, …). */
export function directionName(preferred: readonly string[], taken: ReadonlySet<string>): string {
  for (const name of preferred) if (!taken.has(name)) return name;
  let i = 1;
  while (taken.has(`${preferred[0]}${i}`)) i++;
  return `${preferred[0]}${i}`;
}

/** The matrix of a block: a Jacobian (jac), a Hessian (hess); diff shows the linear map only. */
export function readOff(
  command: ReadOffKind,
  f: Term,
  target: { of?: string; wrt: string; direction: Term; rowsShape?: Shape },
  raw: Term,
  linear: Term,
  layout: Layout,
  tidy: (terms: readonly Term[]) => Term[],
): DerivativeBlock {
  const base = { kind: BLOCK_KIND[command], ...(target.of ? { of: target.of } : {}), wrt: target.wrt, shape: target.direction.shape, direction: target.direction, linear, rawLinear: raw };
  if (command === 'diff') return base;
  const read = vecJacobian(linear, target.direction);
  if (read === undefined) {
    // The derivative is 0: a zero matrix of the Jacobian's shape.
    const rows = sizeOf(target.rowsShape ?? f.shape);
    const cols = sizeOf(target.direction.shape);
    if (rows !== undefined && cols !== undefined) return { ...base, matrix: T.zero(layout === 'denominator' ? [cols, rows] : [rows, cols]) };
    if (command === 'jac' && isFShaped(f.shape, target.direction.shape)) return { ...base, matrix: T.zero(f.shape) };
    return base;
  }
  // For vectors the Jacobian is always an ordinary matrix: where the Kronecker form does not
  // collapse to one (a matrix linear in the direction inside the differential), read it term by term.
  const asTerm = ('unreadable' in read ? undefined : asMatrixTerm(read)) ?? vectorMatrix(linear, target.direction);
  if (asTerm) {
    const [matrix] = tidy([layout === 'denominator' && command === 'jac' ? T.transpose(asTerm) : asTerm]);
    return { ...base, matrix: matrix! };
  }
  // A matrix F of a scalar x: dF/dx, of F's shape (in either layout), rather than the column vec(dF/dx).
  const ofScalar = command === 'jac' && isFShaped(f.shape, target.direction.shape) ? scalarDerivative(linear, target.direction) : undefined;
  if (ofScalar) return { ...base, matrix: tidy([ofScalar])[0]! };
  if ('unreadable' in read) return { ...base, unreadable: read.unreadable };
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

/** The matrix J with vec(D) = J·vec(v) when D and v are vectors or scalars; undefined otherwise. */
function vectorMatrix(linear: Term, direction: Term): Term | undefined {
  if (!isVectorReadOff(linear, direction)) return undefined;
  const j = vectorJacobian(linear, direction);
  return j === undefined || 'unreadable' in j ? undefined : j;
}

/** The most factors a printed Kronecker form may have. */
const KRON_MAX_FACTORS = 60;

/**
 * Whether a Jacobian is read as dF/dx of F's shape rather than as vec: F a matrix (neither side 1)
 * and x a scalar. The check and the emitted modules compare vec of it with vec(dF)/dx.
 */
export function isFShaped(fShape: Shape, wrtShape: Shape): boolean {
  return fShape[0] !== 1 && fShape[1] !== 1 && isScalarShape(wrtShape);
}

/** The length of vec of a shape, when it is a vector (one side 1): its other side. */
function sizeOf(shape: Shape): Dim | undefined {
  if (shape[1] === 1) return shape[0];
  if (shape[0] === 1) return shape[1];
  return undefined;
}
