import { describe, expect, it } from 'vitest';
import { matcalc } from '../json/helpers.js';

/**
 * --function and --elementwise at the command line (docs/abstract-functions.md): the answer keeps
 * ∇f and g′, JSON carries them, every Python module takes them as callables, and a Hessian through
 * them is refused with exit 2 and a message, never a stack trace.
 */
describe('matcalc with abstract functions', () => {
  it('grad prints the notes’ backprop answer and exits 0', async () => {
    const run = await matcalc(['grad', 'Y = W*X; L = f(Y); L', '--wrt', 'W,X', '--function', 'f']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('∇_W L = ∇f(Y)Xᵀ');
    expect(run.stdout).toContain('∇_X L = Wᵀ∇f(Y)');
    // Unnamed, the body is not labelled f: that is the user's function.
    const unnamed = await matcalc(['grad', 'Y = W*X; f(Y)', '--wrt', 'W', '--function', 'f']);
    expect(unnamed.stdout).toContain('∇_W ℓ = ∇f(Y)Xᵀ');
  });

  it('--elementwise prints g′ and the JSON answer names it', async () => {
    const run = await matcalc(['grad', 'f(g(W*X))', '--wrt', 'W', '--function', 'f', '--elementwise', 'g', '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { check: { status: string } };
    expect(json.check.status).toBe('passed');
    expect(run.stdout).toContain('g′(WX) ⊙ ∇f(g(WX))');
  });

  it('batch requests take "functions" and "elementwise"', async () => {
    const lines = [
      { expr: 'Y = W*X; f(Y)', wrt: 'X', functions: 'f' },
      { expr: 'sum(g(W*x))', wrt: 'W', elementwise: ['g'] },
      { expr: 'f(x)', wrt: 'x', functions: 3 },
    ];
    const run = await matcalc(['batch'], lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { gradients?: { text: string }[]; error?: { code: string } });
    expect(JSON.stringify(out[0])).toContain('Wᵀ∇f(Y)');
    expect(JSON.stringify(out[1])).toContain('g′(Wx)xᵀ');
    expect(out[2]!.error?.code).toBe('MC2023');
  });

  it.each([
    [['grad', 'f(W*x)', '--wrt', 'W', '--function', 'f', '--format', 'jax'], /^def f_vjp\(W, x, f, grad_f\):$/m],
    [['jac', 'g(W*x)', '--wrt', 'x', '--elementwise', 'g', '--format', 'numpy'], /^def jacobian_x\(W, x, g, g_prime\):$/m],
    [['diff', 'f(W*x)', '--wrt', 'W', '--function', 'f', '--format', 'torch-autograd'], /^    def forward\(ctx, W, x, f, grad_f\):$/m],
  ] as const)('%j prints a module taking the callables', async (args, signature) => {
    const run = await matcalc(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(signature);
  });

  it.each([
    [['hess', 'f(W*x)', '--wrt', 'x', '--function', 'f'], /MC3005.*∇²f/s],
    [['grad', 'f(x)', '--wrt', 'x', '--function', 'exp'], /exp is a built-in function/],
    [['grad', 'f(W*X) + f', '--wrt', 'W'], /MC1020/],
  ] as const)('%j is refused with exit 2', async (args, message) => {
    const run = await matcalc(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
