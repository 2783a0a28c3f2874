import { describe, expect, test } from 'vitest';
import { derivative, gradient } from '../../src/pipeline.js';
import type { DerivativeRequest, GradientRequest } from '../../src/report.js';
import { formatLatex } from '../../src/emit/document.js';
import { FORMATS } from '../../src/emit/formats.js';
import { emitText } from '../../src/emit/text.js';

/**
 * The library boundary (issue 17, "the library and the CLI agree on bad input"): whatever a
 * JavaScript caller passes, gradient() and derivative() answer with a diagnostic (`ok: false`),
 * never a thrown TypeError, and no name that an expression could not write reaches an emitter.
 */

const BASE = { expression: "x'x", wrt: 'x' };

/** Requests that must be refused, each with what the message must mention. */
const REFUSED: [label: string, request: unknown, mentions: RegExp][] = [
  ['null', null, /request object/],
  ['a number', 42, /request object/],
  ['a string', "x'x", /request object/],
  ['an array', [BASE], /request object/],
  ['an empty object', {}, /expression must be a string/],
  ['expression null', { ...BASE, expression: null }, /expression must be a string/],
  ['expression a number', { ...BASE, expression: 3 }, /expression must be a string/],
  ['wrt missing', { expression: "x'x" }, /wrt must be/],
  ['wrt a number', { ...BASE, wrt: 1 }, /wrt must be/],
  ['wrt []', { ...BASE, wrt: [] }, /at least one variable/],
  ['wrt [""]', { ...BASE, wrt: [''] }, /not a variable name/],
  ['wrt ["__proto__"]', { ...BASE, wrt: ['__proto__'] }, /not a variable name/],
  ['wrt ["x", 3]', { ...BASE, wrt: ['x', 3] }, /must be a string/],
  ['wrt with a newline and TeX', { ...BASE, wrt: ['x', 'a\n\\input{/etc/passwd}'] }, /not a variable name/],
  ['wrt with a CR', { ...BASE, wrt: ['x\r'] }, /not a variable name/],
  ['wrt with ESC', { ...BASE, wrt: ['x\u001b[2J'] }, /not a variable name/],
  ['wrt with a Greek tonos (no letter)', { ...BASE, wrt: ['x', '\u0384'] }, /not a variable name/],
  ['wrt string with a newline', { ...BASE, wrt: 'x,a\n\\input{/etc/passwd}' }, /not a variable name/],
  ['dims NaN', { ...BASE, dims: new Map([['x', [Number.NaN, 1]]]) }, /integers from 1/],
  ['dims 2.5', { ...BASE, dims: new Map([['x', [2.5, 1]]]) }, /integers from 1/],
  ['dims 0', { ...BASE, dims: new Map([['x', [0, 1]]]) }, /integers from 1/],
  ['dims huge', { ...BASE, dims: new Map([['x', [1e9, 1]]]) }, /integers from 1/],
  ['dims one number', { ...BASE, dims: new Map([['x', 3]]) }, /\[rows, cols\]/],
  ['dims a plain object', { ...BASE, dims: { x: [3, 1] } }, /dims must be/],
  ['dims with a bad name', { ...BASE, dims: new Map([['x}\\end{document}', [3, 1]]]) }, /not a variable name/],
  ['dims ",,,"', { ...BASE, dims: ',,,' }, /empty entry/],
  ['assume a plain object', { ...BASE, assume: { S: 'spd' } }, /assume must be/],
  ['assume an unknown property', { ...BASE, assume: new Map([['x', new Set(['evil'])]]) }, /properties of x/],
  ['assume with a bad name', { ...BASE, assume: new Map([['\u0007', new Set(['spd'])]]) }, /not a variable name/],
  ['seed negative', { ...BASE, seed: -1 }, /seed must be/],
  ['seed fractional', { ...BASE, seed: 1.5 }, /seed must be/],
  ['seed above 2^53', { ...BASE, seed: 2 ** 53 + 2 }, /seed must be/],
  ['seed a string', { ...BASE, seed: '1' }, /seed must be/],
  ['check a string', { ...BASE, check: 'no' }, /check must be/],
  ['maxNodes 0', { ...BASE, maxNodes: 0 }, /maxNodes must be/],
  ['sourceName an object', { ...BASE, sourceName: {} }, /sourceName must be/],
];

describe('gradient(): hostile requests are diagnostics, not exceptions', () => {
  test.each(REFUSED)('%s', (_label, request, mentions) => {
    const result = gradient(request as GradientRequest);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.message).toMatch(mentions);
    expect(result.diagnostics[0]!.code).toMatch(/^MC2\d{3}$/);
  });
});

