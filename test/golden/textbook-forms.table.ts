/**
 * Textbook problems with the textbook's own printed form of the answer, each with its reference:
 * the Matrix Cookbook (Petersen & Pedersen, 2012; equation numbers), Mathematics for Machine
 * Learning (Deisenroth, Faisal & Ong, 2020), Boyd & Vandenberghe, Convex Optimization (2004), Bishop,
 * Pattern Recognition and Machine Learning (2006), and the notes (examples/notes). The textbook form
 * is written in matcalc's notation as the book writes it (not as matcalc prints it), so that the
 * size of matcalc's answer can be compared with it (test/helpers/printed-size.ts).
 */
export interface TextbookForm {
  readonly expr: string;
  readonly wrt: string;
  readonly assume?: string;
  /** hess: the Hessian matrix of a vector variable; otherwise the gradient. */
  readonly command?: 'hess';
  readonly textbook: string;
  readonly ref: string;
  /** A textbook form may define names after a `;` (`…; z = y ⊙ Xw`): their bodies count too. */
  /** Why the printed form is still more than 1.25× the textbook's, where it is. */
  readonly over?: string;
}

export const TEXTBOOK_FORMS: readonly TextbookForm[] = [
  // ── Matrix Cookbook ──
  { expr: "a'*X*b", wrt: 'X', textbook: 'abᵀ', ref: 'Cookbook §2.4.1 (first order), aᵀXb' },
  { expr: "a'*X'*b", wrt: 'X', textbook: 'baᵀ', ref: 'Cookbook §2.4.1 (first order), aᵀXᵀb' },
  { expr: "b'*X'*X*c", wrt: 'X', textbook: 'X(bcᵀ + cbᵀ)', ref: 'Cookbook §2.4.2 (second order), bᵀXᵀXc' },
  { expr: "(X*b + c)'*D*(X*b + c)", wrt: 'X', textbook: '(D + Dᵀ)(Xb + c)bᵀ', ref: 'Cookbook §2.4.2 (second order), (Xb + c)ᵀD(Xb + c)' },
  { expr: "x'*A*x", wrt: 'x', textbook: '(A + Aᵀ)x', ref: 'Cookbook §2.4.2 (second order), xᵀBx' },
  { expr: "x'*A*x", wrt: 'x', assume: 'A:symmetric', textbook: '2Ax', ref: 'Cookbook §2.4.2 (second order), xᵀAx with A symmetric' },
  { expr: 'tr(A*X*B)', wrt: 'X', textbook: 'AᵀBᵀ', ref: 'Cookbook §2.5 (traces), tr(AXB)' },
  { expr: 'tr(X^2)', wrt: 'X', textbook: '2Xᵀ', ref: 'Cookbook §2.5 (traces), tr(X²)' },
  { expr: 'tr(X^3)', wrt: 'X', textbook: '3(X²)ᵀ', ref: 'Cookbook §2.5 (traces), tr(Xᵏ) = k(Xᵏ⁻¹)ᵀ, k = 3' },
  { expr: "tr(X*A*X')", wrt: 'X', textbook: 'X(A + Aᵀ)', ref: 'Cookbook §2.5 (traces), tr(XAXᵀ)' },
  { expr: 'tr(inv(X)*A)', wrt: 'X', textbook: '−X⁻ᵀAᵀX⁻ᵀ', ref: 'Cookbook (63)' },
  { expr: "a'*inv(X)*b", wrt: 'X', textbook: '−X⁻ᵀabᵀX⁻ᵀ', ref: 'Cookbook (61)' },
  { expr: 'det(X)', wrt: 'X', textbook: 'det(X)X⁻ᵀ', ref: 'Cookbook (49)' },
  { expr: 'log(det(X))', wrt: 'X', textbook: 'X⁻ᵀ', ref: 'Cookbook (57)' },
  { expr: 'log(abs(det(X)))', wrt: 'X', textbook: 'X⁻ᵀ', ref: 'Cookbook (57), log|det X|' },
  { expr: 'norm2(X)^2', wrt: 'X', textbook: '2X', ref: 'Cookbook §2.6 (norms), Frobenius' },
  { expr: 'tr((M*Z)^3)', wrt: 'M', textbook: '3(Z(MZ)²)ᵀ', ref: 'Cookbook §2.5 (traces), tr(Aᵏ) with A = MZ' },
  { expr: 'tr(M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z*M*Z)', wrt: 'M', textbook: '18(Z(MZ)¹⁷)ᵀ', ref: 'Cookbook §2.5 (traces), tr(Aᵏ) with A = MZ, k = 18' },
  { expr: "x'*inv(diag(x))*x", wrt: 'x', assume: 'x:positive', textbook: '𝟙', ref: 'Cookbook (61) on a diagonal X = Diag(x): Σxᵢ²/xᵢ = Σxᵢ' },
  { expr: "a'*inv(diag(x))*b", wrt: 'x', textbook: '−a ⊙ b ⊘ x²', ref: 'Cookbook (61), X = Diag(x), diagonal read off' },
  { expr: "a'*(b./a)", wrt: 'b', textbook: '𝟙', ref: '⟨a, b ⊘ a⟩ = ⟨𝟙, b⟩' },
  // ── Boyd & Vandenberghe ──
  { expr: '0.5*x\'*P*x + q\'*x + r', wrt: 'x', assume: 'P:symmetric', textbook: 'Px + q', ref: 'Boyd & Vandenberghe, A.4.1 (quadratic function)' },
  { expr: 'log(sum(exp(x)))', wrt: 'x', textbook: 'exp(x) / sum(exp(x))', ref: 'Boyd & Vandenberghe, 3.1.5 / A.4.1 (log-sum-exp)' },
  { expr: 'norm2(A*x - b)^2', wrt: 'x', textbook: '2Aᵀ(Ax − b)', ref: 'Boyd & Vandenberghe, A.4.1 (least squares)' },
  { expr: '-sum(log(b - A*x))', wrt: 'x', textbook: 'Aᵀ(𝟙 ⊘ (b − Ax))', ref: 'Boyd & Vandenberghe, 11.2.1 (log barrier)' },
  { expr: '-log(det(X))', wrt: 'X', assume: 'X:spd', textbook: '−X⁻¹', ref: 'Boyd & Vandenberghe, A.4.1 (−log det)' },
  { expr: 'norm2(x)', wrt: 'x', textbook: 'x / ‖x‖', ref: 'Boyd & Vandenberghe, A.4 (Euclidean norm)' },
  { expr: "2*x'*A*x/(x'*x)", wrt: 'x', assume: 'A:symmetric', textbook: '4(Ax − (xᵀAx)x / (xᵀx)) / (xᵀx)', ref: 'Rayleigh quotient (Boyd & Vandenberghe, A.5.3), twice' },
  // ── Mathematics for Machine Learning ──
  { expr: 'norm2(y - Φ*θ)^2', wrt: 'θ', textbook: '2Φᵀ(Φθ − y)', ref: 'MML (9.10b), least squares' },
  { expr: 'norm2(y - Φ*θ)^2 + λ*norm2(θ)^2', wrt: 'θ', textbook: '2Φᵀ(Φθ − y) + 2λθ', ref: 'MML (9.17), ridge' },
  { expr: "0.5*(x - μ)'*inv(S)*(x - μ)", wrt: 'μ', assume: 'S:spd', textbook: 'S⁻¹(μ − x)', ref: 'MML (6.5), Gaussian negative log-likelihood in μ' },
  { expr: "x'*B*x", wrt: 'x', command: 'hess', textbook: 'B + Bᵀ', ref: 'MML (5.110), Hessian of a quadratic form' },
  // ── Bishop, PRML ──
  { expr: '0.5*norm2(X*w - t)^2', wrt: 'w', textbook: 'Xᵀ(Xw − t)', ref: 'PRML (3.13)' },
  { expr: "-y'*log(sigmoid(X*w)) - (vector(1) - y)'*log(vector(1) - sigmoid(X*w))", wrt: 'w', textbook: 'Xᵀ(σ(Xw) − y)', ref: 'PRML (4.91)' },
  { expr: "sum(log(1 + exp(X*w))) - y'*X*w", wrt: 'w', textbook: 'Xᵀ(σ(Xw) − y)', ref: 'PRML (4.91), softplus form' },
  { expr: 'sum(exp(z) ./ (1 + exp(z)))', wrt: 'z', textbook: 'σ(z) ⊙ (1 − σ(z))', ref: 'PRML (4.88)' },
  { expr: 'sum(1 ./ (1 + exp(-z)))', wrt: 'z', textbook: 'σ(z) ⊙ (1 − σ(z))', ref: 'PRML (4.59), (4.88)' },
  { expr: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w', command: 'hess', textbook: 'Xᵀdiag(σ(z) ⊙ σ(−z) ⊙ y²)X; z = y ⊙ Xw', ref: 'PRML (4.97) with ±1 labels, z = y ⊙ Xw' },
  { expr: "-y'*log(exp(W*x)/sum(exp(W*x)))", wrt: 'W', textbook: '(p𝟙ᵀy − y)xᵀ; p = exp(Wx) / sum(exp(Wx))', ref: 'PRML (4.109), softmax cross-entropy' },
  { expr: "(a.*x)'*(b./a)", wrt: 'x', textbook: 'b', ref: 'element-wise cancellation: ⟨a ⊙ x, b ⊘ a⟩ = ⟨x, b⟩' },
  // ── The notes ──
  { expr: 'q = W*x; norm2(q)^2', wrt: 'x', textbook: '2Wᵀq', ref: 'notes: L = ‖q‖², q = Wx' },
  { expr: 'q = W*x; norm2(q)^2', wrt: 'W', textbook: '2qxᵀ', ref: 'notes: L = ‖q‖², q = Wx' },
  { expr: 'H₁ = W₁ᵀX; H₂ = W₂ᵀH₁; Ŷ = W₃ᵀH₂; sum((Ŷ − Y).^2)', wrt: 'W₃', textbook: '2H₂(Ŷ − Y)ᵀ', ref: 'notes: three-layer network' },
  { expr: 'H₁ = W₁ᵀX; H₂ = W₂ᵀH₁; Ŷ = W₃ᵀH₂; sum((Ŷ − Y).^2)', wrt: 'W₂', textbook: '2H₁(Ŷ − Y)ᵀW₃ᵀ', ref: 'notes: three-layer network' },
];
