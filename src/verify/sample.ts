import { InternalError } from '../diagnostics/diagnostic.js';
import type { Shape, Term } from '../term/term.js';
import { Dense } from './dense.js';
import { atDimSizes, chooseDimSizes, resolveDim } from './dim-sizes.js';
import { evaluateTerms } from './evaluate.js';
import { createRng, type Rng } from './random.js';
import { collectFreeDims } from '../term/free-dims.js';

/**
 * Drawing inputs for numeric checks. Symbolic dimensions get small distinct sizes, so that a
 * transposition mix-up (n×m where m×n was meant) fails to chain instead of passing by accident.
 * Strategies widen the domain step by step: 0 plain normal entries, 1 positive entries (for log,
 * sqrt, fractional powers), 2 well-conditioned square matrices with det > 0 (for inv, det,
 * logdet), 3 SPD square matrices; from 4 on the same cycle repeats with fresh draws.
 */

export type Property = 'symmetric' | 'spd' | 'positive' | 'diagonal' | 'probability' | 'row-stochastic' | 'column-stochastic' | 'sign' | 'integer';

/** Which dimensions the check sizes: term/free-dims.ts (re-exported for the callers that draw). */
export { collectFreeDims };

export { chooseDimSizes, resolveDim } from './dim-sizes.js';

export function drawInputs(
  variables: ReadonlyMap<string, Shape>,
  assumptions: ReadonlyMap<string, ReadonlySet<Property>>,
  dimSizes: ReadonlyMap<string, number>,
  rng: Rng,
  strategy: number,
): Map<string, Dense> {
  const inputs = new Map<string, Dense>();
  // Draw in sorted name order so the values do not depend on how the caller built the map.
  for (const name of [...variables.keys()].sort()) {
    const shape = variables.get(name)!;
    const rows = resolveDim(shape[0], dimSizes);
    const cols = resolveDim(shape[1], dimSizes);
    inputs.set(name, drawOne(rows, cols, assumptions.get(name) ?? new Set(), rng, strategy % 4));
  }
  return inputs;
}

function drawOne(rows: number, cols: number, properties: ReadonlySet<Property>, rng: Rng, strategy: number): Dense {
  const square = rows === cols;
  const needsSquare = properties.has('symmetric') || properties.has('spd') || properties.has('diagonal');
  if (needsSquare && !square) throw new InternalError(`a ${rows}×${cols} matrix cannot be ${[...properties].join(', ')}`);
  const positive = properties.has('positive');
  const n = rows;

  if (properties.has('integer')) {
    // The exponent n of Xⁿ: 1…4 (n = 1 and 2 among them), 0 from the fourth strategy on (Xⁿ = I).
    return fillWith(rows, cols, () => (strategy >= 3 && rng.uniform(0, 1) < 0.25 ? 0 : 1 + Math.floor(rng.uniform(0, 4))));
  }
  if (properties.has('sign')) {
    // Labels ±1, each sign equally likely: y ∈ {−1, +1}ⁿ.
    return fillWith(rows, cols, () => (rng.uniform(0, 1) < 0.5 ? -1 : 1));
  }
  if (properties.has('probability')) {
    // On the simplex, away from its faces: positive entries (room for a step) scaled to sum to 1.
    const out = fillWith(rows, cols, () => drawEntry(rng, 'uniform'));
    const total = out.data.reduce((a, b) => a + b, 0);
    for (let i = 0; i < out.data.length; i++) out.data[i]! /= total;
    return out;
  }
  if (properties.has('row-stochastic') || properties.has('column-stochastic')) {
    // Each row (column) on the simplex, away from its faces: positive entries scaled to sum to 1.
    const out = fillWith(rows, cols, () => drawEntry(rng, 'uniform'));
    normaliseLines(out, properties.has('row-stochastic') ? 'rows' : 'columns');
    return out;
  }
  if (properties.has('diagonal')) {
    // Only the diagonal is free. An SPD or positive diagonal needs positive entries.
    const entryPositive = positive || properties.has('spd') || strategy >= 2;
    const out = new Dense(n, n);
    for (let i = 0; i < n; i++) out.data[i * n + i] = drawEntry(rng, entryPositive || strategy > 0 ? 'uniform' : 'normal');
    return out;
  }
  if (properties.has('spd')) {
    // An SPD matrix with positive entries: BBᵀ of a positive B is positive entry by entry.
    return positive ? positiveSpd(n, rng) : randomSpd(n, rng);
  }
  if (positive) {
    const out = fillWith(rows, cols, () => drawEntry(rng, strategy === 0 ? 'positive-normal' : 'uniform'));
    return properties.has('symmetric') ? symmetrize(out) : out;
  }

  let out: Dense;
  const matrix = square && n > 1;
  if (strategy === 2 && matrix) {
    // c·I + 0.3·N: ‖0.3·N‖₂ ≈ 0.6√n < c, so every matrix on the segment to c·I is invertible and det > 0.
    const c = 1 + 0.6 * Math.sqrt(n);
    out = fillWith(n, n, () => 0.3 * rng.normal());
    for (let i = 0; i < n; i++) out.data[i * n + i]! += c;
  } else if (strategy === 3 && matrix) {
    return randomSpd(n, rng);
  } else {
    out = fillWith(rows, cols, () => drawEntry(rng, strategy === 0 ? 'normal' : 'uniform'));
  }
  return properties.has('symmetric') ? symmetrize(out) : out;
}

