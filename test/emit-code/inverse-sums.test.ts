import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { gradient } from '../../src/pipeline.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { scratchFolders } from '../helpers/scratch.js';

/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('inverse-sums');

/**
 * A sum of inverses applied to something is solved term by term in the emitted Python
 * (src/emit/inverse-sums.ts): ∇_b bᵀA⁻¹b = (A⁻¹ + A⁻ᵀ)b is solve(A, b) + solve(A.T, b), with
 * solve(A, b) the value's own solve, computed once — not an explicit inverse beside the value's
 * solve. Each module still passes its own finite-difference self-check.
 */
const CASES: readonly { expression: string; wrt: string; solves: number; shared: boolean }[] = [
  { expression: "b'*inv(A)*b", wrt: 'b', solves: 2, shared: true },
  { expression: "x'*inv(S)*x + sum(exp(x))", wrt: 'x', solves: 2, shared: true },
  { expression: "tr(inv(A)*B) + b'*inv(A)*b", wrt: 'b', solves: 3, shared: true },
  { expression: "2*x'*inv(A)*x - y'*x", wrt: 'x', solves: 2, shared: true },
  { expression: "x'*(A\\x)", wrt: 'x', solves: 2, shared: true },
  { expression: "sum((inv(A) + inv(A)')*X)", wrt: 'X', solves: 4, shared: false },
];

function moduleOf(expression: string, wrt: string, format: 'numpy' | 'torch'): string {
  const result = gradient({ expression, wrt, check: true });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  return FORMATS[format]!(result.value, { steps: false, standalone: false });
}

describe('a sum of inverses applied to something is solved term by term', () => {
  test.each(CASES)('$expression', ({ expression, wrt, solves, shared }) => {
    for (const format of ['numpy', 'torch'] as const) {
      const code = moduleOf(expression, wrt, format);
      const body = code.slice(code.indexOf('def f_and_grad_'), code.indexOf('WRT = '));
      // No explicit inverse anywhere in the value or the gradient, and the solves each once.
      expect(body, `${format}: ${body}`).not.toMatch(/linalg\.inv\(/);
      expect(body.match(/linalg\.solve\(/g) ?? [], `${format}: ${body}`).toHaveLength(solves);
      // The value's solve is the gradient's first term: named once, used by name.
      if (shared) expect(body, body).toMatch(/\(_t\d+ := \w+\.linalg\.solve\(/);
    }
  });

  test('the modules pass their own self-checks', () => {
    const dir = scratch();
    const paths = CASES.map(({ expression, wrt }, i) => {
      const file = path.join(dir, `case_${i}.py`);
      writeFileSync(file, moduleOf(expression, wrt, 'numpy'));
      return file;
    });
    runPythonModules(paths).forEach((run, i) => expect(run.status, `${CASES[i]!.expression}: ${run.output}`).toBe(0));
  });
});
