import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPythonModules, type ModuleRun } from '../helpers/python-batch.js';
import { hasPython } from '../helpers/python-probe.js';
import { scratchFolders } from '../helpers/scratch.js';
import { compileSchema, matcalc, type Run } from '../json/helpers.js';

/** diff, jac and hess through the built binary: text, exit codes, JSON against the schema, NumPy modules run by python3. */

const validate = compileSchema();
/** This file's temporary folders, removed when its tests are done (test/helpers/scratch.ts). */
const scratch = scratchFolders('deriv');

describe('the commands', () => {
  it('diff prints dF, shapes, the check; exit 0', async () => {
    const r = await matcalc(['diff', 'inv(X)', '--wrt', 'X']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^F = X⁻¹\ndF = −X⁻¹ dX X⁻¹\n/);
    expect(r.stdout).toMatch(/\ncheck {3}passed: relative error/);
    expect(r.stderr).toBe('');
  });

  it('jac states its layout; --layout denominator transposes', async () => {
    const n = await matcalc(['jac', 'A*x', '--wrt', 'x']);
    const d = await matcalc(['jac', 'A*x', '--wrt', 'x', '--layout', 'denominator']);
    expect(n.stdout).toContain('∂F/∂x = A\n  numerator layout: n×m, rows follow F, columns follow x\n');
    expect(d.stdout).toContain('∂F/∂x = Aᵀ\n  denominator layout: m×n');
    expect([n.code, d.code]).toEqual([0, 0]);
  });

  it('jac of a matrix function: the Kronecker form and the vec convention', async () => {
    const r = await matcalc(['jac', 'A*X*B', '--wrt', 'X']);
    expect(r.stdout).toContain('∂vec(F)/∂vec(X) = (Bᵀ ⊗ A)\n');
    expect(r.stdout).toContain('vec stacks columns');
  });

  it('hess: the gradient, H[V], and the matrix for a vector', async () => {
    const r = await matcalc(['hess', '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', '--wrt', 'w']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('∇²_w f = Xᵀdiag(T₂ ⊙ T₁)X\n');
    // One where-block: the word once, the second definition lined up under the first.
    expect(r.stdout).toContain('  where T₁ = σ(Xw)\n        T₂ = 1 − T₁\n');
  });

  it('prints one where-block for a definition and the shared temporaries together', async () => {
    for (const [args, block] of [
      [['grad', 'H = tanh(W*x); sum(H.^2) + sum(exp(H))', '--wrt', 'W,x'], '  where H = tanh(Wx)\n        T₁ = (2H + exp(H)) ⊙ (1 − H.^2)\n'],
      [['diff', "x'*A*y + sum(exp(x))", '--wrt', 'x,y'], '  where T₁ = dxᵀexp(x)\n        T₂ = dxᵀAy\n        T₃ = xᵀA dy\n'],
      [['jac', 'σ(Wx)', '--wrt', 'x'], '  where T₁ = σ(Wx)\n        T₂ = 1 − T₁\n'],
    ] as const) {
      const r = await matcalc([...args]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(block);
      expect(r.stdout.match(/where/g)).toHaveLength(1);
    }
  });

  it('--steps shows the forward derivation', async () => {
    const r = await matcalc(['diff', 'aᵀexp(Xb)', '--wrt', 'X', '--steps']);
    expect(r.stdout).toMatch(/^f = aᵀexp\(Xb\)\nd\(Xb\) = dX b {4}product\nd\(exp\(Xb\)\) = exp\(Xb\) ⊙ d\(Xb\) {4}fwd\.exp\n/);
  });

  it('grad --structured for a symmetric variable, with the convention stated', async () => {
    const r = await matcalc(['grad', "x'*S*x", '--wrt', 'S', '--assume', 'S:symmetric', '--structured']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('∇_S f = 2xxᵀ − I ⊙ xxᵀ\n');
    expect(r.stdout).toContain('structured gradient G + Gᵀ − I ⊙ G');
    expect(r.stdout).toMatch(/check {3}passed/);
  });

  it('the same command twice prints the same bytes', async () => {
    const args = ['hess', 'tr(XᵀAX) + logdet(X)', '--wrt', 'X', '--format', 'json', '--steps'];
    const [a, b] = await Promise.all([matcalc(args), matcalc(args)]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.code).toBe(0);
  });
});

describe('bad input: exit 2, a message, no stack trace', () => {
  it.each([
    [['hess', 'A*x', '--wrt', 'x'], /error\[MC2005\]: hess needs a scalar function, but A\*x \(n×1\) is not a scalar \(for a vector or matrix F: matcalc jac/],
    [['jac', 'A*x', '--wrt', 'x', '--layout', 'sideways'], /argument 'sideways' is invalid/],
    [['jac', 'A*x', '--wrt', 'x', '--format', 'pdf'], /argument 'pdf' is invalid/],
    [['diff', 'A*x'], /required option '--wrt <names>' not specified/],
    [['diff', 'A*(x', '--wrt', 'x'], /error\[MC1002\]/],
    [['jac', 'A*x + B', '--wrt', 'x'], /error\[MC20/],
    // Norm orders (src/syntax/norm-order.ts) and the JAX module for the principal square root and logarithm.
    [['grad', 'norm(X, 1)', '--wrt', 'X'], /error\[MC2014\]: norm\(·, 1\), the 1-norm Σ\|xᵢ\| of a vector .* but X \(n×m\) is not a vector/],
    [['grad', "norm(X, 'inf')", '--wrt', 'X'], /error\[MC1030\]: norm\(·, 'inf'\) is not supported: the ∞-norm is a maximum/],
    [['grad', "norm(X, 'frob')", '--wrt', 'X'], /error\[MC1030\]: .*'fro' and 'nuc'/],
    [['grad', 'np.linalg.norm(x, ord=3)', '--wrt', 'x'], /error\[MC1030\]: 'np.linalg.norm' of order ord=3 is not supported/],
    [['grad', 'tr(logm(X))', '--wrt', 'X', '--format', 'jax'], /error: --format jax cannot compute logm/],
    [['grad', "a'*sqrtm(X)*b", '--wrt', 'X', '--format', 'jax'], /error: --format jax cannot compute sqrtm/],
  ])('%j', async (args, message) => {
    const r = await matcalc(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('JSON', () => {
  it.each([
    ['diff', 'A*X*B', 'X'],
    ['jac', 'σ(Wx)', 'x'],
    ['jac', 'A*X*B', 'X'],
    ['hess', 'xᵀAx', 'x'],
    ['hess', 'tr(XᵀAX)', 'X'],
    ['hess', "x'*A*y", 'x,y'],
  ])('%s %s --wrt %s validates against the schema', async (command, expression, wrt) => {
    const r = await matcalc([command, expression, '--wrt', wrt, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(validate(json)).toEqual([]);
    expect(json.command).toBe(command);
  });

  it('an error as JSON', async () => {
    const r = await matcalc(['hess', 'A*x', '--wrt', 'x', '--format', 'json']);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(validate(json)).toEqual([]);
    expect(json.error.code).toBe('MC2005');
  });
});

/** The derivative modules run in both formats: command, expression, --wrt, further options. */
const MODULE_CASES: readonly (readonly [string, string, string, readonly string[]])[] = [
  ['diff', 'inv(X)', 'X', []],
  ['diff', 'aᵀexp(Xb)', 'X,a', []],
  ['jac', 'σ(Wx)', 'x', []],
  ['jac', 'A*X*B', 'X', []],
  ['jac', 'A*x + B*y', 'x,y', ['--layout', 'denominator']],
  ['hess', '-yᵀlog σ(Xw) - (1 - y)ᵀlog(1 - σ(Xw))', 'w', []],
  ['hess', 'tr(XᵀAX) + logdet(X)', 'X', []],
  ['hess', "x'*A*x + c*sum(x)", 'x,c', []],
  ['hess', 'sum(erf(Xw)) − sum(logsigmoid(y ⊙ Xw))', 'w', []], // NumPy imports scipy.special for erf
  ['jac', 'log1p(x.^2) + arctan(Ax)', 'x', []],
];

/** The generated modules, NumPy and PyTorch alike; a library that python3 cannot import is skipped, and says so. */
describe.each([
  ['numpy', 'numpy'],
  ['torch', 'torch'],
])('--format %s', (format, library) => {
  const available = hasPython(library);
  if (!available) console.warn(`[matcalc] python3 cannot import ${library}: the diff|jac|hess --format ${format} runs are SKIPPED.`);
  // Every module of this format: made by the CLI (in parallel), then run in one python3
  // (test/helpers/python-batch.ts), which imports numpy or torch once instead of once a module;
  // the last one is diff inv(X)'s module with its differential broken (the sign of −X⁻¹ dX X⁻¹
  // flipped), which must fail its own self-check.
  let made: Promise<{ outputs: Run[]; runs: ModuleRun[]; broken: { original: string; text: string; run: ModuleRun } }> | undefined;
  const modules = () =>
    (made ??= (async () => {
      const [inverse, ...outputs] = await Promise.all([
        matcalc(['diff', 'inv(X)', '--wrt', 'X', '--format', format]),
        ...MODULE_CASES.map(([command, expression, wrt, rest]) => matcalc([command, expression, '--wrt', wrt, ...rest, '--format', format])),
      ]);
      const broken = inverse!.stdout.replace(/(def differential_X\(X, dX\):\n(?:.*\n)*?    return )/, '$1-');
      const dir = scratch();
      const paths = [...outputs.map((r) => r.stdout), broken].map((text, i) => {
        const file = path.join(dir, `module_${i}.py`);
        writeFileSync(file, text);
        return file;
      });
      const runs = runPythonModules(paths);
      return { outputs, runs: runs.slice(0, -1), broken: { original: inverse!.stdout, text: broken, run: runs.at(-1)! } };
    })());

  it.skipIf(!available).each(MODULE_CASES.map(([command, expression, wrt], i) => [command, expression, wrt, i] as const))(
    '%s %s --wrt %s: the module re-checks itself by finite differences',
    async (command, _expression, _wrt, i) => {
      const { outputs, runs } = await modules();
      const r = outputs[i]!;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`(${command} --format ${format})`);
      expect(r.stdout).toMatch(new RegExp(`\\nimport ${library}( as np)?\\n`));
      const run = runs[i]!;
      expect(run.output).not.toMatch(/Warning|Traceback/);
      expect(run.status, run.output).toBe(0);
      expect(run.output).toMatch(/relative error \d\.\d\de-(1[0-9]|0[6-9])/);
    },
  );

  it.skipIf(!available)('a wrong differential fails its own self-check (exit 1)', async () => {
    const { broken } = await modules();
    expect(broken.text).not.toBe(broken.original);
    expect(broken.run.status, broken.run.output).toBe(1);
  });
});

describe('batch', () => {
  it('runs diff, jac and hess requests beside grad ones; every line validates against the schema', async () => {
    const requests = [
      { expr: 'xᵀAx', wrt: 'x', command: 'hess', id: 1 },
      { expr: 'A*x', wrt: 'x', command: 'jac', layout: 'denominator', id: 2 },
      { expr: 'inv(X)', wrt: 'X', command: 'diff' },
      { expr: 'xᵀSx', wrt: 'S', assume: 'S:symmetric', structured: true },
      { expr: 'A*x', wrt: 'x', command: 'curl' },
      { expr: 'A*x', wrt: 'x', layout: 'denominator' },
    ];
    const r = await matcalc(['batch'], requests.map((q) => JSON.stringify(q)).join('\n'));
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(validate(line)).toEqual([]);
    expect(lines[0].hessian.numpy).toBe('A + A.T');
    expect(lines[0].id).toBe(1);
    expect(lines[1].jacobian).toEqual(expect.objectContaining({ text: 'Aᵀ', layout: 'denominator' }));
    expect(lines[2].differential.text).toBe('−X⁻¹ dX X⁻¹');
    expect(lines[3].gradient.text).toBe('2xxᵀ − I ⊙ xxᵀ');
    expect(lines[4].error.message).toMatch(/"command" must be one of grad, diff, jac, hess/);
    expect(lines[5].error.message).toMatch(/"layout" is for "command": "jac" only/);
  });
});
