import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { derivativeViews } from '../../src/emit/derivative.js';
import { pythonName } from '../../src/emit/numpy.js';
import { formatNumpy, formatTorch } from '../../src/emit/python-module.js';
import { gradientViews } from '../../src/emit/derivative.js';
import { derivative, gradient } from '../../src/pipeline.js';
import type { DerivativeCommand, Report } from '../../src/report.js';
import { Dense } from '../../src/verify/dense.js';
import { evaluateTerm } from '../../src/verify/evaluate.js';
import { createRng } from '../../src/verify/random.js';
import { runPythonModules, type ModuleRun } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { python3 } from '../helpers/python.js';
import { scratchFolders } from '../helpers/scratch.js';

/**
 * ML losses and their pieces written with the vector ops (logsumexp, softmax, log_softmax, mean):
 * every derivative must pass the numeric check, print as the reference writes it where the
 * `textbook` column gives that form (in matcalc's notation; T₁ … are shared subexpressions), and the
 * emitted NumPy and PyTorch modules must pass their own finite-difference self-check (one python3
 * per format). The last block calls the emitted functions at logits of magnitude 1000, where
 * exp(x) overflows: they must stay finite and agree with matcalc's own values.
 */
interface Problem {
  readonly command: 'grad' | DerivativeCommand;
  readonly expr: string;
  readonly wrt: string;
  readonly assume?: string;
  readonly dims?: string;
  /** Printed result lines: the gradient for grad; label → text for jac and hess. */
  readonly textbook?: string | Record<string, string>;
  readonly ref: string;
}

