import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../../src/syntax/parse.js';
import { failure, programSexpr, sexpr, source } from './helpers.js';

describe('fractions (grammar/README.md, "Fractions")', () => {
  it.each([
    // a number is the whole denominator
    ['1/2 xᵀx', '(* (/ 1 2) (* (T x) x))'],
    ['1/2xᵀx', '(* (/ 1 2) (* (T x) x))'],
    ['1/2‖x‖²', '(* (/ 1 2) (^ (norm2 x) 2))'],
    ['λ/2 ‖w‖²', '(* (/ λ 2) (^ (norm2 w) 2))'],
    ['-1/2 xᵀx', '(* (/ (neg 1) 2) (* (T x) x))'],
    ['1/2π', '(/ 1 (* 2 3.141592653589793))'],
    ['1/2 π', '(* (/ 1 2) 3.141592653589793)'],
    ['a ./ 2 b', '(* (./ a 2) b)'],
    ['a ÷ 2 b', '(* (/ a 2) b)'],
    // otherwise the denominator runs to the first space
    ['xᵀAx/xᵀx', '(/ (* (* (T x) A) x) (* (T x) x))'],
    ['xᵀAx / xᵀx', '(/ (* (* (T x) A) x) (* (T x) x))'],
    ['1/(2σ²) ‖x‖²', '(* (/ 1 (* 2 (^ σ 2))) (^ (norm2 x) 2))'],
    ['a/bc', '(/ a (* b c))'],
    ['a/b c d', '(* (/ a b) (* c d))'],
    ['1/n sum(x)', '(* (/ 1 n) (sum x))'],
    ['a/b/c d', '(* (/ (/ a b) c) d)'],
    // taken whole: a signed denominator, a bare function, one factor, explicit *
    ['a/-b c', '(/ a (neg (* b c)))'],
    ['a / log det X', '(/ a (log (det X)))'],
    ['a / b', '(/ a b)'],
    ['1/2*x', '(* (/ 1 2) x)'],
  ])('%s', (text, expected) => {
    expect(sexpr(text)).toBe(expected);
  });
});

describe('groupings that read two ways are refused, both bracketings shown', () => {
  it.each([
    ['sin x cos x', "'sin' without brackets takes the rest of the product, 'cos' included; write sin(…) cos(…) for the product or sin(… cos(…))"],
    ['a log b det c d', 'log(…)·det(…) or log(… det(…))'],
    ['a^bc', "'a^bc' could be read as (a^b)c or a^(bc)"],
    ['e^-x²', "'e^-x²' could be read as (e^-x)² or e^(-x²)"],
    ['e^-xᵀx', '(e^-x)ᵀ or e^(-xᵀ)'],
    ['x^n(y + 1)', '(x^n)(y + 1) or x^(n(y + 1))'],
    ['xᵀAx/2xᵀx', "'xᵀAx/2xᵀx' could be read as (xᵀAx/2)xᵀx or xᵀAx/(2xᵀx); write xᵀAx/2 xᵀx (with a space)"],
    ['λ/2‖w‖²', '(λ/2)‖w‖² or λ/(2‖w‖²)'],
    ['x/2y', '(x/2)y or x/(2y)'],
  ])('%s', (text, message) => {
    expect(failure(text).id).toBe('syntax/ambiguous-grouping');
    expect(failure(text).message).toContain(message);
  });

  it.each([
    ['log det X', '(log (det X))'],
    ['2 tr AXB', '(* 2 (tr (* (* A X) B)))'],
    ['sin x + cos x', '(+ (sin x) (cos x))'],
    ['sin(x) cos x', '(* (sin x) (cos x))'],
    ['x^2y', '(* (^ x 2) y)'], // a number exponent ends at the number
    ["X^-1'", '(T (^ X -1))'],
    ['x^TAx', '(* (* (T x) A) x)'],
    ['a^b c', '(* (^ a b) c)'],
    ['e^(-x²)', '(^ 2.718281828459045 (neg (^ x 2)))'],
    ['2^x^2', '(^ 2 (^ x 2))'],
    ['1/2xᵀx', '(* (/ 1 2) (* (T x) x))'], // a number numerator: a coefficient fraction
    ['-1/2‖x‖²', '(* (/ (neg 1) 2) (^ (norm2 x) 2))'],
    ['λ/2 ‖w‖²', '(* (/ λ 2) (^ (norm2 w) 2))'],
  ])('but %s is read', (text, expected) => {
    expect(sexpr(text)).toBe(expected);
  });
});

