import type { Shape, Term } from '../term/term.js';
import type { Property } from './sample.js';

/**
 * What the gradient check (finite-difference.ts) is asked and what it reports. Separate so the
 * claims it compares (claims.ts) name a directional claim without importing the check itself.
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
