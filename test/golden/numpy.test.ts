import { expect, test } from 'vitest';
import { gradientViews } from '../../src/emit/derivative.js';
import { gradient } from '../../src/pipeline.js';
import { drawInDomain, pythonInputs } from '../helpers/draws.js';
import { GOLDEN_DIRS, listExamples } from '../helpers/examples.js';
import { python3 } from '../helpers/python.js';

/**
 * gradient.numpy is executed by python3 + NumPy for every golden example, on the same random
 * inputs as matcalc's own evaluator, and the two must agree. Vectors go in as (n, 1) columns and
 * scalars as floats, as documented.
 */
interface Case {
  name: string;
  expression: string;
  inputs: Record<string, number[][] | number>;
  expected: number[][];
}

test('every golden gradient.numpy evaluates to matcalc’s own value', () => {
  const cases: Case[] = [];
  for (const example of listExamples(GOLDEN_DIRS)) {
    const result = gradient({ expression: example.expression, wrt: example.wrt, dims: example.dims, assume: example.assume, check: false });
    if (!result.ok) throw new Error(`${example.name}: ${result.diagnostics[0]!.message}`);
    const report = result.value;
    const { values, evaluated } = drawInDomain(report, 5);
    const inputs = pythonInputs(report, values);
    gradientViews(report).forEach((view, i) => {
      cases.push({ name: `${example.name} ∇${view.name}`, expression: view.numpy, inputs, expected: evaluated![i]!.toArray() });
    });
  }
  const script = `
import json, sys
import numpy as np
import scipy.special
cases = json.load(sys.stdin)
out = []
for c in cases:
    env = {"np": np, "scipy": scipy}  # matcalc writes erf as scipy.special.erf
    for k, v in c["inputs"].items():
        env[k] = float(v) if isinstance(v, (int, float)) else np.array(v, dtype=float)
    try:
        value = eval(c["expression"], env)
        arr = np.atleast_2d(np.asarray(value, dtype=float))
        out.append({"value": arr.tolist()})
    except Exception as e:
        out.append({"error": f"{type(e).__name__}: {e}"})
print(json.dumps(out))
`;
  const run = python3(['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(run.status, run.stderr).toBe(0);
  const results = JSON.parse(run.stdout) as ({ value: number[][] } | { error: string })[];
  expect(results.length).toBe(cases.length);
  results.forEach((r, i) => {
    const c = cases[i]!;
    if ('error' in r) throw new Error(`${c.name}: ${c.expression}\n${r.error}`);
    const want = c.expected;
    expect([r.value.length, r.value[0]!.length], `${c.name}: shape of ${c.expression}`).toEqual([want.length, want[0]!.length]);
    let scale = 1;
    for (const row of want) for (const x of row) scale = Math.max(scale, Math.abs(x));
    for (let a = 0; a < want.length; a++) {
      for (let b = 0; b < want[0]!.length; b++) {
        expect(Math.abs(r.value[a]![b]! - want[a]![b]!) / scale, `${c.name}: ${c.expression}`).toBeLessThan(1e-9);
      }
    }
  });
  expect(cases.length).toBeGreaterThanOrEqual(30);
});
