/**
 * The size of a printed answer, to compare with the textbook's form of the same answer: one unit per
 * symbol a reader reads — a variable (with its subscript), a number, a function name, an operator, a
 * transpose or power mark, a norm bar — and none for spaces, parentheses and commas. An answer with a
 * `where` block counts each definition's body once (its name counts where it is used); the user's own
 * definitions are given, not counted.
 */
const SYMBOL =
  /exp|log|sum|diag|det|tr|sign|abs|sqrt|tanh|softmax|σ|[A-Za-zŶα-ω𝟙][₀-₉]*|\d+(?:\.\d+)?|⁻¹|⁻ᵀ|[ᵀ⁰¹²³⁴⁵⁶⁷⁸⁹]+|\.\^|[+−⊙⊘/·‖]/gu;

export function printedSize(text: string): number {
  return text.match(SYMBOL)?.length ?? 0;
}

/**
 * A view's size: its main text and the bodies of its `where` definitions, except the user's own
 * (`given`: a definition the problem states, as q = Wx, is not part of the answer).
 */
export function viewSize(
  view: { readonly text: string; readonly where: readonly { readonly name: string; readonly text: string }[] },
  given: ReadonlySet<string> = new Set(),
): number {
  return printedSize(view.text) + view.where.filter((w) => !given.has(w.name)).reduce((n, w) => n + printedSize(w.text), 0);
}
