import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { formatNumpy as formatDerivativeNumpy, formatTorch as formatDerivativeTorch } from '../../src/emit/python-module.js';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { Report } from '../../src/report.js';
import { runPythonModules } from '../helpers/python-batch.js';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * Labels y ∈ {−1, +1}ⁿ (--assume y:sign): y ⊙ y = 𝟙, so the logistic loss with ±1 labels has the
 * textbook Hessian XᵀDiag(σ(z) ⊙ σ(−z))X, z = Xw (σ(yz)σ(−yz) is even in yz). Every derivative
 * must pass the numeric check (which draws y with entries ±1), print as the reference writes it, and
 * its emitted NumPy/PyTorch modules must pass their own check (one python3 per format).
 */
interface Problem {
  readonly command: 'grad' | 'hess';
  readonly expr: string;
  readonly wrt: string;
  /** The printed lines by label (grad: the gradient), in matcalc's notation; T₁ … are shared subexpressions. */
  readonly textbook: Record<string, string>;
  readonly ref: string;
}

const HESSIAN = 'Xᵀdiag(T₁ ⊙ T₂)X';
const PROBLEMS: readonly Problem[] = [
  { command: 'hess', expr: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w', textbook: { '∇²_w f': HESSIAN, 'where T₁': 'σ(−Xw)', 'where T₂': 'σ(Xw)' }, ref: 'Murphy, PML (10.16), ±1 labels' },
  { command: 'hess', expr: 'sum(softplus(-y .* (X*w)))', wrt: 'w', textbook: { '∇²_w f': HESSIAN }, ref: 'log(1 + eᵃ) = softplus(a)' },
  { command: 'hess', expr: '-sum(logsigmoid(y .* (X*w)))', wrt: 'w', textbook: { '∇²_w f': HESSIAN }, ref: '−log σ(a) = log(1 + e⁻ᵃ)' },
  { command: 'hess', expr: "vector(1)'*log(1 + exp(-y .* (X*w)))", wrt: 'w', textbook: { '∇²_w f': HESSIAN }, ref: 'the sum as 𝟙ᵀ' },
  { command: 'hess', expr: "sum(log(1 + exp(-y .* (X*w)))) + 0.5*c*w'*w", wrt: 'w', textbook: { '∇²_w f': `${HESSIAN} + cI` }, ref: 'L2-regularised logistic regression, Murphy (10.35)' },
  { command: 'hess', expr: 'sum(exp(-y .* (X*w)))', wrt: 'w', textbook: { '∇²_w f': 'Xᵀdiag(T₁)X' }, ref: 'the exponential loss of boosting, Hastie et al. (10.8)' },
  { command: 'grad', expr: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w', textbook: { '∇_w f': '−Xᵀ(σ(−(Xw ⊙ y)) ⊙ y)' }, ref: 'Murphy, PML (10.15), ±1 labels' },
  { command: 'grad', expr: 'sum((y - X*w).^2 .* y.^2)', wrt: 'w', textbook: { '∇_w f': '−2Xᵀ(y − Xw)' }, ref: 'y.^2 = 𝟙: least squares' },
  { command: 'grad', expr: 'sum(y.^3 .* (X*w))', wrt: 'w', textbook: { '∇_w f': 'Xᵀy' }, ref: 'y.^3 = y' },
  { command: 'grad', expr: 'sum(relu(1 - y .* (X*w)).^2)', wrt: 'w', textbook: { '∇_w f': '−2Xᵀ(relu(1 − Xw ⊙ y) ⊙ y)' }, ref: 'squared hinge loss, ±1 labels' },
];

const scratch = scratchFolders('sign');

const reports: (Report)[] = PROBLEMS.map((p) => {
  const request = { expression: p.expr, wrt: p.wrt, assume: 'y:sign', seed: 1 };
  const result = p.command === 'grad' ? gradient(request) : derivative({ ...request, command: p.command });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

function printedLines(report: Report): Record<string, string> {
  if (report.command === 'grad') return { [`∇_${report.wrt[0]} f`]: gradientViews(report)[0]!.text };
  const views = derivativeViews(report);
  const lines: Record<string, string> = {};
  for (const line of views.lines) lines[line.label] = line.text;
  for (const shared of views.where) lines[`where ${shared.name}`] = shared.text;
  return lines;
}

describe.each(PROBLEMS.map((p, i) => [`${p.command} ${p.expr} --wrt ${p.wrt}`, p, i] as const))('%s', (_title, p, i) => {
  test(`passes the check and prints the textbook form (${p.ref})`, () => {
    const report = reports[i]!;
    expect(report.check?.status, report.check?.reason).toBe('passed');
    const lines = printedLines(report);
    for (const [label, text] of Object.entries(p.textbook)) expect(lines[label], JSON.stringify(lines)).toBe(text);
    // No y.^2 survives anywhere in the answer.
    expect(JSON.stringify(lines)).not.toContain('y.^');
  });
});

test('the emitted NumPy and PyTorch modules draw ±1 labels and pass their own checks', () => {
  const dir = scratch();
  for (const format of ['numpy', 'torch'] as const) {
    const paths = reports.map((report, i) => {
      const path = join(dir, `${format}_${i}.py`);
      const text = report.command === 'grad' ? (format === 'numpy' ? formatNumpy : formatTorch)(report) : (format === 'numpy' ? formatDerivativeNumpy : formatDerivativeTorch)(report);
      writeFileSync(path, text);
      return path;
    });
    for (const [k, run] of runPythonModules(paths).entries()) expect(run.status, `${format} ${PROBLEMS[k]!.expr}: ${run.output}`).toBe(0);
  }
});

test('a sign variable is no --wrt variable: MC2033 pointing at it', () => {
  const result = gradient({ expression: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w,y', assume: 'y:sign' });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  const d = result.diagnostics[0]!;
  expect(d.code).toBe('MC2033');
  expect(d.span).toEqual({ start: 2, end: 3 });
});

test('without the assumption y.^2 stays: the identity holds only for entries ±1', () => {
  const result = derivative({ expression: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w', command: 'hess', seed: 1 });
  if (!result.ok) throw new Error(result.diagnostics[0]!.message);
  expect(JSON.stringify(printedLines(result.value))).toContain('y.^2');
});

test('sign combines with no other property, as text or as a library map', () => {
  for (const assume of ['y:sign:positive', 'y:sign,y:probability', new Map([['y', new Set(['sign', 'positive'] as const)]])]) {
    const result = gradient({ expression: 'sum(log(1 + exp(-y .* (X*w))))', wrt: 'w', assume });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.message).toContain('sign (entries ±1) cannot be combined with');
  }
});
