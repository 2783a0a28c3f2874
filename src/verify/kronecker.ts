import { Dense } from './dense.js';

/**
 * The values of the Kronecker ops (term/ops.ts): A ⊗ B, the block contractions its pullback writes,
 * vec and its inverse. The blocks of a G of mp×nq are m×n blocks of p×q: block (i, j) holds
 * G[ip + k, jq + l] for k < p, l < q, the place of Aᵢⱼ Bₖₗ in A ⊗ B (Magnus & Neudecker, ch. 2).
 */

export function kron(a: Dense, b: Dense): Dense {
  const out = new Dense(a.rows * b.rows, a.cols * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) {
      const aij = a.get(i, j);
      for (let k = 0; k < b.rows; k++) for (let l = 0; l < b.cols; l++) out.set(i * b.rows + k, j * b.cols + l, aij * b.get(k, l));
    }
  return out;
}

/** (i, j) ↦ ⟨block (i, j) of G, B⟩: a matrix of m×n, for G of mp×nq and B of p×q. */
export function kronContractLeft(g: Dense, b: Dense): Dense {
  const m = g.rows / b.rows;
  const n = g.cols / b.cols;
  const out = new Dense(m, n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < b.rows; k++) for (let l = 0; l < b.cols; l++) s += g.get(i * b.rows + k, j * b.cols + l) * b.get(k, l);
      out.set(i, j, s);
    }
  return out;
}

/** Σᵢⱼ Aᵢⱼ (block (i, j) of G): a matrix of p×q, for G of mp×nq and A of m×n. */
export function kronContractRight(g: Dense, a: Dense): Dense {
  const p = g.rows / a.rows;
  const q = g.cols / a.cols;
  const out = new Dense(p, q);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) {
      const aij = a.get(i, j);
      for (let k = 0; k < p; k++) for (let l = 0; l < q; l++) out.set(k, l, out.get(k, l) + aij * g.get(i * p + k, j * q + l));
    }
  return out;
}

/** The columns of X stacked: entry i + jm of vec(X) is Xᵢⱼ. */
export function vec(x: Dense): Dense {
  const out = new Dense(x.rows * x.cols, 1);
  for (let j = 0; j < x.cols; j++) for (let i = 0; i < x.rows; i++) out.set(i + j * x.rows, 0, x.get(i, j));
  return out;
}

/** The column g laid out column by column as a matrix of `shape`'s size (vec⁻¹). */
export function unvec(g: Dense, shape: Dense): Dense {
  const out = new Dense(shape.rows, shape.cols);
  for (let j = 0; j < shape.cols; j++) for (let i = 0; i < shape.rows; i++) out.set(i, j, g.get(i + j * shape.rows, 0));
  return out;
}
