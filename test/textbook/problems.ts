/**
 * Textbook problems with the answer as the reference prints it, written in matcalc's ASCII notation
 * (so it reads back and is measured like matcalc's own answer: test/helpers/printed-size.ts). The
 * references: the Matrix Cookbook (Petersen & Pedersen, 2012, equation numbers), Bishop's PRML,
 * Murphy's PML, Boyd & Vandenberghe, Magnus & Neudecker, Goodfellow et al., Vaswani et al.
 */
export interface TextbookProblem {
  readonly command: 'grad' | 'hess' | 'jac';
  readonly expr: string;
  readonly wrt: string;
  readonly assume?: string;
  readonly dims?: string;
  /** The reference's answer in matcalc notation (definitions `T = …;` allowed, as in a where-block). */
  readonly textbook: string;
  readonly ref: string;
}

export const TEXTBOOK_PROBLEMS: readonly TextbookProblem[] = [
  // Linear and quadratic forms, traces (Matrix Cookbook §2.4–2.5).
  { command: 'grad', expr: "x'*A*x", wrt: 'x', textbook: "(A + A')*x", ref: 'Cookbook (81)' },
  { command: 'grad', expr: "x'*A*x", wrt: 'x', assume: 'A:symmetric', textbook: '2*A*x', ref: 'Cookbook (81), A symmetric' },
  { command: 'grad', expr: "a'*X*b", wrt: 'X', textbook: "a*b'", ref: 'Cookbook (70)' },
  { command: 'grad', expr: "a'*X'*b", wrt: 'X', textbook: "b*a'", ref: 'Cookbook (71)' },
  { command: 'grad', expr: "y'*W*x", wrt: 'W', textbook: "y*x'", ref: 'Cookbook (70)' },
  { command: 'grad', expr: 'tr(A*X)', wrt: 'X', textbook: "A'", ref: 'Cookbook (100)' },
  { command: 'grad', expr: 'tr(A*X*B)', wrt: 'X', textbook: "A'*B'", ref: 'Cookbook (101)' },
  { command: 'grad', expr: "tr(X'*A*X)", wrt: 'X', textbook: "(A + A')*X", ref: 'Cookbook (108)' },
  { command: 'grad', expr: "tr(X'*X)", wrt: 'X', textbook: '2*X', ref: 'Cookbook (103)' },
  { command: 'grad', expr: 'tr(X*X)', wrt: 'X', textbook: "2*X'", ref: 'Cookbook (106)' },
  { command: 'grad', expr: 'tr(X^3)', wrt: 'X', textbook: "3*(X^2)'", ref: 'Cookbook (107)' },
  { command: 'grad', expr: "b'*X'*X*c", wrt: 'X', textbook: "X*(b*c' + c*b')", ref: 'Cookbook (77)' },
  { command: 'grad', expr: "(A*x + b)'*C*(D*x + e)", wrt: 'x', textbook: "A'*C*(D*x + e) + D'*C'*(A*x + b)", ref: 'Cookbook (89)' },
  { command: 'grad', expr: "x'*x", wrt: 'x', textbook: '2*x', ref: 'Cookbook (81), A = I' },
  { command: 'grad', expr: "0.5*x'*A*x - b'*x", wrt: 'x', assume: 'A:symmetric', textbook: 'A*x - b', ref: 'Boyd & Vandenberghe §9.4, quadratic objective' },
  { command: 'grad', expr: "exp(a'*x)", wrt: 'x', textbook: "exp(a'*x)*a", ref: 'chain rule' },
  { command: 'grad', expr: "log(x'*A*x)", wrt: 'x', textbook: "(A + A')*x/(x'*A*x)", ref: 'Cookbook (81) and the chain rule' },
  { command: 'grad', expr: "sqrt(x'*x)", wrt: 'x', textbook: "x/sqrt(x'*x)", ref: 'Cookbook (129)' },
  { command: 'grad', expr: "x'*A*x/(x'*x)", wrt: 'x', assume: 'A:symmetric', textbook: "2*(A*x - (x'*A*x/(x'*x))*x)/(x'*x)", ref: 'Rayleigh quotient, Horn & Johnson §4.2' },
  // Determinants and inverses (Cookbook §2.1–2.2).
  { command: 'grad', expr: 'det(X)', wrt: 'X', textbook: "det(X)*inv(X)'", ref: 'Cookbook (49)' },
  { command: 'grad', expr: 'logdet(X)', wrt: 'X', textbook: "inv(X)'", ref: 'Cookbook (57)' },
  { command: 'grad', expr: "a'*inv(X)*b", wrt: 'X', textbook: "-inv(X)'*a*b'*inv(X)'", ref: 'Cookbook (61)' },
  { command: 'grad', expr: 'tr(A*inv(X)*B)', wrt: 'X', textbook: "-(inv(X)*B*A*inv(X))'", ref: 'Cookbook (63)' },
  { command: 'grad', expr: "x'*inv(A)*x", wrt: 'A', textbook: "-inv(A)'*x*x'*inv(A)'", ref: 'Cookbook (61), a = b = x' },
  { command: 'grad', expr: "logdet(X*X')", wrt: 'X', textbook: "2*inv(X*X')*X", ref: 'Cookbook (55), transposed' },
  // Least squares and regression (Cookbook §2.8, PRML §3.1).
  { command: 'grad', expr: "(A*x - b)'*(A*x - b)", wrt: 'x', textbook: "2*A'*(A*x - b)", ref: 'Cookbook (84)' },
  { command: 'grad', expr: 'sum((X*w - y).^2)', wrt: 'w', textbook: "2*X'*(X*w - y)", ref: 'PRML (3.13)' },
  { command: 'grad', expr: "sum((X*w - y).^2) + c*w'*w", wrt: 'w', textbook: "2*X'*(X*w - y) + 2*c*w", ref: 'ridge regression, PRML (3.27)' },
  { command: 'grad', expr: "tr((X*W - Y)'*(X*W - Y))", wrt: 'W', textbook: "2*X'*(X*W - Y)", ref: 'multi-output least squares, Cookbook (108)' },
  { command: 'grad', expr: 'mean((X*w - y).^2)', wrt: 'w', textbook: "2*X'*(X*w - y)/n", ref: 'mean squared error' },
  { command: 'hess', expr: 'sum((X*w - y).^2)', wrt: 'w', textbook: "2*X'*X", ref: 'normal equations, PRML (3.15)' },
  { command: 'hess', expr: "x'*A*x", wrt: 'x', textbook: "A + A'", ref: 'Cookbook (81) differentiated' },
  { command: 'hess', expr: "0.5*x'*A*x - b'*x", wrt: 'x', assume: 'A:symmetric', textbook: 'A', ref: 'Boyd & Vandenberghe §9.5' },
  { command: 'hess', expr: "exp(a'*x)", wrt: 'x', textbook: "exp(a'*x)*a*a'", ref: 'chain rule twice' },
  // Logistic and softmax regression (PRML §4.3, Murphy §10).
  { command: 'grad', expr: '-y\'*log(sigmoid(X*w)) - (1 - y)\'*log(1 - sigmoid(X*w))', wrt: 'w', textbook: "X'*(sigmoid(X*w) - y)", ref: 'PRML (4.91)' },
  { command: 'hess', expr: '-y\'*log(sigmoid(X*w)) - (1 - y)\'*log(1 - sigmoid(X*w))', wrt: 'w', textbook: "X'*diag(sigmoid(X*w) .* (1 - sigmoid(X*w)))*X", ref: 'PRML (4.97)' },
  { command: 'grad', expr: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w', assume: 'y:sign', textbook: "-X'*(y .* sigmoid(-y .* (X*w)))", ref: 'Murphy PML (10.15), ±1 labels' },
  { command: 'hess', expr: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w', assume: 'y:sign', textbook: "z = X*w; X'*diag(sigmoid(z) .* sigmoid(-z))*X", ref: 'Murphy PML (10.16), ±1 labels' },
  { command: 'grad', expr: 'sum(softplus(X*w))', wrt: 'w', textbook: "X'*sigmoid(X*w)", ref: "softplus' = σ" },
  { command: 'grad', expr: 'sum(logsigmoid(x))', wrt: 'x', textbook: 'sigmoid(-x)', ref: 'log σ(x) = −softplus(−x)' },
  { command: 'jac', expr: 'sigmoid(x)', wrt: 'x', textbook: 'diag(sigmoid(x) .* (1 - sigmoid(x)))', ref: 'PRML (4.88)' },
  { command: 'grad', expr: 'logsumexp(x)', wrt: 'x', textbook: 'softmax(x)', ref: 'Boyd & Vandenberghe §3.1.5' },
  { command: 'grad', expr: 'logsumexp(A*x + b)', wrt: 'x', textbook: "A'*softmax(A*x + b)", ref: 'Boyd & Vandenberghe §3.1.5' },
  { command: 'hess', expr: 'logsumexp(x)', wrt: 'x', textbook: "diag(softmax(x)) - softmax(x)*softmax(x)'", ref: 'Boyd & Vandenberghe (p. 74)' },
  { command: 'jac', expr: 'softmax(x)', wrt: 'x', textbook: "p = softmax(x); diag(p) - p*p'", ref: 'PRML (4.106)' },
  { command: 'grad', expr: "-y'*log_softmax(W*x)", wrt: 'W', assume: 'y:probability', textbook: "(softmax(W*x) - y)*x'", ref: 'PRML (4.109)' },
  { command: 'grad', expr: "-y'*log(softmax(W*x))", wrt: 'x', assume: 'y:probability', textbook: "W'*(softmax(W*x) - y)", ref: 'PRML (4.109), the input gradient' },
  // Neural networks (Goodfellow et al. §6.5).
  { command: 'grad', expr: 'sum(relu(W*x))', wrt: 'W', textbook: "step(W*x)*x'", ref: "relu' = step" },
  { command: 'grad', expr: 'sum(tanh(W*x))', wrt: 'W', textbook: "(1 - tanh(W*x).^2)*x'", ref: "tanh' = 1 − tanh²" },
  { command: 'grad', expr: "(W2*tanh(W1*x) - y)'*(W2*tanh(W1*x) - y)", wrt: 'W2', textbook: "2*(W2*tanh(W1*x) - y)*tanh(W1*x)'", ref: 'Goodfellow et al. (6.49), output layer' },
  { command: 'grad', expr: "(W2*tanh(W1*x) - y)'*(W2*tanh(W1*x) - y)", wrt: 'W1', textbook: "h = tanh(W1*x); 2*((1 - h.^2) .* (W2'*(W2*h - y)))*x'", ref: 'Goodfellow et al. §6.5.4, hidden layer' },
  { command: 'jac', expr: 'tanh(W*x)', wrt: 'x', textbook: 'diag(1 - tanh(W*x).^2)*W', ref: 'chain rule, Goodfellow et al. §6.5.2' },
  { command: 'jac', expr: 'A*x', wrt: 'x', textbook: 'A', ref: 'Cookbook (69)' },
  { command: 'jac', expr: 'x .* y', wrt: 'x', textbook: 'diag(y)', ref: 'Magnus & Neudecker ch. 9' },
  { command: 'jac', expr: 'exp(x)', wrt: 'x', textbook: 'diag(exp(x))', ref: 'element-wise function' },
  { command: 'grad', expr: "a'*exp(X*b)", wrt: 'X', textbook: "(a .* exp(X*b))*b'", ref: 'chain rule through exp∘' },
  // Gaussians: negative log-likelihood and KL divergence (PRML §2.3, Cookbook §8).
  { command: 'grad', expr: "0.5*(x - m)'*inv(S)*(x - m) + 0.5*logdet(S)", wrt: 'm', assume: 'S:spd', textbook: 'inv(S)*(m - x)', ref: 'PRML (2.121)' },
  { command: 'grad', expr: "0.5*(x - m)'*inv(S)*(x - m) + 0.5*logdet(S)", wrt: 'x', assume: 'S:spd', textbook: 'inv(S)*(x - m)', ref: 'score of a Gaussian' },
  { command: 'grad', expr: "0.5*(x - m)'*inv(S)*(x - m) + 0.5*logdet(S)", wrt: 'S', textbook: "0.5*(inv(S)' - inv(S)'*(x - m)*(x - m)'*inv(S)')", ref: 'PRML (2.122), Cookbook (61), (57)' },
  { command: 'hess', expr: "0.5*(x - m)'*inv(S)*(x - m)", wrt: 'x', assume: 'S:spd', textbook: 'inv(S)', ref: 'the precision matrix' },
  { command: 'grad', expr: "0.5*(tr(inv(B)*A) + (m2 - m1)'*inv(B)*(m2 - m1) - logdet(A) + logdet(B))", wrt: 'm1', assume: 'B:spd', textbook: 'inv(B)*(m1 - m2)', ref: 'KL(N₁ ‖ N₂), Cookbook (8.3)' },
  { command: 'grad', expr: "0.5*(tr(inv(B)*A) - logdet(A))", wrt: 'A', assume: 'A:spd,B:spd', textbook: '0.5*(inv(B) - inv(A))', ref: 'KL(N₁ ‖ N₂) in Σ₁, Cookbook (100), (57)' },
  // Attention (Vaswani et al. 2017).
  { command: 'grad', expr: "sum(softmax_rows(Q*K'/sqrt(d))*V)", wrt: 'V', textbook: "softmax_rows(Q*K'/sqrt(d))'*matrix(1)", ref: 'attention output, Vaswani et al. (1)' },
  { command: 'grad', expr: "softmax(A*x)'*v", wrt: 'v', textbook: 'softmax(A*x)', ref: 'attention weights as an average' },
  // Matrix functions and spectral quantities (Higham; Magnus & Neudecker ch. 8).
  { command: 'grad', expr: 'tr(expm(X))', wrt: 'X', textbook: "expm(X)'", ref: 'Higham, Functions of Matrices (3.2)' },
  { command: 'grad', expr: 'specnorm(X)', wrt: 'X', textbook: 'specnorm_grad(X)', ref: 'u₁v₁ᵀ, Magnus & Neudecker §8.8' },
  { command: 'grad', expr: 'nucnorm(X)', wrt: 'X', textbook: 'polar(X)', ref: 'UVᵀ, Watson (1992)' },
  { command: 'grad', expr: 'eigmax(S)', wrt: 'S', assume: 'S:symmetric', textbook: 'eigmax_grad(S)', ref: 'uuᵀ, Magnus & Neudecker §8.7' },
  { command: 'grad', expr: 'var(x)', wrt: 'x', textbook: '2*(x - mean(x))/n', ref: 'Magnus & Neudecker ch. 8' },
  { command: 'grad', expr: 'sum(exp(x))', wrt: 'x', textbook: 'exp(x)', ref: 'element-wise' },
  { command: 'grad', expr: 'sum(x .* log(x))', wrt: 'x', assume: 'x:positive', textbook: 'log(x) + 1', ref: 'negative entropy, Boyd & Vandenberghe §3.1.5' },
  { command: 'grad', expr: "y'*log(x)", wrt: 'x', assume: 'x:positive', textbook: 'y ./ x', ref: 'cross-entropy in p' },
  // The forms issue 12 lists, and more second derivatives through inverses.
  { command: 'grad', expr: "x'*inv(diag(x))*x", wrt: 'x', assume: 'x:positive', textbook: 'vector(1)', ref: 'xᵀDiag(x)⁻¹x = sum(x)' },
  { command: 'grad', expr: "a'*inv(diag(x))*b", wrt: 'x', textbook: '-a .* b ./ x.^2', ref: 'aᵀDiag(x)⁻¹b = sum(a ⊙ b ⊘ x)' },
  { command: 'grad', expr: 'log(abs(det(X)))', wrt: 'X', textbook: "inv(X)'", ref: 'Cookbook (57), log|det X|' },
  { command: 'grad', expr: "a'*(b ./ a) + b'*c", wrt: 'b', textbook: 'vector(1) + c', ref: 'aᵀ(b ⊘ a) = sum(b)' },
  { command: 'grad', expr: "q = W*x; q'*q", wrt: 'W', textbook: "q = W*x; 2*q*x'", ref: 'the notes: names stay names' },
  { command: 'grad', expr: 'tr(M*Z*M*Z*M*Z)', wrt: 'Z', textbook: "3*(M*Z*M*Z*M)'", ref: 'Cookbook (107) with A = MZ' },
  { command: 'grad', expr: "tr(X'*B*X*C)", wrt: 'X', textbook: "B*X*C + B'*X*C'", ref: 'Cookbook (117)' },
  { command: 'grad', expr: 'det(A*X*B)', wrt: 'X', dims: 'A=3x3,X=3x3,B=3x3', textbook: "det(A*X*B)*inv(X)'", ref: 'Cookbook (51)' },
  { command: 'grad', expr: "(x - m)'*S*(x - m)", wrt: 'S', textbook: "(x - m)*(x - m)'", ref: 'Cookbook (70), a Mahalanobis form' },
  { command: 'grad', expr: '(x\'*x)^2', wrt: 'x', textbook: "4*(x'*x)*x", ref: 'chain rule' },
  { command: 'grad', expr: 'sum(log(x))', wrt: 'x', assume: 'x:positive', textbook: '1 ./ x', ref: 'log barrier, Boyd & Vandenberghe §11.2' },
  { command: 'grad', expr: "-y'*log(p)", wrt: 'p', assume: 'p:positive', textbook: '-y ./ p', ref: 'cross-entropy in p' },
  { command: 'hess', expr: 'sum(exp(X*w))', wrt: 'w', textbook: "X'*diag(exp(X*w))*X", ref: 'Poisson regression, Murphy §12.4' },
  { command: 'hess', expr: "logdet(A + x*x')", wrt: 'x', assume: 'A:spd', textbook: "T = inv(A + x*x'); 2*T - 2*(x'*T*x)*T - 2*T*x*x'*T", ref: 'Cookbook (57), (59) twice' },
  { command: 'jac', expr: "inv(A + x*x')*b", wrt: 'x', textbook: "T = inv(A + x*x'); -(x'*T*b)*T - T*x*b'*T'", ref: 'Cookbook (59)' },
  { command: 'hess', expr: "x'*A*x/(x'*x)", wrt: 'x', assume: 'A:symmetric', textbook: "s = x'*x; r = x'*A*x/s; 2*(A - r*eye)/s - 4*(A*x*x' + x*x'*A - 2*r*x*x')/s^2", ref: 'Rayleigh quotient Hessian, Horn & Johnson §4.2' },
  { command: 'grad', expr: 'sum(relu(1 - y .* (X*w)).^2)', wrt: 'w', textbook: "-2*X'*(y .* relu(1 - y .* (X*w)))", ref: 'squared hinge loss (L2-SVM), Hastie et al. §12.3.2' },
  { command: 'jac', expr: 'W*x + b', wrt: 'x', textbook: 'W', ref: 'an affine layer, Goodfellow et al. §6.5' },
];
