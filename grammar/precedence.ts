/**
 * The one precedence table, shared by the parser (grammar/parser.ts nests its rules in this order)
 * and every printer (src/emit/), so that what is printed parses back to the same tree.
 *
 * Lowest to highest. All binary levels associate to the left, except power, which associates right.
 *
 *   sum          a + b, a - b
 *   product      a * b, a / b, a · b, a ⊙ b, a ⊘ b, a ⊗ b, a .* b, a ./ b (explicit operators)
 *   negate       -a, +a
 *   juxtapose    2xᵀAx, W₂σ(W₁x)                                        (implicit product)
 *   postfix      aᵀ, a', a^k, a.^k, X⁻¹, X², ‖x‖, f(x)                  (binds tightest)
 *   atom         names, numbers, (…), ⟨A, B⟩, ‖x‖
 *
 * Juxtaposition binds tighter than the explicit operators, as in textbooks: `a ⊙ bc` is a ⊙ (bc),
 * and `2xᵀAx / xᵀx` is (2xᵀAx) / (xᵀx). A function name written without parentheses takes a
 * juxtaposition-level operand: `log det X` is log(det(X)), `tr AXB` is tr(AXB).
 */
export const Precedence = {
  sum: 1,
  product: 2,
  negate: 3,
  juxtapose: 4,
  postfix: 5,
  atom: 6,
} as const;

export type PrecedenceLevel = (typeof Precedence)[keyof typeof Precedence];