const PROBABILITY = 'y:probability';
const PROBLEMS: readonly Problem[] = [
  // log-sum-exp: the log-partition function; its gradient is the softmax, its Hessian Diag(p) − ppᵀ.
  { command: 'grad', expr: 'logsumexp(x)', wrt: 'x', textbook: 'softmax(x)', ref: 'Boyd & Vandenberghe §3.1.5' },
  { command: 'grad', expr: 'log(sum(exp(x)))', wrt: 'x', textbook: 'softmax(x)', ref: 'the same function written out' },
  { command: 'grad', expr: 'logsumexp(A*x + b)', wrt: 'x', textbook: 'Aᵀsoftmax(Ax + b)', ref: 'chain rule with Cookbook (69)' },
  { command: 'grad', expr: 'logsumexp(A*x + b)', wrt: 'A', textbook: 'softmax(Ax + b)xᵀ', ref: 'Cookbook (70)' },
  { command: 'grad', expr: 'logsumexp(A*x + b)', wrt: 'b', textbook: 'softmax(Ax + b)', ref: 'Boyd & Vandenberghe §3.1.5' },
  { command: 'grad', expr: "logsumexp(x) + 0.5*x'*x", wrt: 'x', textbook: 'x + softmax(x)', ref: 'regularised log-partition' },
  { command: 'grad', expr: 'logsumexp(x .* a)', wrt: 'a', textbook: 'softmax(a ⊙ x) ⊙ x', ref: 'chain rule through ⊙' },
  { command: 'grad', expr: 'logsumexp(W*tanh(V*x))', wrt: 'V', textbook: '((1 − T₁.^2) ⊙ Wᵀsoftmax(WT₁))xᵀ', ref: "backprop through tanh, tanh' = 1 − tanh²" },
  { command: 'hess', expr: 'logsumexp(x)', wrt: 'x', textbook: { '∇²_x f': 'diag(softmax(x)) − softmax(x)softmax(x)ᵀ' }, ref: 'Boyd & Vandenberghe §3.1.5 (p. 74)' },
  { command: 'hess', expr: 'log(sum(exp(x)))', wrt: 'x', textbook: { '∇²_x f': 'diag(softmax(x)) − softmax(x)softmax(x)ᵀ' }, ref: 'Boyd & Vandenberghe §3.1.5' },
  { command: 'hess', expr: 'logsumexp(A*x + b)', wrt: 'x', textbook: { '∇²_x f': 'Aᵀ(diag(T₁) − T₁T₁ᵀ)A' }, ref: 'Hessian of log-sum-exp of an affine map' },
  // softmax: the Jacobian Diag(p) − ppᵀ.
  { command: 'jac', expr: 'softmax(x)', wrt: 'x', textbook: { '∂F/∂x': 'diag(softmax(x)) − softmax(x)softmax(x)ᵀ' }, ref: 'Bishop, PRML (4.106)' },
  { command: 'jac', expr: 'exp(x)/sum(exp(x))', wrt: 'x', textbook: { '∂F/∂x': 'diag(softmax(x)) − softmax(x)softmax(x)ᵀ' }, ref: 'the same function written out' },
  { command: 'jac', expr: 'softmax(W*x)', wrt: 'x', textbook: { '∂F/∂x': '(diag(T₁) − T₁T₁ᵀ)W' }, ref: 'PRML (4.106) and the chain rule' },
  { command: 'jac', expr: 'log_softmax(x)', wrt: 'x', textbook: { '∂F/∂x': 'I − 𝟙·softmax(x)ᵀ' }, ref: 'log_softmax(x) = x − logsumexp(x)𝟙' },
  { command: 'grad', expr: "a'*softmax(x)", wrt: 'x', textbook: 'a ⊙ softmax(x) − (softmax(x)ᵀa)softmax(x)', ref: '(Diag(p) − ppᵀ)a' },
  { command: 'grad', expr: "softmax(A*x)'*v", wrt: 'v', textbook: 'softmax(Ax)', ref: 'a softmax-weighted average (attention weights)' },
  { command: 'grad', expr: "softmax(A*x)'*v", wrt: 'x', textbook: 'Aᵀ(T₁ ⊙ v − (T₁ᵀv)T₁)', ref: 'attention weights through the softmax Jacobian' },
  { command: 'grad', expr: 'norm2(softmax(x) - y)^2', wrt: 'x', textbook: '2(softmax(x) ⊙ T₁ − (softmax(x)ᵀT₁)softmax(x))', ref: 'Brier score' },
  // cross-entropy: (softmax(Wx)𝟙ᵀy − y)xᵀ, and (softmax(Wx) − y)xᵀ when y is a distribution.
  { command: 'grad', expr: "-y'*log(softmax(W*x))", wrt: 'W', textbook: '(sum(y)softmax(Wx) − y)xᵀ', ref: 'Bishop, PRML (4.109)' },
  { command: 'grad', expr: "-y'*log_softmax(W*x)", wrt: 'W', textbook: '(sum(y)softmax(Wx) − y)xᵀ', ref: 'PRML (4.109)' },
  { command: 'grad', expr: "-y'*log(softmax(W*x))", wrt: 'W', assume: PROBABILITY, textbook: '(softmax(Wx) − y)xᵀ', ref: 'PRML (4.109), 𝟙ᵀy = 1' },
  { command: 'grad', expr: "-y'*log_softmax(W*x)", wrt: 'W', assume: PROBABILITY, textbook: '(softmax(Wx) − y)xᵀ', ref: 'PRML (4.109)' },
  { command: 'grad', expr: "-y'*log_softmax(W*x + b)", wrt: 'b', assume: PROBABILITY, textbook: 'softmax(Wx + b) − y', ref: 'softmax regression bias' },
  { command: 'grad', expr: "-y'*log_softmax(W*x)", wrt: 'x', assume: PROBABILITY, textbook: 'Wᵀ(softmax(Wx) − y)', ref: 'the input gradient' },
  { command: 'grad', expr: "-y'*log_softmax(W*tanh(V*x))", wrt: 'V', assume: PROBABILITY, textbook: '((1 − T₁.^2) ⊙ Wᵀ(softmax(WT₁) − y))xᵀ', ref: 'two-layer network, Goodfellow et al. §6.5' },
  { command: 'grad', expr: "logsumexp(A*x + b) - y'*(A*x + b)", wrt: 'x', assume: PROBABILITY, textbook: 'Aᵀ(softmax(Ax + b) − y)', ref: 'the same loss as logsumexp − yᵀz' },
  { command: 'grad', expr: "y'*log(y) - y'*log_softmax(z)", wrt: 'z', assume: PROBABILITY, textbook: 'softmax(z) − y', ref: 'KL(y ‖ softmax(z)), Cover & Thomas (2.26)' },
  { command: 'grad', expr: "-softmax(x)'*log_softmax(x)", wrt: 'x', textbook: '(softmax(x)ᵀlog_softmax(x))softmax(x) − log_softmax(x) ⊙ softmax(x)', ref: 'entropy of a softmax' },
  { command: 'hess', expr: "-y'*log_softmax(W*x)", wrt: 'x', assume: PROBABILITY, textbook: { '∇_x f': 'Wᵀ(T₁ − y)', '∇²_x f': 'Wᵀ(diag(T₁) − T₁T₁ᵀ)W' }, ref: 'Hessian of the cross-entropy' },
  // mean: of a vector 𝟙/n, of a matrix all entries.
  { command: 'grad', expr: 'mean(x)', wrt: 'x', textbook: '𝟙 / n', ref: 'mean = 𝟙ᵀx/n' },
  { command: 'grad', expr: 'mean(X)', wrt: 'X', textbook: '𝟙𝟙ᵀ / (mn)', ref: 'the mean of all mn entries' },
  { command: 'grad', expr: 'mean((A*x - y).^2)', wrt: 'x', textbook: '2AᵀT₁ / n', ref: 'mean squared error, Cookbook (84) / n' },
  { command: 'grad', expr: 'mean(log(1 + exp(-y .* (X*w))))', wrt: 'w', textbook: '−Xᵀ(σ(T₁) ⊙ y) / n', ref: 'mean logistic loss, Murphy §8.3' },
  { command: 'grad', expr: 'mean(softplus(X*w))', wrt: 'w', textbook: 'Xᵀσ(Xw) / n', ref: "softplus' = σ" },
  { command: 'grad', expr: 'mean(x)^2', wrt: 'x', textbook: '2mean(x)𝟙 / n', ref: 'square of the mean' },
  { command: 'grad', expr: 'mean(X*w)', wrt: 'w', dims: 'X=4x3', textbook: '0.25Xᵀ𝟙', ref: 'known sizes: n is the number 4' },
  { command: 'grad', expr: 'sum(x)/n', wrt: 'x', textbook: '𝟙 / n', ref: 'n read as the length of x' },
  // The variance: 2(x − x̄𝟙)/n, by sum(x − x̄𝟙) = 0 (simp.sum-deviations), written out or as var(x) (as np.var).
  { command: 'grad', expr: '‖x − mean(x)·vector(1)‖²/n', wrt: 'x', textbook: '2(x − mean(x)) / n', ref: 'the variance of x' },
  { command: 'grad', expr: 'mean((x − mean(x)·vector(1)).^2)', wrt: 'x', textbook: '2T₁ / n', ref: 'the variance of x, as mean of squares' },
  { command: 'grad', expr: 'sum((x − mean(x)·vector(1)).^2)', wrt: 'x', textbook: '2(x − mean(x))', ref: 'the sum of squared deviations' },
  { command: 'grad', expr: 'var(x)', wrt: 'x', textbook: '2(x − mean(x)) / n', ref: 'var(x) = ‖x − x̄𝟙‖²/n, Magnus & Neudecker ch. 8' },
  { command: 'grad', expr: 'var(A*x)', wrt: 'x', textbook: '2Aᵀ(Ax − mean(Ax)) / n', ref: 'variance of a linear map, chain rule' },
  { command: 'grad', expr: 'log(var(x))', wrt: 'x', textbook: '2(x − mean(x)) / (n·var(x))', ref: 'log-variance' },
  { command: 'grad', expr: 'var(x)^2', wrt: 'x', textbook: '4var(x)(x − mean(x)) / n', ref: 'square of the variance' },
  { command: 'hess', expr: 'var(x)', wrt: 'x', textbook: { '∇_x f': '2(x − mean(x)) / n', '∇²_x f': '2(I − 𝟙𝟙ᵀ / n) / n' }, ref: 'the centring matrix: ∇² var = 2(I − 𝟙𝟙ᵀ/n)/n' },
  { command: 'hess', expr: 'mean(x.^2)', wrt: 'x', textbook: { '∇_x f': '2x / n', '∇²_x f': '2I / n' }, ref: 'the second moment' },
];

