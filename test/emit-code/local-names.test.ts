import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matcalc } from '../json/helpers.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * The generated function's own locals (value, grad_<w>, the 1-D flags) never overwrite an input:
 * inputs named like them are passed by position and the module's answer is compared with the
 * gradient worked out by hand (issue 14 §1: `value*sum(x)` returned 12·𝟙 for value = 2).
 */
const hasTorch = hasPython('torch');
/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('locals');

interface Case {
  readonly expression: string;
  readonly wrt: string;
  readonly dims: string;
  /** Positional arguments, in the module's signature order. */
  readonly args: string;
  /** The expected (value, gradient or tuple of gradients), as a Python expression. */
  readonly expected: string;
}

const CASES: Case[] = [
  { expression: 'value*sum(x)', wrt: 'x', dims: 'value=1,x=3', args: '2.0, np.array([1.0, 2.0, 3.0])', expected: '(12.0, np.array([2.0, 2.0, 2.0]))' },
  {
    expression: "x'*grad_y + y'*x",
    wrt: 'y,x',
    dims: 'x=3,grad_y=3,y=3',
    args: 'np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]), np.array([7.0, 8.0, 9.0])',
    expected: '(82.0, (np.array([1.0, 2.0, 3.0]), np.array([11.0, 13.0, 15.0])))',
  },
  { expression: 'v = value*x; sum(v) + grad_x', wrt: 'x', dims: 'value=1,x=2,grad_x=1', args: '2.0, np.array([1.0, 1.0]), 5.0', expected: '(9.0, np.array([2.0, 2.0]))' },
  { expression: "grad_x'*x", wrt: 'x', dims: 'grad_x=2,x=2', args: 'np.array([5.0, 7.0]), np.array([1.0, 2.0])', expected: '(19.0, np.array([5.0, 7.0]))' },
];

type Format = 'numpy' | 'torch';

/** The check a case's module must pass, as a Python script that prints ok. */
function checkScript(format: Format, c: Case, modulePath: string): string {
  const load = `import importlib.util, numpy as np\nspec = importlib.util.spec_from_file_location('m', ${JSON.stringify(modulePath)})\nm = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\nf = [getattr(m, n) for n in dir(m) if n.startswith('f_and_grad_')][0]\n`;
  if (format === 'numpy') {
    return `${load}got = f(${c.args})\nwant = ${c.expected}\nflat = lambda t: np.concatenate([np.ravel(np.asarray(u, dtype=float)) for u in (t if isinstance(t, tuple) else (t,))])\nassert np.allclose(flat(got[0]), flat(want[0])) and np.allclose(flat(got[1]), flat(want[1])), (got, want)\nprint('ok')`;
  }
  const args = c.args.replaceAll('np.array(', 'torch.tensor(').replaceAll('])', '], dtype=torch.float64)');
  return `${load}import torch\ngot = f(${args})\nwant = ${c.expected}\nflat = lambda t: np.concatenate([np.ravel(np.asarray(u.detach().numpy() if hasattr(u, 'detach') else u, dtype=float)) for u in (t if isinstance(t, tuple) else (t,))])\nassert np.allclose(flat(got[0]), flat(want[0])) and np.allclose(flat(got[1]), flat(want[1])), (got, want)\nprint('ok')`;
}

/**
 * Every case's module, written by the built CLI, and its check, all run in ONE python3 (torch is
 * imported once, not once per case): per format and case, the CLI's exit code and stderr and the
 * check's output.
 */
const FORMATS: Format[] = hasTorch ? ['numpy', 'torch'] : ['numpy'];
const runs = new Map<string, { code: number | null; stderr: string; out: string }>();
beforeAll(async () => {
  const made = await Promise.all(
    FORMATS.flatMap((format) => CASES.map(async (c, i) => ({ key: `${format}${i}`, format, c, run: await matcalc(['grad', c.expression, '--wrt', c.wrt, '--dims', c.dims, '--format', format]) }))),
  );
  const dir = scratch();
  const scripts = made.map(({ key, format, c, run }) => {
    const modulePath = path.join(dir, `${key}.py`);
    writeFileSync(modulePath, run.stdout);
    const scriptPath = path.join(dir, `check_${key}.py`);
    writeFileSync(scriptPath, checkScript(format, c, modulePath));
    return scriptPath;
  });
  const checked = runPythonModules(scripts);
  made.forEach(({ key, run }, i) => runs.set(key, { code: run.code, stderr: run.stderr, out: checked[i]!.output }));
}, 240_000);

describe('generated locals never shadow an input', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('numpy %i: %o', (i) => {
    const run = runs.get(`numpy${i}`)!;
    expect(run.code, run.stderr).toBe(0);
    expect(run.out).toContain('ok');
  });

  it.skipIf(!hasTorch).each(CASES.map((c, i) => [i, c] as const))('torch %i (skipped without PyTorch): %o', (i) => {
    const run = runs.get(`torch${i}`)!;
    expect(run.code, run.stderr).toBe(0);
    expect(run.out).toContain('ok');
  });
});
