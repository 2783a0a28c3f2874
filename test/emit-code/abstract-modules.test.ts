import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { run } from '../../src/pipeline.js';
import type { Command, Report } from '../../src/report.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { scratchFolders } from '../helpers/scratch.js';
import { hasPython } from '../helpers/vjp-modules.js';
import { ABSTRACT_CASES, type AbstractCase } from '../abstract/abstract-functions.table.js';

/**
 * Abstract functions in every Python format (docs/abstract-functions.md, "Code"): diff, jac and hess
 * modules (numpy, torch), torch-autograd and jax take f, grad_f, g, g_prime as callables, and each
 * module's self-check, run as a script, passes with the smooth stand-ins it substitutes. One python3
 * per format runs every module of the table. The check must be able to fail: the same modules with
 * a stand-in derivative that is not the stand-in function's (grad_f off by 0.1·Y, g_prime with sin
 * for cos) must exit non-zero.
 */

interface ModuleCase {
  readonly label: string;
  readonly command: Command;
  readonly expression: string;
  readonly wrt: string;
  readonly functions?: string;
  readonly elementwise?: string;
  readonly dims?: string;
  /** No result calls a derivative callable (f of a constant): a wrong one cannot be noticed. */
  readonly derivativeUnused?: true;
}

const declared = (c: Pick<AbstractCase, 'functions' | 'elementwise'>) => ({
  ...(c.functions ? { functions: c.functions } : {}),
  ...(c.elementwise ? { elementwise: c.elementwise } : {}),
});

/** The table's problems as diff and jac (first order through f and g), and cases of our own for each command. */
const CASES: readonly ModuleCase[] = [
  ...ABSTRACT_CASES.flatMap((c, i): ModuleCase[] => [
    { label: `diff ${c.expr}`, command: 'diff', expression: c.expr, wrt: c.wrt, ...declared(c) },
    // jac of a scalar reads off a matrix per variable: every other row, to keep the run short.
    ...(i % 2 === 0 ? [{ label: `jac ${c.expr}`, command: 'jac' as const, expression: c.expr, wrt: c.wrt, ...declared(c) }] : []),
  ]),
  { label: 'a vector function through g (Jacobian Diag(g′(Ax))A)', command: 'jac', expression: 'g(A*x)', wrt: 'x', elementwise: 'g' },
  { label: 'a matrix function of W through g', command: 'diff', expression: 'g(W*X) + W', wrt: 'W,X', elementwise: 'g' },
  { label: 'f of a vector times the vector', command: 'jac', expression: 'h(x) * x', wrt: 'x', functions: 'h' },
  { label: 'f of a non-wrt input: its Hessian needs no ∇²f', command: 'hess', expression: 'f(A) + x\'*A*x', wrt: 'x', functions: 'f', dims: 'x=3', derivativeUnused: true },
  { label: 'a free dimension beside the callables', command: 'grad', expression: 'f(A*x) + sum(eye)', wrt: 'x', functions: 'f' },
  { label: 'a free dimension beside the callables', command: 'diff', expression: 'f(A*x) + sum(eye)', wrt: 'x', functions: 'f' },
  { label: 'functions named like the module and its self-check', command: 'diff', expression: 'worst(A*x) + sum(h(x))', wrt: 'x', functions: 'worst', elementwise: 'h' },
  { label: 'functions named like the vjp modules', command: 'grad', expression: 'f(W*x) + sum(ctx(x))', wrt: 'W,x', functions: 'f', elementwise: 'ctx' },
  { label: 'grad (the backward of torch-autograd and jax)', command: 'grad', expression: 'Y = g(W*X); f(Y)', wrt: 'W,X', functions: 'f', elementwise: 'g' },
];

function reportOf(c: ModuleCase): Report {
  const result = run({
    command: c.command,
    expression: c.expression,
    wrt: c.wrt,
    ...declared(c),
    ...(c.dims ? { dims: c.dims } : {}),
    sample: true,
    ...(c.command === 'grad' ? {} : { pullback: c.command !== 'hess' }),
  });
  if (!result.ok) throw new Error(`${c.label}: ${result.diagnostics[0]!.message}`);
  expect(result.value.check?.status, `${c.label}: ${result.value.check?.reason ?? ''}`).toBe('passed');
  return result.value;
}

/** A stand-in derivative that is not its function's: grad_f off by 0.1·Y, g_prime with sin for cos. */
function wrongDerivatives(module: string): string {
  return module.replace(/\+ 0\.5 \* Y([,)}\n])/g, '+ 0.6 * Y$1').replace(/(lambda Y: (?:np|torch|jnp))\.cos\(Y\) \+ 0\.5 \* \(1/g, '$1.sin(Y) + 0.5 * (1');
}

const FORMATS_RUN = [
  ['numpy', true],
  ['torch', hasPython('torch')],
  ['torch-autograd', hasPython('torch')],
  ['jax', hasPython('jax')],
] as const;

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('abstract-modules');
const reports = CASES.map(reportOf);

describe.each(FORMATS_RUN)('--format %s with --function/--elementwise', (format, available) => {
  // torch-autograd and jax: the backward is grad's gradient or diff/jac's pullback (hess refuses f'' anyway).
  const cases = CASES.map((c, i) => ({ c, report: reports[i]! })).filter(({ c }) => format === 'numpy' || format === 'torch' || c.command !== 'hess');
  // JAX compiles each module's functions (about a second each): every sixth case, and grad's, keep its run short.
  const chosen = format === 'jax' ? cases.filter((_, i) => i % 6 === 0 || cases[i]!.c.command === 'grad') : cases;

  it.skipIf(!available)(`prints modules taking the callables, whose self-checks pass and fail with a wrong derivative (${chosen.length} cases, one python3)`, () => {
    const texts = chosen.map(({ report }) => FORMATS[format]!(report, { steps: false, standalone: false }));
    texts.forEach((text, k) => {
      const { c } = chosen[k]!;
      for (const name of [...(c.functions?.split(',') ?? []), ...(c.elementwise?.split(',') ?? [])]) expect(text, c.label).toMatch(new RegExp(`\\b${name}\\b`));
      if (!c.derivativeUnused) expect(wrongDerivatives(text), `${c.label}: the stand-ins are where the control expects them`).not.toBe(text);
    });
    const dir = scratch();
    const paths = texts.flatMap((text, k) => {
      const right = join(dir, `${format}_${k}.py`);
      const wrong = join(dir, `${format}_${k}_wrong.py`);
      writeFileSync(right, text);
      writeFileSync(wrong, wrongDerivatives(text));
      return [right, wrong];
    });
    const runs = runPythonModules(paths);
    chosen.forEach(({ c }, k) => {
      const [right, wrong] = [runs[2 * k]!, runs[2 * k + 1]!];
      expect(right.status, `${c.label}\n${right.output}`).toBe(0);
      if (!c.derivativeUnused) expect(wrong.status, `${c.label}: a wrong stand-in derivative passed\n${wrong.output}`).not.toBe(0);
    });
  }, 300_000);
});
