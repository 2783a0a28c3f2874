import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { run } from '../../src/pipeline.js';
import type { CommandRequest } from '../../src/report.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('stable');

/**
 * softplus, logsigmoid, sigmoid, log1p and expm1 are emitted in forms that stay exact where the
 * textbook formula overflows or cancels (issue 14 §2): at |x| = 800 for the first three (e⁸⁰⁰
 * overflows a double), at |x| ≈ 1e-12 for the last two (1 + x rounds x away). Each module's value,
 * gradient and Hessian are compared with mpmath at 50 digits (to 1e-12 of the largest entry), with
 * NumPy's overflow, division and invalid-operation errors raised as exceptions; the textbook formula
 * is evaluated beside it and must fail, so the inputs do reach the region where stability matters.
 */

interface Case {
  readonly fn: string;
  readonly x: readonly number[];
  /** The function in mpmath (the reference), over one mpf. */
  readonly reference: string;
  /** The textbook formula in NumPy, which must lose the answer at x. */
  readonly naive: string;
}

const WIDE = [-800, -40, 0.3, 40, 800];
const SMALL = [1e-12, 3e-12, 2e-12];
const CASES: readonly Case[] = [
  { fn: 'softplus', x: WIDE, reference: 'lambda t: mpmath.log(1 + mpmath.exp(t))', naive: 'np.log(1 + np.exp(x))' },
  { fn: 'logsigmoid', x: WIDE, reference: 'lambda t: -mpmath.log(1 + mpmath.exp(-t))', naive: 'np.log(1 / (1 + np.exp(-x)))' },
  { fn: 'sigmoid', x: WIDE, reference: 'lambda t: 1 / (1 + mpmath.exp(-t))', naive: '1 / (1 + np.exp(-x))' },
  { fn: 'log1p', x: SMALL, reference: 'lambda t: mpmath.log(1 + t)', naive: 'np.log(1 + x)' },
  { fn: 'expm1', x: SMALL, reference: 'lambda t: mpmath.exp(t) - 1', naive: 'np.exp(x) - 1' },
];

const CHECK = String.raw`
import json, runpy, sys, warnings
import mpmath
import numpy as np
mpmath.mp.dps = 50
warnings.simplefilter("error")
np.seterr(over="raise", divide="raise", invalid="raise", under="ignore")  # underflow to 0 is the right answer
ns = runpy.run_path(SPEC["module"])
ref = eval(SPEC["reference"], {"mpmath": mpmath})
xs = SPEC["x"]
def arr(t):
    if hasattr(t, "detach"):
        t = t.detach().numpy()
    return np.asarray(t, dtype=float)
def close(got, want, what):
    got, want = np.ravel(arr(got)), np.ravel(np.array(want, dtype=float))
    err = float(np.max(np.abs(got - want))) / max(float(np.max(np.abs(want))), 1e-300)
    if not (np.all(np.isfinite(got)) and err <= 1e-12):
        failures.append(f"{what}: got {got.tolist()}, want {want.tolist()} (relative error {err:.1e})")
failures = []
x = np.array(xs, dtype=float).reshape(-1, 1)
if SPEC["command"] == "grad":
    value, grad = ns["f_and_grad_x"](x)
    close(value, [float(mpmath.fsum(ref(mpmath.mpf(t)) for t in xs))], "value")
    close(grad, [float(mpmath.diff(ref, mpmath.mpf(t))) for t in xs], "gradient")
else:
    close(ns["hessian_x"](x), np.diag([float(mpmath.diff(ref, mpmath.mpf(t), 2)) for t in xs]), "Hessian")
# The textbook formula must fail here: overflow, cancellation or a wrong answer.
try:
    naive = eval(SPEC["naive"], {"np": np, "x": x})
    exact = np.array([float(ref(mpmath.mpf(t))) for t in xs])
    wrong = not np.all(np.isfinite(naive)) or float(np.max(np.abs(naive.ravel() - exact) / np.maximum(np.abs(exact), 1e-300))) > 1e-6
except (FloatingPointError, RuntimeWarning):
    wrong = True
if not wrong:
    failures.append("the textbook formula is exact at these inputs: the case does not test stability")
print(json.dumps(failures))
sys.exit(1 if failures else 0)
`;

const hasTorch = hasPython('torch', 'mpmath');

describe('stable forms at |x| = 800 and |x| ≈ 1e-12', () => {
  const formats = hasTorch ? ['numpy', 'torch'] : ['numpy'];
  if (!hasTorch) console.warn('[matcalc] python3 cannot import torch or mpmath: the stable-form runs of --format torch are SKIPPED.');

  test.each(formats)('--format %s: value, gradient and Hessian exact where the textbook formula is not', (format) => {
    const dir = scratch();
    const paths: string[] = [];
    const labels: string[] = [];
    for (const c of CASES) {
      for (const command of ['grad', 'hess'] as const) {
        const request = { command, expression: `sum(${c.fn}(x))`, wrt: 'x', dims: `x=${c.x.length}`, check: false } as CommandRequest;
        const result = run(request);
        if (!result.ok) throw new Error(result.diagnostics[0]!.message);
        const module = path.join(dir, `${c.fn}_${command}.py`);
        writeFileSync(module, FORMATS[format]!(result.value, { steps: false, standalone: false }));
        const checker = path.join(dir, `check_${c.fn}_${command}.py`);
        writeFileSync(checker, `SPEC = ${JSON.stringify({ module, command, x: c.x, reference: c.reference, naive: c.naive })}\n${CHECK}`);
        paths.push(checker);
        labels.push(`${command} sum(${c.fn}(x))`);
      }
    }
    const failures = runPythonModules(paths).flatMap((r, i) => (r.status === 0 ? [] : [`${labels[i]}: ${r.output.slice(-700)}`]));
    expect(failures).toEqual([]);
  });
});
