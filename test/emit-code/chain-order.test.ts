import { describe, expect, test } from 'vitest';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import { derivativeViews, gradientViews } from '../../src/emit/derivative.js';
import { gradient } from '../../src/pipeline.js';
import { drawInDomain } from '../helpers/draws.js';
import { python3 } from '../helpers/python.js';

/**
 * Matrix-chain ordering with --dims (src/emit/chain-order.ts): the text, ASCII, LaTeX and NumPy views
 * group products for the fewest operations, the NumPy expression still evaluates to matcalc's own
 * value, and without --dims the output is what it always was.
 */
const CASES = [
  {
    expression: 'norm2(A*B*x)^2',
    wrt: 'x',
    dims: 'A=100x200,B=200x300,x=300',
    text: '2Bᵀ(Aᵀ(A(Bx)))',
    ascii: "2*B'*(A'*(A*(B*x)))",
    numpy: '2 * (B.T @ (A.T @ (A @ (B @ x))))',
    latex: '2B^\\top(A^\\top(A(Bx)))',
    // The module computes the value and the gradient together: the gradient reuses A(Bx).
    module: ['np.linalg.norm((_t1 := A @ (B @ x)))', 'grad_x = 2 * (B.T @ (A.T @ _t1))'],
  },
  {
    expression: 'aᵀWᵀAx',
    wrt: 'a',
    dims: 'A=30x40,W=30x20,x=40,a=20',
    text: 'Wᵀ(Ax)',
    ascii: "W'*(A*x)",
    numpy: 'W.T @ (A @ x)',
    latex: 'W^\\top(Ax)',
    module: ['a.T @ (_t1 := W.T @ (A @ x))', 'grad_a = _t1'],
  },
];

describe('products are grouped by matrix-chain order when the sizes are known', () => {
  for (const c of CASES) {
    test(`${c.expression} w.r.t. ${c.wrt} with ${c.dims}`, () => {
      const result = gradient({ expression: c.expression, wrt: c.wrt, dims: c.dims, check: false });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      const [view] = gradientViews(result.value);
      expect(view!.text).toBe(c.text);
      expect(view!.ascii).toBe(c.ascii);
      expect(view!.numpy).toBe(c.numpy);
      expect(view!.latex).toBe(c.latex);
      const module = formatNumpy(result.value, { steps: false, standalone: false });
      for (const line of c.module) expect(module).toContain(line);
      // PyTorch shares the layout: the same grouping with torch calls.
      const torch = formatTorch(result.value, { steps: false, standalone: false });
      for (const line of c.module) expect(torch).toContain(line.replace('np.linalg.norm', 'torch.linalg.norm'));
    });
  }

  test('without --dims the products print left to right, as before', () => {
    const result = gradient({ expression: 'norm2(A*B*x)^2', wrt: 'x', check: false });
    if (!result.ok) throw new Error(result.diagnostics[0]!.message);
    expect(derivativeViews(result.value).lines[0]!.text).toBe('2BᵀAᵀABx');
    expect(gradientViews(result.value)[0]!.numpy).toBe('2 * (B.T @ A.T @ A @ B @ x)');
  });

  test('the grouped NumPy expressions and modules evaluate to matcalc’s own values', () => {
    runInPython(CASES);
  });

  test('products reusing other products (nested inverses) evaluate to matcalc’s own values', () => {
    let e = 'X';
    for (let k = 1; k < 6; k++) e = `X + inv(${e})`;
    const cases = [
      { expression: `logdet(${e})`, wrt: 'X', dims: undefined },
      { expression: `logdet(${e})`, wrt: 'X', dims: 'X=7x7' },
      { expression: 'norm2(W3*W2*W1*X)^2', wrt: 'X', dims: undefined },
    ];
    for (const c of cases) {
      const result = gradient({ ...c, check: false });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      const module = formatNumpy(result.value, { steps: false, standalone: false });
      // The inverses applied inside the palindromes are solves (python-solve.ts); a solved palindrome is defined once and reused.
      if (c.expression.startsWith('logdet')) expect(module, 'an inner palindrome is reused').toMatch(/\(_t(\d+) := np\.linalg\.solve\(.* _t\1\b(?! :=)/);
      else expect(module, 'the gradient reuses the value’s product').toMatch(/grad_X = 2 \* \(W1\.T @ W2\.T @ W3\.T @ _t\d+\)/);
    }
    runInPython(cases);
  });
});

function runInPython(list: readonly { expression: string; wrt: string; dims: string | undefined }[]): void {
  {
    const cases = list.map((c) => {
      const result = gradient({ expression: c.expression, wrt: c.wrt, dims: c.dims, check: false });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      const report = result.value;
      const { values, evaluated } = drawInDomain(report, 3);
      const inputs: Record<string, number[][]> = {};
      for (const name of report.variables.keys()) inputs[name] = values.get(name)!.toArray();
      return {
        name: c.expression,
        expression: gradientViews(report)[0]!.numpy,
        module: formatNumpy(report, { steps: false, standalone: false }),
        inputs,
        expected: evaluated[0]!.toArray(),
      };
    });
    const script = `
import json, sys, runpy, tempfile, os, io, contextlib
import numpy as np
out = []
for c in json.load(sys.stdin):
    env = {"np": np}
    for k, v in c["inputs"].items():
        env[k] = np.array(v, dtype=float)
    value = np.asarray(eval(c["expression"], env), dtype=float)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.py")
        with open(path, "w") as f:
            f.write(c["module"])
        buffer = io.StringIO()
        code = 0
        with contextlib.redirect_stdout(buffer):
            try:
                runpy.run_path(path, run_name="__main__")
            except SystemExit as e:
                code = e.code or 0
    out.append({"value": value.tolist(), "selfCheck": code})
print(json.dumps(out))
`;
    const run = python3(['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as { value: number[][]; selfCheck: number }[];
    results.forEach((r, i) => {
      const c = cases[i]!;
      expect(r.selfCheck, `${c.name}: the module's self-check`).toBe(0);
      let scale = 1;
      for (const row of c.expected) for (const x of row) scale = Math.max(scale, Math.abs(x));
      expect(r.value.length).toBe(c.expected.length);
      c.expected.forEach((row, a) =>
        row.forEach((want, b) => expect(Math.abs(r.value[a]![b]! - want) / scale, c.name).toBeLessThan(1e-9)),
      );
    });
  }
}
