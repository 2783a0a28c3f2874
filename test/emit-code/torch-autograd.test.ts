import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/emit/formats.js';
import { pythonName } from '../../src/emit/numpy.js';
import { matcalc } from '../json/helpers.js';
import { checkModules, hasPython, reportOf } from '../helpers/vjp-modules.js';
import { python3 } from '../helpers/python.js';
import { scratchFolders } from '../helpers/scratch.js';

/** `--format torch-autograd` on every case of test/helpers/vjp-modules.ts, the CLI, and the names. */
/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('torch-autograd');

const hasTorch = hasPython('torch');
if (!hasTorch) console.warn('[matcalc] PyTorch is not installed (python3 -c "import torch" failed): the --format torch-autograd tests are SKIPPED.');

test.skipIf(!hasTorch)('--format torch-autograd: gradcheck, autograd, forward values and two SGD steps on every case (skipped without PyTorch)', { timeout: 120_000 }, () => {
  checkModules('torch-autograd', scratch());
});

describe('the CLI and the names', () => {
  test('jac and hess through the CLI: the pullback is computed for these formats, the Function and the custom VJP are printed', async () => {
    const jac = await matcalc(['jac', 'exp(X*b)', '--wrt', 'X,b', '--dims', 'X=3x4', '--format', 'torch-autograd']);
    expect(jac.code, jac.stderr).toBe(0);
    expect(jac.stdout).toContain('class Function(torch.autograd.Function):');
    expect(jac.stdout).toContain('    def backward(ctx, G):');
    expect(jac.stdout).toContain('ctx.save_for_backward(');
    const hess = await matcalc(['hess', "x'*A*x + sum(exp(y))", '--wrt', 'x,y', '--dims', 'A=3x3,y=2', '--format', 'jax']);
    expect(hess.code, hess.stderr).toBe(0);
    expect(hess.stdout).toContain('def gradient_vjp(x, A, y):');
    expect(hess.stdout).toMatch(/def hvp\(x, A, y, V_x, V_y\):/);
    expect(hess.stdout).toContain('    @jax.custom_vjp');
  });

  test('the help lists the formats', async () => {
    const help = await matcalc(['grad', '--help']);
    expect(help.stdout).toMatch(/torch-autograd/);
    expect(help.stdout).toMatch(/"jax"/);
  });

  test('the module names torch, jax and jnp, and keywords, are never an input\u2019s Python name', () => {
    for (const name of ['torch', 'jax', 'jnp', 'np', 'sys', 'float', 'lambda', 'None']) expect(pythonName(name)).not.toBe(name);
    expect(pythonName('ctx')).toBe('ctx'); // a module's own locals are renamed instead (vjp-plan.ts nameAllocator)
  });

  test('a module renames its own names, never an input', () => {
    const report = reportOf({ label: '', command: 'grad', expression: 'ctx*f + Function*result + sum(f_plain .* grad_output)', wrt: 'ctx,grad_output', dims: 'ctx=1,f=1,Function=1,result=1,f_plain=2' });
    const module = FORMATS['torch-autograd']!(report, { steps: false, standalone: false });
    expect(module).toContain('def forward(ctx_, ctx, f, Function, result, f_plain, grad_output):');
    expect(module).toContain('class Function_(torch.autograd.Function):');
    expect(module).toContain('def backward(ctx_, grad_output_):');
    expect(module).toContain('def f_(ctx, f, Function, result, f_plain, grad_output):');
    expect(module).toContain("__all__ = (\"f_\", \"f_plain_\", \"Function_\")");
  });
});

test.skipIf(!hasTorch)('the backward is once-differentiable: a second derivative through it is an error, not a partial answer (skipped without PyTorch)', () => {
  const report = reportOf({ label: '', command: 'grad', expression: "sum(exp(A*x)) + x'*x", wrt: 'x', dims: 'A=3x4' });
  const path = join(scratch(), 'twice.py');
  writeFileSync(path, FORMATS['torch-autograd']!(report, { steps: false, standalone: false }));
  const script = `import runpy, torch
m = runpy.run_path(${JSON.stringify(path)}, run_name="m")
A = torch.ones(3, 4, dtype=torch.float64)
x = torch.linspace(0.1, 0.4, 4, dtype=torch.float64).requires_grad_()
(g,) = torch.autograd.grad(m["f"](A, x), x, create_graph=True)
(plain,) = torch.autograd.grad(m["f_plain"](A, x), x, create_graph=True)
assert torch.allclose(g, plain)
try:
    torch.autograd.grad(g.sum(), x)
    print("differentiated twice")
except RuntimeError:
    print("refused")`;
  const run = python3(['-c', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('refused');
});
