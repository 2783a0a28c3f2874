import { describe, expect, it } from 'vitest';
import { parseExpressionAt, parseProgram } from '../../../src/syntax/parse.js';
import { astToSexpr } from '../../../src/syntax/debug.js';
import { body, program, programSexpr, sexpr, source } from './helpers.js';

describe('the matrixcalculus.org examples', () => {
  it.each([
    ["0.5*x'*A*x", '(* (* (* 0.5 (T x)) A) x)'],
    ['A*exp(x)', '(* A (exp x))'],
    ["(y.*v)'*x", '(* (T (.* y v)) x)'],
    ['a^b', '(^ a b)'],
    ['norm1(A*x-y)', '(norm1 (- (* A x) y))'],
    ['norm2(A*x-y)^2', '(^ (norm2 (- (* A x) y)) 2)'],
    ['sum(log(exp(-y.*(X*w)) + vector(1)))', '(sum (log (+ (exp (.* (neg y) (* X w))) (vector 1))))'],
    ["tr(A*X'*B*X*C)", '(tr (* (* (* (* A (T X)) B) X) C))'],
    ['log(det(inv(X)))', '(log (det (inv X)))'],
  ])('%s', (text, expected) => {
    expect(sexpr(text)).toBe(expected);
  });
});

describe('math notation', () => {
  it('aᵀexp(Xb) is the same tree as a\'*exp(X*b)', () => {
    expect(sexpr('aᵀexp(Xb)')).toBe("(* (T a) (exp (* X b)))");
    expect(sexpr('aᵀexp(Xb)')).toBe(sexpr("a'*exp(X*b)"));
  });

  it.each([
    ['2xᵀAx', '(* (* (* 2 (T x)) A) x)'],
    ['W₂σ(W₁x)', '(* W2 (sigmoid (* W1 x)))'],
    ['σ(x)', '(sigmoid x)'],
    ['σx', '(* σ x)'],
    ['σ (x)', '(* σ x)'],
    ['X⁻¹', '(^ X -1)'],
    ['X^-1', '(^ X -1)'],
    ['X^(-1)', '(^ X -1)'],
    ['X^−1', '(^ X -1)'],
    ['X⁻ᵀ', '(T (^ X -1))'],
    ['X^-T', '(T (^ X -1))'],
    ['X^T', '(T X)'],
    ['X^Tb', '(* (T X) b)'],
    ['X²', '(^ X 2)'],
    ['X¹⁰', '(^ X 10)'],
    ['x⁻²', '(^ x -2)'],
    ['‖Ax − y‖²', '(^ (norm2 (- (* A x) y)) 2)'],
    ['||A*x - y||^2', '(^ (norm2 (- (* A x) y)) 2)'],
    ['‖X‖_F', '(norm2 X)'],
    // ‖·‖₂ is the operator 2-norm (the term builder makes it norm2 for a vector).
    ['‖x‖_2^2', '(^ (specnorm x) 2)'],
    ['‖x‖₂', '(specnorm x)'],
    ['‖X‖_*', '(nucnorm X)'],
    ['‖X‖_F', '(norm2 X)'],
    ['‖x‖_1', '(norm1 x)'],
    ['‖x‖₁', '(norm1 x)'],
    ['‖x‖‖y‖', '(* (norm2 x) (norm2 y))'],
    ['‖x - ‖y‖‖', '(norm2 (- x (norm2 y)))'],
    ['‖‖x‖‖', '(norm2 (norm2 x))'],
    ['(‖x‖‖y‖)', '(* (norm2 x) (norm2 y))'],
    ['log det X', '(log (det X))'],
    ['tr AXB', '(tr (* (* A X) B))'],
    ['2 tr AXB + 1', '(+ (* 2 (tr (* (* A X) B))) 1)'],
    ['a log det c d', '(* a (log (det (* c d))))'],
    ['log -x', '(log (neg x))'],
    ['tr(X³)', '(tr (^ X 3))'],
    ['exp(x)y', '(* (exp x) y)'],
    ['sin(x)^2', '(^ (sin x) 2)'],
    ['⟨A, B⟩', '(inner A B)'],
    ['〈A, B〉', '(inner A B)'],
    ['<A, B>', '(inner A B)'],
    ['a ⊙ b ∘ c ⊘ d', '(./ (.* (.* a b) c) d)'],
    ['a · b ⋅ c × d ÷ g', '(/ (* (* (* a b) c) d) g)'],
    ['(A+B)x', '(* (+ A B) x)'],
    ['x(y + z)', '(* x (+ y z))'],
    ['2eye', '(* 2 eye)'],
    ['matrix(0) + vector(1)', '(+ (matrix 0) (vector 1))'],
  ])('%s', (text, expected) => {
    expect(sexpr(text)).toBe(expected);
  });

  it('numbers', () => {
    expect(sexpr('2 + 0.5 + 1e-3 + .5 + 2.5E+2')).toBe('(+ (+ (+ (+ 2 0.5) 0.001) 0.5) 250)');
    expect(sexpr('2.*x')).toBe('(.* 2 x)'); // MATLAB: the dot belongs to the operator
    expect(sexpr('2./x')).toBe('(./ 2 x)');
    expect(sexpr('x.^2')).toBe('(.^ x 2)');
  });
});

