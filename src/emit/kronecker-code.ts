import type { Dim, TermOf } from '../term/term.js';

/**
 * The NumPy and PyTorch code of the Kronecker ops (term/ops.ts), shared by both dialects: `kron`,
 * `einsum` and `reshape` are spelt alike. vec stacks columns: NumPy reshapes in column-major order,
 * PyTorch (row-major only) reshapes the transpose. The contractions view G (mp×nq) as an m×p×n×q
 * array — G[ip + k, jq + l] is G4[i, k, j, l] in row-major order — and contract its block axes with
 * B (giving the m×n gradient of A) or its block-grid axes with A (the p×q gradient of B), the formulas
 * of src/verify/kronecker.ts. unvec takes its shape from its second argument, printed once.
 */
export type Lib = 'np' | 'torch';

/** torch.kron refuses some non-contiguous operands (a transpose: "view size is not compatible"), so torch's are made contiguous. */
export function kronCode(lib: Lib, a: string, b: string): string {
  return lib === 'np' ? `np.kron(${a}, ${b})` : `torch.kron(torch.Tensor.contiguous(${a}), torch.Tensor.contiguous(${b}))`;
}

/** The sizes m, p, n, q of a contraction's blocks, as the dialect writes dimensions. */
export function blockDims(node: TermOf<'op'>, dim: (d: Dim) => string): readonly [string, string, string, string] {
  const [result, factor] = [node.shape, node.args[1]!.shape];
  // left: the result is m×n and the factor B p×q; right: the factor A is m×n and the result p×q.
  const [outer, inner] = node.op === 'kron_contract_left' ? [result, factor] : [factor, result];
  return [dim(outer[0]), dim(inner[0]), dim(outer[1]), dim(inner[1])];
}

export function contractCode(lib: Lib, side: 'left' | 'right', g: string, factor: string, [m, p, n, q]: readonly string[]): string {
  const blocks = `${lib}.reshape(${g}, (${m}, ${p}, ${n}, ${q}))`;
  return `${lib}.einsum('${side === 'left' ? 'ikjl,kl->ij' : 'ikjl,ij->kl'}', ${blocks}, ${factor})`;
}

export function vecCode(lib: Lib, x: string): string {
  return lib === 'np' ? `np.reshape(${x}, (-1, 1), order='F')` : `torch.reshape(torch.t(${x}), (-1, 1))`;
}

export function unvecCode(lib: Lib, g: string, shapeOf: string): string {
  return lib === 'np' ? `np.reshape(${g}, np.shape(${shapeOf}), order='F')` : `torch.t(torch.reshape(${g}, torch.t(${shapeOf}).shape))`;
}
