import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { derivative } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('stacked');

/**
 * The code matcalc writes for the Jacobian of a stacked vector function (np.vstack, torch.vstack):
 * every NumPy, PyTorch, torch.autograd and JAX module runs and passes its own finite-difference
 * check, and the JSON's assembled matrix [∂F/∂x ∂F/∂y] (np.vstack of rows) equals the module's
 * blocks side by side. All modules run in one python3.
 */

const CASES: readonly { expression: string; wrt: string; dims?: string }[] = [
  { expression: '[3x^2y; 2x + y^8]', wrt: 'x,y' },
  { expression: '[r*cos(t); r*sin(t)]', wrt: 'r,t' },
  { expression: '[r*sin(p)*cos(t); r*sin(p)*sin(t); r*cos(p)]', wrt: 'r,p,t' },
  { expression: '[exp(x); log(y); exp(x*y)]', wrt: 'x,y' },
  { expression: '[aᵀx; exp(bᵀx); xᵀx]', wrt: 'x', dims: 'x=3' },
  { expression: '[aᵀ; bᵀ](x ⊙ x)', wrt: 'x', dims: 'x=4' },
  { expression: 'W[x; y] + c', wrt: 'x,y', dims: 'W=3x2' },
  { expression: '[x, x^2; x^3, 1]', wrt: 'x' },
];

const FORMAT_NAMES = ['numpy', 'torch', 'torch-autograd', 'jax'] as const;
const OPTIONS = { steps: false, standalone: false };

function reportOf(c: (typeof CASES)[number]): Report {
  const result = derivative({ command: 'jac', expression: c.expression, wrt: c.wrt, pullback: true, ...(c.dims ? { dims: c.dims } : {}) });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value;
}

/** The assembled matrix's np.vstack expression against the module's jacobian_<v> blocks side by side. */
const ASSEMBLED = String.raw`
import runpy
import numpy as np
ns = runpy.run_path(SPEC["module"])
rng = np.random.default_rng(5)
inputs = {name: rng.uniform(0.5, 1.5, (r, c)) for name, (r, c) in SPEC["shapes"].items()}
inputs = {name: (float(v.reshape(())) if v.shape == (1, 1) else v) for name, v in inputs.items()}
blocks = [np.asarray(ns["jacobian_" + v](**inputs), dtype=float).reshape(-1, 1) for v in SPEC["wrt"]]
matrix = np.asarray(eval(SPEC["numpy"], {"np": np, **inputs}), dtype=float)
error = np.max(np.abs(matrix - np.hstack(blocks)))
print("assembled against blocks:", error)
raise SystemExit(0 if error < 1e-12 else 1)
`;

describe('the modules written for stacked vector functions run and pass their checks', () => {
  test('NumPy, PyTorch, torch.autograd and JAX, and the assembled Jacobian', () => {
    const dir = scratch();
    const paths: string[] = [];
    const names: string[] = [];
    CASES.forEach((c, i) => {
      const report = reportOf(c);
      // The modules with a backward (torch.autograd, JAX: slow to import) for the first cases only.
      for (const format of i < 3 ? FORMAT_NAMES : FORMAT_NAMES.slice(0, 2)) {
        const module = path.join(dir, `case${i}_${format.replace('-', '_')}.py`);
        writeFileSync(module, FORMATS[format]!(report, OPTIONS));
        paths.push(module);
        names.push(`${c.expression} (${format})`);
      }
      const json = JSON.parse(FORMATS.json!(report, OPTIONS)) as { results: { role: string; numpy?: string }[] };
      const assembled = json.results.find((r) => r.role === 'jacobian-matrix');
      if (assembled?.numpy) {
        const shapes = Object.fromEntries([...report.variables].map(([name, [r, cols]]) => [name, [typeof r === 'number' ? r : 3, typeof cols === 'number' ? cols : 3]]));
        const checker = path.join(dir, `case${i}_assembled.py`);
        const numpyModule = path.join(dir, `case${i}_numpy.py`);
        writeFileSync(checker, `SPEC = ${JSON.stringify({ module: numpyModule, shapes, wrt: c.wrt.split(','), numpy: assembled.numpy })}\n${ASSEMBLED}`);
        paths.push(checker);
        names.push(`${c.expression} (assembled)`);
      }
    });
    expect(names.filter((n) => n.endsWith('(assembled)')).length).toBeGreaterThanOrEqual(4);
    const runs = runPythonModules(paths);
    runs.forEach((run, i) => expect(run.status, `${names[i]}:\n${run.output}`).toBe(0));
  });
});