describe('derivative(): the same check', () => {
  test.each(REFUSED)('%s', (_label, request, mentions) => {
    const withCommand = typeof request === 'object' && request !== null && !Array.isArray(request) ? { command: 'jac', ...request } : request;
    const result = derivative(withCommand as DerivativeRequest);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.message).toMatch(mentions);
  });

  test('a bad command or layout is refused', () => {
    for (const bad of [{ command: 'grad' }, { command: 'jac', layout: 'sideways' }]) {
      const result = derivative({ ...BASE, ...bad } as unknown as DerivativeRequest);
      expect(result.ok).toBe(false);
    }
  });
});

test('accepted requests still work: a Map of dims, a list of names, assumptions as a Map', () => {
  const result = gradient({
    expression: 'xᵀSx + sum(W₁x)',
    wrt: ['x', 'W_1', 'S'],
    dims: new Map([['x', [3, 1] as const]]),
    assume: new Map([['S', new Set(['spd'] as const)]]),
  });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(result.value.wrt).toEqual(['x', 'W1', 'S']);
  expect(result.value.check?.status).toBe('passed');
});

test('a list of names and Map keys mean what the text forms mean: W₁ is W1, a repeated name counts once', () => {
  const result = gradient({ expression: "W₁'*W₁", wrt: ['W₁', 'W1'], dims: new Map([['W₁', [3, 1] as const]]) });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(result.value.wrt).toEqual(['W1']);
  expect(result.value.typed.variables.get('W1')).toEqual([3, 1]);
});

test('--assume on a defined name is an error, as --dims is', () => {
  for (const option of [{ assume: 'Y:positive' }, { dims: 'Y=3' }]) {
    const result = gradient({ expression: "Y = A*x; Y'Y", wrt: 'x', ...option });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.id).toBe('shape/defined-and-declared');
  }
});

test('a CR or LF in the input never leaves the comment of a standalone LaTeX document', () => {
  for (const expression of ["x'x\r\\input{/etc/passwd}+sum(x)", "x'x\n\\input{/etc/passwd}", "x'x\u2028\\input{/etc/passwd}"]) {
    const result = gradient({ expression: "x'x", wrt: 'x', check: false });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    // The report as a hostile caller might hand it to the emitter: the source text is theirs.
    const report = { ...result.value, source: { name: '<input>', text: expression } };
    const tex = formatLatex(report, { steps: false, standalone: true });
    const beforeDocument = tex.slice(0, tex.indexOf('\\documentclass'));
    for (const line of beforeDocument.split(/\r\n|[\n\r]/)) expect(line === '' || line.startsWith('%'), JSON.stringify(line)).toBe(true);
    expect(tex).not.toMatch(/\r/);
  }
});

test('every --format of a report with a hostile source keeps the text inside its quoting', () => {
  const result = gradient({ expression: "x'x", wrt: 'x', check: false });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  const hostile = 'x\'x"""\\\r\n</pre><script>alert(1)</script>\u001b]0;PWNED\u0007\u202e';
  const report = { ...result.value, source: { name: '<input>', text: hostile } };
  const html = FORMATS.html!(report, { steps: false, standalone: false });
  expect(html).not.toContain('<script>');
  expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  const json = FORMATS.json!(report, { steps: false, standalone: false });
  expect(json).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  for (const format of ['numpy', 'torch'] as const) {
    const code = FORMATS[format]!(report, { steps: false, standalone: false });
    expect(code).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    // The docstring still ends where it should: one opening and one closing triple quote before `import`.
    const head = code.slice(0, code.indexOf('\nimport '));
    expect(head.match(/(?<!\\)"""/g)?.length, head).toBe(2);
  }
});

test('f as read (the first line of the text answer) reads back to the same function', async () => {
  const { functionText } = await import('../../src/emit/command-json.js');
  const inputs = ["0.5*x'x", "3*a*b*x'x", 'a*b*sum(x)', "exp(-x'x/2)", "x'A*x/(x'x)", "x'x/(2*a)", 'sum(x)/n', "(a+b)*(c+d)*x'x", "2^a*x'x", "1e-3*x'x"];
  for (const expression of inputs) {
    const first = gradient({ expression, wrt: 'x', check: false });
    if (!first.ok) throw new Error(`${expression}: ${first.diagnostics[0]!.message}`);
    const shown = functionText(first.value).text;
    const again = gradient({ expression: shown, wrt: 'x', check: false });
    if (!again.ok) throw new Error(`${expression} → ${shown}: ${again.diagnostics[0]!.message}`);
    // The same function: the same gradient (the grouping of a product may print differently).
    const gradientText = (r: typeof first) => (r.ok ? r.value.gradients.map((g) => emitText([g.gradient]).main[0]).join() : '');
    expect(gradientText(again), `${expression} → ${shown}`).toBe(gradientText(first));
  }
});
