import { describe, expect, it } from 'vitest';
import { astToSexpr } from '../../../src/syntax/debug.js';
import { MAX_NESTING_DEPTH, parseProgram } from '../../../src/syntax/parse.js';
import { failure, source } from './helpers.js';

/** Parses and returns the body, failing the test with the first diagnostic's message. */
function parseBody(text: string) {
  const result = parseProgram(source(text));
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value.body;
}

describe('deep and large input', () => {
  it('10,000 nested parentheses collapse to one level, keeping the outer span', () => {
    const text = `${'('.repeat(10_000)}x${')'.repeat(10_000)}`;
    const ast = parseBody(text);
    expect(ast).toEqual({ kind: 'name', name: 'x', span: { start: 0, end: text.length } });
    expect(astToSexpr(parseBody(`${'('.repeat(10_000)}a+b${')'.repeat(10_000)}c`))).toBe('(* (+ a b) c)');
    expect(astToSexpr(parseBody(`exp${'('.repeat(10_000)}x${')'.repeat(10_000)}`))).toBe('(exp x)');
    expect(failure('exp((a, b))').message).toBe("expected ')' to close '(' at 1:5");
  });

  it('nesting up to the limit parses, with every kind of bracket', () => {
    const depth = MAX_NESTING_DEPTH;
    const cases = [
      `${'exp('.repeat(depth)}x${')'.repeat(depth)}`,
      `${'(x+'.repeat(depth)}x${')'.repeat(depth)}`,
      `${'x^('.repeat(depth)}x${')'.repeat(depth)}`,
      `${'‖'.repeat(depth)}x${'‖'.repeat(depth)}`,
      `${'⟨a, '.repeat(depth)}x${'⟩'.repeat(depth)}`,
      `${'log '.repeat(depth)}x`,
      `${'a log b^('.repeat(depth / 2)}x${')'.repeat(depth / 2)}`,
    ];
    for (const text of cases) expect(() => parseBody(text), text.slice(0, 12)).not.toThrow();
    expect(astToSexpr(parseBody(`${'exp('.repeat(3)}x${')'.repeat(3)}`))).toBe('(exp (exp (exp x)))');
  });

  it('10,000 nested calls: too deep, with the caret on the first bracket past the limit', () => {
    const text = `${'exp('.repeat(10_000)}x${')'.repeat(10_000)}`;
    const d = failure(text);
    expect(d.id).toBe('syntax/too-deep');
    expect(d.message).toBe(`the expression nests 10000 levels deep; the limit is ${MAX_NESTING_DEPTH}`);
    const at = 4 * MAX_NESTING_DEPTH + 3; // the '(' of the (limit + 1)-th exp
    expect(d.span).toEqual({ start: at, end: at + 1 });
    expect(failure(`${'log '.repeat(5000)}x`).id).toBe('syntax/too-deep');
    expect(failure(`${'‖'.repeat(5000)}x${'‖'.repeat(5000)}`).id).toBe('syntax/too-deep');
  });

  it('brackets that never close, deep but within the limit: the innermost is reported', () => {
    const text = `${'(x+'.repeat(MAX_NESTING_DEPTH - 1)}x`;
    const d = failure(text);
    expect(d.message).toBe(`expected ')' to close '(' at 1:${3 * (MAX_NESTING_DEPTH - 2) + 1}`);
    expect(d.span).toEqual({ start: text.length, end: text.length });
  });

  // How fast is for the benchmarks (bench/big-inputs.mjs), not for a timed test on a shared machine.
  it('a sum of 100,000 terms parses into a left-nested tree', () => {
    const text = Array.from({ length: 100_000 }, () => 'x').join('+');
    const ast = parseBody(text);
    let depth = 0;
    for (let node = ast; node.kind === 'binary'; node = node.left) depth++;
    expect(depth).toBe(99_999);
    expect(ast.span).toEqual({ start: 0, end: text.length });
    expect(astToSexpr(ast).length).toBe(99_999 * '(+  )'.length + 100_000);
  });

  it('a 1 MB expression parses, and a 1 MB malformed one fails at its end', () => {
    const terms = Array.from({ length: 40_000 }, (_, i) => `2x${i}ᵀA x${i} + ‖A x${i} − y‖²`);
    const text = terms.join(' − ').slice(0, 1 << 20);
    const valid = text.slice(0, text.lastIndexOf(' − '));
    expect(parseProgram(source(valid)).ok).toBe(true);

    const broken = `${'x+'.repeat(500_000)})`;
    const d = failure(broken);
    expect(d.message).toBe("unexpected ')'; expected an expression");
    expect(d.span).toEqual({ start: 1_000_000, end: 1_000_001 });
  });
});
