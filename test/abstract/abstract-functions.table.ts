/**
 * Abstract functions (docs/abstract-functions.md): problems whose answer keeps ∇f(·) or g′(·) as a
 * symbol, each with the textbook's form of the gradient where one is written down. `functions` and
 * `elementwise` are the declarations (--function, --elementwise). References:
 *   [notes]  the lecture notes' backprop lesson: L = f(Y), Y = WX ⇒ ∇_X L = Wᵀ∇f(Y), ∇_W L = ∇f(Y)Xᵀ
 *   [MN]     Magnus & Neudecker, Matrix Differential Calculus (3rd ed.), ch. 9 (identification), ch. 8 (element-wise)
 *   [MC]     The Matrix Cookbook (2012), §2 (chain rule, eq. 126–127 for g(U), U = f(X))
 *   [GBC]    Goodfellow, Bengio & Courville, Deep Learning (2016), §6.5.2–6.5.6 (back-propagation in fully connected networks)
 */
export interface AbstractCase {
  readonly expr: string;
  readonly wrt: string;
  readonly functions?: string;
  readonly elementwise?: string;
  /** The textbook's gradient for each variable (printed text), where one is written down. */
  readonly textbook?: Readonly<Record<string, string>>;
  readonly ref: string;
}

export const ABSTRACT_CASES: readonly AbstractCase[] = [
  // The notes' one-layer lesson, as the notes write it and as people type it.
  { expr: 'Y = W*X; f(Y)', wrt: 'W,X', functions: 'f', textbook: { W: '∇f(Y)Xᵀ', X: 'Wᵀ∇f(Y)' }, ref: '[notes] L = f(Y), Y = WX' },
  { expr: 'L(W, X) = f(Y), Y = WX', wrt: 'W,X', functions: 'f', textbook: { W: '∇f(Y)Xᵀ', X: 'Wᵀ∇f(Y)' }, ref: '[notes] the definition as the notes write it' },
  { expr: 'f(W*X)', wrt: 'W,X', functions: 'f', textbook: { W: '∇f(WX)Xᵀ', X: 'Wᵀ∇f(WX)' }, ref: '[notes] f(WX) without a name for Y' },
  // Two layers, linear and with an element-wise activation (the notes' and GBC's backprop).
  { expr: 'H = W1*X; f(W2*H)', wrt: 'W1,W2', functions: 'f', textbook: { W1: 'W₂ᵀ∇f(W₂H)Xᵀ', W2: '∇f(W₂H)Hᵀ' }, ref: '[notes] two linear layers, [GBC] §6.5.4' },
  { expr: 'Y = g(W*X); f(Y)', wrt: 'W', functions: 'f', elementwise: 'g', textbook: { W: '(g′(WX) ⊙ ∇f(Y))Xᵀ' }, ref: '[GBC] §6.5.4, one layer with activation g' },
  { expr: 'f(g(W*X))', wrt: 'W,X', functions: 'f', elementwise: 'g', ref: '[GBC] §6.5.4, the activation inside f' },
  { expr: 'H = g(W1*X); f(W2*H)', wrt: 'W1,W2', functions: 'f', elementwise: 'g', textbook: { W2: '∇f(W₂H)Hᵀ' }, ref: '[GBC] §6.5.4, two layers, activation between' },
  { expr: 'H1 = g(W1*X); H2 = g(W2*H1); f(W3*H2)', wrt: 'W1,W2,W3', functions: 'f', elementwise: 'g', textbook: { W3: '∇f(W₃H₂)H₂ᵀ' }, ref: '[GBC] §6.5.4, three layers' },
  { expr: 'H = g(W1*X); f(h(W2*H))', wrt: 'W1,W2', functions: 'f', elementwise: 'g,h', ref: '[GBC] §6.5.4, two different activations' },
  // Vectors and other linear maps of the variable.
  { expr: 'f(A*x)', wrt: 'x', functions: 'f', textbook: { x: 'Aᵀ∇f(Ax)' }, ref: '[MC] chain rule (126), linear inner map' },
  { expr: 'f(x)', wrt: 'x', functions: 'f', textbook: { x: '∇f(x)' }, ref: '[MN] ch. 9, the identification itself' },
  { expr: "f(X')", wrt: 'X', functions: 'f', textbook: { X: '∇f(Xᵀ)ᵀ' }, ref: '[MN] ch. 9, d f(Xᵀ) = ⟨∇f(Xᵀ), dXᵀ⟩' },
  { expr: 'f(A*X*B)', wrt: 'X', functions: 'f', textbook: { X: 'Aᵀ∇f(AXB)Bᵀ' }, ref: '[MC] (126) with U = AXB' },
  { expr: 'f(W*X + B)', wrt: 'B', functions: 'f', textbook: { B: '∇f(B + WX)' }, ref: '[GBC] §6.5.4, a bias' },
  { expr: "f(X'*X)", wrt: 'X', functions: 'f', ref: '[MC] (126) with U = XᵀX: X(∇f(XᵀX) + ∇f(XᵀX)ᵀ)' },
  // Arithmetic of abstract functions.
  { expr: '2*f(X)', wrt: 'X', functions: 'f', textbook: { X: '2∇f(X)' }, ref: '[MN] ch. 9, linearity' },
  { expr: 'f(X) + h(X)', wrt: 'X', functions: 'f,h', textbook: { X: '∇f(X) + ∇h(X)' }, ref: '[MN] ch. 9, two declared functions' },
  { expr: 'f(X)^2', wrt: 'X', functions: 'f', textbook: { X: '2f(X)∇f(X)' }, ref: '[MN] ch. 9, product rule' },
  { expr: 'log(f(X))', wrt: 'X', functions: 'f', ref: '[MN] ch. 9, chain rule through log: ∇f(X)/f(X)' },
  { expr: 'f(X)*h(Y)', wrt: 'X,Y', functions: 'f,h', textbook: { X: 'h(Y)∇f(X)', Y: 'f(X)∇h(Y)' }, ref: '[MN] ch. 9, product of two functions of different variables' },
  // Element-wise functions alone.
  { expr: 'sum(g(X))', wrt: 'X', elementwise: 'g', textbook: { X: "g′(X)" }, ref: '[MN] ch. 8, d g(X) = g′(X) ⊙ dX' },
  { expr: "a'*g(W*x)", wrt: 'W', elementwise: 'g', textbook: { W: '(g′(Wx) ⊙ a)xᵀ' }, ref: '[GBC] §6.5.4, a linear read-out of one layer' },
  { expr: 'tr(g(X))', wrt: 'X', elementwise: 'g', ref: '[MN] ch. 8, the trace of g(X): I ⊙ g′(X)' },
  { expr: 'sum(g(X) .* g(X))', wrt: 'X', elementwise: 'g', textbook: { X: '2(g(X) ⊙ g′(X))' }, ref: '[MN] ch. 8, squared activations' },
  { expr: 'sum(exp(g(W*x)))', wrt: 'W', elementwise: 'g', ref: '[MN] ch. 8, composed with a known function' },
  { expr: 'f(exp(W*x))', wrt: 'W', functions: 'f', ref: '[MC] (126), known function inside' },
  // Undeclared: one letter before a bracket where the product f·(…) does not fit (grammar/README.md).
  { expr: 'f(W*X)', wrt: 'W', textbook: { W: '∇f(WX)Xᵀ' }, ref: '[notes] f(WX) as typed, f undeclared' },
  { expr: 'L(W, X) = f(Y), Y = WX', wrt: 'X', textbook: { X: 'Wᵀ∇f(Y)' }, ref: '[notes] the definition as the notes write it, f undeclared' },
  { expr: 'f(W2*g(W1*x))', wrt: 'W1', elementwise: 'g', ref: '[GBC] §6.5.4, f undeclared, g declared' },
  { expr: 'loss(W*X)', wrt: 'W', functions: 'loss', textbook: { W: '∇loss(WX)Xᵀ' }, ref: '[notes] a longer name' },
];
