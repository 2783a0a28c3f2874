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
const scratch = scratchFolders('entrywise');

/**
 * A module's self-check compares entry by entry when the variables are small (at most 64 entries)
 * and along one random direction otherwise, and says which; a gradient with one entry off by 1e-4
 * of its size fails it.
 */

interface Case {
  readonly request: CommandRequest;
  /** What the self-check's output must say. */
  readonly says: RegExp;
}

const CASES: readonly Case[] = [
  { request: { expression: "x'A*x + c*sum(exp(x))", wrt: 'x,c', dims: 'x=3' }, says: /; 4 gradient entries against central differences/ },
  { request: { expression: "x'A*x", wrt: 'x', dims: 'x=70' }, says: /the directional derivative along a random direction/ },
  { request: { expression: 'tr(X*X)', wrt: 'X', dims: 'X=8x8' }, says: /; 64 gradient entries/ },
  // A structured gradient (symmetric S): the self-check moves Sᵢⱼ and Sⱼᵢ together, entry by entry and at random.
  { request: { expression: "x'*S*y + tr(S*S*A)", wrt: 'S,x', dims: 'x=3', assume: 'S:symmetric', structured: true }, says: /; 12 gradient entries/ },
  { request: { expression: "x'*S*y + tr(S*S*A)", wrt: 'S', dims: 'S=9x9', assume: 'S:symmetric', structured: true }, says: /the directional derivative along a random direction/ },
  { request: { command: 'jac', expression: 'exp(A*x)', wrt: 'x', dims: 'x=4' } as CommandRequest, says: /differential_x \(every entry\)/ },
  { request: { command: 'hess', expression: "x'A*x + sum(exp(x))", wrt: 'x', dims: 'x=65' } as CommandRequest, says: /hessian_product_x \(a random direction\)/ },
];

/** One entry of the returned gradient moved by 1e-4 of the gradient's size. */
function broken(module: string, format: string): string {
  const library = format === 'numpy' ? 'np' : 'torch';
  const flat = format === 'numpy' ? 'np.ravel(grad_x)' : 'grad_x.reshape(-1)';
  return module.replace(
    /\n(    return value, grad_x)\n/,
    `\n    grad_x = grad_x + ${library}.abs(${flat}).max() * 1e-4 * (${library}.arange(${flat}.shape[0]) == 1).reshape(grad_x.shape)\n$1\n`,
  );
}

describe('self-checks: entry by entry for small sizes', () => {
  test.each(['numpy', 'torch'])('--format %s', (format) => {
    if (!hasPython(format)) {
      console.warn(`[matcalc] python3 cannot import ${format}: the self-check runs of --format ${format} are SKIPPED.`);
      return;
    }
    const dir = scratch();
    const paths: string[] = [];
    CASES.forEach((c, i) => {
      const result = run({ ...c.request, check: false });
      if (!result.ok) throw new Error(result.diagnostics[0]!.message);
      const text = FORMATS[format]!(result.value, { steps: false, standalone: false });
      paths.push(path.join(dir, `case${i}.py`));
      writeFileSync(paths[i]!, text);
    });
    // A gradient with one entry wrong fails.
    const single = run({ expression: "x'A*x", wrt: 'x', dims: 'x=3', check: false });
    if (!single.ok) throw new Error('x′Ax');
    const wrongSingle = broken(FORMATS[format]!(single.value, { steps: false, standalone: false }), format);
    expect(wrongSingle).toContain('* 1e-4 *');
    paths.push(path.join(dir, 'wrong.py'));
    writeFileSync(paths[paths.length - 1]!, wrongSingle);
    const runs = runPythonModules(paths);
    CASES.forEach((c, i) => {
      expect(runs[i]!.status, runs[i]!.output).toBe(0);
      expect(runs[i]!.output).toMatch(c.says);
    });
    const last = runs[runs.length - 1]!;
    expect(last.output).toMatch(/3 gradient entries/);
    expect(last.status, last.output).toBe(1);
  });
});
