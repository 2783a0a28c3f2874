import { Dense } from './dense.js';
import type { Rng } from './random.js';
import type { Property } from './sample.js';

/**
 * The directions V along which the gradient check compares: random ones and the unit directions
 * E_ij, each within the variable's assumed structure (symmetric, diagonal). Separate: which
 * directions to try is a policy of its own, apart from how each is measured (line-probe.ts).
 */

export function randomDirections(x: Dense, properties: ReadonlySet<Property>, count: number, rng: Rng): { label: string; v: Dense }[] {
  const out: { label: string; v: Dense }[] = [];
  const n = x.rows;
  for (let k = 0; k < count; k++) {
    const v = new Dense(x.rows, x.cols);
    if (properties.has('probability') || stochastic(properties)) {
      // Along the simplex: entries summing to 0 (in each row or column), so every point of the line
      // sums to 1 too.
      for (let i = 0; i < v.data.length; i++) v.data[i] = rng.normal();
      centreWithin(v, properties);
    } else if (properties.has('diagonal')) {
      for (let i = 0; i < n; i++) v.data[i * n + i] = rng.normal();
    } else if (properties.has('symmetric') || properties.has('spd')) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const e = rng.normal();
          v.data[i * n + j] = e;
          v.data[j * n + i] = e;
        }
      }
    } else {
      for (let i = 0; i < v.data.length; i++) v.data[i] = rng.normal();
    }
    out.push({ label: `random direction #${k + 1}`, v });
  }
  return out;
}

/** Whether each row or each column of the variable is a probability vector. */
function stochastic(properties: ReadonlySet<Property>): boolean {
  return properties.has('row-stochastic') || properties.has('column-stochastic');
}

/** A direction that keeps the variable's sums: centred as a whole, or row by row, or column by column. */
function centreWithin(v: Dense, properties: ReadonlySet<Property>): void {
  if (properties.has('row-stochastic')) centreLines(v, v.rows, v.cols, (line, k) => line * v.cols + k);
  else if (properties.has('column-stochastic')) centreLines(v, v.cols, v.rows, (line, k) => k * v.cols + line);
  else centreLines(v, 1, v.data.length, (_, k) => k);
}

/** Subtracts from each line (a row, a column, or all entries as one) its mean: each sums to 0. */
function centreLines(v: Dense, count: number, length: number, at: (line: number, k: number) => number): void {
  for (let line = 0; line < count; line++) {
    let total = 0;
    for (let k = 0; k < length; k++) total += v.data[at(line, k)]!;
    for (let k = 0; k < length; k++) v.data[at(line, k)]! -= total / length;
  }
}

/** Unit directions E_ij; a symmetric variable moves by E_ij + E_ji, a diagonal one along E_ii only. */
export function unitDirections(x: Dense, properties: ReadonlySet<Property>): { label: string; v: Dense }[] {
  const out: { label: string; v: Dense }[] = [];
  const symmetric = properties.has('symmetric') || properties.has('spd');
  const diagonal = properties.has('diagonal');
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      if (diagonal && i !== j) continue;
      if (symmetric && j > i) continue;
      const v = new Dense(x.rows, x.cols);
      v.set(i, j, 1);
      if (symmetric && i !== j) v.set(j, i, 1);
      // A probability vector moves along E_ij − its mean: the nearest direction within the simplex
      // (a row- or column-stochastic matrix, within its row's or column's).
      if (properties.has('probability') || stochastic(properties)) centreWithin(v, properties);
      const label = symmetric && i !== j ? `E[${i + 1},${j + 1}] + E[${j + 1},${i + 1}]` : `E[${i + 1},${j + 1}]`;
      out.push({ label, v });
    }
  }
  return out;
}
