import type { OpDeclaration } from './op-declaration.js';

/** The pseudo-inverse, the principal square root and logarithm, with their Fréchet derivatives. One family of term/ops.ts's table. */
export const LINEAR_ALGEBRA_OPS = {
  pinv: {
    doc: 'pinv(X) = X⁺, the Moore–Penrose pseudo-inverse; for X of full rank (XᵀX)⁻¹Xᵀ or Xᵀ(XXᵀ)⁻¹',
    args: [['m', 'n']],
    result: ['n', 'm'],
    argWords: ['a matrix'],
    linear: false,
    domain: 'full-rank',
    positive: false,
    // (S⁺)ᵀ = (Sᵀ)⁺ = S⁺ for a symmetric S.
    symmetric: true,
  },
  // The principal square root and logarithm (Higham 2008, ch. 6 and 11), with their Fréchet derivatives
  // L(A, E) (what the pullbacks write, as L(Aᵀ, G)); a Hessian's rules write these ops again (pullback.rules).
  sqrtm: {
    doc: 'sqrtm(A) = A^(1/2), the principal square root (the one whose eigenvalues have positive real part)',
    args: [['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
  sqrtm_frechet: {
    doc: 'sqrtm_frechet(A, E) = L(A, E), the Z solving SZ + ZS = E with S = sqrtm(A)',
    args: [['n', 'n'], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'a square matrix of the same size'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
  logm: {
    doc: 'logm(A), the principal matrix logarithm (expm(logm(A)) = A, eigenvalues with imaginary part in (−π, π))',
    args: [['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
  logm_frechet: {
    doc: 'logm_frechet(A, E) = L(A, E) = d/dt logm(A + tE) at t = 0, the inverse of expm_frechet(logm(A), ·)',
    args: [['n', 'n'], ['n', 'n']],
    result: ['n', 'n'],
    argWords: ['a square matrix', 'a square matrix of the same size'],
    linear: false,
    domain: 'principal',
    positive: false,
    symmetric: true,
  },
} as const satisfies Record<string, OpDeclaration>;