describe('precedence', () => {
  it.each([
    ['a ⊙ bc', '(.* a (* b c))'],
    ['-x^2', '(neg (^ x 2))'],
    ['2xᵀAx / xᵀx', '(/ (* (* (* 2 (T x)) A) x) (* (T x) x))'],
    ["A*B'", '(* A (T B))'],
    ['a - b*c + d/g - f', '(- (+ (- a (* b c)) (/ d g)) f)'],
    ['-a*b', '(* (neg a) b)'],
    ['a*-b', '(* a (neg b))'],
    ['a - -b', '(- a (neg b))'],
    ['a -b', '(- a b)'],
    ['-ab', '(neg (* a b))'],
    ['+a', 'a'],
    ['2^x^2', '(^ 2 (^ x 2))'],
    ['a^-b^c', '(^ a (neg (^ b c)))'],
    ['x^(p+1)', '(^ x (+ p 1))'],
    ["x^2'", '(T (^ x 2))'],
    ['x^2y', '(* (^ x 2) y)'],
    ["x''", '(T (T x))'],
    ['-log x', '(neg (log x))'],
  ])('%s', (text, expected) => {
    expect(sexpr(text)).toBe(expected);
  });
});

describe('definitions', () => {
  it('Y = σ(WX); ⟨Y, MY⟩', () => {
    expect(programSexpr('Y = σ(WX); ⟨Y, MY⟩')).toBe('Y = (sigmoid (* W X)); (inner Y (* M Y))');
  });

  it('line breaks separate statements, except inside brackets and after an operator', () => {
    const text = '\n\nY = σ(WX)\n\nZ = Y +\n  1\n⟨Y,\n MY⟩\n\n';
    expect(programSexpr(text)).toBe('Y = (sigmoid (* W X)); Z = (+ Y 1); (inner Y (* M Y))');
    expect(programSexpr('a = (x\n+ y);;\nb = ‖a\n‖\n;a b')).toBe('a = (+ x y); b = (norm2 a); (* a b)');
  });

  it('a defined name is known to later statements only', () => {
    expect(programSexpr('Yb = x; MYb')).toBe('Yb = x; (* M Yb)');
    expect(programSexpr('Y = x; Yb')).toBe('Y = x; (* Y b)');
    expect(programSexpr('Z1 = x; H_out = Z1; H_out Z1')).toBe('Z1 = x; H_out = Z1; (* H_out Z1)');
    expect(programSexpr('Z₁ = x; Z_1 Z1')).toBe('Z1 = x; (* Z1 Z1)');
  });

  it('keeps spans of names and definitions', () => {
    const text = 'Y = σ(WX); ⟨Y, MY⟩';
    const parsed = program(text);
    const [definition] = parsed.definitions;
    expect(definition!.nameSpan).toEqual({ start: 0, end: 1 });
    expect(definition!.span).toEqual({ start: 0, end: 9 });
    expect(parsed.body.span).toEqual({ start: 11, end: 18 });
  });
});