/**
 * One entry. The uniform (0.5, 1.5) draw keeps log, sqrt and fractional powers inside their domain
 * with room for a finite-difference step; |N| + 0.1 is positive but still spread like a normal.
 */
function drawEntry(rng: Rng, kind: 'normal' | 'positive-normal' | 'uniform'): number {
  if (kind === 'normal') return rng.normal();
  if (kind === 'positive-normal') return Math.abs(rng.normal()) + 0.1;
  return rng.uniform(0.5, 1.5);
}

function fillWith(rows: number, cols: number, draw: () => number): Dense {
  const out = new Dense(rows, cols);
  for (let i = 0; i < out.data.length; i++) out.data[i] = draw();
  return out;
}

function symmetrize(a: Dense): Dense {
  const n = a.rows;
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out.data[i * n + j] = (a.data[i * n + j]! + a.data[j * n + i]!) / 2;
  }
  return out;
}

/** BBᵀ/n + I: symmetric, eigenvalues ≥ 1, and exactly symmetric in floating point (entry ij computed once). */
function randomSpd(n: number, rng: Rng): Dense {
  return gramPlusIdentity(fillWith(n, n, () => rng.normal()));
}

function positiveSpd(n: number, rng: Rng): Dense {
  return gramPlusIdentity(fillWith(n, n, () => rng.uniform(0.5, 1.5)));
}

function gramPlusIdentity(b: Dense): Dense {
  const n = b.rows;
  const out = new Dense(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b.data[i * n + k]! * b.data[j * n + k]!;
      const v = s / n + (i === j ? 1 : 0);
      out.data[i * n + j] = v;
      out.data[j * n + i] = v;
    }
  }
  return out;
}

/** How many draws a sample tries, strategy by strategy (0–3, then the cycle again with fresh draws). */
const SAMPLE_STRATEGIES = 8;

/**
 * The first draw inside every term's domain: one stream seeded by `seed`, strategy after strategy,
 * until `terms` evaluate with no issue; the inputs and the terms' values there, or undefined when
 * no draw was. The one draw loop for every caller that needs a valid point but no finite
 * differences (the emitted modules' self-check inputs, the tests that run emitted code).
 */
export function drawInDomain(
  variables: ReadonlyMap<string, Shape>,
  assumptions: ReadonlyMap<string, ReadonlySet<Property>>,
  dimSizes: ReadonlyMap<string, number>,
  seed: number,
  terms: readonly Term[],
): { values: Map<string, Dense>; evaluated: Dense[] } | undefined {
  const rng = createRng(seed);
  for (let strategy = 0; strategy < SAMPLE_STRATEGIES; strategy++) {
    const values = drawInputs(variables, assumptions, dimSizes, rng, strategy);
    const out = evaluateTerms(terms, { values, dimSizes });
    if (out.issues.length === 0) return { values, evaluated: out.values };
  }
  return undefined;
}

/**
 * The most entries of drawn inputs a generated module embeds as literals (a 1000×1000 input was
 * 20 MB of text); past it nothing is drawn here, and the module's self-check draws its own.
 */
