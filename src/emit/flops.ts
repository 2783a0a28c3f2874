import { InternalError } from '../diagnostics/diagnostic.js';
import { postOrder } from '../term/traverse.js';
import { isScalar, type Dim, type OpName, type Term } from '../term/term.js';
import { chainFlops, chainOrder, leftToRight, productFlops } from './chain-order.js';
import { reuseSubproducts } from './reuse-products.js';
import { splitProduct } from './layout.js';

/**
 * Floating-point operation counts of evaluating terms the way the emitted NumPy/PyTorch code does
 * (numpy.ts), at concrete sizes: the cheap-gradient bound of issue 5 (a gradient should cost a small
 * multiple of the function) is stated in these units.
 *
 * - Each distinct node of the DAG is counted once: the emitted code computes every repeated node
 *   once (walrus temporaries); several roots counted together share their common nodes, as the
 *   value and the gradients do in the emitted `f_and_grad` module. Products reuse the products of
 *   the DAG they contain, as emitted (reuse-products.ts).
 * - Products: a matrix product m×k · k×n costs mn(2k − 1) (k multiplications and k − 1 additions
 *   per entry; an outer product is mn multiplications). A chain is grouped as the emitters group it:
 *   by matrix-chain order (chain-order.ts) when every size is a number, else left to right. The
 *   scalar factors multiply each other first (one flop each), then scale the chain's result once
 *   (one flop per entry); a coefficient of ±1 is free (a sign, or a subtraction in a sum).
 * - Element-wise operations (+, −, ⊙, ⊘, .^, exp, σ, …): one flop per entry and operand pair;
 *   transcendental functions count as one flop, like the arithmetic ones.
 * - Reductions: sum, trace: one per entry added; ‖·‖, ‖·‖₁, ⟨A, B⟩: two per entry.
 * - Dense linear algebra, n×n, as LAPACK does it: det and logdet (LU) ⅔n³, the inverse 2n³ (LU and
 *   the solve against I), Aᵏ by repeated squaring (n²(2n − 1) per product).
 * - Free: leaves (inputs, constants, 𝟙, I, 0: created, not computed), transposes (a view), diag
 *   and Diag (copies).
 */
export interface FlopOptions {
  /** The size of a symbolic dimension; without it every dimension must be a number. */
  readonly size?: (dim: string) => number;
  /** false: count products as flat words, without reusing other products (reuse-products.ts). Default true, as emitted. */
  readonly reuseProducts?: boolean;
}

export interface FlopCount {
  readonly total: number;
  /** Flops by the kind of node that spends them ('mul', 'inv', 'fn', …; an op by its name, 'logsumexp'). */
  readonly byKind: Readonly<Record<string, number>>;
}

type Size = readonly [number, number];

/**
 * The operations of each op of term/ops.ts, from its arguments' and result's sizes, counted as the
 * emitted code computes it (a log-sum-exp: the maximum, the shift, the exponentials, the sum).
 */
export const OP_FLOPS: Record<OpName, (args: readonly Size[], result: Size) => number> = {
  logsumexp: ([[m, n]]) => 4 * m! * n! + 1,
  softmax: ([[m, n]]) => 5 * m! * n!,
  log_softmax: ([[m, n]]) => 5 * m! * n!,
  mean: ([[m, n]]) => m! * n!,
  var: ([[m, n]]) => 4 * m! * n!,
  nrows: () => 0,
  ncols: () => 0,
  // Padé [13/13] with scaling and squaring: about 6 products and one solve, ~(6 + 4/3 + s)·2n³; counted
  // at s = 3 squarings. The Fréchet derivatives exponentiate a 2n and a 4n block matrix.
  expm: ([[n]]) => expmFlops(n!),
  expm_frechet: ([[n]]) => expmFlops(2 * n!),
  expm_frechet2: ([[n]]) => expmFlops(4 * n!),
  // Eigen-decompositions (~9k³ for k×k) and SVDs (~4mn² + 8n³ for m ≥ n) of the arguments, as emitted.
  specnorm: ([[m, n]]) => svdFlops(m!, n!),
  specnorm_grad: ([[m, n]]) => svdFlops(m!, n!) + m! * n!,
  specnorm_hess: ([[m, n]]) => 9 * m! ** 3 + 9 * n! ** 3 + 2 * m! * n! * (m! + n!) + 8 * m! * n!,
  eigmax: ([[n]]) => 9 * n! ** 3,
  eigmax_grad: ([[n]]) => 9 * n! ** 3 + n! * n!,
  eigmax_hess: ([[n]]) => 9 * n! ** 3 + 4 * n! ** 2,
  nucnorm: ([[m, n]]) => svdFlops(m!, n!),
  polar: ([[m, n]]) => svdFlops(m!, n!) + 2 * m! * n! * Math.min(m!, n!),
  polar_frechet: ([[m, n]]) => 9 * Math.min(m!, n!) ** 3 + 8 * m! * n! * Math.min(m!, n!),
  // Per row or column as the vector op: the maxima, the shift, the exponentials, the sums, then the
  // division (softmax) or the subtraction of the logarithms (log_softmax).
  softmax_rows: ([[m, n]]) => 5 * m! * n!,
  softmax_cols: ([[m, n]]) => 5 * m! * n!,
  log_softmax_rows: ([[m, n]]) => 5 * m! * n! + m!,
  log_softmax_cols: ([[m, n]]) => 5 * m! * n! + n!,
  logsumexp_rows: ([[m, n]]) => 4 * m! * n! + m!,
  logsumexp_cols: ([[m, n]]) => 4 * m! * n! + n!,
  // A call of a function the caller supplies: counted as one operation per entry of its argument.
  absfn: ([, [m, n]]) => m! * n!,
  absgrad: ([, [m, n]]) => m! * n!,
  absew: ([, [m, n]]) => m! * n!,
  absewd: ([, [m, n]]) => m! * n!,
  // The SVD numpy and torch compute it by: about 4mn·min(m, n) + 8·min(m, n)³ (Golub & Van Loan §8.6).
  pinv: ([[m, n]]) => 4 * m! * n! * Math.min(m!, n!) + 8 * Math.min(m!, n!) ** 3,
  // A Schur form (~25n³, as scipy's sqrtm and logm start) and its triangular recurrence; L of sqrtm adds
  // a Sylvester solve (two more Schur forms), L of logm is logm of the 2n block matrix.
  sqrtm: ([[n]]) => 28 * n! ** 3,
  sqrtm_frechet: ([[n]]) => 28 * n! ** 3 + 60 * n! ** 3,
  logm: ([[n]]) => 40 * n! ** 3,
  logm_frechet: ([[n]]) => 40 * (2 * n!) ** 3,
  // One product per entry of the result; a contraction one multiply-add per entry of G; reshapes none.
  kron: (_, [r, c]) => r * c,
  kron_contract_left: ([[r, c]]) => 2 * r! * c!,
  kron_contract_right: ([[r, c]]) => 2 * r! * c!,
  vec: () => 0,
  unvec: () => 0,
  vstack: () => 0, // a copy, no arithmetic
  // B is evaluated once per column; its own count is the walk's (once), so this counts only the copy.
  columns: () => 0,
  // The exponent is unknown when counting: counted as a square (one product), the loop's body as two.
  matpow: ([[n]]) => 2 * n! ** 3,
  powsum: ([[n]]) => 4 * n! ** 3,
};