const scratch = scratchFolders('ml-ops');
const hasTorch = hasPython('torch');

const reports: Report[] = PROBLEMS.map((p) => {
  const request = { expression: p.expr, wrt: p.wrt, assume: p.assume, dims: p.dims, seed: 1 };
  const result = p.command === 'grad' ? gradient(request) : derivative({ ...request, command: p.command });
  if (!result.ok) throw new Error(`${p.expr}: ${result.diagnostics[0]!.message}`);
  return result.value;
});

const FORMATS = [
  ['numpy', true],
  ['torch', hasTorch],
] as const;
const runs = new Map<string, ModuleRun[]>();
function runsOf(format: 'numpy' | 'torch'): ModuleRun[] {
  let found = runs.get(format);
  if (found === undefined) {
    const dir = scratch();
    const paths = reports.map((report, i) => {
      const path = join(dir, `${format}_${i}.py`);
      const text = (format === 'numpy' ? formatNumpy : formatTorch)(report);
      writeFileSync(path, text);
      return path;
    });
    found = runPythonModules(paths);
    runs.set(format, found);
  }
  return found;
}

describe.each(PROBLEMS.map((p, i) => [`${p.command} ${p.expr} --wrt ${p.wrt}${p.assume ? ` --assume ${p.assume}` : ''}`, p, i] as const))('%s', (_title, p, i) => {
  const report = reports[i]!;

  test(`passes the numeric check and prints the textbook form (${p.ref})`, () => {
    expect(report.check?.status, report.check?.reason).toBe('passed');
    if (report.command === 'grad') {
      expect(gradientViews(report)[0]!.text).toBe(p.textbook);
    } else {
      const lines = Object.fromEntries(derivativeViews(report).lines.map((l) => [l.label, l.text]));
      for (const [label, text] of Object.entries(p.textbook as Record<string, string>)) expect(lines[label], JSON.stringify(lines)).toBe(text);
    }
  });

  test.each(FORMATS)('the emitted %s module passes its own finite-difference check', (format, available) => {
    if (!available) return;
    const run = runsOf(format)[i]!;
    expect(run.status, run.output).toBe(0);
  });
});

