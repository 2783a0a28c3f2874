import { describe, expect, it } from 'vitest';
import { canonicalName, closestName, editDistance, FUNCTION_KEYWORDS, NameTable, readIdentifierRun } from '../../../src/syntax/identifiers.js';
import { body, nameSpans, sexpr } from './helpers.js';

const known = (...names: string[]) => ({ knownNames: new Set(names) });

describe('splitting identifier runs', () => {
  it.each([
    ['Xb', '(* X b)'],
    ['Ax', '(* A x)'],
    ['xᵀAx', '(* (* (T x) A) x)'],
    ['W12', 'W12'],
    ['W12x', '(* W12 x)'],
    ['W₁x', '(* W1 x)'],
    ['W_1x', '(* W1 x)'],
    ['x_i', 'x_i'],
    ['W_out', 'W_out'],
    ['αβ', '(* α β)'],
    ['θ₂x', '(* θ2 x)'],
    ['theta', 'theta'],
    ['thetax', '(* theta x)'],
    ['alphabeta', '(* alpha beta)'],
    ['theta1x', '(* theta1 x)'],
    ['sigma', '(* (* (* (* s i) g) m) a)'], // not a Greek name here: σ( is the sigmoid
    ['pi', '(* p i)'],
    ['xexp(y)', '(* x (exp y))'],
    ['thetaexp(x)', '(* theta (exp x))'],
    ['Axnorm2(y)', '(* (* A x) (norm2 y))'],
    ['ab (x)', '(* (* a b) x)'], // a space: a product, not an unknown function
    ['aσ(x)', '(* a (sigmoid x))'],
    ['eye', 'eye'],
  ])('%s', (text, expected) => {
    expect(sexpr(text)).toBe(expected);
  });

  it('known names win, longest first, and only at letter boundaries', () => {
    expect(sexpr('theta', known('theta'))).toBe('theta');
    expect(sexpr('W1x', known('W1'))).toBe('(* W1 x)');
    expect(sexpr('W12', known('W1'))).toBe('W12'); // W1 is followed by more digits of the same name
    expect(sexpr('W12', known('W'))).toBe('W12');
    expect(sexpr('xyz', known('xy'))).toBe('(* xy z)');
    expect(sexpr('xyz', known('x', 'xy', 'xyz'))).toBe('xyz');
    expect(sexpr('Hbc', known('bc'))).toBe('(* H bc)');
    expect(sexpr('W_1x', known('W_1'))).toBe('(* W1 x)'); // declared spelling is canonicalised too
    expect(sexpr('eta', known('e'))).toBe('(* (* e t) a)'); // a known name beats a Greek one
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
    expect(closestName('softmax', FUNCTION_KEYWORDS)).toBeUndefined();
  });
});