function svdFlops(m: number, n: number): number {
  const [big, small] = m >= n ? [m, n] : [n, m];
  return 4 * big * small ** 2 + 8 * small ** 3;
}

function expmFlops(n: number): number {
  return Math.round((6 + 4 / 3 + 3) * 2 * n ** 3);
}

export function countFlops(given: readonly Term[], options: FlopOptions = {}): FlopCount {
  const roots = options.reuseProducts === false ? given : reuseSubproducts(given).roots;
  const size = (d: Dim): number => {
    if (typeof d === 'number') return d;
    if (options.size === undefined) throw new InternalError(`countFlops: dimension ${d} has no size`);
    return options.size(d);
  };
  const entries = (t: Term): number => size(t.shape[0]) * size(t.shape[1]);
  const byKind: Record<string, number> = {};
  let total = 0;
  const never = (): boolean => false;
  for (const node of postOrder(roots)) {
    let flops = 0;
    switch (node.kind) {
      case 'var':
      case 'num':
      case 'zero':
      case 'ones':
      case 'eye':
      case 'transpose':
      case 'diag':
      case 'diagm':
        break;
      case 'add':
        flops = (node.terms.length - 1) * entries(node);
        break;
      case 'hmul':
        flops = (node.factors.length - 1) * entries(node);
        break;
      case 'hdiv':
      case 'epow':
      case 'fn':
        flops = entries(node);
        break;
      case 'sum':
        flops = entries(node.operand);
        break;
      case 'trace':
        flops = size(node.operand.shape[0]);
        break;
      case 'norm1':
      case 'norm2':
        flops = 2 * entries(node.operand);
        break;
      case 'inner':
        flops = 2 * entries(node.left);
        break;
      case 'det':
      case 'logdet': {
        const n = size(node.operand.shape[0]);
        flops = isScalar(node.operand) ? 1 : (2 / 3) * n ** 3;
        break;
      }
      case 'inv': {
        const n = size(node.operand.shape[0]);
        flops = isScalar(node.operand) ? 1 : 2 * n ** 3;
        break;
      }
      case 'mpow': {
        const n = size(node.operand.shape[0]);
        const k = node.exponent;
        const products = Math.floor(Math.log2(k)) + k.toString(2).split('1').length - 2;
        flops = products * (isScalar(node.operand) ? 1 : productFlops(n, n, n));
        break;
      }
      case 'op':
        flops = OP_FLOPS[node.op](
          node.args.map((a) => [size(a.shape[0]), size(a.shape[1])] as const),
          [size(node.shape[0]), size(node.shape[1])],
        );
        break;
      case 'mul': {
        // Laid out as numpy.ts lays it out: c * s₁ * ⋯ * (chain) / d₁ ** k ⋯
        const { coefficient, scalars, chain, denominators } = splitProduct(node, never, false);
        if (chain.length >= 2) {
          const order = chainOrder(chain.map((f) => f.shape)) ?? leftToRight(chain.length);
          flops += chainFlops(
            chain.map((f) => [size(f.shape[0]), size(f.shape[1])] as const),
            order,
          );
        }
        const scale = scalars.length + (coefficient !== undefined && Math.abs(coefficient) !== 1 ? 1 : 0);
        const result = entries(node);
        if (scale > 0) flops += chain.length > 0 ? scale - 1 + result : scale - 1;
        flops += denominators.length * result;
        break;
      }
    }
    if (flops > 0) {
      total += flops;
      const kind = node.kind === 'op' ? node.op : node.kind;
      byKind[kind] = (byKind[kind] ?? 0) + flops;
    }
  }
  return { total, byKind };
}
