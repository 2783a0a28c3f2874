import { writeFileSync } from 'node:fs';
import path from 'node:path';
import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { textAnswer } from '../../src/emit/text-answer.js';
import { derivative } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { compileSchema } from '../json/helpers.js';
import { hasPython } from '../helpers/python-probe.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('hessian');

/**
 * `hess --wrt x,y,…` with scalar and vector variables also gives the blocks as one matrix
 * [[H_xx, H_xy], [H_yx, H_yy]] (src/emit/hessian-matrix.ts): in text, LaTeX (a bmatrix), JSON
 * (`hessianMatrix`, with an np.block expression) and the NumPy and PyTorch modules (`hessian(…)`).
 * Each is checked against a finite-difference Hessian of f in the stacked variable (vec x; vec y; …),
 * computed here from the module's f, at random inputs.
 */

const CASES: readonly { expression: string; wrt: string; dims?: string }[] = [
  { expression: "x'A*y + sum(exp(x)) + a*x'y + a^3", wrt: 'x,y,a' },
  { expression: 'a*b + a^2*b^3', wrt: 'a,b' },
  { expression: "u'*M*v + sum(sigmoid(u)) + sum(v.^3)", wrt: 'u,v', dims: 'u=3,v=2' },
  { expression: "c*x'*x + sum(sin(x .* y))", wrt: 'y,c,x' },
  { expression: 's*logdet(A) + t^2*tr(A) + s*t', wrt: 's,t' },
  { expression: "sum(log(1 + exp(W*x))) + b'*x + b'*b*x'*x", wrt: 'x,b' },
];

function reportOf(c: (typeof CASES)[number]): Report {
  const result = derivative({ command: 'hess', expression: c.expression, wrt: c.wrt, ...(c.dims ? { dims: c.dims } : {}) });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return result.value;
}

const OPTIONS = { steps: false, standalone: false };

/** Loads the module, draws inputs (square matrices diagonally dominant), and compares hessian(…) and the JSON's np.block with the FD Hessian of f. */
const CHECK = String.raw`
import json, runpy, sys
import numpy as np
ns = runpy.run_path(SPEC["module"])
rng = np.random.default_rng(11)
inputs = {}
for name, (r, c) in SPEC["shapes"].items():
    x = rng.uniform(0.5, 1.5, (r, c)) if r != c or r == 1 else rng.uniform(0.5, 1.5, (r, c)) + 2 * r * np.eye(r)
    inputs[name] = x
def f(moved):
    out = ns["f"](**moved)
    out = out.detach().numpy() if hasattr(out, "detach") else out
    return float(np.reshape(np.asarray(out, dtype=float), ()))
wrt = SPEC["wrt"]
sizes = [inputs[n].size for n in wrt]
offsets = np.cumsum([0] + sizes)
def moved_by(k, h, base):
    i = int(np.searchsorted(offsets, k, side="right")) - 1
    out = dict(base)
    flat = np.reshape(out[wrt[i]], -1, order="F").copy()
    flat[k - offsets[i]] += h
    out[wrt[i]] = np.reshape(flat, inputs[wrt[i]].shape, order="F")
    return out
N = offsets[-1]
h = 1e-4
H = np.zeros((N, N))
for i in range(N):
    for j in range(N):
        at = lambda si, sj: f(moved_by(j, sj * h, moved_by(i, si * h, inputs)))
        H[i, j] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h)
def error(got):
    got = got.detach().numpy() if hasattr(got, "detach") else got
    got = np.asarray(got, dtype=float)
    if got.shape != H.shape:
        return f"shape {got.shape}, want {H.shape}"
    return float(np.max(np.abs(got - H)) / max(float(np.max(np.abs(H))), 1.0))
result = {"module": error(ns["hessian"](**inputs))}
if SPEC.get("numpy"):
    result["json"] = error(eval(SPEC["numpy"], {"np": np, **inputs}))
print(json.dumps(result))
`;