describe('spans', () => {
  it('juxtaposition: the operator span is the gap between the operands', () => {
    const ast = body('2xᵀ Ax');
    expect(ast.kind).toBe('binary');
    if (ast.kind !== 'binary') return;
    expect(ast.span).toEqual({ start: 0, end: 6 });
    expect(ast.opSpan).toEqual({ start: 5, end: 5 }); // between A and x
    const left = ast.left;
    if (left.kind !== 'binary') throw new Error('expected a product');
    expect(left.opSpan).toEqual({ start: 3, end: 4 }); // the space between xᵀ and A
  });

  it('parentheses widen the span of what they enclose; redundant ones keep the outer pair', () => {
    expect(body('((a+b))x').span).toEqual({ start: 0, end: 8 });
    const product = body('((a+b))x');
    if (product.kind !== 'binary') throw new Error('expected a product');
    expect(product.left.span).toEqual({ start: 0, end: 7 });
    expect(product.left.kind).toBe('binary');
  });

  it('calls, norms, powers and negations', () => {
    const call = body('exp(x)');
    expect(call.kind === 'call' && call.fnSpan).toEqual({ start: 0, end: 3 });
    const norm = body('‖x‖_F');
    expect(norm.span).toEqual({ start: 0, end: 5 });
    const inverse = body('X⁻¹');
    expect(inverse.kind === 'binary' && [inverse.opSpan, inverse.right.span]).toEqual([
      { start: 1, end: 3 },
      { start: 1, end: 3 },
    ]);
    const power = body('X^-1');
    expect(power.kind === 'binary' && power.right.span).toEqual({ start: 2, end: 4 });
    expect(body('-x').span).toEqual({ start: 0, end: 2 });
  });
});

describe('parseExpressionAt (rule files)', () => {
  const text = "rule pull.matmul\n  <?G, d(?A * ?B)> => <?G * ?B', d(?A)> + <?A' * ?G, d(?B)>\n";
  const rules = { name: 'rules/pullback.rules', text };
  const lhs = text.indexOf('<');
  const arrow = text.indexOf('=>');

  it('parses a slice, with spans into the whole text', () => {
    const left = parseExpressionAt(rules, lhs, arrow, { patterns: true });
    expect(left.ok && astToSexpr(left.value)).toBe('(inner ?G (d (* ?A ?B)))');
    expect(left.ok && left.value.span).toEqual({ start: lhs, end: lhs + '<?G, d(?A * ?B)>'.length });
    const right = parseExpressionAt(rules, arrow + 2, text.length, { patterns: true });
    expect(right.ok && astToSexpr(right.value)).toBe('(+ (inner (* ?G (T ?B)) (d ?A)) (inner (* (T ?A) ?G) (d ?B)))');
  });

  it('line breaks are whitespace and definitions are not allowed', () => {
    const result = parseExpressionAt(source('a\n+ b'), 0, 5);
    expect(result.ok && astToSexpr(result.value)).toBe('(+ a b)');
    const definition = parseExpressionAt(source('Y = x'), 0, 5);
    expect(!definition.ok && definition.diagnostics[0]!.message).toBe("unexpected '=' after the end of the expression");
  });

  it('d is a letter and ?A an error outside rule files', () => {
    expect(sexpr('dX + d(X)')).toBe('(+ (* d X) (* d X))');
    expect(sexpr('dX + d(X)', { patterns: true })).toBe('(+ (* d X) (d X))');
    const result = parseProgram(source('d(?A)'));
    expect(!result.ok && result.diagnostics[0]!.id).toBe('syntax/pattern-variable');
  });
});