export const EMBED_MAX_ENTRIES = 10_000;

/** Inputs for a generated module's self-check, drawn once with the report (emitters only print them). */
export interface InputSample {
  /** The size of each symbolic dimension: the inputs' sizes, and the defaults of free dimensions. */
  readonly dimSizes: ReadonlyMap<string, number>;
  /**
   * Inputs inside every function's domain; 'too-large' past EMBED_MAX_ENTRIES entries (nothing is
   * drawn); 'none' when no draw was inside the domain.
   */
  readonly inputs: ReadonlyMap<string, Dense> | 'too-large' | 'none';
}

export interface SampleRequest {
  readonly variables: ReadonlyMap<string, Shape>;
  readonly assumptions: ReadonlyMap<string, ReadonlySet<Property>>;
  /** The terms that must evaluate at the inputs (f and what the module computes). */
  readonly terms: readonly Term[];
  /** The terms whose dimensions are sized (after the variables'). */
  readonly sized: readonly Term[];
  readonly seed: number;
}

/**
 * Draws the inputs a generated module embeds, at the sizes the check uses (with its retry in the
 * other order, dim-sizes.ts), with the check's seed.
 */
export function sampleInputs(request: SampleRequest): InputSample {
  const { variables, assumptions, terms, seed } = request;
  const draw = (dimSizes: ReadonlyMap<string, number>): InputSample => {
    let entries = 0;
    for (const shape of variables.values()) entries += resolveDim(shape[0], dimSizes) * resolveDim(shape[1], dimSizes);
    if (entries > EMBED_MAX_ENTRIES) return { dimSizes, inputs: 'too-large' };
    const drawn = drawInDomain(variables, assumptions, dimSizes, seed, terms);
    return { dimSizes, inputs: drawn?.values ?? 'none' };
  };
  return atDimSizes(chooseDimSizes(collectFreeDims(variables, request.sized)), draw, (sample) => sample.inputs === 'none');
}

/**
 * `fields` with a `sample`: the sample of `request` drawn when first read, and then kept (undefined
 * without a request: `sample: false`). Only the NumPy and PyTorch emitters read it, and drawing
 * evaluates f and every gradient at random inputs, a seventh of a small gradient's time, so a caller
 * that prints text or LaTeX, or answers from a long-running process, never pays for it. The draw reads
 * the request only, so it gives the same inputs whenever it runs (terms reset since are still valid
 * terms).
 *
 * The getter is one function for every report, and each report keeps its draw in a symbol-keyed
 * field. A getter written in each report's literal made a closure per report, held by the accessor
 * pair, which V8 makes in its old generation: every report's terms, maps and request stayed reachable
 * from there through the next scavenges (~0.6 MB promoted per scavenge on a loop of small gradients,
 * freed only by a full collection), most of the collector's ~10 % of a fresh call. `sample` stays an
 * own enumerable property, so a report spread into a new object ({ ...report, source }) keeps it.
 */
export function withLazySample<R extends object>(fields: R, request: SampleRequest | undefined): R & { readonly sample?: InputSample } {
  let drawn: InputSample | undefined;
  const draw = (): InputSample | undefined => (request === undefined ? undefined : (drawn ??= sampleInputs(request)));
  Object.defineProperty(fields, DRAW, { value: draw });
  return Object.defineProperty(fields, 'sample', SAMPLE) as R & { readonly sample?: InputSample };
}

const DRAW = Symbol('draw the sample');
const SAMPLE: PropertyDescriptor = {
  get(this: { readonly [DRAW]: () => InputSample | undefined }): InputSample | undefined {
    return this[DRAW]();
  },
  enumerable: true,
  configurable: true,
};

/** Scales each row (or column) of a positive matrix to sum to 1. */
function normaliseLines(m: Dense, lines: 'rows' | 'columns'): void {
  const count = lines === 'rows' ? m.rows : m.cols;
  const length = lines === 'rows' ? m.cols : m.rows;
  const at = (line: number, k: number) => (lines === 'rows' ? line * m.cols + k : k * m.cols + line);
  for (let line = 0; line < count; line++) {
    let total = 0;
    for (let k = 0; k < length; k++) total += m.data[at(line, k)]!;
    for (let k = 0; k < length; k++) m.data[at(line, k)]! /= total;
  }
}
