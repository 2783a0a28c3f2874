import { describe, expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { gradient } from '../../src/pipeline.js';

/**
 * MATLAB's and NumPy's norms with an order (src/syntax/norm-order.ts), differentiated: each gradient
 * passes the numeric check (the 1-norm's away from its kinks, as abs), and prints the textbook form
 * (Cookbook §2.7 for the 1-norm's sign(x), (128)–(130) for the Frobenius norm; Magnus & Neudecker
 * §8.9 for σ₁). The readings themselves are compared with NumPy in test/notation/{matlab,numpy}.test.ts.
 */
const PROBLEMS: readonly { expr: string; wrt: string; dims?: string; printed: string; ref: string }[] = [
  { expr: 'norm(x, 1)', wrt: 'x', printed: 'sign(x)', ref: 'd‖x‖₁ = sign(x)ᵀdx' },
  { expr: 'norm(A*x - b, 1)', wrt: 'x', printed: 'Aᵀsign(Ax − b)', ref: 'least absolute deviations' },
  { expr: 'norm(W*x - y, 1)', wrt: 'W', printed: 'sign(Wx − y)xᵀ', ref: 'chain rule' },
  { expr: "norm(x, 1) + norm(x, 2)^2", wrt: 'x', printed: '2x + sign(x)', ref: 'elastic net' },
  { expr: "norm(X, 'fro')^2", wrt: 'X', printed: '2X', ref: 'Cookbook (128)' },
  { expr: 'norm(X, "fro")', wrt: 'X', printed: 'X / ‖X‖_F', ref: 'Cookbook (130)' },
  { expr: "norm(A*X - B, 'fro')^2", wrt: 'X', printed: '2Aᵀ(AX − B)', ref: 'Cookbook (128), least squares' },
  { expr: 'norm(x, 2)', wrt: 'x', printed: 'x / ‖x‖', ref: 'Cookbook (129)' },
  { expr: 'norm(X, 2)', wrt: 'X', printed: 'specnorm_grad(X)', ref: 'M&N §8.9: u₁v₁ᵀ' },
  { expr: "norm(X, 'nuc')", wrt: 'X', printed: 'polar(X)', ref: 'Watson 1992: UVᵀ' },
  { expr: 'np.linalg.norm(x, ord=1)', wrt: 'x', printed: 'sign(x)', ref: 'NumPy ord=1 of a vector' },
  { expr: "np.linalg.norm(A @ X - B, 'fro')**2", wrt: 'X', printed: '2Aᵀ(AX − B)', ref: 'Cookbook (128)' },
  { expr: 'torch.norm(W @ x - y, p=1)', wrt: 'W', printed: 'sign(Wx − y)xᵀ', ref: 'PyTorch p=1' },
  { expr: 'torch.linalg.vector_norm(X, ord=1)', wrt: 'X', printed: 'sign(X)', ref: 'the flattened 1-norm' },
];

describe.each(PROBLEMS.map((p) => [p.expr, p] as const))('%s', (_expr, p) => {
  test(`passes the check and prints ${p.printed} (${p.ref})`, () => {
    const result = gradient({ expression: p.expr, wrt: p.wrt, dims: p.dims, seed: 2 });
    if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
    expect(result.value.check?.status, result.value.check?.reason).toBe('passed');
    expect(gradientViews(result.value)[0]!.text).toBe(p.printed);
  });
});
