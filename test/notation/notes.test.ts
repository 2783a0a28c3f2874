import { notationTable } from './harness.js';

const SIGMOID_WX = '(1/(1+np.exp(-W @ X)))';

/** The lecture notes' notation (../shared/seeds/): definitions after the expression, Tr, ln, 𝟏, |x|, √, ⊤, accents. */
notationTable('lecture notes', [
  // Definitions after the expression; the splitter knows Y when it reads MY.
  { input: '⟨Y, MY⟩, Y = σ(WX)', wrt: 'W', numpy: `np.sum(${SIGMOID_WX} * (M @ ${SIGMOID_WX}))` },
  { input: '⟨Y, MY⟩ where Y = σ(WX)', wrt: 'W', numpy: `np.sum(${SIGMOID_WX} * (M @ ${SIGMOID_WX}))` },
  { input: '⟨Y, MY⟩\nwhere Y = σ(WX)', wrt: 'X', numpy: `np.sum(${SIGMOID_WX} * (M @ ${SIGMOID_WX}))` },
  { input: '⟨Y, MY⟩, where Y = σ(WX)', wrt: 'W', numpy: `np.sum(${SIGMOID_WX} * (M @ ${SIGMOID_WX}))` },
  { input: 'sum(tanh(Y)) where Y = WX', wrt: 'W', numpy: 'np.sum(np.tanh(W @ X))' },
  { input: 'tr(ZᵀZ) where Z = AX, A = BC', wrt: 'X', numpy: 'np.trace((B @ C @ X).T @ (B @ C @ X))' },
  { input: 'tr(ZᵀZ) where A = BC, Z = AX', wrt: 'X', numpy: 'np.trace((B @ C @ X).T @ (B @ C @ X))' },
  { input: 'sum(T2) where T1 = WX, T2 = tanh(T1)', wrt: 'W', numpy: 'np.sum(np.tanh(W @ X))' },
  { input: 'aᵀY with Y = exp(Xb)', wrt: 'X', numpy: 'a.T @ np.exp(X @ b)' },
  { input: '⟨Y, MY⟩_F, Y = σ(WX)', wrt: 'W', numpy: `np.sum(${SIGMOID_WX} * (M @ ${SIGMOID_WX}))` },
  { input: '⟨A, B⟩, B = XᵀX', wrt: 'X', numpy: 'np.sum(A * (X.T @ X))' },
  // A named function: the name and its arguments go.
  { input: 'f(x) = xᵀAx', wrt: 'x', numpy: 'x.T @ A @ x' },
  { input: 'L = ‖Ax − b‖²', wrt: 'x', refuse: 'expected an expression after the definitions' },
  { input: 'L(W) = ⟨Y, MY⟩, Y = σ(WX)', wrt: 'W', numpy: `np.sum(${SIGMOID_WX} * (M @ ${SIGMOID_WX}))` },
  { input: 'f(X) = log det X', wrt: 'X', numpy: 'np.log(np.linalg.det(X))' },
  // Trace spellings.
  { input: 'Tr(XᵀAX)', wrt: 'X', numpy: 'np.trace(X.T @ A @ X)' },
  { input: 'tr(XᵀAX)', wrt: 'X', numpy: 'np.trace(X.T @ A @ X)' },
  { input: 'trace(XᵀAX)', wrt: 'X', numpy: 'np.trace(X.T @ A @ X)' },
  { input: 'Tr XᵀAX', wrt: 'X', numpy: 'np.trace(X.T @ A @ X)' },
  { input: 'Tr(AXB)', wrt: 'X', numpy: 'np.trace(A @ X @ B)' },
  // ⟨A, B⟩_F
  { input: '⟨A, X⟩_F', wrt: 'X', numpy: 'np.sum(A * X)' },
  { input: '⟨X, X⟩_F', wrt: 'X', numpy: 'np.sum(X * X)' },
  // Ones vectors: 𝟏, 𝟙 and a transposed 1.
  { input: '𝟏ᵀA𝟏', wrt: 'A', numpy: 'np.sum(A)' },
  { input: '𝟙ᵀA𝟙', wrt: 'A', numpy: 'np.sum(A)' },
  { input: '1ᵀx', wrt: 'x', numpy: 'np.sum(x)' },
  { input: "1'x", wrt: 'x', numpy: 'np.sum(x)' },
  { input: '1ᵀexp(x)', wrt: 'x', numpy: 'np.sum(np.exp(x))' },
  { input: '1⊤x', wrt: 'x', numpy: 'np.sum(x)' },
  { input: '𝟏ᵀ(x ⊙ x)', wrt: 'x', numpy: 'np.sum(x * x)' },
  { input: 'log(1ᵀexp(x))', wrt: 'x', numpy: 'np.log(np.sum(np.exp(x)))' },
  // ⊤ as transpose.
  { input: 'x⊤Ax', wrt: 'x', numpy: 'x.T @ A @ x' },
  { input: 'tr(X⊤X)', wrt: 'X', numpy: 'np.trace(X.T @ X)' },
  // Accents.
  { input: '‖Ŷ − Y‖²', wrt: 'Ŷ', numpy: 'np.sum((Ŷ - Y)**2)' },
  { input: '‖y\u0302 − y‖²', wrt: 'ŷ', numpy: 'np.sum((ŷ - y)**2)' },
  { input: 'x̂ᵀAx̂', wrt: 'x̂', numpy: 'x̂.T @ A @ x̂' },
  { input: 'tr(ŴᵀW)', wrt: 'W', numpy: 'np.trace(Ŵ.T @ W)' },
  // Roots, absolute values, logarithms, inverses.
  { input: '√(xᵀx)', wrt: 'x', numpy: 'np.sqrt(x.T @ x)' },
  { input: '√(aᵀa + xᵀx)', wrt: 'x', numpy: 'np.sqrt(a.T @ a + x.T @ x)' },
  { input: 'sum(|x|)', wrt: 'x', numpy: 'np.sum(np.abs(x))' },
  { input: '|aᵀx|', wrt: 'x', numpy: 'np.abs(a.T @ x)' },
  { input: '|aᵀx| + |bᵀx|', wrt: 'x', numpy: 'np.abs(a.T @ x) + np.abs(b.T @ x)' },
  { input: '‖x‖ + |aᵀx|', wrt: 'x', numpy: 'np.sqrt(np.sum(x**2)) + np.abs(a.T @ x)' },
  { input: '||x|| + |aᵀx|', wrt: 'x', numpy: 'np.sqrt(np.sum(x**2)) + np.abs(a.T @ x)' },
  { input: 'ln(xᵀx)', wrt: 'x', numpy: 'np.log(x.T @ x)' },
  { input: 'ln det X', wrt: 'X', numpy: 'np.log(np.linalg.det(X))' },
  { input: 'ln(det(X))', wrt: 'X', numpy: 'np.log(np.linalg.det(X))' },
  { input: 'aᵀX^{-1}b', wrt: 'X', numpy: 'a.T @ np.linalg.inv(X) @ b' },
  { input: 'tr(X^{-1})', wrt: 'X', numpy: 'np.trace(np.linalg.inv(X))' },
  { input: 'aᵀX⁻¹b', wrt: 'X', numpy: 'a.T @ np.linalg.inv(X) @ b' },
  { input: 'sum(exp(x))', wrt: 'x', numpy: 'np.sum(np.exp(x))' },
  // Stacking and index sums are refused with what to write.
  { input: '[3x^2y; 2x + y^8]', wrt: 'x', refuse: 'stacked vector functions' },
  { input: '[f, g]ᵀ', wrt: 'f', refuse: 'not supported yet' },
  { input: 'sum([x])', wrt: 'x', refuse: 'stacked vector functions' },
  { input: 'mean(x)', wrt: 'x', refuse: 'sum(x)/n' },
  { input: 'expm(X)', wrt: 'X', refuse: 'the matrix exponential is not supported yet' },
  { input: 'norm(x)', wrt: 'x', refuse: 'norm2(x)' },
  { input: 'pinv(X)', wrt: 'X', refuse: 'pseudo-inverse' },
  { input: 'log1p(xᵀx)', wrt: 'x', refuse: 'log(1 + x)' },
  { input: 'logsumexp(x)', wrt: 'x', refuse: 'log(sum(exp(x)))' },
  { input: 'softmax(x)', wrt: 'x', refuse: 'exp(x)/sum(exp(x))' },
  { input: 'max(x)', wrt: 'x', refuse: 'relu' },
  { input: '|x', wrt: 'x', refuse: "'|'" },
  { input: 'xᵀx where', wrt: 'x', refuse: "'where' without a definition" },
  { input: 'xᵀAx where A', wrt: 'x', refuse: 'where Y = …' },
  { input: 'log |X|', wrt: 'X', refuse: 'det(X) for the determinant' },
  { input: '|X| + tr(X)', wrt: 'X', refuse: 'abs(X)' },
]);