describe('hess --wrt x,y: the blocks as one matrix', () => {
  test('text, LaTeX and JSON show the block matrix [[H_xx, H_xy], [H_yx, H_yy]]', () => {
    const validate = compileSchema();
    for (const c of CASES) {
      const report = reportOf(c);
      const names = c.wrt.split(',');
      const line = textAnswer(report).lines.find((l) => l.label.startsWith('∇²_('));
      expect(line?.label, c.expression).toBe(`∇²_(${names.join(', ')}) f`);
      // k block rows of k blocks: the text has k − 1 row separators (a block's own text has none).
      expect(line!.text.startsWith('[') && line!.text.endsWith(']')).toBe(true);
      expect(line!.text.split('; ').length, line!.text).toBe(names.length);
      const json = JSON.parse(FORMATS.json!(report, OPTIONS)) as { hessianMatrix: { variables: string[]; latex: string; numpy: string; shape: unknown[] } };
      expect(validate(json)).toEqual([]);
      expect(json.hessianMatrix.variables).toEqual(names);
      expect(json.hessianMatrix.latex.match(/\\\\(?![a-zA-Z])/g)?.length ?? 0, json.hessianMatrix.latex).toBe(names.length - 1);
      expect(() => katex.renderToString(json.hessianMatrix.latex, { throwOnError: true, strict: 'error' })).not.toThrow();
      expect(json.hessianMatrix.numpy).toMatch(/^np\.block\(\[\[/);
      expect(FORMATS.latex!(report, OPTIONS)).toContain('\\begin{bmatrix}');
    }
  });

  test('no block matrix for one variable, or when a variable is a matrix (its blocks are Kronecker forms)', () => {
    for (const [expression, wrt] of [
      ["x'A*x", 'x'],
      ["tr(X'*X) + x'*X*x", 'X,x'],
    ] as const) {
      const result = derivative({ command: 'hess', expression, wrt });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      expect(textAnswer(result.value).lines.some((l) => l.label.startsWith('∇²_('))).toBe(false);
      expect(JSON.parse(FORMATS.json!(result.value, OPTIONS))).not.toHaveProperty('hessianMatrix');
    }
  });

  test.each(['numpy', 'torch'])('--format %s: hessian(…) and the JSON np.block equal the finite-difference Hessian in the stacked variable', (format) => {
    if (!hasPython(format)) {
      console.warn(`[matcalc] python3 cannot import ${format}: the assembled-Hessian runs of --format ${format} are SKIPPED.`);
      return;
    }
    const dir = scratch();
    const paths: string[] = [];
    CASES.forEach((c, i) => {
      const report = reportOf(c);
      const module = path.join(dir, `case${i}.py`);
      writeFileSync(module, FORMATS[format]!(report, OPTIONS));
      const sizes = report.sample!.dimSizes;
      const size = (d: string | number) => (typeof d === 'number' ? d : sizes.get(d)!);
      const shapes = Object.fromEntries([...report.variables].map(([name, s]) => [name, [size(s[0]), size(s[1])]]));
      const numpy = format === 'numpy' ? (JSON.parse(FORMATS.json!(report, OPTIONS)) as { hessianMatrix: { numpy: string } }).hessianMatrix.numpy : undefined;
      const checker = path.join(dir, `check${i}.py`);
      writeFileSync(checker, `SPEC = ${JSON.stringify({ module, shapes, wrt: c.wrt.split(','), numpy })}\n${CHECK}`);
      paths.push(module, checker);
    });
    const runs = runPythonModules(paths);
    CASES.forEach((c, i) => {
      const self = runs[2 * i]!;
      expect(self.status, `${c.expression}: ${self.output}`).toBe(0);
      expect(self.output).toContain('hessian (the blocks as one matrix)');
      const check = runs[2 * i + 1]!;
      expect(check.status, check.output).toBe(0);
      const errors = JSON.parse(check.output.trim().split('\n').pop()!) as Record<string, number | string>;
      for (const [what, e] of Object.entries(errors)) expect(e, `${c.expression} (${what})`).toBeLessThan(1e-6);
    });
  });
});
