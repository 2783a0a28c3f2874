import { describe, expect, it } from 'vitest';
import { matcalc } from '../json/helpers.js';

/** Stacked vector functions at the command line: jac reads them in every dialect; what it refuses exits 2. */
describe.concurrent('matcalc jac of a stack [f; g]', () => {
  it("the notes' example: one matrix [∂F/∂x ∂F/∂y], check passed", async () => {
    const run = await matcalc(['jac', '[3x^2y; 2x + y^8]', '--wrt', 'x,y']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('F = [3·x²y; 2·x + y⁸]');
    expect(run.stdout).toContain('∂F/∂(x, y) = [6xy, 3x²; 2, 8y⁷]\n');
    expect(run.stdout).toContain('check   passed');
  });

  it.each([
    ['LaTeX', '\\begin{bmatrix} 3x^2y \\\\ 2x + y^8 \\end{bmatrix}'],
    ['LaTeX pmatrix, a row transposed', '\\begin{pmatrix} 3x^2y & 2x + y^8 \\end{pmatrix}^\\top'],
    ['NumPy', 'np.array([3*x**2*y, 2*x + y**8])'],
    ['PyTorch', 'torch.stack([3*x**2*y, 2*x + y**8])'],
    ['MATLAB', "[3*x^2*y, 2*x + y^8]'"],
  ])('%s reads as the same stack', async (_dialect, input) => {
    const run = await matcalc(['jac', input, '--wrt', 'x,y']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('∂F/∂(x, y) = [6xy, 3x²; 2, 8y⁷]\n');
  });

  it('the JSON has the assembled matrix with its NumPy', async () => {
    const run = await matcalc(['jac', '[r*cos(t); r*sin(t)]', '--wrt', 'r,t', '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { function: { numpy: string }; results: { role: string; text: string; numpy?: string; shape?: unknown[] }[] };
    expect(json.function.numpy).toBe('np.vstack([r * np.cos(t), r * np.sin(t)])');
    const matrix = json.results.find((r) => r.role === 'jacobian-matrix')!;
    expect(matrix.text).toBe('[cos(t), −r·sin(t); sin(t), r·cos(t)]');
    expect(matrix.shape).toEqual([2, 2]);
  });

  it('a block vector of columns: ∂[x; y]/∂x = [I; 0]', async () => {
    const run = await matcalc(['jac', '[x; y]', '--wrt', 'x', '--dims', 'x=3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('∂F/∂x = [I; 0]\n');
  });

  it.each([
    ['grad of a stack', ['grad', '[x^2; x*y]', '--wrt', 'x'], 'MC2005', 'matcalc jac'],
    ['ragged rows', ['jac', '[a, b; c]', '--wrt', 'a'], 'MC1033', 'its rows have 2, 1 entries'],
    ["MATLAB's space-separated entries", ['jac', '[a b; c d]', '--wrt', 'a'], 'MC1033', 'write a*b for the product, or a, b for two entries'],
    ['blocks of two widths', ['jac', '[X; y]', '--wrt', 'y'], 'MC2041', 'blocks of one width, here m columns'],
    ["NumPy's hstack, which means two things", ['jac', 'np.hstack([x, y])', '--wrt', 'x'], 'MC1030', 'write np.concatenate([x, y]) for the block vector [x; y]'],
  ])('%s: exit 2 with the code, the place and what to write', async (_what, args, code, advice) => {
    const run = await matcalc(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error[${code}]`);
    expect(run.stderr).toContain(advice);
    expect(run.stderr).toContain('-->');
  });
});
