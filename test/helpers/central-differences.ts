import { expect } from 'vitest';
import type { Report } from '../../src/report.js';
import type { Term } from '../../src/term/term.js';
import { Dense } from '../../src/verify/dense-matrix.js';
import { evaluateTerm, evaluateTerms } from '../../src/verify/evaluate.js';

/**
 * Jacobians by central differences, computed by the evaluator alone (no part of the engine's own
 * check), for the tests that compare a derivative matcalc read off with numbers. Numerator layout,
 * column-major vec as matcalc's: J[i][j] = ∂ vec(F)ᵢ / ∂ vec(v)ⱼ. For a matrix F of a scalar v the
 * result is ∂F/∂v of F's shape, as matcalc prints it.
 */
export function numericJacobian(f: Term, wrt: string, values: ReadonlyMap<string, Dense>, dimSizes: ReadonlyMap<string, number>, step = 1e-6): Dense {
  const base = values.get(wrt)!;
  const value = (at: ReadonlyMap<string, Dense>) => evaluateTerm(f, { values: at, dimSizes });
  const moved = (j: number, by: number): Dense => {
    const copy = new Dense(base.rows, base.cols, Float64Array.from(base.data));
    // column-major index j → row-major storage
    copy.data[(j % base.rows) * base.cols + Math.floor(j / base.rows)]! += by;
    return value(new Map([...values, [wrt, copy]]));
  };
  const probe = value(values);
  const n = base.data.length;
  if (n === 1 && probe.rows > 1 && probe.cols > 1) {
    const [up, down] = [moved(0, step), moved(0, -step)];
    return new Dense(probe.rows, probe.cols, up.data.map((u, i) => (u - down.data[i]!) / (2 * step)));
  }
  const m = probe.data.length;
  const out = new Dense(m, n);
  for (let j = 0; j < n; j++) {
    const [up, down] = [moved(j, step), moved(j, -step)];
    for (let i = 0; i < m; i++) {
      // vec(F) index i (column-major) → row-major storage
      const at = (i % probe.rows) * probe.cols + Math.floor(i / probe.rows);
      out.data[i * n + j] = (up.data[at]! - down.data[at]!) / (2 * step);
    }
  }
  return out;
}

/** A Jacobian of a scalar (1×n, column-major order of the variable) laid out in the variable's shape: the gradient. */
export function asGradient(jacobian: Dense, rows: number, cols: number): Dense {
  const out = new Dense(rows, cols);
  for (let j = 0; j < rows * cols; j++) out.data[(j % rows) * cols + Math.floor(j / rows)] = jacobian.data[j]!;
  return out;
}

/** Same shape, and every entry within `tolerance` of the expected one relative to its largest entry (at least 1). */
export function expectClose(actual: Dense, expected: Dense, what: string, tolerance: number): void {
  expect([actual.rows, actual.cols], what).toEqual([expected.rows, expected.cols]);
  const scale = Math.max(1, ...expected.data.map(Math.abs));
  actual.data.forEach((v, i) => expect(Math.abs(v - expected.data[i]!) / scale, `${what}, entry ${i}`).toBeLessThan(tolerance));
}

/** F at the values with entries of variables moved (copies; the drawn values are never changed). */
function evaluateMoved(f: Term, values: ReadonlyMap<string, Dense>, dimSizes: ReadonlyMap<string, number>, moves: readonly [string, number, number][]): Dense {
  const moved = new Map(values);
  for (const [name, index, step] of moves) {
    const v = moved.get(name)!;
    const copy = new Dense(v.rows, v.cols, Float64Array.from(v.data));
    copy.data[index]! += step;
    moved.set(name, copy);
  }
  return evaluateTerms([f], { values: moved, dimSizes }).values[0]!;
}

/**
 * The central-difference matrix of one block of a jac or hess report, entries indexed as the
 * variables' storage: the Jacobian of F along `wrt` (jac), or the Hessian block ∂²f/∂of∂wrtᵀ (hess).
 */
export function blockDifferences(report: Report, of: string | undefined, wrt: string, values: ReadonlyMap<string, Dense>, dimSizes: ReadonlyMap<string, number>): Dense {
  const columns = values.get(wrt)!.data.length;
  if (report.command === 'jac') {
    const h = 1e-5;
    const rows = evaluateMoved(report.f, values, dimSizes, []).data.length;
    const out = new Dense(rows, columns);
    for (let j = 0; j < columns; j++) {
      const plus = evaluateMoved(report.f, values, dimSizes, [[wrt, j, h]]).data;
      const minus = evaluateMoved(report.f, values, dimSizes, [[wrt, j, -h]]).data;
      for (let i = 0; i < rows; i++) out.data[i * columns + j] = (plus[i]! - minus[i]!) / (2 * h);
    }
    return out;
  }
  const h = 1e-4;
  const rows = values.get(of!)!.data.length;
  const out = new Dense(rows, columns);
  const at = (si: number, sj: number, i: number, j: number) => evaluateMoved(report.f, values, dimSizes, [[of!, i, si * h], [wrt, j, sj * h]]).data[0]!;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) out.data[i * columns + j] = (at(1, 1, i, j) - at(1, -1, i, j) - at(-1, 1, i, j) + at(-1, -1, i, j)) / (4 * h * h);
  }
  return out;
}
