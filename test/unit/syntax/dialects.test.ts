import { describe, expect, it } from 'vitest';
import { failure, nameSpans, body, programSexpr, sexpr } from './helpers.js';

/** Each dialect's spellings read as the canonical spelling: the same tree, with spans on what was typed. */
describe('LaTeX', () => {
  it.each([
    ['x^\\top A x', "x'*A*x"],
    ['x^{\\top} A x', "x'*A*x"],
    ['x^{T} A x', "x'*A*x"],
    ['x^\\intercal A x', "x'*A*x"],
    ['x^{\\mathsf{T}} A x', "x'*A*x"],
    ['X^{-1}', 'X^-1'],
    ['X^{-\\top}', 'X^-T'],
    ['x^{n+1}', 'x^(n+1)'],
    ['\\mathrm{tr}(X^\\top X)', "tr(X'*X)"],
    ['\\operatorname{tr}(X)', 'tr(X)'],
    ['\\operatorname{Tr}(X)', 'tr(X)'],
    ['\\log\\det X', 'log(det(X))'],
    ['\\ln x', 'log(x)'],
    ['\\frac{1}{2} x', '(1/2)*x'],
    ['\\frac12 x', '(1/2)*x'],
    ['\\frac{a}{b + c}', 'a/(b+c)'],
    ['\\|Ax - b\\|_2^2', '‖A*x-b‖₂^2'],
    ['\\|X\\|_*', 'nucnorm(X)'],
    ['\\|X\\|_{*}', '‖X‖_*'],
    ['\\lVert X \\rVert_F', 'norm2(X)'],
    ['\\lVert X \\rVert_F', 'norm2(X)'],
    ['\\|x\\|_{1}', 'norm1(x)'],
    ['\\langle A, X \\rangle', '<A, X>'],
    ['\\sigma(Wx)', 'sigmoid(W*x)'],
    ['\\sigma^2', 'σ^2'],
    ['a \\odot b', 'a .* b'],
    ['a \\circ b', 'a .* b'],
    ['a \\oslash b', 'a ./ b'],
    ['a \\cdot b', 'a * b'],
    ['x^{\\circ 2}', 'x.^2'],
    ['\\sqrt{x}', 'sqrt(x)'],
    ['\\exp(x)', 'exp(x)'],
    ['\\left( a + b \\right) c', '(a+b)*c'],
    ['\\begin{bmatrix} 3x^2y \\\\ 2x + y^8 \\end{bmatrix}', '[3x^2y; 2x + y^8]'],
    ['\\begin{pmatrix} x^2 & x y \\end{pmatrix}^\\top', "[x^2, x*y]'"],
    ['\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}', '[a, b; c, d]'],
    ['\\begin{bmatrix} a^\\top \\\\ b^\\top \\end{bmatrix} x', "[a'; b'] x"],
    ['\\mathbf{A}\\mathbf{x}', 'A*x'],
    ['\\boldsymbol{\\theta}', 'θ'],
    ['\\alpha \\beta', 'α*β'],
    ['\\lambda \\|w\\|^2', 'λ*norm2(w)^2'],
    ['W_{1} x', 'W1*x'],
    ['W_{out}', 'W_out'],
    ['\\theta_1', 'θ1'],
    ['\\mathbf{W}_{2}', 'W2'],
    ['\\hat{y}', 'ŷ'],
    ['\\operatorname{diag}(x)', 'diag(x)'],
    ['\\mathbf{1}^\\top x', "vector(1)'*x"],
    ['$x^\\top x$', "x'*x"],
    ['x^\\top\\, A \\; x', "x'*A*x"],
  ])('%s reads as %s', (latex, plain) => expect(sexpr(latex)).toBe(sexpr(plain)));

  it('keeps the spans of what was typed', () => {
    const text = '\\mathbf{W}_1 \\alpha';
    expect(nameSpans(body(text), text)).toEqual(['W1@\\mathbf{W}_1', 'α@\\alpha']);
  });

  it.each([
    ['\\sum_i x_i', 'sums over indices'],
    ['\\nabla f', 'write only the function'],
    ['\\alpah', "did you mean '\\alpha'"],
    ['\\begin{vmatrix} x \\end{vmatrix}', 'is not a stack'],
    ['a \\\\ b', 'separates rows only inside'],
    ['\\hat{xy}', 'one name'],
  ])('%s is refused: %s', (latex, message) => expect(failure(latex).message).toContain(message));
});

