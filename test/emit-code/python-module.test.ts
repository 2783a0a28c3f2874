import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { pythonName } from '../../src/emit/numpy.js';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import { gradient } from '../../src/pipeline.js';
import type { Dense } from '../../src/verify/dense.js';
import { drawInDomain } from '../helpers/draws.js';
import { GOLDEN_DIRS, listExamples } from '../helpers/examples.js';
import { hasPython } from '../helpers/python-probe.js';
import { python3 } from '../helpers/python.js';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * `--format numpy` / `--format torch` modules for every golden example, run by python3: the module's
 * own `__main__` self-check must pass (exit 0), and `f_and_grad_…` called with vectors as 1-D arrays
 * and as (n, 1) columns must return matcalc's own gradient values, in the shape passed. One python
 * process per format.
 */

interface Case {
  name: string;
  path: string;
  fname: string;
  /** Per input: its value (nested rows; a float for a scalar) and whether it is a vector. */
  inputs: Record<string, { value: number[][] | number; vector: boolean }>;
  expected: { value: number[][] | number; vector: boolean }[];
}

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('code');

function buildCases(format: 'numpy' | 'torch'): Case[] {
  const cases: Case[] = [];
  const dir = scratch();
  for (const example of listExamples(GOLDEN_DIRS)) {
    const result = gradient({ expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume });
    if (!result.ok) throw new Error(`${example.name}: ${result.diagnostics[0]!.message}`);
    const report = result.value;
    const path = join(dir, `${format}_${example.name.replace(/[^A-Za-z0-9]/g, '_')}.py`);
    writeFileSync(path, (format === 'numpy' ? formatNumpy : formatTorch)(report, { steps: false, standalone: false }));

    const { values, evaluated } = drawInDomain(report, 5);
    const variables = report.variables;
    const scalar = (d: Dense) => d.rows === 1 && d.cols === 1;
    const vector = (d: Dense) => !scalar(d) && (d.rows === 1 || d.cols === 1);
    const inputs: Case['inputs'] = {};
    for (const name of variables.keys()) {
      const v = values.get(name)!;
      inputs[pythonName(name)] = { value: scalar(v) ? v.data[0]! : v.toArray(), vector: vector(v) };
    }
    cases.push({
      name: example.name,
      path,
      fname: `f_and_grad_${report.wrt.map(pythonName).join('_')}`,
      inputs,
      expected: evaluated.map((d) => ({ value: scalar(d) ? d.data[0]! : d.toArray(), vector: vector(d) })),
    });
  }
  return cases;
}

const DRIVER = (format: 'numpy' | 'torch') => `
import json, runpy, sys, io, contextlib
import numpy as np
${format === 'torch' ? 'import torch' : ''}
def to_array(x):
    ${format === 'torch' ? 'return torch.tensor(x, dtype=torch.float64)' : 'return np.array(x, dtype=float)'}
def to_list(g):
    if isinstance(g, float):
        return g
    return ${format === 'torch' ? 'g.detach().numpy().tolist()' : 'np.asarray(g).tolist()'}
cases = json.load(sys.stdin)
out = []
for c in cases:
    r = {}
    try:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            try:
                runpy.run_path(c["path"], run_name="__main__")
                r["main_exit"] = 0
            except SystemExit as e:
                r["main_exit"] = e.code if isinstance(e.code, int) else 1
        r["main_out"] = buffer.getvalue()
        module = runpy.run_path(c["path"], run_name="matcalc_case")
        f = module[c["fname"]]
        for mode in ("columns", "flat"):
            args = {}
            for k, v in c["inputs"].items():
                if isinstance(v["value"], (int, float)):
                    args[k] = float(v["value"])
                elif mode == "flat" and v["vector"]:
                    args[k] = to_array([x for row in v["value"] for x in row])
                else:
                    args[k] = to_array(v["value"])
            value, grads = f(**args)
            if not isinstance(value, float):
                raise TypeError(f"value is {type(value).__name__}, not float")
            grads = grads if isinstance(grads, tuple) else (grads,)
            r[mode] = [to_list(g) for g in grads]
    except Exception as e:
        r["error"] = f"{type(e).__name__}: {e}"
    out.append(r)
print(json.dumps(out))
`;

function runFormat(format: 'numpy' | 'torch'): void {
  const cases = buildCases(format);
  const run = python3(['-c', DRIVER(format)], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  const results = JSON.parse(run.stdout) as Record<string, unknown>[];
  expect(results.length).toBe(cases.length);
  results.forEach((r, i) => {
    const c = cases[i]!;
    if (r.error) throw new Error(`${c.name} (${c.path}): ${String(r.error)}`);
    expect(r.main_exit, `${c.name}: python3 ${c.path}\n${String(r.main_out)}`).toBe(0);
    for (const mode of ['columns', 'flat'] as const) {
      const got = r[mode] as (number[][] | number[] | number)[];
      expect(got.length, `${c.name}: number of gradients`).toBe(c.expected.length);
      c.expected.forEach((want, k) => {
        const label = `${c.name} (${mode}) gradient ${k}`;
        if (typeof want.value === 'number') {
          expect(typeof got[k], label).toBe('number');
          expect(Math.abs((got[k] as number) - want.value) / Math.max(1, Math.abs(want.value)), label).toBeLessThan(1e-9);
          return;
        }
        const rows = want.value;
        let flat: number[];
        if (mode === 'flat' && want.vector) {
          // A 1-D input gets a 1-D gradient back.
          expect(Array.isArray(got[k]) && typeof (got[k] as number[])[0] === 'number', `${label}: 1-D`).toBe(true);
          flat = got[k] as number[];
        } else {
          const g = got[k] as number[][];
          expect([g.length, g[0]!.length], `${label}: shape`).toEqual([rows.length, rows[0]!.length]);
          flat = g.flat();
        }
        const expected = rows.flat();
        expect(flat.length, label).toBe(expected.length);
        const scale = Math.max(1, ...expected.map(Math.abs));
        expected.forEach((x, j) => expect(Math.abs(flat[j]! - x) / scale, label).toBeLessThan(1e-9));
      });
    }
  });
  expect(cases.length).toBeGreaterThanOrEqual(30);
}

const hasTorch = hasPython('torch');
if (!hasTorch) {
  console.warn('[matcalc] PyTorch is not installed (python3 -c "import torch" failed): the --format torch tests are SKIPPED.');
}

test('--format numpy: every golden module passes its self-check and returns matcalc’s gradient', () => {
  runFormat('numpy');
});

test.skipIf(!hasTorch)('--format torch: every golden module passes its self-check and returns matcalc’s gradient (skipped without PyTorch)', () => {
  runFormat('torch');
});

test('a --format numpy module runs as a script, and its shape assertions explain a mismatch', () => {
  const result = gradient({ expression: 'aᵀexp(Xb)', wrt: 'X' });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  const text = formatNumpy(result.value, { steps: false, standalone: false });
  expect(text).toContain('def f_and_grad_X(a, X, b):');
  expect(text).toContain('matcalc verified the gradient numerically');
  const path = join(scratch(), 'script.py');
  writeFileSync(path, text);
  const run = python3([path], { encoding: 'utf8' });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/relative error/);
  const bad = python3(
    ['-c', `import runpy; m = runpy.run_path(${JSON.stringify(path)}); m["f_and_grad_X"]([1.0, 2.0], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [1.0, 2.0])`],
    { encoding: 'utf8' },
  );
  expect(bad.status).not.toBe(0);
  expect(bad.stderr).toContain('b has 2 rows but X has 3 columns (both are m)');
});
