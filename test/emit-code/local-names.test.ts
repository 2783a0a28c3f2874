import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matcalc } from '../json/helpers.js';

/**
 * The generated function's own locals (value, grad_<w>, the 1-D flags) never overwrite an input:
 * inputs named like them are passed by position and the module's answer is compared with the
 * gradient worked out by hand (issue 14 §1: `value*sum(x)` returned 12·𝟙 for value = 2).
 */
const hasTorch = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'matcalc-locals-'));

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

function runModule(source: string, name: string, call: string): { status: number | null; out: string } {
  const file = path.join(dir, `${name}.py`);
  writeFileSync(file, source);
  const script = `import importlib.util, numpy as np\nspec = importlib.util.spec_from_file_location('m', ${JSON.stringify(file)})\nm = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\nf = [getattr(m, n) for n in dir(m) if n.startswith('f_and_grad_')][0]\n${call}`;
  const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('generated locals never shadow an input', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('numpy %i: %o', async (i, c) => {
    const run = await matcalc(['grad', c.expression, '--wrt', c.wrt, '--dims', c.dims, '--format', 'numpy']);
    expect(run.code, run.stderr).toBe(0);
    const check = `got = f(${c.args})\nwant = ${c.expected}\nflat = lambda t: np.concatenate([np.ravel(np.asarray(u, dtype=float)) for u in (t if isinstance(t, tuple) else (t,))])\nassert np.allclose(flat(got[0]), flat(want[0])) and np.allclose(flat(got[1]), flat(want[1])), (got, want)\nprint('ok')`;
    const result = runModule(run.stdout, `numpy${i}`, check);
    expect(result.out).toContain('ok');
  });

  it.skipIf(!hasTorch).each(CASES.map((c, i) => [i, c] as const))('torch %i (skipped without PyTorch): %o', async (i, c) => {
    const run = await matcalc(['grad', c.expression, '--wrt', c.wrt, '--dims', c.dims, '--format', 'torch']);
    expect(run.code, run.stderr).toBe(0);
    const args = c.args.replaceAll('np.array(', 'torch.tensor(').replaceAll('])', '], dtype=torch.float64)');
    const check = `import torch\ngot = f(${args})\nwant = ${c.expected}\nflat = lambda t: np.concatenate([np.ravel(np.asarray(u.detach().numpy() if hasattr(u, 'detach') else u, dtype=float)) for u in (t if isinstance(t, tuple) else (t,))])\nassert np.allclose(flat(got[0]), flat(want[0])) and np.allclose(flat(got[1]), flat(want[1])), (got, want)\nprint('ok')`;
    const result = runModule(run.stdout, `torch${i}`, check);
    expect(result.out).toContain('ok');
  });
});