describe('NumPy / PyTorch', () => {
  it.each([
    ['x.T @ A @ x', "x'*A*x"],
    ['np.trace(X)', 'tr(X)'],
    ['np.linalg.inv(X)', 'inv(X)'],
    ['jnp.log(jnp.linalg.det(X))', 'log(det(X))'],
    ['torch.sigmoid(W @ x)', 'sigmoid(W*x)'],
    ['torch.nn.functional.relu(x)', 'relu(x)'],
    ['F.softplus(x)', 'softplus(x)'],
    ['(x**2).sum()', 'sum(x.^2)'],
    ['x.sum()', 'sum(x)'],
    ['np.exp(x).sum()', 'sum(exp(x))'],
    ['x * y', 'x .* y'], // with no marker this would be a product; see the next case
    ['x.T @ (a * b)', "x'*(a .* b)"],
    ['np.sum(a / b)', 'sum(a ./ b)'],
    ['np.maximum(x, 0).sum()', 'sum(relu(x))'],
    ['np.logaddexp(0, x).sum()', 'sum(softplus(x))'],
    ['np.outer(a, b).sum()', "sum((a)*(b)')"],
    ['np.linalg.solve(A, b).sum()', 'sum(inv(A)*(b))'],
    ['np.linalg.matrix_power(X, 3).sum()', 'sum((X)^(3))'],
    ['np.linalg.slogdet(X)[1]', 'logdet(X)'],
    ['float(np.asarray(x.T @ x).reshape(()))', "((x'*x))"],
    ['np.sum((_t1 := x.T) @ _t1.T)', "sum(x' * (x')')"],
    ['np.trace(np.eye(3) @ X)', 'tr(eye*X)'],
  ])('%s reads as %s', (python, plain) => {
    // `x * y` alone has no NumPy marker; the table reads it in a NumPy context.
    const text = python === 'x * y' ? 'x.T @ x * y' : python;
    const want = python === 'x * y' ? "x'*x .* y" : plain;
    expect(sexpr(text)).toBe(sexpr(want));
  });

  it('a word is one Python name', () => expect(sexpr('lam * np.sum(w)')).toBe('(.* lam (sum w))'));

  it.each([
    ['np.sum(X, axis=2)', 'no axis 2'],
    ['np.tracee(X)', "did you mean 'np.trace'"],
    ['x.T @ x[0]', 'indexing'],
    ['np.maximum(x, 1)', 'np.maximum(x, 0)'],
  ])('%s is refused: %s', (python, message) => expect(failure(python).message).toContain(message));
});

describe('MATLAB', () => {
  it.each([
    ['A\\b', 'inv(A)*b'],
    ['A \\ b', 'inv(A)*b'],
    ["x'*A\\b", "inv(x'*A)*b"],
    ['A\\(b + c)', 'inv(A)*(b+c)'],
    ["x.'", "x'"],
    ['trace(X)', 'tr(X)'],
    ['x.^2', 'x.^2'],
  ])('%s reads as %s', (matlab, plain) => expect(sexpr(matlab)).toBe(sexpr(plain)));

  it('a LaTeX command wins over the left division: A\\beta is A·β', () => expect(sexpr('A\\beta')).toBe(sexpr('A*β')));
  it('a backslash word with nothing before it is an unknown command', () => expect(failure('\\b + x').message).toContain('unknown LaTeX command'));
  it.each([
    ['logm(X)', '(logm X)'],
    ['sqrtm(X)', '(sqrtm X)'],
  ])('%s is the principal matrix function, not the element-wise one: %s', (matlab, tree) => expect(sexpr(matlab)).toContain(tree));
});

describe('the lecture notes', () => {
  it.each([
    ['⟨Y, MY⟩, Y = σ(WX)', 'Y = sigmoid(W*X); <Y, M*Y>'],
    ['⟨Y, MY⟩ where Y = σ(WX)', 'Y = sigmoid(W*X); <Y, M*Y>'],
    ['⟨Y, MY⟩\nwhere Y = σ(WX)', 'Y = sigmoid(W*X); <Y, M*Y>'],
    ['f where Z = AX, A = BC', 'A = B*C; Z = A*X; f'],
  ])('%s reads as %s', (notes, plain) => expect(programSexpr(notes)).toBe(programSexpr(plain)));

  it.each([
    ['⟨A, B⟩_F', '<A, B>'],
    ['Tr(X)', 'tr(X)'],
    ['ln x', 'log(x)'],
    ['𝟏ᵀA𝟏', "vector(1)'*A*vector(1)"],
    ['1ᵀx', "vector(1)'*x"],
    ['1^T x', "vector(1)'*x"],
    ['2ᵀx', "2'*x"],
    ['x⊤', "x'"],
    ['√x', 'sqrt(x)'],
    ['|x| + |y|', 'abs(x) + abs(y)'],
    ['|a - |b| |', 'abs(a - abs(b))'], // `||` is the ASCII norm bar
    ['‖x‖ + |y|', 'norm2(x) + abs(y)'],
  ])('%s reads as %s', (notes, plain) => expect(sexpr(notes)).toBe(sexpr(plain)));

  it('an accented letter is one name, in either Unicode form', () => {
    expect(sexpr('Ŷ + Y\u0302')).toBe(sexpr('Ŷ + Ŷ'));
    expect(sexpr('x̂ᵀx̂')).toBe("(* (T x̂) x̂)");
  });

  it('a comma inside brackets never starts a definition', () => expect(programSexpr('⟨A, B⟩')).toBe(programSexpr('<A, B>')));
  it('a stack is read as vstack', () => {
    expect(sexpr('[x; y]')).toBe('(vstack x y)');
    expect(sexpr('[x, y]ᵀ')).toBe(sexpr("[x'; y']''"));
    expect(sexpr('[a, b; c, d]')).toBe(sexpr("[[a'; b']'; [c'; d']']"));
    expect(failure('[x; ; y]').message).toContain('empty entry');
  });
});
