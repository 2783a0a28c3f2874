import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { reverseSweep } from '../../src/differentiate/reverse-sweep.js';
import { FORMATS } from '../../src/emit/formats.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import { loadRulebook, rulesDirectory } from '../../src/rewrite/load-rules.js';
import { inferShapes } from '../../src/shape/infer.js';
import { parseProgram } from '../../src/syntax/parse.js';
import { decodeFunctionName, encodeFunctionName } from '../../src/term/abstract-functions.js';
import { checkGradient } from '../../src/verify/finite-difference.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { scratchFolders } from '../helpers/scratch.js';
import { ABSTRACT_CASES, type AbstractCase } from './abstract-functions.table.js';

/**
 * Abstract functions end to end: each problem of the table differentiates, passes the numeric check
 * (which substitutes smooth random functions for f and g, verify/abstract-values.ts) and prints the
 * textbook's form where the table gives one. The check itself must be able to fail: a rulebook whose
 * pullbacks of f and g are wrong gives answers it rejects.
 */

function declarations(c: Pick<AbstractCase, 'functions' | 'elementwise'>) {
  return { ...(c.functions ? { functions: c.functions } : {}), ...(c.elementwise ? { elementwise: c.elementwise } : {}) };
}

describe.each(ABSTRACT_CASES.map((c) => [`${c.expr} w.r.t. ${c.wrt} (${c.ref})`, c] as const))('%s', (_name, c) => {
  it('is right (checked against finite differences) and prints the textbook form', () => {
    const result = gradient({ expression: c.expr, wrt: c.wrt, ...declarations(c), seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.check?.status, result.value.check?.reason).toBe('passed');
    const views = gradientViews(result.value);
    for (const [variable, text] of Object.entries(c.textbook ?? {})) {
      expect(views.find((v) => v.name === variable)?.text).toBe(text);
    }
  });
});

describe('every output format of the table', () => {
  /** The modules' folders, removed when the tests are done (test/helpers/scratch.ts). */
  const scratch = scratchFolders('abstract');
  const reports = ABSTRACT_CASES.map((c) => {
    const result = gradient({ expression: c.expr, wrt: c.wrt, ...declarations(c), seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    return result.value;
  });

  it('LaTeX renders, with ∇f and g′ as the notes write them', () => {
    reports.forEach((report, i) => {
      const latex = FORMATS.latex!(report, { steps: false, standalone: false });
      for (const block of latex.trim().split('\n\n')) expect(() => katex.renderToString(block, { throwOnError: true, displayMode: true }), ABSTRACT_CASES[i]!.expr).not.toThrow();
    });
    expect(FORMATS.latex!(reports[0]!, { steps: false, standalone: false })).toContain('\\nabla f(Y)X^\\top');
  });

  it.each(['numpy', 'torch'] as const)('the %s module takes the functions as callables and its self-check passes (one python3)', (format) => {
    const dir = scratch();
    const paths = reports.map((report, i) => {
      const file = join(dir, `module_${i}.py`);
      const code = FORMATS[format]!(report, { steps: false, standalone: false });
      const c = ABSTRACT_CASES[i]!;
      // Every declared function that occurs is a parameter, with its derivative.
      for (const f of (c.functions ?? '').split(',').filter(Boolean)) expect(code).toMatch(new RegExp(`def f_and_grad_\\w+\\([^)]*\\b${f}, grad_${f}\\b`));
      for (const g of (c.elementwise ?? '').split(',').filter(Boolean)) expect(code).toMatch(new RegExp(`def f_and_grad_\\w+\\([^)]*\\b${g}, ${g}_prime\\b`));
      writeFileSync(file, code);
      return file;
    });
    runPythonModules(paths).forEach((r, i) => expect(r.status, `${ABSTRACT_CASES[i]!.expr}: ${r.output}`).toBe(0));
  });
});

it('the table is broad: at least 15 problems, with and without element-wise functions', () => {
  expect(ABSTRACT_CASES.length).toBeGreaterThanOrEqual(15);
  expect(ABSTRACT_CASES.filter((c) => c.elementwise !== undefined).length).toBeGreaterThanOrEqual(5);
  expect(ABSTRACT_CASES.filter((c) => c.functions !== undefined && c.elementwise === undefined).length).toBeGreaterThanOrEqual(5);
});

describe('diff and jac of abstract functions', () => {
  it.each([
    ['diff', 'f(W*X)', 'W', { functions: 'f' }],
    ['diff', 'Y = g(W*X); f(Y)', 'W', { functions: 'f', elementwise: 'g' }],
    ['jac', 'g(W*x)', 'x', { elementwise: 'g' }],
    ['jac', 'f(A*x)', 'x', { functions: 'f' }],
  ] as const)('%s %s w.r.t. %s passes the check', (command, expression, wrt, declared) => {
    const result = derivative({ command, expression, wrt, ...declared, seed: 2 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.check?.status).toBe('passed');
  });
});

describe('what is refused', () => {
  const refused = (request: Parameters<typeof gradient>[0], code: string, words: RegExp) => {
    const result = gradient(request);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]!.code).toBe(code);
    expect(result.diagnostics[0]!.message).toMatch(words);
  };
  it('a Hessian through an abstract function, naming the missing second derivative', () => {
    for (const [expression, declared, missing] of [
      ['f(W*x)', { functions: 'f' }, /∇²f/],
      ['sum(g(x))', { elementwise: 'g' }, /g″/],
    ] as const) {
      const result = derivative({ command: 'hess', expression, wrt: 'x', ...declared });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.diagnostics[0]!.code).toBe('MC3005');
      expect(result.diagnostics[0]!.message).toMatch(missing);
    }
  });
  it('a Hessian that does not pass through the function is not refused', () => {
    const result = derivative({ command: 'hess', expression: "f(A) + x'*x", wrt: 'x', functions: 'f' });
    expect(result.ok).toBe(true);
  });
  it('an undeclared letter before a bracket stays a product where the product fits', () => {
    for (const [expression, wrt, answer] of [
      ['sum(A(x + y))', 'x', 'Aᵀ𝟙'],
      ["x'*A(x + y)", 'y', 'Aᵀx'],
      ['a(b + c)', 'b', 'a'],
    ] as const) {
      const result = gradient({ expression, wrt });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      expect(gradientViews(result.value)[0]!.text).toBe(answer);
      expect(result.value.notes.join()).not.toMatch(/abstract function/);
    }
  });
  it('and is a function, with a note, where it does not', () => {
    const result = gradient({ expression: 'f(W*X)', wrt: 'W' });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(result.value.notes.join()).toMatch(/f\(…\) is read as an abstract function/);
  });
  it('a letter used both before a bracket and as a variable, with both readings', () => {
    refused({ expression: 'f(W*X) + f', wrt: 'W' }, 'MC1020', /function f applied to the bracket or the product f·\(…\).*cannot multiply/);
    refused({ expression: 'f(W*X) + f', wrt: 'W', functions: 'f' }, 'MC2023', /declared a function and also used as a variable/);
  });
  it('bad declarations', () => {
    refused({ expression: 'exp(x)', wrt: 'x', functions: 'exp' }, 'MC2023', /built-in function/);
    refused({ expression: 'f(x)', wrt: 'x', functions: 'x' }, 'MC2023', /also a variable/);
    refused({ expression: 'f(x)', wrt: 'x', functions: 'f', elementwise: 'f' }, 'MC2023', /both/);
    refused({ expression: 'f(x)', wrt: 'x', functions: 'f(' }, 'MC2023', /not a function name/);
    refused({ expression: 'f(x)', wrt: 'x', functions: 'averyverylongname' }, 'MC2023', /at most 8/);
    refused({ expression: 'f(x) + sum(grad_f)', wrt: 'x', dims: 'grad_f=3', functions: 'f' }, 'MC2023', /grad_f is a variable/);
    refused({ expression: 'sum(g(x) .* g_prime)', wrt: 'x', dims: 'g_prime=3', elementwise: 'g' }, 'MC2023', /g_prime is a variable/);
  });
});

describe('the ASCII answer reads back under the same declarations', () => {
  // The cases whose every function is declared (an undeclared f reads back only where f·(…) fails).
  const declared = ABSTRACT_CASES.filter((c) => c.functions !== undefined || (c.elementwise !== undefined && !c.expr.includes('f(')));
  it.each(declared.map((c) => [c.expr, c] as const))('%s', (_name, c) => {
    const result = gradient({ expression: c.expr, wrt: c.wrt, ...declarations(c), seed: 1 });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    const sizes = result.value.check!.sizes;
    const size = (d: string | number) => (typeof d === 'number' ? d : sizes[d]!);
    const dims = new Map([...result.value.variables].map(([name, [r, k]]) => [name, [size(r), size(k)] as const]));
    const functions = new Map<string, 'scalar' | 'elementwise'>([
      ...(c.functions ?? '').split(',').filter(Boolean).map((f) => [f, 'scalar'] as const),
      ...(c.elementwise ?? '').split(',').filter(Boolean).map((g) => [g, 'elementwise'] as const),
    ]);
    for (const view of gradientViews(result.value)) {
      const source = { name: '<ascii>', text: view.ascii };
      const parsed = parseProgram(source, { knownNames: new Set(dims.keys()), functions });
      if (!parsed.ok) throw new Error(`${view.ascii}: ${parsed.diagnostics[0]!.message}`);
      const typed = inferShapes(parsed.value, source, { dims });
      if (!typed.ok) throw new Error(`${view.ascii}: ${typed.diagnostics[0]!.message}`);
      expect(typed.value.term.shape).toEqual(dims.get(view.name));
    }
  });
});

describe('function names as codes', () => {
  it('round-trip, and other numbers are no name', () => {
    for (const name of ['f', 'g', 'loss', 'F_1', 'abcdefgh', 'Z9']) expect(decodeFunctionName(encodeFunctionName(name))).toBe(name);
    expect(encodeFunctionName('f')).not.toBe(encodeFunctionName('g'));
    for (const value of [0, -3, 0.5, 2 ** 60, Number.NaN]) expect(decodeFunctionName(value)).toBeUndefined();
  });
});

describe('the check fails when the rules for abstract functions are wrong', () => {
  // Made while the describe is collected: its tests always run, so its afterAll removes the copy.
  const directory = scratchFolders('wrong-rules')();
  cpSync(rulesDirectory(), directory, { recursive: true });
  const file = join(directory, 'pullback.rules');
  const right = readFileSync(file, 'utf8');
  const wrongRules = [
    // ∇f at the wrong point; g instead of g′.
    ['<?g * absgrad(?f, ?Y), d(?Y)>', '<?g * absgrad(?f, 2 * ?Y), d(?Y)>'],
    ['<?G .* absewd(?g, ?Y), d(?Y)>', '<?G .* absew(?g, ?Y), d(?Y)>'],
  ] as const;

  function sweepAndCheck(rulesText: string, expression: string, functions: ReadonlyMap<string, 'scalar' | 'elementwise'>) {
    writeFileSync(file, rulesText);
    const book = loadRulebook(directory);
    if (!book.ok) throw new Error(book.diagnostics[0]!.message);
    const source = { name: '<wrong>', text: expression };
    const parsed = parseProgram(source, { knownNames: new Set(['W', 'X']), functions });
    if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
    const dims = new Map([['W', [3, 4] as const], ['X', [4, 3] as const]]);
    const typed = inferShapes(parsed.value, source, { dims });
    if (!typed.ok) throw new Error(typed.diagnostics[0]!.message);
    const sweep = reverseSweep(typed.value.term, ['W'], typed.value.variables, book.value);
    return checkGradient({ f: typed.value.term, gradients: sweep.gradients, variables: typed.value.variables, dimSizes: new Map(), seed: 3 }).status;
  }

  it.each(wrongRules.map(([from, to]) => [to, from] as const))('%s is rejected (and the right rule passes)', (to, from) => {
    expect(right).toContain(from);
    const functions = new Map([['f', 'scalar'], ['g', 'elementwise']] as const);
    const expression = 'f(g(W*X))';
    expect(sweepAndCheck(right, expression, functions)).toBe('passed');
    expect(sweepAndCheck(right.replace(from, to), expression, functions)).toBe('failed');
  });
});

describe('names of every length are labels, not values', () => {
  // An abstract function's name travels as a number in the term (up to 64⁸ for eight letters); the
  // check's rounding scale once counted it, so every derivative through `inputs(…)` looked unresolvable.
  const names = ['f', 'ff', 'phi', 'loss', 'score', 'inputs', 'result2', 'f_plain1', 'primal', 'zZ9_zZ9z'];
  it.each(names.flatMap((name) => [
    [`${name}(W*X)`, 'W', { functions: name }],
    [`sum(${name}(W*x))`, 'W', { elementwise: name }],
    [`L, L = ${name}(Y), Y = tanh(W*X)`, 'W', { functions: name }],
  ] as const))('%s w.r.t. %s passes the check (never inconclusive)', (expression, wrt, declared) => {
    for (const seed of [1, 2, 3]) {
      const result = gradient({ expression, wrt, ...declared, seed });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      expect(result.value.check?.status, `seed ${seed}: ${result.value.check?.reason}`).toBe('passed');
    }
  });
});
