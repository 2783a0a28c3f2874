import { notationTable } from './harness.js';

/** Plain Unicode and ASCII, as the README writes it: the notation matcalc has always read. */
notationTable('plain', [
  { input: 'xᵀAx', wrt: 'x', numpy: 'x.T @ A @ x' },
  { input: "x'*A*x", wrt: 'x', numpy: 'x.T @ A @ x' },
  { input: 'aᵀexp(Xb)', wrt: 'X', numpy: 'a.T @ np.exp(X @ b)' },
  { input: "tr(X'*X)", wrt: 'X', numpy: 'np.trace(X.T @ X)' },
  { input: 'log det X', wrt: 'X', numpy: 'np.log(np.linalg.det(X))' },
  { input: '‖Ax − b‖²', wrt: 'x', numpy: 'np.sum((A @ x - b)**2)' },
  { input: 'Y = σ(WX); ⟨Y, MY⟩', wrt: 'W', numpy: 'np.sum((1/(1+np.exp(-W @ X))) * (M @ (1/(1+np.exp(-W @ X)))))' },
  { input: 'xᵀAx / xᵀx', wrt: 'x', numpy: '(x.T @ A @ x) / (x.T @ x)' },
]);
