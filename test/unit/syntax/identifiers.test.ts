import { describe, expect, it } from 'vitest';
import { canonicalName, closestName, editDistance, FUNCTION_KEYWORDS, NameTable, readIdentifierRun } from '../../../src/syntax/identifiers.js';
import { body, failure, nameSpans, programSexpr, sexpr } from './helpers.js';

const known = (...names: string[]) => ({ knownNames: new Set(names) });

describe('splitting identifier runs', () => {
  it.each([
    ['Xb', '(* X b)'],
    ['Ax', '(* A x)'],
    ['xᵀAx', '(* (* (T x) A) x)'],
    ['W12', 'W12'],
    ['W₁x', '(* W1 x)'],
    ['W_1x', '(* W1 x)'],
    ['x_i', 'x_i'],
    ['W_out', 'W_out'],
    ['αβ', '(* α β)'],
    ['θ₂x', '(* θ2 x)'],
    ['theta', 'theta'],
    ['theta1', 'theta1'],
    ['W12', 'W12'],
    ['thetaAb', '(* (* theta A) b)'],
    ['ab (x)', '(* (* a b) x)'], // a space: a product, not an unknown function
    ['aσ(x)', '(* a (sigmoid x))'],
    ['W₂tanh(W₁x)', '(* W2 (tanh (* W1 x)))'], // the subscript shows where the function starts
    ['Aexp(x)', '(* A (exp x))'], // so does the change of case
    ['λexp(x)', '(* λ (exp x))'],
    ['tr(ABCD)', '(tr (* (* (* A B) C) D))'],
    ['tr(XᵀAX)', '(tr (* (* (T X) A) X))'],
    ['abᵀ', '(* a (T b))'],
    ['xxᵀ', '(* x (T x))'],
    ['λI', '(* λ eye)'],
    ['AXb', '(* (* A X) b)'],
    ['Sxxᵀa', '(* (* (* S x) (T x)) a)'], // as matcalc prints it
    ['Foo', '(* (* F o) o)'], // not a word matcalc knows: a product (Foo(x) is an unknown function)
    ['AB(X + Y)', '(* (* A B) (+ X Y))'], // capitals before ( are a product, as in maths
    ['Ax(x + y)ᵀ', '(* (* A x) (T (+ x y)))'], // as matcalc prints a gradient
    ['ABC(x)', '(* (* (* A B) C) x)'], // a capital and one lowercase letter after it are still a product: Xb, Ax
    ['pi', '3.141592653589793'],
    ['π', '3.141592653589793'],
    ['2πσ', '(* (* 2 3.141592653589793) σ)'],
    ['e', '2.718281828459045'],
    ['e^x', '(^ 2.718281828459045 x)'],
    ['eye', 'eye'],
    // functions whose names hold digits or other words: never l·o·g₂·x
    ['log2(x)', '(log2 x)'],
    ['log2 x', '(log2 x)'], // as log x
    ['log10(x)', '(log10 x)'],
    ['log1p(x)', '(log1p x)'],
    ['Alog2(x)', '(* A (log2 x))'],
    ['logsigmoid(x)', '(logsigmoid x)'],
    ['log_sigmoid(x)', '(logsigmoid x)'],
    ['atan(x) + arctan(x)', '(+ (arctan x) (arctan x))'],
    ['sinh(x)cosh(x)', '(* (sinh x) (cosh x))'],
    ['erf(x)', '(erf x)'],
    ['square(x)', '(square x)'],
    ['log₂(x) + log₁₀(x)', '(+ (log2 x) (log10 x))'], // as matcalc prints them
  ])('%s', (text, expected) => {
    expect(sexpr(text)).toBe(expected);
  });

  // Runs that could be one name as well as a product are refused, both readings shown (grammar/README.md).
  it.each([
    ['W12x', "'W12x' could be one name W12x or the product W12·x; write W12*x"], // a plain digit inside a run
    ['xA1', "'xA1' could be one name xA1 or the product x·A1"],
    ['log2x', "'log2x' could be one name log2x or the product l·o·g2·x"],
    ['thetax', "'thetax' could be one name thetax or the product theta·x"], // a lowercase word read as pieces
    ['alphabeta', "the product alpha·beta"],
    ['theta1x', 'the product theta1·x'],
    ['sigma', 'the product s·i·g·m·a'],
    ['xyz', 'the product x·y·z; write x*y*z (or x y z) for the product, or declare the name (--wrt xyz or --dims xyz=…)'],
    ['pinvx', "'pinvx' could be one name pinvx or the product p·i·n·v·x"],
    ['Det X', "'Det' could be one name Det or the product D·e·t"], // a capitalised function name
    ['Log x', 'the product L·o·g'],
    ['Lambda x', 'the product L·a·m·b·d·a'],
    ['ABCDE', 'the product A·B·C·D·E'], // more than MAX_PRODUCT_PIECES
    ['MSE', 'the product M·S·E'], // spells a known word
    ['DET X', 'the product D·E·T'],
    ['xe', "e on its own is Euler's number"],
    ['x'.repeat(100), 'a product of 100 letters is refused'],
  ])('refuses %s', (text, message) => {
    expect(failure(text).id).toBe('syntax/ambiguous-name');
    expect(failure(text).message).toContain(message);
  });

  // A word applied to an argument is a function or an error: never letters times a bracket.
  it.each([
    ['logsumexpp(x)', "unknown function 'logsumexpp' — did you mean 'logsumexp'? (or write l*o*g*s*u*m*e*x*p*p*(…) for a product of variables)"],
    ['xexp(y)', "unknown function 'xexp' — did you mean 'exp'? (or write x*exp(…) for a product of variables)"],
    ['thetaexp(x)', "unknown function 'thetaexp'"],
    ['Axnorm2(y)', "unknown function 'Axnorm2'"],
    ['ylog(p)', "did you mean 'log'? (or write y*log(…)"],
    ['Foo(x)', "unknown function 'Foo'; write F*o*o*(…) for a product of variables"],
    ['ab(x)', "unknown function 'ab'"],
    ['Exp(x)', "did you mean 'exp'?"],
    ['tarce(X)', "did you mean 'trace'?"],
    ['sigmoidd(x)', "did you mean 'sigmoid'?"],
    ['MSE(y)', "unknown function 'MSE' — write mean((y − Xw).^2)"], // an acronym, not M·S·E
    ['GELU(x)', 'matcalc has no GELU'],
    ['KL(x)', 'matcalc has no KL divergence'],
    ['Relu(x)', "did you mean 'relu'?"],
  ])('refuses the call %s', (text, message) => {
    expect(failure(text).id).toBe('syntax/unknown-function');
    expect(failure(text).message).toContain(message);
  });

  it('a declared e or pi is the variable', () => {
    expect(sexpr('e^x', known('e'))).toBe('(^ e x)');
    expect(sexpr('pi x', known('pi'))).toBe('(* pi x)');
    expect(sexpr('πx', known('π'))).toBe('(* π x)');
    expect(programSexpr('e = 2x; e')).toBe('e = (* 2 x); e');
  });

  it('a 1 MB run is refused with a short message, in one linear pass', () => {
    const run = 'x'.repeat(1 << 20);
    const diagnostic = failure(run);
    expect(diagnostic.id).toBe('syntax/ambiguous-name');
    expect(diagnostic.message.length).toBeLessThan(300);
    expect(failure(`${run}(y)`).id).toBe('syntax/ambiguous-name');
    expect(failure(`sum(${'ab'.repeat(1 << 19)})`).message).toContain(`a product of ${1 << 20} letters is refused`);
  });

  it('known names win, longest first, and only at letter boundaries', () => {
    expect(sexpr('theta', known('theta'))).toBe('theta');
    expect(sexpr('W1x', known('W1'))).toBe('(* W1 x)');
    expect(sexpr('W12', known('W1'))).toBe('W12'); // W1 is followed by more digits of the same name
    expect(sexpr('W12', known('W'))).toBe('W12');
    expect(failure('xyz', known('xy')).id).toBe('syntax/ambiguous-name'); // a word is a word, whoever declared xy
    expect(sexpr('xyz', known('x', 'xy', 'xyz'))).toBe('xyz');
    expect(sexpr('Hbc', known('bc'))).toBe('(* H bc)');
    expect(sexpr('W_1x', known('W_1'))).toBe('(* W1 x)'); // declared spelling is canonicalised too
    expect(sexpr('eA', known('e'))).toBe('(* e A)'); // a known name beats the constant
    expect(sexpr('xy(z)', known('x', 'y'))).toBe('(* (* x y) z)');
    expect(sexpr('theta(x)')).toBe('(* theta x)');
  });

  it('each piece of a run has its own span', () => {
    const text = 'W₂σ(W₁x) + thetaAb';
    expect(nameSpans(body(text), text)).toEqual(['W2@W₂', 'W1@W₁', 'x@x', 'theta@theta', 'A@A', 'b@b']);
  });

  it('readIdentifierRun reports the pieces with absolute offsets', () => {
    const names = new NameTable(['Y']);
    const reading = readIdentifierRun('MYexp', 10, { names, patterns: false, beforeParen: true, directlyBeforeParen: true });
    expect(reading).toEqual({
      kind: 'pieces',
      pieces: [
        { kind: 'name', name: 'M', origin: 'letter', start: 10, end: 11 },
        { kind: 'name', name: 'Y', origin: 'known', start: 11, end: 12 },
        { kind: 'function', fn: 'exp', start: 12, end: 15 },
      ],
    });
    expect(readIdentifierRun('nan', 0, { names, patterns: false, beforeParen: false, directlyBeforeParen: false })).toEqual({ kind: 'bad-number' });
  });

  it('canonical names', () => {
    expect(canonicalName('W₁')).toBe('W1');
    expect(canonicalName('W_1')).toBe('W1');
    expect(canonicalName('W_12')).toBe('W12');
    expect(canonicalName('x_i')).toBe('x_i');
    expect(canonicalName('H_out')).toBe('H_out');
    expect(canonicalName('α')).toBe('α');
  });

  it('typo suggestions', () => {
    expect(editDistance('tahn', 'tanh')).toBe(1);
    expect(closestName('tahn', FUNCTION_KEYWORDS)).toBe('tanh');
    expect(closestName('sqr', FUNCTION_KEYWORDS)).toBe('sqrt');
    expect(closestName('foo', FUNCTION_KEYWORDS)).toBeUndefined();
    expect(closestName('softsign', FUNCTION_KEYWORDS)).toBeUndefined();
    expect(closestName('sofmax', FUNCTION_KEYWORDS)).toBe('softmax');
  });
});