/**
 * Logits of magnitude 1000: exp(1000) overflows a double, so np.log(np.sum(np.exp(z))) is inf and
 * exp(z)/sum(exp(z)) is nan. The emitted code shifts by the maximum (scipy.special.logsumexp,
 * torch.softmax, …) and must give matcalc's values, which the evaluator computes the same stable way.
 */
describe('at logits of magnitude 1000 the emitted code stays finite and right', () => {
  const STABLE = [
    { expr: 'logsumexp(A*x + b)', wrt: 'x' },
    { expr: "-y'*log(softmax(W*x))", wrt: 'W', assume: PROBABILITY },
    { expr: "-y'*log_softmax(W*x)", wrt: 'x' },
    { expr: "a'*softmax(x)", wrt: 'x' },
    { expr: 'log(sum(exp(x)))', wrt: 'x' },
  ];
  const cases = STABLE.map((c, k) => {
    const result = gradient({ expression: c.expr, wrt: c.wrt, assume: c.assume, dims: 'x=3', seed: 1 });
    if (!result.ok) throw new Error(`${c.expr}: ${result.diagnostics[0]!.message}`);
    const report = result.value;
    const rng = createRng(1000 + k);
    const sizes = new Map<string, number>();
    const size = (d: string | number) => (typeof d === 'number' ? d : (sizes.get(d) ?? (sizes.set(d, 3), 3)));
    const values = new Map<string, Dense>();
    for (const [name, shape] of report.variables) {
      const v = new Dense(size(shape[0]), size(shape[1]));
      const probability = c.assume?.startsWith(`${name}:`);
      for (let i = 0; i < v.data.length; i++) v.data[i] = probability ? 1 / v.data.length : 1000 * rng.normal();
      values.set(name, v);
    }
    const context = { values, dimSizes: sizes };
    const value = evaluateTerm(report.f, context).data[0]!;
    const grad = evaluateTerm(report.gradients[0]!.gradient, context);
    return { c, report, values, value, grad };
  });

  test.each(FORMATS)('%s', (format, available) => {
    if (!available) return;
    const lines = ['import json, runpy', format === 'numpy' ? 'import numpy as np' : 'import torch', 'out = []'];
    const array = (d: Dense) => (format === 'numpy' ? `np.array(${JSON.stringify(d.toArray())})` : `torch.tensor(${JSON.stringify(d.toArray())}, dtype=torch.float64)`);
    const dir = scratch();
    cases.forEach(({ report, values }, k) => {
      const path = join(dir, `stable_${format}_${k}.py`);
      writeFileSync(path, (format === 'numpy' ? formatNumpy : formatTorch)(report));
      const args = [...report.variables.keys()].map((name) => array(values.get(name)!)).join(', ');
      const fname = `f_and_grad_${report.wrt.map(pythonName).join('_')}`;
      lines.push(`m = runpy.run_path(${JSON.stringify(path)})`);
      lines.push(`v, g = m[${JSON.stringify(fname)}](${args})`);
      lines.push(`out.append([float(v), ${format === 'numpy' ? 'np.asarray(g, dtype=float)' : 'g.detach()'}.reshape(-1).tolist()])`);
    });
    lines.push('print(json.dumps(out))');
    const run = python3(['-c', lines.join('\n')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as [number, number[]][];
    cases.forEach(({ c, value, grad }, k) => {
      const [v, g] = results[k]!;
      expect(Number.isFinite(value) && grad.data.every(Number.isFinite), `${c.expr}: matcalc's own value`).toBe(true);
      expect(Math.abs(v - value), `${c.expr}: value ${v} vs ${value}`).toBeLessThan(1e-9 * (1 + Math.abs(value)));
      g.forEach((gi, j) => expect(Math.abs(gi - grad.data[j]!), `${c.expr}: gradient entry ${j}`).toBeLessThan(1e-9 * (1 + Math.abs(grad.data[j]!))));
    });
  });
});