describe('long fraction chains', () => {
  it('cost no stack, whichever rule decides the denominator', () => {
    expect(sexpr(`${'1/'.repeat(20_000)}2 x`).endsWith(' 2) x)')).toBe(true);
    expect(sexpr(`${'1/'.repeat(20_000)}2x`).endsWith(' 2) x)')).toBe(true); // a numeral numerator, however long
  });
});

describe('numbers and comments', () => {
  it('fraction glyphs are numbers; a digit glued to one is not', () => {
    expect(sexpr('½xᵀx')).toBe('(* (* 0.5 (T x)) x)');
    expect(sexpr('¼ + ¾')).toBe('(+ 0.25 0.75)');
    expect(sexpr('⅓x')).toBe(`(* ${1 / 3} x)`);
    expect(failure('2½x').message).toBe("'2½' is not a number");
  });

  it('# starts a comment to the end of the line', () => {
    expect(programSexpr('# header\n# wrt: W\nY = WX # the layer\nsum(Y)')).toBe('Y = (* W X); (sum Y)');
    expect(sexpr('x # ⟨unbalanced')).toBe('x');
    expect(failure('# only a comment').id).toBe('syntax/empty-input');
  });
});

describe('messages quote long input shortened', () => {
  it.each([
    ['a malformed number', `1.2${'.3'.repeat(100_000)}`, 'syntax/malformed-number'],
    ['a redefined long name', `${'x'.repeat(100_000)} = 1; ${'x'.repeat(100_000)} = 2; y`, 'syntax/redefinition'],
    ['an unknown long function', `${'q'.repeat(100_000)}(x)`, 'syntax/ambiguous-name'],
  ])('%s', (_what, text, id) => {
    const diagnostic = failure(text);
    expect(diagnostic.id).toBe(id);
    expect(diagnostic.message.length).toBeLessThan(400);
    for (const note of diagnostic.notes) expect(note.message.length).toBeLessThan(100);
  });
});

describe('definitions and look-alikes', () => {
  it('defining a function name says that it is one', () => {
    const diagnostic = failure('exp = X; tr(exp)');
    expect(diagnostic.id).toBe('syntax/function-name-defined');
    expect(diagnostic.message).toContain("'exp' is a function name");
    expect(diagnostic.span).toEqual({ start: 0, end: 3 });
  });

  it('a Greek capital that looks like a Latin letter is read, with a warning', () => {
    const parsed = parseProgram(source('tr(ΑX) + tr(AX)'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.warnings).toHaveLength(1);
    const [warning] = parsed.value.warnings!;
    expect(warning!.severity).toBe('warning');
    expect(warning!.message).toContain('U+0391');
    expect(warning!.message).toContain('A also occurs');
    expect(warning!.span).toEqual({ start: 3, end: 4 });
    const nu = parseProgram(source('νᵀx + vᵀx'));
    expect(nu.ok && nu.value.warnings?.map((w) => w.message)).toEqual(["'ν' is written with a Greek letter (U+03BD) that looks like the Latin letter of 'v'; v also occurs, and the two are different variables"]);
    const alone = parseProgram(source('νᵀx')); // ν alone is a name people use
    expect(alone.ok && alone.value.warnings).toBeUndefined();
    const sigma = parseProgram(source('tr(AX) + tr(ΣX)')); // Σ looks like no Latin letter
    expect(sigma.ok && sigma.value.warnings).toBeUndefined();
  });
});
