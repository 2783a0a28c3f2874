import { notationTable } from './harness.js';

/**
 * Fractions as people type them (grammar/README.md, "Fractions"): after a division a number is the
 * whole denominator, otherwise the denominator runs to the first space. The ML literature's
 * `1/2 xᵀx`, `λ/2 ‖w‖²` and `1/(2σ²) ‖x − μ‖²` scale what follows; the Rayleigh quotient
 * `xᵀAx/xᵀx` divides by all of xᵀx.
 */
notationTable('fractions', [
  // a number is the whole denominator
  { input: '1/2 xᵀx', wrt: 'x', numpy: '0.5 * (x.T @ x)' },
  { input: '1/2xᵀx', wrt: 'x', numpy: '0.5 * (x.T @ x)' },
  { input: "1/2 x'*x", wrt: 'x', numpy: '0.5 * (x.T @ x)' },
  { input: "1/2*x'*x", wrt: 'x', numpy: '0.5 * (x.T @ x)' },
  { input: '1/2 xᵀAx', wrt: 'x', numpy: '0.5 * (x.T @ A @ x)' },
  { input: '1/2 xᵀAx − bᵀx', wrt: 'x', numpy: '0.5 * (x.T @ A @ x) - b.T @ x' },
  { input: '1/2‖Ax − b‖²', wrt: 'x', numpy: '0.5 * np.sum((A @ x - b)**2)' },
  { input: '1/2 ‖Ax − b‖²', wrt: 'x', numpy: '0.5 * np.sum((A @ x - b)**2)' },
  { input: '1/2 ‖Ax - b‖_2^2', wrt: 'x', numpy: '0.5 * np.sum((A @ x - b)**2)' },
  { input: '1/2 ‖y − Xw‖² + λ/2 ‖w‖²', wrt: 'w', numpy: '0.5 * np.sum((y - X @ w)**2) + λ / 2 * np.sum(w**2)' },
  { input: 'λ/2 ‖w‖²', wrt: 'w', numpy: 'λ / 2 * np.sum(w**2)' },
  { input: 'λ/2 wᵀw', wrt: 'w', numpy: 'λ / 2 * (w.T @ w)' },
  { input: 'exp(-1/2 xᵀx)', wrt: 'x', numpy: 'np.exp(-0.5 * (x.T @ x))' },
  { input: "exp(-1/2*x'*x)", wrt: 'x', numpy: 'np.exp(-0.5 * (x.T @ x))' },
  { input: 'exp(-1/2 (x − μ)ᵀ(x − μ))', wrt: 'μ', numpy: 'np.exp(-0.5 * ((x - μ).T @ (x - μ)))' },
  { input: 'exp(-1/2 ‖x − μ‖²/σ²)', wrt: 'x', numpy: 'np.exp(-0.5 * np.sum((x - μ)**2) / σ**2)' },
  { input: '1/2 tr(XᵀAX)', wrt: 'X', numpy: '0.5 * np.trace(X.T @ A @ X)' },
  { input: '1/3 sum(x.^3)', wrt: 'x', numpy: 'np.sum(x**3) / 3' },
  { input: '1/4 ‖x‖⁴', wrt: 'x', numpy: '0.25 * np.sum(x**2)**2' },
  { input: 'x/2 y', wrt: 'x', numpy: 'x / 2 * y' },
  { input: 'x/2y', wrt: 'x', refuse: '(x/2)y or x/(2y)' },
  { input: 'xᵀAx/2xᵀx', wrt: 'x', refuse: '(xᵀAx/2)xᵀx or xᵀAx/(2xᵀx)' },
  { input: 'λ/2‖w‖²', wrt: 'w', refuse: 'write λ/2 ‖w‖² (with a space)' },
  { input: '1/2π', wrt: 'x', numpy: '1 / (2 * np.pi)' },
  { input: 'sum(x)/2π', wrt: 'x', numpy: 'np.sum(x) / (2 * np.pi)' },
  { input: '1/2 π xᵀx', wrt: 'x', numpy: 'np.pi / 2 * (x.T @ x)' },
  { input: 'xᵀx/2', wrt: 'x', numpy: '(x.T @ x) / 2' },
  { input: 'tr(XᵀX)/2', wrt: 'X', numpy: 'np.trace(X.T @ X) / 2' },
  { input: '(xᵀx)/2 + 1/3 sum(x)', wrt: 'x', numpy: '(x.T @ x) / 2 + np.sum(x) / 3' },
  // the fraction glyphs
  { input: '½xᵀx', wrt: 'x', numpy: '0.5 * (x.T @ x)' },
  { input: '½ xᵀx', wrt: 'x', numpy: '0.5 * (x.T @ x)' },
  { input: '½‖Xw − y‖² + λ/2 ‖w‖²', wrt: 'w', numpy: '0.5 * np.sum((X @ w - y)**2) + λ / 2 * np.sum(w**2)' },
  { input: '¼‖x‖⁴', wrt: 'x', numpy: '0.25 * np.sum(x**2)**2' },
  { input: '⅓ sum(x.^3)', wrt: 'x', numpy: 'np.sum(x**3) / 3' },
  { input: '¾xᵀAx', wrt: 'x', numpy: '0.75 * (x.T @ A @ x)' },
  { input: 'exp(-½xᵀx)', wrt: 'x', numpy: 'np.exp(-0.5 * (x.T @ x))' },
  { input: '2½x', wrt: 'x', refuse: "'2½' is not a number" },
  // otherwise the denominator runs to the first space
  { input: 'xᵀAx / xᵀx', wrt: 'x', numpy: '(x.T @ A @ x) / (x.T @ x)' },
  { input: 'xᵀAx/xᵀx', wrt: 'x', numpy: '(x.T @ A @ x) / (x.T @ x)' },
  { input: "x'*A*x/(x'*x)", wrt: 'x', numpy: '(x.T @ A @ x) / (x.T @ x)' },
  { input: '2xᵀAx / xᵀx', wrt: 'x', numpy: '2 * (x.T @ A @ x) / (x.T @ x)' },
  { input: 'xᵀAx / xᵀBx', wrt: 'x', numpy: '(x.T @ A @ x) / (x.T @ B @ x)' },
  { input: '1/(2σ²) ‖x − μ‖²', wrt: 'x', numpy: 'np.sum((x - μ)**2) / (2 * σ**2)' },
  { input: '1/(2σ^2) ‖x - μ‖^2', wrt: 'μ', numpy: 'np.sum((x - μ)**2) / (2 * σ**2)' },
  { input: 'exp(-‖x − μ‖²/(2σ²))', wrt: 'x', numpy: 'np.exp(-np.sum((x - μ)**2) / (2 * σ**2))' },
  // n, the one free dimension, is that dimension (grammar/README.md, "A dimension as a number").
  { input: '1/n sum(x)', wrt: 'x', numpy: 'np.sum(x) / x.shape[0]' },
  { input: '1/c ‖Xw − y‖²', wrt: 'w', numpy: 'np.sum((X @ w - y)**2) / c' },
  { input: '1/(2c) ‖Xw − y‖²', wrt: 'w', numpy: 'np.sum((X @ w - y)**2) / (2 * c)' },
  // X is n×m here: m, its columns, may not be the m the user means (samples): both readings, refused.
  { input: '1/m ‖Xw − y‖²', wrt: 'w', refuse: "'m' reads two ways" },
  { input: '1/(2m) ‖Xw − y‖²', wrt: 'w,m', numpy: 'np.sum((X @ w - y)**2) / (2 * m)' },
  { input: 'a/bc', wrt: 'a', numpy: 'a / (b * c)' },
  { input: 'a/b c', wrt: 'a', numpy: 'a / b * c' },
  { input: 'sum(x)/n', wrt: 'x', numpy: 'np.sum(x) / x.shape[0]' },
  { input: 'log det X / n', wrt: 'X', numpy: 'np.log(np.linalg.det(X)) / X.shape[0]' },
  { input: 'aᵀx / log(bᵀx)', wrt: 'x', numpy: '(a.T @ x) / np.log(b.T @ x)' },
  { input: 'sum(x ./ 2 y)', wrt: 'x', numpy: 'np.sum(x / 2 * y)' },
  { input: 'sum(exp(x)) / sum(exp(y))', wrt: 'x', numpy: 'np.sum(np.exp(x)) / np.sum(np.exp(y))' },
]);
