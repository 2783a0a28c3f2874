import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { gradient } from '../../src/pipeline.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('solve');

/**
 * An inverse applied to a vector or matrix is emitted as a solve (src/emit/python-solve.ts), and on
 * an ill-conditioned matrix that is what keeps the digits: with A the 10×10 Hilbert matrix
 * (cond ≈ 1.6e13) the module's gradient solves its system to a backward error of about 1e-17
 * (‖Az − b‖ / (‖A‖‖z‖ + ‖b‖): the exact answer to a system within ε of the one asked), while the
 * explicit inverse applied to the same right-hand side is off by about 1e-6 — ten digits lost. The
 * right-hand sides are b = Aᵀw for a random w, where the inverse's error shows (for a random b both
 * forms are limited by cond(A) alike).
 */

const CASES = [
  // ∇_y xᵀA⁻¹y = A⁻ᵀx: solve(A.T, x)
  { expression: "x'*inv(A)*y", wrt: 'y', dims: 'x=10,A=10x10,y=10', system: 'A.T', rhs: 'x', answer: 'np.ravel(g)', inverse: 'np.linalg.inv(A).T @ x' },
  // ∇_B tr(B A⁻¹ C) = (A⁻¹C)ᵀ: solve(A, C).T
  { expression: 'tr(B*inv(A)*C)', wrt: 'B', dims: 'B=4x10,A=10x10,C=10x4', system: 'A', rhs: 'C', answer: 'g.T', inverse: 'np.linalg.inv(A) @ C' },
  // The same, spelled solve(A, y) and A\C (read as A⁻¹y, A⁻¹C)
  { expression: "x'*solve(A, y)", wrt: 'y', dims: 'x=10,A=10x10,y=10', system: 'A.T', rhs: 'x', answer: 'np.ravel(g)', inverse: 'np.linalg.inv(A).T @ x' },
  { expression: 'tr(B*(A\\C))', wrt: 'B', dims: 'B=4x10,A=10x10,C=10x4', system: 'A', rhs: 'C', answer: 'g.T', inverse: 'np.linalg.inv(A) @ C' },
];

const CHECK = String.raw`
import json, runpy, sys
import numpy as np
ns = runpy.run_path(SPEC["module"])
n = 10
A = np.array([[1.0 / (i + j + 1) for j in range(n)] for i in range(n)])
rng = np.random.default_rng(5)
inputs = {}
for name, shape in SPEC["shapes"].items():
    inputs[name] = A if name == "A" else rng.standard_normal(shape)
system = eval(SPEC["system"], {"A": A})
# The right-hand side where the inverse's error shows: system @ w for a well-scaled w.
inputs[SPEC["rhs"]] = system @ rng.standard_normal(np.shape(inputs[SPEC["rhs"]]))
fn = next(v for k, v in ns.items() if k.startswith("f_and_grad_"))
args = [inputs[k] for k in SPEC["shapes"]]
_, g = fn(*args)
g = g.detach().numpy() if hasattr(g, "detach") else np.asarray(g, dtype=float)
z = np.reshape(eval(SPEC["answer"], {"np": np, "g": g}), np.shape(inputs[SPEC["rhs"]]))
b = inputs[SPEC["rhs"]]
def backward(z):
    return float(np.linalg.norm(system @ z - b) / (np.linalg.norm(system, 2) * np.linalg.norm(z) + np.linalg.norm(b)))
explicit = eval(SPEC["inverse"], {"np": np, "A": A, SPEC["rhs"]: b})
print(json.dumps({"cond": float(np.linalg.cond(A)), "solve": backward(z), "inverse": backward(explicit)}))
`;

const libraries = { numpy: 'numpy', torch: 'torch' } as const;

describe('solve, never an explicit inverse applied to a vector or matrix', () => {
  test.each(Object.keys(libraries))('--format %s: the Hilbert matrix (cond ≈ 1.6e13) is solved to ε, where the explicit inverse loses ten digits', (format) => {
    if (!hasPython(libraries[format as keyof typeof libraries])) {
      console.warn(`[matcalc] python3 cannot import ${format}: the ill-conditioned solve check of --format ${format} is SKIPPED.`);
      return;
    }
    const dir = scratch();
    const paths = CASES.map((c, i) => {
      const result = gradient({ expression: c.expression, wrt: c.wrt, dims: c.dims, check: false });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      const text = FORMATS[format]!(result.value, { steps: false, standalone: false });
      const body = text.slice(text.indexOf('def f_and_grad_'), text.indexOf('def _self_check'));
      expect(body).toContain('linalg.solve(');
      expect(body).not.toContain('linalg.inv(');
      const module = path.join(dir, `case${i}.py`);
      writeFileSync(module, text);
      const shapes = Object.fromEntries([...result.value.variables].map(([name, shape]) => [name, shape]));
      const checker = path.join(dir, `check${i}.py`);
      writeFileSync(checker, `SPEC = ${JSON.stringify({ module, shapes, system: c.system, rhs: c.rhs, answer: c.answer, inverse: c.inverse })}\n${CHECK}`);
      return checker;
    });
    runPythonModules(paths).forEach((run, i) => {
      expect(run.status, run.output).toBe(0);
      const measured = JSON.parse(run.output.trim().split('\n').pop()!) as { cond: number; solve: number; inverse: number };
      expect(measured.cond, CASES[i]!.expression).toBeGreaterThan(1e12);
      expect(measured.solve, `${CASES[i]!.expression}: ${JSON.stringify(measured)}`).toBeLessThan(1e-14);
      expect(measured.inverse, `${CASES[i]!.expression}: ${JSON.stringify(measured)}`).toBeGreaterThan(1e4 * measured.solve);
    });
  });
});
