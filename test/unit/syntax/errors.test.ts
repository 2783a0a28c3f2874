import { describe, expect, it } from 'vitest';
import { parseExpressionAt, parseProgram } from '../../../src/syntax/parse.js';
import { failure, rendered, source } from './helpers.js';

/** The rendered diagnostic, with the snippet, exactly as the CLI prints it (without colour). */
function block(...lines: string[]): string {
  return lines.join('\n');
}

describe('malformed input: rendered diagnostics', () => {
  it('a lone operator', () => {
    expect(rendered('*')).toBe(
      block("error[MC1001]: unexpected '*'; expected an expression", ' --> <input>:1:1', '  |', '1 | *', '  | ^'),
    );
  });

  it('a lone plus needs an operand', () => {
    expect(rendered('+')).toBe(
      block('error[MC1001]: unexpected end of input; expected an expression', ' --> <input>:1:2', '  |', '1 | +', '  |  ^'),
    );
  });

  it('a trailing operator', () => {
    expect(rendered('a +')).toBe(
      block('error[MC1001]: unexpected end of input; expected an expression', ' --> <input>:1:4', '  |', '1 | a +', '  |    ^'),
    );
  });

  it('an open parenthesis alone', () => {
    expect(rendered('(')).toBe(
      block('error[MC1001]: unexpected end of input; expected an expression', ' --> <input>:1:2', '  |', '1 | (', '  |  ^'),
    );
  });

  it('a closing parenthesis alone', () => {
    expect(rendered(')')).toBe(
      block("error[MC1001]: unexpected ')'; expected an expression", ' --> <input>:1:1', '  |', '1 | )', '  | ^'),
    );
  });

  it('an unclosed parenthesis points at where the closer belongs and names the opener', () => {
    expect(rendered('tr(A*(X')).toBe(
      block("error[MC1002]: expected ')' to close '(' at 1:6", ' --> <input>:1:8', '  |', '1 | tr(A*(X', '  |        ^'),
    );
  });

  it('an unclosed call, on the second line', () => {
    expect(rendered('Y = x\nexp(Y + ⟨a, b⟩')).toBe(
      block("error[MC1002]: expected ')' to close '(' at 2:4", ' --> <input>:2:15', '  |', '2 | exp(Y + ⟨a, b⟩', '  |               ^'),
    );
  });

  it('a closer of the wrong kind is where the right one was expected', () => {
    expect(rendered('x (a⟩ b)')).toBe(
      block("error[MC1002]: expected ')' to close '(' at 1:3", ' --> <input>:1:5', '  |', '1 | x (a⟩ b)', '  |     ^'),
    );
  });

  it('an unclosed inner product and norm', () => {
    expect(rendered('⟨a, b')).toBe(
      block("error[MC1002]: expected '⟩' to close '⟨' at 1:1", ' --> <input>:1:6', '  |', '1 | ⟨a, b', '  |      ^'),
    );
    expect(rendered('2‖Ax')).toBe(
      block("error[MC1002]: expected '‖' to close '‖' at 1:2", ' --> <input>:1:5', '  |', '1 | 2‖Ax', '  |     ^'),
    );
    expect(failure('||x').message).toBe("expected '||' to close '||' at 1:1");
  });

  it('an inner product needs two operands', () => {
    expect(rendered('⟨a⟩')).toBe(
      block("error[MC1001]: unexpected '⟩'; expected ','", ' --> <input>:1:3', '  |', '1 | ⟨a⟩', '  |   ^'),
    );
  });

  it('a missing exponent', () => {
    expect(rendered('x^')).toBe(
      block('error[MC1001]: unexpected end of input; expected an exponent', ' --> <input>:1:3', '  |', '1 | x^', '  |   ^'),
    );
    expect(failure('x^-').message).toBe('unexpected end of input; expected an exponent');
  });

  it('an empty argument', () => {
    expect(rendered('f(,)')).toBe(
      block("error[MC1001]: unexpected ','; expected an expression", ' --> <input>:1:3', '  |', '1 | f(,)', '  |   ^'),
    );
    expect(failure('exp()').message).toBe("unexpected ')'; expected an expression");
  });

  it('input after the end of the expression', () => {
    expect(rendered('a + b)')).toBe(
      block("error[MC1013]: unexpected ')' after the end of the expression", ' --> <input>:1:6', '  |', '1 | a + b)', '  |      ^'),
    );
  });

  it('an unknown character, after a valid start', () => {
    expect(rendered('x + $y')).toBe(
      block("error[MC1003]: unknown character '$' (U+0024)", ' --> <input>:1:5', '  |', '1 | x + $y', '  |     ^'),
    );
    // An astral character is reported whole (both UTF-16 halves), with its column in code points.
    expect(rendered('x\n2 😀')).toBe(
      block("error[MC1003]: unknown character '😀' (U+1F600)", ' --> <input>:2:3', '  |', '2 | 2 😀', '  |   ^'),
    );
    expect(failure('x\n2 😀').span).toEqual({ start: 4, end: 6 });
  });

  it('empty and blank input', () => {
    expect(rendered('')).toBe(block('error[MC1004]: the expression is empty', ' --> <input>:1:1', '  |', '1 | ', '  | ^'));
    expect(failure(' \n ; \n').id).toBe('syntax/empty-input');
  });

  it('unknown functions, with a suggestion when one is close', () => {
    expect(rendered('tahn(x)')).toBe(
      block(
        "error[MC1006]: unknown function 'tahn' — did you mean 'tanh' or 'tan'? (or write t*a*h*n*(…) for a product of variables)",
        ' --> <input>:1:1',
        '  |',
        '1 | tahn(x)',
        '  | ^^^^',
      ),
    );
    expect(failure('2 + foo(x)').message).toBe("unknown function 'foo'; write f*o*o*(…) for a product of variables");
    expect(failure('betan(x)').message).toBe("unknown function 'betan' — did you mean 'mean' or 'atan'? (or write beta*n*(…) for a product of variables)");
  });

  it('numbers that are not finite', () => {
    expect(rendered('2*NaN')).toBe(block("error[MC1007]: 'NaN' is not a finite number", ' --> <input>:1:3', '  |', '1 | 2*NaN', '  |   ^^^'));
    expect(failure('1e999 + x').message).toBe("'1e999' is not a finite number");
    expect(failure('Inf').id).toBe('syntax/bad-number');
  });

  it('numbers glued together', () => {
    expect(rendered('1.2.3*sum(x)')).toBe(
      block("error[MC1015]: '1.2.3' is not a number", ' --> <input>:1:1', '  |', '1 | 1.2.3*sum(x)', '  | ^^^^^'),
    );
    expect(failure('x + 1e3.5').message).toBe("'1e3.5' is not a number");
  });

  it('a function without its argument', () => {
    expect(rendered('sum()')).toBe(
      block("error[MC1001]: unexpected ')'; expected an expression", ' --> <input>:1:5', '  |', '1 | sum()', '  |     ^'),
    );
    expect(rendered('exp')).toBe(
      block('error[MC1001]: unexpected end of input; expected an expression', ' --> <input>:1:4', '  |', '1 | exp', '  |    ^'),
    );
  });

  it('pattern variables outside rule files', () => {
    expect(rendered('A ?B')).toBe(
      block("error[MC1005]: '?B' is a rule pattern variable; it cannot appear in an expression", ' --> <input>:1:3', '  |', '1 | A ?B', '  |   ^^'),
    );
  });

  it('definitions', () => {
    expect(rendered('Y = a; Y = b; Y')).toBe(
      block(
        "error[MC1009]: 'Y' is defined twice",
        ' --> <input>:1:8',
        '  |',
        '1 | Y = a; Y = b; Y',
        '  |        ^',
        "note: 'Y' is first defined here",
        ' --> <input>:1:1',
        '  |',
        '1 | Y = a; Y = b; Y',
        '  | ^',
      ),
    );
    expect(rendered('Y = a\n')).toBe(
      block('error[MC1001]: unexpected end of input; expected an expression after the definitions', ' --> <input>:2:1', '  |', '2 | ', '  | ^'),
    );
    expect(rendered('a; b')).toBe(
      block(
        "error[MC1014]: only the last statement can be an expression; write 'name = …' to define a name",
        ' --> <input>:1:1',
        '  |',
        '1 | a; b',
        '  | ^',
      ),
    );
  });

  it('arity and norm subscripts', () => {
    expect(rendered('exp(x, y)')).toBe(
      block('error[MC1010]: exp takes one argument, got 2', ' --> <input>:1:1', '  |', '1 | exp(x, y)', '  | ^^^^^^^^^'),
    );
    expect(failure('‖x‖_3').message).toBe("unexpected '_3'; expected a norm subscript _1, _2, _F or _*");
  });
});

describe('which problem is reported', () => {
  it('the earliest in the text, across the lexer, the token passes and the parser', () => {
    expect(failure('a + * (b +)').message).toBe("unexpected '*'; expected an expression");
    expect(failure('(a +) + foo(x)').message).toBe("unexpected ')'; expected an expression");
    expect(failure('foo(x) + (a +)').message).toBe("unknown function 'foo'; write f*o*o*(…) for a product of variables");
    expect(failure('a + $ + (b +)').message).toBe("unknown character '$' (U+0024)");
  });

  it('syntax problems before the AST builder’s', () => {
    expect(failure('exp(x, y) + (a +)').message).toBe("unexpected ')'; expected an expression");
    expect(failure('a; exp(x, y)').id).toBe('syntax/not-a-definition');
  });

  it('diagnostics from parseExpressionAt point into the whole text', () => {
    const text = 'rule r\n  ?A + * ?B => ?A\n';
    const result = parseExpressionAt(source(text), text.indexOf('?A'), text.indexOf('=>'), { patterns: true });
    expect(!result.ok && result.diagnostics[0]!.span).toEqual({ start: 14, end: 15 });
    const empty = parseExpressionAt(source(text), 6, 9);
    expect(!empty.ok && empty.diagnostics[0]!.id).toBe('syntax/empty-input');
  });

  it('never throws, whatever the input', () => {
    const inputs = ['(((', ')))', '‖‖‖', '⟨⟨', '^^^', "'''", '= = =', ';;;x;;;', '_1', '₂', 'x_', '?', '.', '..5', '1.2.3', '⁻', 'ᵀx'];
    for (const text of inputs) {
      const result = parseProgram(source(text));
      if (!result.ok) {
        expect(result.diagnostics[0]!.span, text).toBeDefined();
        expect(result.diagnostics[0]!.source, text).toBeDefined();
      }
    }
  });
});
